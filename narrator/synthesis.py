"""Synthesize chunks and verify them by round-trip transcription.

A chunk that fails verification is synthesized again, up to ``max_attempts``
times; the best attempt is then kept and flagged, never dropped. So is a chunk the
engine cannot speak at all (no audio, undecodable or implausible audio, its text
rejected): after the last attempt it becomes a silence of the expected length, flagged
``unspeakable``, and the rest of the book goes on. A second take that fails for the same
reason at the same words as the one before ends the retries early: the text or the
detector is the cause, and a third take would be paid for the same verdict. Errors that
would fail every chunk (key, model, endpoint, budget) still stop the run.

Chunks are handled in *batches* of chunks of one chapter. A batch is one chunk unless
the transcriber batches (the embedded and the remote one both do). Then the chunks of a
batch are heard in one request: their audio is joined with gaps, transcribed with timestamps,
and the heard words are attributed back to each chunk; a chunk whose attribution is
ambiguous is checked again alone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrator.atomic import TMP_PREFIX
from narrator.audio.io import read_audio, write_flac
from narrator.engines import Engines
from narrator.errors import (
    AudioError,
    BudgetExhausted,
    NarratorError,
    RejectedText,
    UnspeakableText,
)
from narrator.models import (
    Chunk,
    ChunkAudio,
    ChunkResult,
    Defect,
    DefectCode,
    Verification,
)
from narrator.provider import FIRST_PURPOSE, BadResponse, purpose
from narrator.speech.timing import expected_duration_s
from narrator.store import BookPaths, chunk_key, load_cached_result, save_result
from narrator.verify.attribution import attribute, timed_words
from narrator.verify.base import HeardSegment, Transcriber
from narrator.verify.batching import concatenate
from narrator.verify.truncation import truncated_at
from narrator.verify.verdict import hear_and_judge, heard_text, same_defect

log = logging.getLogger("narrator.progress")

CHUNK_ERRORS = (BadResponse, RejectedText, UnspeakableText)
"""Synthesis failures that concern one chunk's text only: retried as attempts, then the
chunk is flagged ``unspeakable``. Every other error stops the run."""

PLACEHOLDER_RATE = 24_000
"""Sample rate of the silence that stands in for an unspeakable chunk, Hz; the chapter
render re-times it to its other chunks' rate (``narrator.render``)."""


@dataclass(frozen=True)
class _Attempt:
    """One synthesized attempt of a chunk, stored at ``path``."""

    path: Path
    duration_s: float
    sample_rate: int


@dataclass
class _Best:
    """The best attempt of a chunk so far; its audio is at the chunk's final path, unless
    no attempt produced any (``sample_rate`` 0)."""

    verification: Verification
    duration_s: float
    sample_rate: int
    attempts: int


def _better(a: Verification, b: Verification | None) -> bool:
    """True when verification ``a`` beats ``b``: passing first, then having audio at
    all, then fewer errors."""
    if b is None:
        return True
    return (a.passed, a.duration_s > 0, -a.wer, -a.cer) > (
        b.passed, b.duration_s > 0, -b.wer, -b.cer
    )  # fmt: skip


def _unspeakable(chunk: Chunk, attempt: int, exc: NarratorError) -> Verification:
    """The verdict on an attempt that produced no usable audio."""
    log.info("%s attempt %d produced no usable audio: %s", chunk.id, attempt, exc.message)
    defect = Defect(code=DefectCode.UNSPEAKABLE, detail=f"no usable audio: {exc.message}")
    return Verification(
        heard="", wer=1.0, cer=1.0, duration_s=0.0, passed=False, reason=defect.detail,
        defects=(defect,),
    )  # fmt: skip


def _synthesized(engines: Engines, chunk: Chunk, candidate: Path) -> _Attempt:
    """Synthesize ``chunk`` into ``candidate`` unless a run that died before verifying it
    already did.

    The attempt's audio is kept before it is verified, so a crash during verification
    never pays for the same synthesis twice. ``write_flac`` is atomic, so a
    file that is there is whole; one that does not decode is synthesized again.
    """
    if candidate.is_file():
        try:
            samples, rate = read_audio(candidate)
            return _Attempt(candidate, len(samples) / rate, rate)
        except AudioError:
            log.info("%s: %s does not decode; synthesizing again", chunk.id, candidate.name)
    speech = engines.speech_for(chunk).synthesize(chunk.spoken, label=chunk.id)
    write_flac(candidate, speech.samples, speech.sample_rate)
    return _Attempt(candidate, speech.duration_s, speech.sample_rate)


Hearing = tuple[str, tuple[HeardSegment, ...] | None]
"""What the transcriber heard in one chunk: the text, and its words timed in seconds from
the chunk's start when the hearing timed them (``narrator.verify.unheard``)."""


def _hear(
    transcriber: Transcriber,
    chunks: Sequence[Chunk],
    attempts: Sequence[_Attempt],
    workdir: Path,
    language: str,
) -> list[Hearing]:
    """What the transcriber hears in each attempt: one request for the whole batch when
    the transcriber batches, one per chunk otherwise or when attribution is ambiguous.

    A free transcriber times its words (tiny.en: 0.083 instead of 0.070 CPU-s per audio
    second), so the verdict can find speech it did not write down; a paid one's timings
    vary by server and are only used to split its batches. ``language`` is the chunks'
    (BCP 47), which a batch is split in."""
    free = not transcriber.capabilities.paid
    if len(chunks) == 1 or not transcriber.capabilities.batches:
        return [_hear_alone(transcriber, c, a) for c, a in zip(chunks, attempts, strict=True)]
    label = f"{chunks[0].id}..{chunks[-1].id}"
    joined = workdir / f"{TMP_PREFIX}batch-{label}.flac"
    try:
        spans = concatenate([a.path for a in attempts], joined)
        timed = transcriber.transcribe_timed(joined, label=label)
        texts = attribute([c.spoken for c in chunks], timed, spans, language=language)
    finally:
        joined.unlink(missing_ok=True)
    words: list[tuple[HeardSegment, ...] | None] = (
        list(timed_words(timed, spans)) if free else [None] * len(chunks)
    )
    heard: list[Hearing] = []
    for index, text in enumerate(texts):
        if text is None:
            log.info("%s: errors at its boundary in the batch; checking it alone", chunks[index].id)
            with purpose("re-check"):
                heard.append(_hear_alone(transcriber, chunks[index], attempts[index]))
        else:
            heard.append((text, words[index]))
    return heard


def _hear_alone(transcriber: Transcriber, chunk: Chunk, attempt: _Attempt) -> Hearing:
    if transcriber.capabilities.paid:
        return transcriber.transcribe(attempt.path, label=chunk.id), None
    words = transcriber.transcribe_timed(attempt.path, label=chunk.id)
    return heard_text(words), words


def narrate_batch(
    chunks: Sequence[Chunk], engines: Engines, paths: BookPaths, *, max_attempts: int, speed: float
) -> tuple[ChunkResult, ...]:
    """Return every chunk's verified audio, from the store when it is already there.

    Each round synthesizes the chunks still failing, hears them (one request per
    batch when the transcriber batches) and scores them; a chunk keeps its best attempt.
    After ``max_attempts`` rounds, or two rounds that failed it alike
    (``same_defect``), a chunk that never passed is kept and ``flagged``.
    """
    keys = {c.id: chunk_key(c.spoken, engines.speech_for(c).identity) for c in chunks}
    results: dict[str, ChunkResult] = {}
    for chunk in chunks:
        cached = load_cached_result(paths, chunk, keys[chunk.id], engines.transcriber.identity)
        if cached is not None:
            log.info(
                "%s cached (%s)", chunk.id, "passed" if cached.verification.passed else "flagged"
            )
            results[chunk.id] = cached
    pending = [c for c in chunks if c.id not in results]
    best: dict[str, _Best] = {}
    last: dict[str, Verification] = {}  # each failing chunk's latest verdict
    settled: list[Chunk] = []  # failed twice alike: flagged without another take
    for attempt in range(1, max_attempts + 1):
        if not pending:
            break
        still_failing = []
        outcomes, spent = _attempt_round(engines, pending, keys, paths, attempt, speed=speed)
        for chunk, tried, verification in outcomes:
            previous = best.get(chunk.id)
            if _better(verification, previous.verification if previous else None):
                if tried is None:
                    best[chunk.id] = _Best(verification, 0.0, 0, attempt)
                else:
                    # A rename within one folder is atomic, so the final file is always whole.
                    os.replace(tried.path, paths.chunk_audio(keys[chunk.id]))
                    best[chunk.id] = _Best(
                        verification, tried.duration_s, tried.sample_rate, attempt
                    )
            elif tried is not None:
                tried.path.unlink()
            best[chunk.id].attempts = attempt
            if verification.passed:
                results[chunk.id] = _finish(chunk, keys[chunk.id], best[chunk.id], engines, paths)
            else:
                log.info(
                    "%s attempt %d failed verification: %s", chunk.id, attempt, verification.reason
                )
                if tried is not None:
                    _learn_from(engines, chunk, verification.heard)
                if chunk.id in last and same_defect(verification, last[chunk.id]):
                    log.info(
                        "%s: attempt %d failed as the one before did; no further take",
                        chunk.id, attempt,
                    )  # fmt: skip
                    settled.append(chunk)
                else:
                    still_failing.append(chunk)
                last[chunk.id] = verification
        if spent is not None:
            raise spent
        pending = still_failing
    for chunk in (*settled, *pending):
        spoken = bool(best[chunk.id].sample_rate)
        if not spoken:
            best[chunk.id] = _placeholder(chunk, keys[chunk.id], best[chunk.id], paths, speed)
        results[chunk.id] = _finish(
            chunk, keys[chunk.id], best[chunk.id], engines, paths, spoken=spoken
        )
    return tuple(results[c.id] for c in chunks)


def _attempt_round(
    engines: Engines,
    chunks: Sequence[Chunk],
    keys: dict[str, str],
    paths: BookPaths,
    attempt: int,
    *,
    speed: float,
) -> tuple[list[tuple[Chunk, _Attempt | None, Verification]], BudgetExhausted | None]:
    """Synthesize, hear and judge one attempt of each chunk. A chunk the engine could
    not speak this time has no attempt (None) and an ``unspeakable`` verdict.

    When the request budget runs out part-way, the chunks already synthesized are still
    heard and judged, so that no text is paid for twice; the exhausted budget is returned
    for the caller to raise once their results are stored.
    """
    tries: dict[str, _Attempt | Verification] = {}
    spent: BudgetExhausted | None = None
    # Requests for chunks that failed verification are tallied apart from the plan's.
    with purpose("re-synthesis" if attempt > 1 else FIRST_PURPOSE["speech"]):
        for c in chunks:
            # The chunk id keeps two chunks with identical text (a repeated "No.") apart.
            name = f"{keys[c.id]}.{c.id}.try{attempt}.flac"
            candidate = paths.chunk_audio(keys[c.id]).with_name(name)
            try:
                tries[c.id] = _synthesized(engines, c, candidate)
            except BudgetExhausted as exc:
                spent = exc
                break
            except CHUNK_ERRORS as exc:
                tries[c.id] = _unspeakable(c, attempt, exc)
    tried = [c for c in chunks if c.id in tries]
    audible = [(c, t) for c in tried if isinstance(t := tries[c.id], _Attempt)]
    with purpose("re-verification" if attempt > 1 else FIRST_PURPOSE["transcription"]):
        heard = _hear(engines.transcriber, [c for c, _ in audible], [t for _, t in audible],
                      paths.chunks_dir, engines.language) if audible else []  # fmt: skip
        out: list[tuple[Chunk, _Attempt | None, Verification]] = [
            (c, None, t) for c in tried if isinstance(t := tries[c.id], Verification)
        ]
        for (chunk, attempt_audio), (text, words) in zip(audible, heard, strict=True):
            verdict = hear_and_judge(
                engines.transcriber, attempt_audio.path, chunk.spoken, text, speed=speed,
                label=chunk.id, respelled=chunk.respelled, words=words,
                unheard_s=engines.speech_for(chunk).capabilities.unheard_s,
                language=engines.language,
            )  # fmt: skip
            out.append((chunk, attempt_audio, verdict))
    return out, spent


def _placeholder(chunk: Chunk, key: str, best: _Best, paths: BookPaths, speed: float) -> _Best:
    """Silence as long as ``chunk`` should take, stored as its audio, so the chapter keeps
    its length and timing around a chunk no attempt could speak."""
    duration_s = expected_duration_s(chunk.spoken, speed=speed)
    samples = np.zeros(round(duration_s * PLACEHOLDER_RATE), dtype=np.float32)
    write_flac(paths.chunk_audio(key), samples, PLACEHOLDER_RATE)
    log.warning("%s: no attempt produced audio; %.1f s of silence stand in", chunk.id, duration_s)
    return _Best(best.verification, duration_s, PLACEHOLDER_RATE, best.attempts)


def _learn_from(engines: Engines, chunk: Chunk, heard: str) -> None:
    """When the engine stopped early, let it lower its input limit for the next attempt."""
    cut = truncated_at(chunk.spoken, heard)
    limit = engines.speech_for(chunk).learn_truncation(cut) if cut is not None else None
    if limit is not None:
        log.warning(
            "%s: the engine stopped after about %d of %d characters; from now on it gets "
            "at most %d characters per request",
            chunk.id,
            cut,
            len(chunk.spoken),
            limit,
        )


def _finish(
    chunk: Chunk,
    key: str,
    best: _Best,
    engines: Engines,
    paths: BookPaths,
    *,
    spoken: bool = True,
) -> ChunkResult:
    """The chunk's result from its best attempt, stored; ``spoken`` False: its audio is
    the placeholder silence. The kept take's length is its timing when its engine's takes
    are its voice's own timing (``SpeechCapabilities.timed_takes``), a take left by a
    crashed run included: the file is the take, written whole."""
    timed = spoken and engines.speech_for(chunk).capabilities.timed_takes
    result = ChunkResult(
        chunk=chunk,
        audio=ChunkAudio(
            chunk_id=chunk.id,
            path=paths.chunk_audio(key),
            sample_rate=best.sample_rate,
            duration_s=best.duration_s,
            reference_s=best.duration_s if timed else None,
        ),
        verification=best.verification,
        attempts=best.attempts,
        flagged=not best.verification.passed,
    )
    save_result(paths, key, engines.transcriber.identity, result)
    if result.flagged:
        log.warning(
            "%s FLAGGED after %d attempts: %s", chunk.id, best.attempts, best.verification.reason
        )
    else:
        log.info("%s passed (WER %.2f, attempt %d)", chunk.id, best.verification.wer, best.attempts)
    return result
