"""to_spoken: what the engine is asked to say."""

from __future__ import annotations

import pytest

from narrator.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "Mr. Smith met Mrs. Jones, Ms. Lee, Dr. Brown and Prof. Green.",
            "Mister Smith met Missus Jones, Miz Lee, Doctor Brown and Professor Green.",
        ),
        ("They met at St. Paul's.", "They met at Saint Paul's."),
        ("He lived on Baker St. near the park.", "He lived on Baker Street near the park."),
        ("He lived on Baker St. The end.", "He lived on Baker Street. The end."),
        # a sentence-final abbreviation keeps its full stop, a mid-sentence one does not
        ("We left at 5 p.m. The sun was low.", "We left at five P M. The sun was low."),
        ("At 9 a.m. on Sunday.", "At nine A M on Sunday."),
        ("He lives in the U.S. Then he moved.", "He lives in the U S. Then he moved."),
        ("The U.S. Army", "The U S Army"),
        ("Fruit, e.g. apples, i.e. food.", "Fruit, for example apples, that is food."),
        ("See the map (cf. page 3).", "See the map (compare page three)."),
        ("Apples, pears, etc.", "Apples, pears, et cetera."),
        ("See https://example.com/a.b for more.", "See example dot com slash a dot b for more."),
        ("Mail jane.doe@example.org today.", "Mail jane dot doe at example dot org today."),
        ("Tom & Jerry", "Tom and Jerry"),
        ("It cost $3.50.", "It cost three dollars and fifty cents."),
        ("$1 or $1.01 or $2.00", "one dollar or one dollar and one cent or two dollars"),
        ("1. First item", "one, First item"),
        ("Jonas E. Smith and J. R. R. Tolkien.", "Jonas E Smith and J R R Tolkien."),
        ("CHAPTER I. Down the Rabbit-Hole", "Chapter One. Down the Rabbit-Hole"),
        ("CHAPTER V. Advice from a Caterpillar", "Chapter Five. Advice from a Caterpillar"),
        ("Chapter XLII", "Chapter Forty-Two"),
        ("PART II: The Return", "Part Two: The Return"),
        ("The book I read and the Part I played.", "The book I read and the Part I played."),
        (
            "The *bold* and `code` and _it_ stay snake_case.",
            "The bold and code and it stay snake_case.",
        ),
        # numbers, units and years in words, as verification expects them
        (
            "It weighed 2.5 kg in 1999.",
            "It weighed two point five kilograms in nineteen ninety-nine.",
        ),
        (
            "Henry VIII met Mr. Cromwell at 7:05.",
            "Henry the Eighth met Mister Cromwell at seven oh five.",
        ),
    ],
)
def test_to_spoken(text: str, spoken: str) -> None:
    assert to_spoken(text) == spoken


def test_plain_text_is_unchanged() -> None:
    text = "It was a bright cold day in April, and the clocks were striking thirteen."
    assert to_spoken(text) == text
