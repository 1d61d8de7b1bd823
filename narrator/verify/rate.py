"""Speaking rate: characters per second of voiced audio, per chunk and over a book.

A chunk spoken much faster or slower than the rest of its book was stretched or
resampled on its way (a wrong sample rate, a server's tempo setting); a whole book far
from its engine's known rate was decoded at the wrong sample rate (16-bit PCM at 22,050 Hz
read as 24 kHz plays 8.8 % fast and pitched up). The text is the same either way,
so the transcript cannot tell; only the time it takes can.

The text and the voice move the rate too: a chunk's sounds, commas and exclamations, and
the durations a voice draws (Piper's), make clean chunks of real prose run 5 % (Kokoro)
to 10 % (Piper) off their book's characters per second, up to 29 % on chunks of a few
seconds. An engine whose takes are its voice's own timing
(``SpeechCapabilities.timed_takes``: the embedded ones) takes all of that out: each
chunk's stored length is held against its take's, so what is left is what changed on
the way. A remote engine's chunks are held against their book's characters per second,
with a tolerance that widens as chunks shorten.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from pydantic import Field

from narrator.audio.io import read_audio
from narrator.models import ChapterAudio, ChunkResult, Defect, DefectCode, Frozen
from narrator.text.language import ENGLISH, is_unspaced, primary
from narrator.text.normalize import normalize_words
from narrator.verify.envelope import Envelope, envelope

PAUSE_S = 0.15
"""Silences at least this long are pauses, not voiced audio, seconds: stops inside and
between words are shorter, sentence breaks longer (``narrator.verify.silence``). Of
0.1, 0.15 and 0.2 s, 0.15 gave the smallest spread of the rates of clean chunks, held
against Piper's timing or not (``bench/bench_rate_spread.py``)."""

MIN_VOICED_S = 3.0
"""Chunks with less voiced audio are not rate-checked in characters per second,
seconds: on a title or a one-line paragraph the lead-in of one word weighs too much (a
chapter title ran at 0.6 x its book's rate). A chunk held against its take is checked
whatever its length."""

CHUNK_RATE_TOLERANCE = 0.12
"""A chunk of ``LONG_CHUNK_VOICED_S`` or more whose characters per second are more than
12 % off its book's median is flagged, when its engine tells no timing (a remote API);
a shorter chunk gets ``untimed_tolerance``.

Clean real prose (``bench/bench_false_alarms.py``, fit novels, each chunk against its
book's median): Kokoro af_heart's chunks of 12 s or more voiced spread by 4.5 % (robust
SD of the log rate), at most 8.6 % off; Piper's by 4.0 %, at most 10.5 %. 12 % is above
both widest and about 3 spreads: it finds a chunk read at a wrong sample rate (8.8 %)
only with luck; the book's own rate (``BOOK_RATE_TOLERANCE``) finds a book read so.
"""

LONG_CHUNK_VOICED_S = 12.0
"""Voiced seconds from which ``CHUNK_RATE_TOLERANCE`` holds, seconds. A chunk's
characters per second average over its sounds, so their spread grows as the chunk
shortens, about as one over the square root of its length: on the same clean chunks,
3-6 s voiced spread 6-10 %, 6-12 s 2-5 %, 12 s or more 4-4.5 %."""

TIMED_RATE_TOLERANCE = 0.045
"""A chunk whose stored length is more than 4.5 % off its take's
(``ChunkAudio.reference_s``, for an engine whose takes are their own timing) is flagged,
and so is every chunk of a book whose median is (``BOOK_RATE_TOLERANCE``).

Clean, nothing lies between the take and the store: on 450 Piper and 495 Kokoro chunks
of real prose (``bench/bench_false_alarms.py``) every chunk's length matched its take's
to the sample, a spread of 0. So the tolerance is set by what it must find: half the
smallest sample-rate mix-up (22,050 read as 24,000 Hz plays 8.8 % fast), which also
finds a chunk played 8 % faster or slower by ffmpeg's atempo.
"""

BOOK_RATE_TOLERANCE = 0.05
"""A book whose median rate is more than 5 % off its engine's fails: off its takes, or
its engine's known rate.

Against their takes clean chunks match to the sample, so a timed book's median is 1.0
exactly. In characters per second the median of n chunks varies by about
1.25 x 5 % / sqrt(n) on real prose (``CHUNK_RATE_TOLERANCE``'s spread), 1.9 % for the
11 chunks of the sample; clean Piper books measured 20.3 characters per second."""

MIN_CHUNKS_FOR_MEDIAN = 5
"""Fewest measured chunks whose median is a usable reference; a shorter book is
compared with the engine's known rate, or not at all."""


class BookRate(Frozen):
    """The speaking rate of a book against its engine's."""

    chars_per_s: float | None = Field(description="median over measured chunks, characters/s")
    expected_chars_per_s: float | None = Field(
        description="the engine's rate at the run's speed, characters/s: the median of its "
        "timing of the chunks' texts, else its known rate; None: unknown"
    )
    measured: int = Field(ge=0, description="chunks long enough to measure")
    passed: bool
    detail: str | None = Field(default=None, description="why it failed")


class ChunkRate(Frozen):
    """A chunk's speaking rate, and the rate its engine speaks its text at."""

    chars_per_s: float = Field(gt=0, description="characters of normalized text per voiced second")
    voiced_s: float = Field(gt=0, description="voiced seconds the rate is measured over")
    expected_chars_per_s: float | None = Field(default=None, gt=0, description=(
        "the same had the chunk taken as long as its take (ChunkAudio.reference_s); "
        "None: the chunk keeps none"))  # fmt: skip


def voiced_s(env: Envelope) -> float:
    """Seconds of the chunk that are not pauses of ``PAUSE_S`` or longer."""
    return env.duration_s - sum(end - start for start, end in env.silences(PAUSE_S))


def characters(spoken: str, *, language: str = ENGLISH) -> int:
    """Characters of ``spoken`` normalized in ``language`` (words joined by single spaces;
    Chinese and Japanese, written without spaces, by their characters alone). Rates are
    only compared within a book, so any language's count serves, as long as it is the
    same for every chunk."""
    words = normalize_words(spoken, language=language)
    return len(("" if is_unspaced(language) else " ").join(words))


def chars_per_s(
    spoken: str, env: Envelope, *, min_voiced_s: float = MIN_VOICED_S, language: str = ENGLISH
) -> float | None:
    """Characters of normalized text in ``language`` per voiced second, or None when the
    chunk has less than ``min_voiced_s`` of voiced audio (or no characters)."""
    voiced = voiced_s(env)
    count = characters(spoken, language=language)
    if voiced < min_voiced_s or voiced <= 0 or not count:
        return None
    return count / voiced


def chunk_rates(
    chapters: Sequence[Sequence[ChunkResult]], *, language: str = ENGLISH
) -> dict[str, ChunkRate | None]:
    """Each chunk's rate by chunk id, read from its audio file, with the rate its take
    gives when the chunk keeps its take's length; None for a chunk without a take's
    length too short to measure (``MIN_VOICED_S``). ``language`` is the book's."""
    rates: dict[str, ChunkRate | None] = {}
    for result in (r for chapter in chapters for r in chapter):
        samples, sample_rate = read_audio(result.audio.path)
        reference = result.audio.reference_s
        # Held against its take, a chunk of any length is measured exactly: a title's
        # lead-in weighs only in characters per second.
        least = 0.0 if reference else MIN_VOICED_S
        rate = chars_per_s(result.chunk.spoken, envelope(samples, sample_rate),
                           min_voiced_s=least, language=language)  # fmt: skip
        duration_s = samples.size / sample_rate
        expected = rate * duration_s / reference if rate and reference else None
        rates[result.chunk.id] = (
            ChunkRate(chars_per_s=rate,
                      voiced_s=characters(result.chunk.spoken, language=language) / rate,
                      expected_chars_per_s=expected) if rate else None
        )  # fmt: skip
    return rates


def check_rates(
    chapters: Sequence[Sequence[ChunkResult]],
    *,
    known_chars_per_s: float | None,
    speed: float,
    language: str = ENGLISH,
) -> tuple[tuple[tuple[ChunkResult, ...], ...], BookRate]:
    """Flag the chunks of a book in ``language`` spoken far from its median rate (or, for
    a short book, from the engine's ``known_chars_per_s`` at ``speed``), and every chunk
    when the book's own rate is far from the engine's. Each chunk is held against its
    engine's timing of its own text when it keeps one. Returns the chapters' results, with
    a ``rate`` defect added to the chunks concerned, and the book's rate.

    An engine's known rate is measured on English (Piper's, the only one known): the
    characters of another language are not comparable with it, so a book in another
    language is held against its own chunks only."""
    known = known_chars_per_s if primary(language) == ENGLISH else None
    rates = chunk_rates(chapters, language=language)
    return flag_rates(chapters, rates, known_chars_per_s=known, speed=speed)


def rated_chapters(
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
    *,
    known_chars_per_s: float | None,
    speed: float,
    language: str = ENGLISH,
) -> tuple[tuple[ChapterAudio, ...], tuple[tuple[ChunkResult, ...], ...], BookRate]:
    """:func:`check_rates` on a rendered book in ``language``: its chapters with their
    flagged counts following the chunks the rate check flags, each chapter's results, and
    the book's rate."""
    checked, rate = check_rates(results, known_chars_per_s=known_chars_per_s, speed=speed,
                                language=language)  # fmt: skip
    counted = tuple(
        chapter.model_copy(update={"flagged": sum(r.flagged for r in rs)})
        for chapter, rs in zip(chapters, checked, strict=True)
    )
    return counted, checked, rate


def untimed_tolerance(voiced_s: float) -> float:
    """How far a chunk of ``voiced_s`` voiced seconds may be from its book's characters
    per second when its engine tells no timing: ``CHUNK_RATE_TOLERANCE``, widened as one
    over the square root of the length below ``LONG_CHUNK_VOICED_S`` (21 % at 4 s).
    Measured: the widest clean Kokoro chunk of 3-6 s was 13.7 % off."""
    return CHUNK_RATE_TOLERANCE * max(1.0, (LONG_CHUNK_VOICED_S / voiced_s) ** 0.5)


def flag_rates(
    chapters: Sequence[Sequence[ChunkResult]],
    rates: Mapping[str, ChunkRate | None],
    *,
    known_chars_per_s: float | None,
    speed: float,
) -> tuple[tuple[tuple[ChunkResult, ...], ...], BookRate]:
    """:func:`check_rates` on rates already measured (``chunk_rates``).

    When every measured chunk keeps its take's length, each chunk's rate is taken over
    the rate its take gives and expected at 1.0, whatever the rest of the book does
    (``TIMED_RATE_TOLERANCE``);
    otherwise the characters per second themselves are compared (``untimed_tolerance``;
    the book is expected at the engine's known rate)."""
    measured = {key: rate for key, rate in rates.items() if rate is not None}
    timed = bool(measured) and all(r.expected_chars_per_s for r in measured.values())

    def scale(rate: ChunkRate) -> float:
        """What a chunk's characters per second are divided by before comparing."""
        return rate.expected_chars_per_s if timed and rate.expected_chars_per_s else 1.0

    values = [r.chars_per_s / scale(r) for r in measured.values()]
    median = statistics.median(values) if values else None
    if timed:
        expected = 1.0
        expected_cps = statistics.median(scale(r) for r in measured.values())
    else:
        expected = known_chars_per_s * speed if known_chars_per_s else None
        expected_cps = expected

    def tolerance(rate: ChunkRate) -> float:
        return TIMED_RATE_TOLERANCE if timed else untimed_tolerance(rate.voiced_s)

    chars = statistics.median(r.chars_per_s for r in measured.values()) if measured else None
    book = BookRate(chars_per_s=chars, expected_chars_per_s=expected_cps,
                    measured=len(measured), passed=True)  # fmt: skip
    # A timed book's chunks are expected at 1.0 exactly (clean takes match to the
    # sample), so even a short book is judged by its own median; an untimed one's
    # median needs MIN_CHUNKS_FOR_MEDIAN chunks to stand for it.
    enough = timed or len(measured) >= MIN_CHUNKS_FOR_MEDIAN
    if median is not None and expected is not None and enough:
        off = median / expected - 1
        if abs(off) > BOOK_RATE_TOLERANCE:
            book = book.model_copy(update={"passed": False, "detail": (
                f"the book is spoken {abs(off):.1%} {'fast' if off > 0 else 'slow'}: "
                f"{chars:.1f} characters per second where its engine speaks "
                f"{expected_cps:.1f}; check the engine's speed and the audio's sample rate"
            )})  # fmt: skip
    # Each timed chunk against its own take, whatever the rest of the book does; an
    # untimed one against the book's median when there are enough chunks.
    reference = expected if timed else median if enough else expected

    def checked(result: ChunkResult) -> ChunkResult:
        rate = rates[result.chunk.id]
        # A chunk a person listened to and accepted (`narrate accept`) stays accepted.
        if rate is None or reference is None or result.accepted:
            return result
        off = rate.chars_per_s / scale(rate) / reference - 1
        if book.detail is not None:
            detail = book.detail
        elif abs(off) > tolerance(rate):
            detail = (
                f"spoken {abs(off):.0%} {'fast' if off > 0 else 'slow'}: "
                f"{rate.chars_per_s:.1f} characters per second where "
                f"{'its take' if timed else 'the rest of the book'} gives "
                f"{reference * scale(rate):.1f}"
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
