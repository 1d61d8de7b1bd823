"""Split one batch transcript back into its chunks: by text, confirmed by time.

A batch joins several chunks' audio with silent gaps and is transcribed in one request
(``narrator.verify.batching``). Its transcript is attributed to the chunks by aligning the
heard words with the chunks' expected words, concatenated, and cutting at the chunk
boundaries: this works whatever timings the server returns (word timestamps, segments that
run across the gaps, or none at all). Times only settle what the text cannot: extra or
missing words right at a boundary, which either neighbour could own. When the times cannot
settle it either (segments spanning the gap, or no timings), both neighbours are reported
ambiguous and the caller checks them alone. Pure domain code: no network, no Prefect.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from narrator.text.language import ENGLISH
from narrator.verify.base import HeardSegment
from narrator.verify.batching import GAP_S, STRADDLE_TOLERANCE_S, Span

# The verifier's own word alignment and error regions, so that a batch is cut exactly where
# scoring would see the errors.
from narrator.verify.scoring import _regions as error_regions
from narrator.verify.units import units

__all__ = ["UNTIMED", "attribute", "timed_words", "untimed"]

UNTIMED = (0.0, math.inf)
"""Start and end, seconds, of a transcript the server gave no timings for: it was heard
somewhere in the whole file."""


def untimed(text: str) -> HeardSegment:
    """A transcript without timings, as one segment covering the whole file."""
    return HeardSegment(start_s=UNTIMED[0], end_s=UNTIMED[1], text=text)


@dataclass(frozen=True)
class _Word:
    """One normalized heard word and the index of the segment (or word) it came from."""

    text: str
    unit: int


def _overlap_s(segment: HeardSegment, span: Span) -> float:
    return max(0.0, min(segment.end_s, span.end_s) - max(segment.start_s, span.start_s))


def _distance_s(segment: HeardSegment, span: Span) -> float:
    return max(span.start_s - segment.end_s, segment.start_s - span.end_s, 0.0)


def _by_time(segment: HeardSegment, spans: Sequence[Span]) -> int | None:
    """The one chunk whose audio ``segment`` lies in, by its times; None when it reaches
    into two spans by more than ``STRADDLE_TOLERANCE_S`` (or has no timings). A segment in a
    gap goes to the nearest span, the earlier on a tie: Whisper's timestamps drift."""
    overlaps = [_overlap_s(segment, span) for span in spans]
    if sum(overlap > STRADDLE_TOLERANCE_S for overlap in overlaps) > 1:
        return None
    keys = [(o, -_distance_s(segment, span)) for o, span in zip(overlaps, spans, strict=True)]
    return keys.index(max(keys))


def timed_words(
    heard: Sequence[HeardSegment], spans: Sequence[Span]
) -> list[tuple[HeardSegment, ...]]:
    """The timed words of a batch that lie in each chunk's span, timed in seconds from
    that chunk's start: what the chunk's own timed hearing would give. A word reaching
    into two spans goes to the one it overlaps most."""
    out: list[list[HeardSegment]] = [[] for _ in spans]
    for word in heard:
        keys = [(_overlap_s(word, span), -_distance_s(word, span)) for span in spans]
        span = spans[chunk := keys.index(max(keys))]
        out[chunk].append(
            word.model_copy(
                update={"start_s": word.start_s - span.start_s, "end_s": word.end_s - span.start_s}
            )
        )
    return [tuple(words) for words in out]


def _candidates(ref_start: int, ref_end: int, owner: Sequence[int]) -> set[int]:
    """The chunks that may own the heard words of an error region over the expected words
    ``[ref_start, ref_end)``: those words' chunks; for extra words between two expected
    words, the chunks of both (at a boundary, either neighbour may have said them)."""
    found = set(owner[ref_start:ref_end])
    return found or {owner[i] for i in (ref_start - 1, ref_start) if 0 <= i < len(owner)}


def attribute(
    expected: Sequence[str],
    heard: Sequence[HeardSegment],
    spans: Sequence[Span],
    *,
    language: str = ENGLISH,
) -> list[str | None]:
    """The text heard in each chunk, in chunk order; None where no split is defensible.

    ``expected`` holds each chunk's text and ``spans`` where its audio lies in the batch;
    ``heard`` is the transcript as the server timed it: words, segments, or one
    :func:`untimed` segment. Heard words are aligned with the expected words of all chunks
    (the verifier's word alignment and error regions) and each goes to the chunk of the word it
    matches. The words of an error region are split position by position when it has as
    many heard words as expected ones, and go to the region's chunk when its expected
    words are all of one chunk. A region across a boundary (or extra words between two
    chunks) goes by the times of its words when they place each word in one of the
    candidate chunks, and is otherwise ambiguous (None for each candidate). A word whose
    times put it more than a gap (``GAP_S``) away from the chunk the text gives it also
    makes both ambiguous: the alignment and the audio disagree. A chunk with nothing heard
    gets "".

    Words are compared in the units the verdict scores ``language`` in
    (``narrator.verify.units``): words, or for Chinese, Japanese and Hindi the sound of
    each character, as Whisper does not write those as the book does.
    """
    if len(expected) != len(spans):
        raise ValueError(f"{len(expected)} chunk texts for {len(spans)} spans")
    if not spans:
        return []
    ref: list[str] = []
    owner: list[int] = []  # the chunk of each expected word
    for index, text in enumerate(expected):
        words = units(text, language=language)
        ref += words
        owner += [index] * len(words)
    hyp = [_Word(w, u) for u, unit in enumerate(heard) for w in units(unit.text, language=language)]
    if not hyp:
        return ["" for _ in spans]
    times = [_by_time(unit, spans) for unit in heard]
    if not ref:  # nothing to align against: times alone decide
        return _texts(heard, hyp, [times[w.unit] or 0 for w in hyp], set(), len(spans))

    regions = error_regions(ref, [w.text for w in hyp])
    assigned: list[int | None] = [None] * len(hyp)
    # Between error regions the alignment is exact: heard word k matches expected word k.
    ref_at = hyp_at = 0
    for _, ref_end, hyp_start, hyp_end in [*regions, (len(ref), 0, len(hyp), 0)]:
        for k in range(hyp_start - hyp_at):
            assigned[hyp_at + k] = owner[ref_at + k]
        ref_at, hyp_at = ref_end, hyp_end
    ambiguous: set[int] = set()
    for ref_start, ref_end, hyp_start, hyp_end in regions:
        if hyp_start == hyp_end:
            continue  # only missing words: each belongs to its own chunk
        if ref_end - ref_start == hyp_end - hyp_start:
            for k in range(hyp_end - hyp_start):
                assigned[hyp_start + k] = owner[ref_start + k]
            continue
        candidates = _candidates(ref_start, ref_end, owner)
        placed = [times[hyp[k].unit] for k in range(hyp_start, hyp_end)]
        if len(candidates) == 1:
            placed = [next(iter(candidates))] * len(placed)
        elif not all(chunk in candidates for chunk in placed):
            ambiguous |= candidates
            continue
        assigned[hyp_start:hyp_end] = placed

    for word, chunk in zip(hyp, assigned, strict=True):
        unit = heard[word.unit]
        if chunk is not None and _distance_s(unit, spans[chunk]) > GAP_S:
            ambiguous.add(chunk)
            timed = times[word.unit]
            if timed is not None:
                ambiguous.add(timed)
    return _texts(heard, hyp, assigned, ambiguous, len(spans))


def _texts(
    heard: Sequence[HeardSegment],
    hyp: Sequence[_Word],
    assigned: Sequence[int | None],
    ambiguous: set[int],
    chunks: int,
) -> list[str | None]:
    """Each chunk's heard text: a unit's own text when all its words went to the chunk
    (keeping the transcriber's spelling and punctuation), else the chunk's normalized words
    of it."""
    per_unit: dict[int, list[tuple[str, int | None]]] = {}
    for word, chunk in zip(hyp, assigned, strict=True):
        per_unit.setdefault(word.unit, []).append((word.text, chunk))
    pieces: list[list[str]] = [[] for _ in range(chunks)]
    for unit, words in per_unit.items():
        owners = {chunk for _, chunk in words}
        if len(owners) == 1 and None not in owners:
            pieces[owners.pop()].append(heard[unit].text.strip())  # type: ignore[index]
            continue
        for chunk in sorted(c for c in owners if c is not None):
            pieces[chunk].append(" ".join(text for text, c in words if c == chunk))
    return [None if i in ambiguous else " ".join(p) for i, p in enumerate(pieces)]
