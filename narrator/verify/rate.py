"""Speaking rate: characters per second of voiced audio, per chunk and over a book.

A chunk spoken much faster or slower than the rest of its book was stretched or
resampled on its way (a wrong sample rate, a server's tempo setting); a whole book far
from its engine's known rate was decoded at the wrong sample rate (16-bit PCM at 24 kHz
read as 22,050 Hz plays 8.8 % fast and pitched up). The text is the same either way,
so the transcript cannot tell; only the time it takes can.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from pydantic import Field

from narrator.audio.io import read_audio
from narrator.models import ChapterAudio, ChunkResult, Defect, DefectCode, Frozen
from narrator.text.normalize import normalize_words
from narrator.verify.envelope import Envelope, envelope

PAUSE_S = 0.2
"""Silences at least this long are pauses, not voiced audio, seconds: stops inside and
between words are shorter, sentence breaks longer (``narrator.verify.silence``)."""

MIN_VOICED_S = 3.0
"""Chunks with less voiced audio are not rate-checked, seconds: on a title or a
one-line paragraph the lead-in of one word weighs too much (a chapter title ran at
0.6 x its book's rate)."""

CHUNK_RATE_TOLERANCE = 0.12
"""A chunk whose rate is more than 12 % off its book's median is flagged.

On 67 clean Piper chunks of at least 3 s (``bench/bench_defects.py``) the rate spread
was 3.6 % (robust standard deviation, 1.4826 x MAD) and ranged over 0.91-1.08 x the
median: Piper samples its durations, and the text decides how many characters a sound
takes. 12 % is 3.3 spreads, a false alarm in about a thousand chunks.
"""

BOOK_RATE_TOLERANCE = 0.05
"""A book whose median rate is more than 5 % off its engine's known rate fails.

The median of n chunks varies by about 1.25 x 3.6 % / sqrt(n): 1.5 % for the
9-chunk sample. Clean books measured 20.0-20.5 characters per second."""

MIN_CHUNKS_FOR_MEDIAN = 5
"""Fewest measured chunks whose median is a usable reference; a shorter book is
compared with the engine's known rate, or not at all."""


class BookRate(Frozen):
    """The speaking rate of a book against its engine's known rate."""

    chars_per_s: float | None = Field(description="median over measured chunks, characters/s")
    expected_chars_per_s: float | None = Field(
        description="the engine's known rate at the run's speed, characters/s; None: unknown"
    )
    measured: int = Field(ge=0, description="chunks long enough to measure")
    passed: bool
    detail: str | None = Field(default=None, description="why it failed")


def voiced_s(env: Envelope) -> float:
    """Seconds of the chunk that are not pauses of ``PAUSE_S`` or longer."""
    return env.duration_s - sum(end - start for start, end in env.silences(PAUSE_S))


def chars_per_s(spoken: str, env: Envelope) -> float | None:
    """Characters of normalized text per voiced second, or None when the chunk has less
    than ``MIN_VOICED_S`` of voiced audio."""
    voiced = voiced_s(env)
    if voiced < MIN_VOICED_S:
        return None
    return len(" ".join(normalize_words(spoken))) / voiced


def chunk_rates(chapters: Sequence[Sequence[ChunkResult]]) -> dict[str, float | None]:
    """Each chunk's rate (``chars_per_s``) by chunk id, read from its audio file."""
    rates: dict[str, float | None] = {}
    for result in (r for chapter in chapters for r in chapter):
        samples, sample_rate = read_audio(result.audio.path)
        rates[result.chunk.id] = chars_per_s(result.chunk.spoken, envelope(samples, sample_rate))
    return rates


def check_rates(
    chapters: Sequence[Sequence[ChunkResult]], *, known_chars_per_s: float | None, speed: float
) -> tuple[tuple[tuple[ChunkResult, ...], ...], BookRate]:
    """Flag the chunks of a book spoken far from its median rate (or, for a short
    book, from the engine's ``known_chars_per_s`` at ``speed``), and every chunk when the
    book's own rate is far from the known one. Returns the chapters' results, with a
    ``rate`` defect added to the chunks concerned, and the book's rate."""
    return flag_rates(
        chapters, chunk_rates(chapters), known_chars_per_s=known_chars_per_s, speed=speed
    )


def rated_chapters(
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
    *,
    known_chars_per_s: float | None,
    speed: float,
) -> tuple[tuple[ChapterAudio, ...], tuple[tuple[ChunkResult, ...], ...], BookRate]:
    """:func:`check_rates` on a rendered book: its chapters with their flagged counts
    following the chunks the rate check flags, each chapter's results, and the book's
    rate."""
    checked, rate = check_rates(results, known_chars_per_s=known_chars_per_s, speed=speed)
    counted = tuple(
        chapter.model_copy(update={"flagged": sum(r.flagged for r in rs)})
        for chapter, rs in zip(chapters, checked, strict=True)
    )
    return counted, checked, rate


def flag_rates(
    chapters: Sequence[Sequence[ChunkResult]],
    rates: dict[str, float | None],
    *,
    known_chars_per_s: float | None,
    speed: float,
) -> tuple[tuple[tuple[ChunkResult, ...], ...], BookRate]:
    """:func:`check_rates` on rates already measured (``chunk_rates``)."""
    measured = [rate for rate in rates.values() if rate is not None]
    expected = known_chars_per_s * speed if known_chars_per_s else None
    median = statistics.median(measured) if measured else None
    book = BookRate(chars_per_s=median, expected_chars_per_s=expected, measured=len(measured),
                    passed=True)  # fmt: skip
    if median is not None and expected is not None and len(measured) >= MIN_CHUNKS_FOR_MEDIAN:
        off = median / expected - 1
        if abs(off) > BOOK_RATE_TOLERANCE:
            book = book.model_copy(update={"passed": False, "detail": (
                f"the book is spoken {abs(off):.1%} {'fast' if off > 0 else 'slow'}: "
                f"{median:.1f} characters per second against the engine's {expected:.1f}; "
                "check the engine's speed and the audio's sample rate"
            )})  # fmt: skip
    reference = median if len(measured) >= MIN_CHUNKS_FOR_MEDIAN else expected

    def checked(result: ChunkResult) -> ChunkResult:
        rate = rates[result.chunk.id]
        # A chunk a person listened to and accepted (`narrate accept`) stays accepted.
        if rate is None or reference is None or result.accepted:
            return result
        off = rate / reference - 1
        if book.detail is not None:
            detail = book.detail
        elif abs(off) > CHUNK_RATE_TOLERANCE:
            detail = (
                f"spoken {abs(off):.0%} {'fast' if off > 0 else 'slow'}: {rate:.1f} "
                f"characters per second against the book's {reference:.1f}"
            )
        else:
            return result
        return add_defect(result, Defect(code=DefectCode.RATE, detail=detail))

    return tuple(tuple(checked(r) for r in chapter) for chapter in chapters), book


def add_defect(result: ChunkResult, defect: Defect) -> ChunkResult:
    """``result`` failed and flagged with ``defect`` added (the reason is kept if any)."""
    verification = result.verification.model_copy(
        update={
            "passed": False,
            "reason": result.verification.reason or defect.detail,
            "defects": (*result.verification.defects, defect),
        }
    )
    return result.model_copy(update={"verification": verification, "flagged": True})
