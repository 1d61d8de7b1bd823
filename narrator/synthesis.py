"""Synthesize one chunk and verify it by round-trip transcription.

A chunk that fails verification is synthesized again, up to ``max_attempts``
times; the best attempt is then kept and flagged, never dropped (issue #2).
"""

from __future__ import annotations

import logging
import os

from narrator.audio.io import write_flac
from narrator.engines import Engines
from narrator.models import Chunk, ChunkAudio, ChunkResult, Verification
from narrator.store import BookPaths, chunk_key, load_cached_result, save_result
from narrator.verify.scoring import score

log = logging.getLogger("narrator.progress")


def _better(a: Verification, b: Verification | None) -> bool:
    """True when verification ``a`` beats ``b``: passing first, then fewer errors."""
    if b is None:
        return True
    return (a.passed, -a.wer, -a.cer) > (b.passed, -b.wer, -b.cer)


def narrate_chunk(
    chunk: Chunk, engines: Engines, paths: BookPaths, *, max_attempts: int, speed: float
) -> ChunkResult:
    """Return ``chunk``'s verified audio, from the cache when it is already there.

    Every attempt is transcribed and scored; the first that passes is kept. When
    none passes, the attempt with the lowest word error rate is kept and the
    result is ``flagged``.
    """
    key = chunk_key(chunk.spoken, engines.speech.identity)
    cached = load_cached_result(paths, chunk, key, engines.transcriber.identity)
    if cached is not None:
        log.info("%s cached (%s)", chunk.id, "passed" if cached.verification.passed else "flagged")
        return cached

    final = paths.chunk_audio(key)
    best: Verification | None = None
    best_duration = 0.0
    sample_rate = 0
    attempts = 0
    for attempts in range(1, max_attempts + 1):
        speech = engines.speech.synthesize(chunk.spoken)
        # The chunk id keeps two chunks with identical text (a repeated "No.") from racing.
        candidate = final.with_name(f"{key}.{chunk.id}.try{attempts}.flac")
        write_flac(candidate, speech.samples, speech.sample_rate)
        heard = engines.transcriber.transcribe(candidate)
        verification = score(chunk.spoken, heard, speech.duration_s, speed=speed)
        if _better(verification, best):
            # A rename within one folder is atomic, so `final` is always a whole file.
            os.replace(candidate, final)
            best, best_duration, sample_rate = verification, speech.duration_s, speech.sample_rate
        else:
            candidate.unlink()
        if verification.passed:
            break
        log.info("%s attempt %d failed verification: %s", chunk.id, attempts, verification.reason)

    assert best is not None  # max_attempts >= 1 is enforced by NarrationParams
    result = ChunkResult(
        chunk=chunk,
        audio=ChunkAudio(
            chunk_id=chunk.id, path=final, sample_rate=sample_rate, duration_s=best_duration
        ),
        verification=best,
        attempts=attempts,
        flagged=not best.passed,
    )
    save_result(paths, key, engines.transcriber.identity, result)
    if result.flagged:
        log.warning("%s FLAGGED after %d attempts: %s", chunk.id, attempts, best.reason)
    else:
        log.info("%s passed (WER %.2f, attempt %d)", chunk.id, best.wer, attempts)
    return result
