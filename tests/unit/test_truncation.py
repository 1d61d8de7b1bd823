"""Truncation: the engine spoke the start of a chunk faithfully, then stopped (no models)."""

from __future__ import annotations

from narrator.verify.truncation import truncated_at

TEXT = (
    "The keeper climbed the hundred steps every night. He lit the lamp and wound the "
    "clockwork, and then he sat by the window until the sun came up over the grey sea."
)


def test_a_faithful_beginning_is_a_truncation_near_where_speech_stopped() -> None:
    heard = "The keeper climbed the hundred steps every night. He lit the lamp"
    cut = truncated_at(TEXT, heard)
    assert cut is not None
    # Proportional to words: near the end of "lamp", well before the end of the text.
    assert abs(cut - len(heard)) < 15
    assert cut < len(TEXT) - 40


def test_the_whole_text_is_not_a_truncation() -> None:
    assert truncated_at(TEXT, TEXT) is None


def test_a_wrong_text_is_not_a_truncation() -> None:
    assert truncated_at(TEXT, "Call me Ishmael. Some years ago, never mind how long") is None


def test_a_few_missing_words_at_the_end_are_not_a_truncation() -> None:
    assert truncated_at(TEXT, TEXT.rsplit(" ", 3)[0]) is None
