"""`narrate lexicon suggest`'s choice of words likely to be mispronounced."""

from __future__ import annotations

from narrator.text.lexicon import Lexicon
from narrator.text.suggest import DIGITS, NAME, NOT_IN_DICTIONARY, SPELLING, suggest_in

SENTENCES = [
    ("Chapter One: The Crossing", True),
    ("Aelthwyn met Hollis at the harbour on Tuesday.", False),
    ("Then Aelthwyn gave R2D2 to Xyl'thar.", False),
    ("Aelthwyn laughed; the Crossing was calm.", False),
    ("The crossing was long and Zoë slept.", False),
]


def by_word(lexicon: Lexicon | None = None) -> dict[str, tuple[int, tuple[str, ...]]]:
    return {s.word: (s.count, s.reasons) for s in suggest_in(SENTENCES, lexicon)}


def test_invented_names_digits_and_odd_spellings_are_suggested() -> None:
    words = by_word()
    assert words["Aelthwyn"] == (3, (NOT_IN_DICTIONARY, NAME))
    assert words["R2D2"] == (1, (DIGITS,))
    assert words["Xyl'thar"] == (1, (NOT_IN_DICTIONARY, SPELLING, NAME))
    assert words["Zoë"] == (1, (NOT_IN_DICTIONARY, SPELLING, NAME))
    assert words["Hollis"] == (1, (NAME,))  # in the dictionary, but a name


def test_ordinary_words_days_titles_and_sentence_starts_are_not() -> None:
    words = by_word()
    # "Crossing" is capitalised only in a title and mid-sentence once, and written in
    # lower case elsewhere; "Tuesday" is a day; "Then" starts its sentence.
    for word in ("Crossing", "crossing", "Tuesday", "Then", "harbour", "Chapter", "The"):
        assert word not in words


def test_most_frequent_first() -> None:
    assert next(iter(by_word())) == "Aelthwyn"


def test_words_in_the_lexicon_are_not_suggested() -> None:
    lexicon = Lexicon(entries=(("Aelthwyn", "AYL-thwin"),))
    words = by_word(lexicon)
    assert "Aelthwyn" not in words and "AYL" not in words and "thwin" not in words
    assert "Zoë" in words
