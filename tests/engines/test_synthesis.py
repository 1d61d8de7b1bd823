"""Synthesis with verification on the real embedded engines: pass, retry, flag, cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import soundfile as sf

from narrator.config import NarrationParams
from narrator.engines import engines_for
from narrator.models import Boundary, Chunk, ChunkResult
from narrator.store import BookPaths, chunk_key
from narrator.synthesis import narrate_batch

pytestmark = pytest.mark.slow


def narrate_one(chunk: Chunk, *args: Any, **kwargs: Any) -> ChunkResult:
    """One chunk is a batch of one."""
    (result,) = narrate_batch((chunk,), *args, **kwargs)
    return result


def chunk(text: str, spoken: str | None = None) -> Chunk:
    return Chunk(
        id="c01-0000",
        chapter=1,
        index=0,
        text=text,
        spoken=spoken or text,
        boundary=Boundary.END,
    )


@pytest.fixture(scope="module")
def engines():  # type: ignore[no-untyped-def]
    return engines_for(NarrationParams(manuscript=Path("unused.md")))


def test_a_clear_sentence_passes_first_time_and_is_cached(engines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = BookPaths.for_book(tmp_path, "book")
    c = chunk("The keeper rowed across the bay before the tide turned.")
    result = narrate_one(c, engines, paths, max_attempts=3, speed=1.0)
    assert result.verification.passed and not result.flagged
    assert result.attempts == 1
    assert result.audio.path == paths.chunk_audio(chunk_key(c.spoken, engines.speech.identity))
    assert sf.info(str(result.audio.path)).samplerate == 22_050
    assert list(paths.chunks_dir.glob("*.try*")) == []  # no attempt files left behind
    # The take's own length is kept for the rate check: Piper's takes are its timing.
    timing = result.audio.reference_s
    assert timing == result.audio.duration_s == sf.info(str(result.audio.path)).duration

    before = result.audio.path.stat().st_mtime_ns
    again = narrate_one(c, engines, paths, max_attempts=3, speed=1.0)
    assert again.verification == result.verification
    assert again.audio.reference_s == timing  # kept with the cached result
    assert result.audio.path.stat().st_mtime_ns == before  # not synthesized again


def test_a_chunk_that_never_verifies_is_retried_then_kept_and_flagged(
    engines, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    paths = BookPaths.for_book(tmp_path, "book")
    c = chunk("The keeper trimmed the wick and wrote the log before the tide turned.")
    # The scorer is told the voice speaks at 0.3x while it speaks at 1x, so every
    # real attempt is "too short for its text" (truncated): the duration rule fails.
    result = narrate_one(c, engines, paths, max_attempts=2, speed=0.3)
    assert result.flagged and not result.verification.passed
    assert result.attempts == 2
    assert "too short" in (result.verification.reason or "")
    assert result.audio.path.is_file()  # kept, never dropped
    assert sf.info(str(result.audio.path)).frames > 0
    assert list(paths.chunks_dir.glob("*.try*")) == []


def test_a_chunk_failing_twice_alike_is_flagged_without_a_third_take(
    engines, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    paths = BookPaths.for_book(tmp_path, "book")
    c = chunk("The keeper trimmed the wick and wrote the log before the tide turned.")
    # Every take is "too short for its text" at 0.3x: the second take fails as the first
    # did, so a third would be paid for the same verdict.
    result = narrate_one(c, engines, paths, max_attempts=3, speed=0.3)
    assert result.flagged and "too short" in (result.verification.reason or "")
    assert result.attempts == 2
    assert list(paths.chunks_dir.glob("*.try*")) == []


def test_damaged_cached_audio_is_synthesized_again(engines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = BookPaths.for_book(tmp_path, "book")
    c = chunk("The gulls followed her halfway home.")
    first = narrate_one(c, engines, paths, max_attempts=3, speed=1.0)
    first.audio.path.write_bytes(b"not audio at all")
    again = narrate_one(c, engines, paths, max_attempts=3, speed=1.0)
    assert sf.info(str(again.audio.path)).frames > 0
    assert again.verification.passed


def test_an_attempt_left_by_a_crashed_run_still_gets_the_timing(engines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The audio of an attempt a crashed run had synthesized is heard, not spoken again:
    the file is the take, written whole, so its length is still the take's timing."""
    paths = BookPaths.for_book(tmp_path, "book")
    c = chunk("The gulls went home across the grey water at dusk.")
    key = chunk_key(c.spoken, engines.speech.identity)
    left = paths.chunk_audio(key).with_name(f"{key}.{c.id}.try1.flac")
    left.parent.mkdir(parents=True, exist_ok=True)
    speech = engines.speech.synthesize(c.spoken)
    sf.write(str(left), speech.samples, speech.sample_rate, subtype="PCM_16")
    written = sf.read(str(left))[0]

    result = narrate_one(c, engines, paths, max_attempts=1, speed=1.0)

    assert result.verification.passed
    assert sf.read(str(result.audio.path))[0].tolist() == written.tolist()  # not spoken again
    assert result.audio.reference_s == pytest.approx(speech.duration_s, abs=1e-9)


EXCLAIMED = (
    '"No, sir," returned Missus Sparsit. "It was once my good or ill fortune, as it may be '
    'before I became a widow to move in a very different sphere. My husband was a Powler."',
    "What a long way off to one's own feet! And how odd the directions will look! \"Oh, my "
    'poor little feet, I wonder who will put on your shoes and stockings for you now, dears?"',
    '"But how am I to keep my heart from such creatures, if I am tempted? or how am I even '
    'to know them?" she cried.',
)
"""Quoted speech, exclamations and questions inside sentences, from three novels: Kokoro
pauses there, and its pauses are not digital silence ("No, sir," left 0.96 s no heard
word accounts for in its batch)."""


def test_kokoros_pauses_at_quotes_and_exclamations_pass_first_time(tmp_path: Path) -> None:
    engines = engines_for(NarrationParams(manuscript=Path("unused.md"), voice="af_heart"))
    paths = BookPaths.for_book(tmp_path, "book")
    chunks = [chunk(text).model_copy(update={"id": f"c01-{n:04d}", "index": n})
              for n, text in enumerate(EXCLAIMED)]  # fmt: skip
    results = narrate_batch(chunks, engines, paths, max_attempts=3, speed=1.0)
    assert [(r.flagged, r.attempts) for r in results] == [(False, 1)] * len(EXCLAIMED)
