"""Normalization and the length-aware round-trip verdict (no models)."""

from __future__ import annotations

import pytest

from narrator.speech.timing import expected_duration_s
from narrator.text.normalize import normalize_words
from narrator.text.spoken import to_spoken
from narrator.verify.scoring import (
    MAX_DURATION_FACTOR,
    MIN_DURATION_FACTOR,
    duration_bounds_s,
    score,
)

LONG_CHUNK = (
    "The old lighthouse stood on the rocks at the edge of the harbour, and every night "
    "the keeper climbed its hundred steps to light the lamp. He had done it for thirty "
    "years without missing a single evening, through storms and fevers and the long "
    "grey winters when no ship came near the coast at all, and he meant to go on doing "
    "it until the day they carried him down."
)


def plausible(text: str) -> float:
    """A duration, seconds, right at the prediction for ``text``."""
    return expected_duration_s(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("It cost $3.50.", "it cost three dollars fifty cents"),
        ("It cost $1.", "it cost one dollar"),
        ("About 2.5 million", "about two point five million"),
        ("4,312 people", "four thousand three hundred twelve people"),
        ("one hundred and fifty", "one hundred fifty"),
        ("150", "one hundred fifty"),
        ("the 21st of May", "the twenty first of may"),
        ("in 1984", "in nineteen eighty four"),
        ("in nineteen eighty-four", "in nineteen eighty four"),
        ("at 7:45 a.m.", "at seven forty five a m"),
        ("at 7.45", "at seven forty five"),
        ("50% off", "fifty percent off"),
        ("I don't know, it's fine.", "i do not know it is fine"),
        ("I'm sure we'll go; can't, won't", "i am sure we will go can not will not"),
        ("You cannot", "you can not"),
        ("John's dog", "johns dog"),
        (
            "Mr. and Mrs. Hale met Dr. Lee at St. Paul's",
            "mister and missus hale met doctor lee at saint pauls",
        ),
        ("well-known and/or", "well known and or"),
        ("“It’s late,” she said — ‘quite late’.", "it is late she said quite late"),
        ("**Bold** _words_ # Heading `code`", "bold words heading code"),
    ],
)
def test_normalize_words(text: str, words: str) -> None:
    assert normalize_words(text) == words.split()


def test_whisper_digits_and_spoken_year_compare_equal() -> None:
    assert normalize_words("It closed in 1984.") == normalize_words(
        "It closed in nineteen eighty-four."
    )


def test_identical_text_passes_with_zero_error() -> None:
    result = score(LONG_CHUNK, LONG_CHUNK.upper(), plausible(LONG_CHUNK))
    assert result.passed
    assert result.reason is None
    assert result.wer == 0.0
    assert result.cer == 0.0


def test_short_sentence_with_misheard_name_passes() -> None:
    text = "Call me Ishmael."
    result = score(text, "Call me Ish milk.", plausible(text))
    assert result.passed, result.reason
    assert result.wer > 0.5  # the plain WER alone would have failed it


def test_garbled_initialled_name_passes() -> None:
    text = "Jonas E. Smith arrived."
    result = score(text, "Joanna Smith arrived.", plausible(text))
    assert result.passed, result.reason


def test_compound_split_is_forgiven() -> None:
    text = "Someone had left the gate open."
    result = score(text, "Some one had left the gate open.", plausible(text))
    assert result.passed
    assert result.wer == 0.0


def test_missing_clause_in_long_chunk_fails_despite_low_wer() -> None:
    heard = LONG_CHUNK.replace("through storms and fevers and ", "")
    result = score(LONG_CHUNK, heard, plausible(LONG_CHUNK))
    assert result.wer < 0.1
    assert not result.passed
    assert result.reason is not None
    assert "5 words missing in a row" in result.reason
    assert "storms" in result.reason


def test_repeated_words_in_long_chunk_fail() -> None:
    heard = LONG_CHUNK.replace("light the lamp.", "light the lamp, light the lamp, light it.")
    result = score(LONG_CHUNK, heard, plausible(LONG_CHUNK))
    assert not result.passed
    assert result.reason == "'light the lamp' is heard twice"


def test_extra_words_that_repeat_nothing_fail_as_a_mismatch() -> None:
    heard = LONG_CHUNK.replace("light the lamp.", "light the lamp, so the ships would see it.")
    result = score(LONG_CHUNK, heard, plausible(LONG_CHUNK))
    assert not result.passed
    assert result.reason is not None and "extra words" in result.reason


def test_single_substituted_word_in_long_chunk_passes() -> None:
    heard = LONG_CHUNK.replace("harbour", "harbor").replace("keeper", "keep her")
    result = score(LONG_CHUNK, heard, plausible(LONG_CHUNK))
    assert result.passed, result.reason
    assert result.wer > 0


def test_completely_wrong_text_fails() -> None:
    text = "Call me Ishmael."
    result = score(text, "The dog barked.", plausible(text))
    assert not result.passed
    long_result = score(LONG_CHUNK, "Thank you for watching.", plausible(LONG_CHUNK))
    assert not long_result.passed


def test_empty_heard_fails() -> None:
    result = score("Call me Ishmael.", "  ", 1.5)
    assert not result.passed
    assert result.wer == 1.0
    assert result.reason == "nothing was heard in 1.5 s of audio"


def test_text_without_words_fails() -> None:
    result = score("...", "", 0.5)
    assert not result.passed


def test_truncated_audio_fails_as_too_short() -> None:
    duration = 0.4 * plausible(LONG_CHUNK)
    result = score(LONG_CHUNK, LONG_CHUNK, duration)
    assert not result.passed
    assert result.reason is not None
    assert result.reason.startswith(f"audio {duration:.1f} s is too short for")


def test_overlong_audio_fails_as_too_long() -> None:
    result = score(LONG_CHUNK, LONG_CHUNK, 2.5 * plausible(LONG_CHUNK))
    assert not result.passed
    assert result.reason is not None
    assert "too long" in result.reason


def test_duration_bounds_scale_with_speed() -> None:
    low, high = duration_bounds_s(LONG_CHUNK)
    fast_low, fast_high = duration_bounds_s(LONG_CHUNK, speed=1.5)
    assert fast_low == pytest.approx(low / 1.5)
    assert fast_high < high
    expected = expected_duration_s(LONG_CHUNK)
    assert low == pytest.approx(MIN_DURATION_FACTOR * expected)
    assert high > MAX_DURATION_FACTOR * expected
    # Audio at speed 1.5 is fine for speed 1.5 but too short for speed 1.0.
    duration = 0.55 * expected
    assert not score(LONG_CHUNK, LONG_CHUNK, duration).passed
    assert score(LONG_CHUNK, LONG_CHUNK, duration, speed=1.5).passed


def test_one_word_text_gets_slack_for_silence() -> None:
    text = "Yes."
    assert score(text, "Yes.", 2.0).passed
    assert expected_duration_s(text) < 1.0


def test_long_chunk_prediction_is_in_the_measured_range() -> None:
    # 339 characters of Piper speech take about 17-19 s (measured ~16.5 characters/s).
    assert 15.0 < expected_duration_s(LONG_CHUNK) < 22.0


def test_british_spelling_matches_whispers_american_spelling() -> None:
    assert normalize_words("The grey harbour's colour") == normalize_words(
        "The gray harbor's color"
    )
    assert normalize_words("our hour") == ["our", "hour"]  # not a -our/-or word


# Real tiny.en transcripts of correct Piper audio (the benchmark manuscript).
SOUND_ALIKE_CASES = [
    (
        "Doctor Maren carried the logbook by the fire in the rain. The harbour master cleaned "
        "an oilskin coat in the boathouse in the rain. Doctor Maren counted the kitchen table "
        "in the boathouse before dawn.",
        "Docker Maron carried the lawbook by the fire in the rain. The Harbor Master cleaned in "
        "oil skin coat and the bow pous in the rain. Docker Maron counted the kitchen table in "
        "the bow pous before dawn.",
    ),
    (
        '"Bring the lamp inside," the old ferryman said. "It will hold until the spring," '
        "Mister Hollis said. Ada watched the logbook on the quay before dawn.",
        "Bring the lamp inside, the old fairman said. It will hold until the spring, Mr. Holly "
        "said. A to watch the law become the key before dawn.",
    ),
]


@pytest.mark.parametrize(("text", "heard"), SOUND_ALIKE_CASES)
def test_sound_alike_spellings_of_correct_speech_pass(text: str, heard: str) -> None:
    verdict = score(text, heard, expected_duration_s(text))
    assert verdict.passed, verdict.reason
    assert verdict.wer > 0.2  # WER itself is reported honestly


def test_different_words_are_not_sound_alike() -> None:
    text = "The keeper carried the lantern to the top of the tower before dawn."
    heard = "The seagull dropped the biscuit at the foot of the tower after dusk."
    verdict = score(text, heard, expected_duration_s(text))
    assert not verdict.passed


@pytest.mark.parametrize(
    "heard", ["Chapter one. Down the rabbit hole.", "Chapter 1, down the Rabbit-Hole."]
)
def test_spoken_roman_chapter_number_passes(heard: str) -> None:
    spoken = to_spoken("CHAPTER I. Down the Rabbit-Hole")
    assert spoken == "Chapter One. Down the Rabbit-Hole"
    verdict = score(spoken, heard, plausible(spoken))
    assert verdict.passed, verdict.reason
    assert verdict.wer == 0
