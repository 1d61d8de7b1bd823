"""Splitting a batch transcript back into its chunks: by text, confirmed by time, with
every timing a server may return (words, segments across the gaps, or none)."""

from __future__ import annotations

import pytest

from narrator.verify.attribution import attribute, untimed
from narrator.verify.base import HeardSegment
from narrator.verify.batching import Span

# Three chunks laid out as concatenate lays them: 1.5-s gaps before and between.
SPANS = (Span(start_s=1.5, end_s=4.5), Span(start_s=6.0, end_s=8.0), Span(start_s=9.5, end_s=12.0))
EXPECTED = (
    "The keeper lit the lamp at 6 o'clock.",
    "Mr. Hollis rowed home.",
    "The sea was calm all night.",
)


def seg(start_s: float, end_s: float, text: str) -> HeardSegment:
    return HeardSegment(start_s=start_s, end_s=end_s, text=text)


def test_segments_across_the_gaps_are_split_by_their_words() -> None:
    # Whisper merged speech across both gaps: by time, every chunk straddles a neighbour.
    segments = [
        seg(1.6, 7.0, " The keeper lit the lamp at six o'clock. Mr. Hollis"),
        seg(7.0, 11.9, " rowed home. The sea was calm all night."),
    ]
    assert attribute(EXPECTED, segments, SPANS) == [
        "the keeper lit the lamp at six oclock",
        "mister hollis rowed home",
        "the sea was calm all night",
    ]


def test_a_transcript_without_timings_is_split_by_its_words() -> None:
    heard = untimed("The keeper lit the lamp at six o'clock. Mr. Hollis rowed home. The sea was "
                    "calm all night.")  # fmt: skip
    texts = attribute(EXPECTED, [heard], SPANS)
    assert texts == [
        "the keeper lit the lamp at six oclock",
        "mister hollis rowed home",
        "the sea was calm all night",
    ]


def test_a_segment_inside_one_chunk_keeps_its_own_spelling() -> None:
    segments = [
        seg(1.6, 4.4, " The keeper lit the lamp at 6 o'clock."),
        seg(6.1, 7.9, " Mr. Hollis rode home."),  # misheard, still this chunk's
        seg(9.6, 11.9, " The sea was calm all night."),
    ]
    assert attribute(EXPECTED, segments, SPANS) == [
        "The keeper lit the lamp at 6 o'clock.",
        "Mr. Hollis rode home.",
        "The sea was calm all night.",
    ]


def test_a_silent_chunk_gets_nothing_and_its_neighbours_their_words() -> None:
    segments = [seg(1.6, 11.9, " The keeper lit the lamp at six o'clock. The sea was calm all "
                               "night.")]  # fmt: skip
    assert attribute(EXPECTED, segments, SPANS) == [
        "the keeper lit the lamp at six oclock",
        "",
        "the sea was calm all night",
    ]


EXTRA = [
    "The",
    "keeper",
    "lit",
    "the",
    "lamp",
    "at",
    "six",
    "o'clock.",
    "Yes",
    "indeed",
    "Mr.",
    "Hollis",
    "rowed",
    "home.",
    "The",
    "sea",
    "was",
    "calm",
    "all",
    "night.",
]


def test_extra_words_between_chunks_go_by_their_word_times() -> None:
    starts = [1.6 + 0.3 * i for i in range(8)] + [4.3, 4.4] + [6.1 + 0.4 * i for i in range(4)]
    starts += [9.6 + 0.35 * i for i in range(6)]
    words = [seg(s, s + 0.1, w) for s, w in zip(starts, EXTRA, strict=True)]
    texts = attribute(EXPECTED, words, SPANS)
    # "Yes indeed" lies in the first chunk's audio: that chunk babbled, the next did not.
    assert texts[0] is not None and texts[0].endswith("o'clock. Yes indeed")
    assert texts[1:] == ["Mr. Hollis rowed home.", "The sea was calm all night."]


@pytest.mark.parametrize("timing", ["untimed", "segment-across-the-gap"])
def test_extra_words_between_chunks_without_times_leave_both_ambiguous(timing: str) -> None:
    text = " ".join(EXTRA)
    heard = [untimed(text)] if timing == "untimed" else [seg(1.6, 11.9, text)]
    assert attribute(EXPECTED, heard, SPANS) == [None, None, "the sea was calm all night"]


def test_misheard_words_across_a_boundary_split_position_by_position() -> None:
    heard = untimed("The keeper lit the lamp at six o'cluck. Mrs. Hollis rowed home. The sea "
                    "was calm all night.")  # fmt: skip
    texts = attribute(EXPECTED, [heard], SPANS)
    assert texts[0] == "the keeper lit the lamp at six ocluck"
    assert texts[1] == "missus hollis rowed home"


def test_a_word_far_from_the_chunk_its_text_names_makes_both_ambiguous() -> None:
    # The words of chunk 0 were timed inside chunk 2's audio: text and time disagree.
    segments = [seg(9.6, 11.9, " The keeper lit the lamp at six o'clock."),
                seg(6.1, 7.9, " Mr. Hollis rowed home.")]  # fmt: skip
    assert attribute(EXPECTED, segments, SPANS)[0] is None


def test_nothing_heard_and_no_chunks() -> None:
    assert attribute(EXPECTED, [], SPANS) == ["", "", ""]
    assert attribute(EXPECTED, [seg(1.0, 2.0, " ... ")], SPANS) == ["", "", ""]
    assert attribute([], [seg(0.0, 1.0, "lost")], []) == []
