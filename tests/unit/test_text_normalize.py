"""The normalization table: written forms, what the engine is sent, what is compared.

``SPOKEN`` pins what a narrator says for a written form (``spoken_form``, which the
engine is sent). ``HEARD`` pairs a manuscript's text with how Whisper writes the same
speech: the two must reduce to the same words (``normalize_words``), or verification
would flag speech that was right.
"""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form

SPOKEN = [
    # cardinals
    ("He had 3 boats.", "He had three boats."),
    ("It held 4,312 people.", "It held four thousand three hundred twelve people."),
    ("150 steps", "one hundred fifty steps"),
    ("0 left", "zero left"),
    ("1,000,000 stars", "one million stars"),
    ("a 21-gun salute", "a twenty-one-gun salute"),
    # ordinals
    ("the 1st day", "the first day"),
    ("her 22nd birthday", "her twenty-second birthday"),
    ("the 103rd floor", "the one hundred third floor"),
    ("the 4th man", "the fourth man"),
    # years and decades
    ("in 1984", "in nineteen eighty-four"),
    ("in 1900", "in nineteen hundred"),
    ("in 2005", "in two thousand five"),
    ("in 2024", "in twenty twenty-four"),
    ("in 1066", "in one thousand sixty-six"),
    ("the 1980s", "the nineteen eighties"),
    ("the '90s", "the nineties"),
    # decimals
    ("2.5 million", "two point five million"),
    ("pi is 3.14", "pi is three point one four"),
    ("only .5 of it", "only point five of it"),
    # money
    ("$3.50", "three dollars and fifty cents"),
    ("$1", "one dollar"),
    ("$2.00", "two dollars"),
    ("£5", "five pounds"),
    ("£1.01", "one pound and one penny"),
    ("€20", "twenty euros"),
    ("$3.5 million", "three point five million dollars"),
    ("$4bn", "four billion dollars"),
    ("$1,200", "one thousand two hundred dollars"),
    # percentages
    ("50% off", "fifty percent off"),
    ("a 3.5 % rise", "a three point five percent rise"),
    # times
    ("at 7:45", "at seven forty-five"),
    ("at 7:05", "at seven oh five"),
    ("at 10:00", "at ten"),
    ("at 7.45", "at seven forty-five"),
    # dates
    ("on 4 July 1776", "on the fourth of July seventeen seventy-six"),
    ("on July 4, 1776", "on July fourth, seventeen seventy-six"),
    ("the 14th of March", "the fourteenth of March"),
    ("May 1st", "May first"),
    # ranges
    ("see pp. 10–12", "see pages ten to twelve"),
    ("see p. 7", "see page seven"),
    ("from 1914–1918", "from nineteen fourteen to nineteen eighteen"),
    ("ages 5-7", "ages five to seven"),
    ("won 3-2", "won three-two"),
    # units
    ("5 km away", "five kilometers away"),
    ("1 km away", "one kilometer away"),
    ("2.5kg of flour", "two point five kilograms of flour"),
    ("6 ft tall", "six feet tall"),
    ("at 60 km/h", "at sixty kilometers per hour"),
    ("at 30 mph", "at thirty miles per hour"),
    ("a 10 min walk", "a ten minutes walk"),
    ("3 oz of tea", "three ounces of tea"),
    ("It ran 100 m.", "It ran one hundred meters."),
    # labels and symbols
    ("No. 5 Main Street", "number five Main Street"),
    ("see § 12", "see section twelve"),
    ("room #4", "room number four"),
    ("Tom & Jerry", "Tom and Jerry"),
    ("2 + 2 = 4", "two plus two equals four"),
    ("20°C", "twenty degrees Celsius"),
    ("98.6 °F", "ninety-eight point six degrees Fahrenheit"),
    ("a 90° turn", "a ninety degrees turn"),
    ("2½ miles", "two and a half miles"),
    # abbreviations
    ("Dr. Maren and Mr. Hollis", "Doctor Maren and Mister Hollis"),
    ("Capt. Ahab and Gen. Lee", "Captain Ahab and General Lee"),
    ("fruit, e.g. apples", "fruit, for example apples"),
    # Roman numerals in titles and regnal names
    ("Chapter IV", "Chapter Four"),
    ("CHAPTER XLII. The End", "Chapter Forty-Two. The End"),
    ("Book II: Return", "Book Two: Return"),
    ("Henry VIII", "Henry the Eighth"),
    ("Elizabeth II reigned", "Elizabeth the Second reigned"),
    ("Louis XIV of France", "Louis the Fourteenth of France"),
    ("Pope John Paul II", "Pope John Paul the Second"),
    ("World War II", "World War Two"),
    ("the book I read", "the book I read"),
    ("Henry I'm sure", "Henry I'm sure"),
    # URLs and e-mail addresses
    ("see https://example.com/a.b now", "see example dot com slash a dot b now"),
    ("www.tern-rock.org", "tern dash rock dot org"),
    ("mail jane.doe@example.org", "mail jane dot doe at example dot org"),
    ("web50.com", "web50.com"),
]

HEARD = [
    # written -> Whisper's spelling of the same speech
    ("It closed in 1984.", "It closed in nineteen eighty-four."),
    ("the 21st of May", "the twenty-first of May"),
    ("Henry VIII", "Henry the 8th"),
    ("Henry the Eighth", "Henry VIII"),
    ("Chapter IV", "Chapter 4"),
    ("pp. 10–12", "pages 10 to 12"),
    ("on 4 July", "on the 4th of July"),
    ("July 4", "July 4th"),
    ("$3.50", "three dollars and fifty cents"),
    ("50 per cent", "50%"),
    ("20°C", "20 degrees Celsius"),
    ("5 km", "five kilometers"),
    ("at 7:45 a.m.", "at seven forty-five AM"),
    ("“It’s late,” she said — ‘quite late’…", '"It\'s late," she said, "quite late."'),
    ("well—almost", "well, almost"),
    ("Wait . . . what?", "Wait... What?"),
    # British spellings, written the American way
    ("The grey harbour's colour", "The gray harbor's color"),
    ("She realised the organisation", "She realized the organization"),
    ("the centre of the theatre", "the center of the theater"),
    ("He travelled and cancelled", "He traveled and canceled"),
    ("defence licence programme", "defense license program"),
    ("a sceptical manoeuvre", "a skeptical maneuver"),
    ("whilst ploughing", "while ploughing"),
    ("She analysed it", "She analyzed it"),
]


@pytest.mark.parametrize(("text", "spoken"), SPOKEN)
def test_spoken_form(text: str, spoken: str) -> None:
    assert spoken_form(text) == spoken


@pytest.mark.parametrize(("written", "heard"), HEARD)
def test_written_and_heard_compare_equal(written: str, heard: str) -> None:
    assert normalize_words(written) == normalize_words(heard)


@pytest.mark.parametrize(
    "word", ["rise", "wise", "advise", "surprise", "promise", "our", "hour", "labour"]
)
def test_words_spelled_alike_keep_their_sound(word: str) -> None:
    """-ise and -our words that are the same in both spellings are left alone."""
    assert normalize_words(word) == [{"labour": "labor"}.get(word, word)]


def test_table_is_large_enough() -> None:
    assert len(SPOKEN) + len(HEARD) >= 80
