"""render_chapter streams: exact placements, honest measurements, bounded memory, no debris."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import lfilter

from narrator.atomic import TMP_PREFIX
from narrator.audio import loudness
from narrator.audio.check import measure
from narrator.audio.stitch import trim_silence
from narrator.config import MasterSettings, PauseSettings
from narrator.errors import AudioError
from narrator.models import Boundary, Chunk, ChunkAudio, ChunkResult, Verification
from narrator.render import ChapterJob, render_chapter
from narrator.store import BookPaths

SR = 22_050
PAUSES = PauseSettings()
MASTERING = MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0)
BOUNDARIES = [Boundary.CLAUSE, Boundary.SENTENCE, Boundary.PARAGRAPH, Boundary.SCENE]


def speech_chunk(seconds: float, seed: int) -> np.ndarray:
    """Syllable-rate bursts of reddish noise at full scale, with engine-style silence around."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * SR)) / SR
    envelope = np.clip(np.sin(2 * np.pi * 3.3 * t + seed), 0, None) ** 2
    noise = lfilter([1.0], [1.0, -0.9], rng.standard_normal(len(t))) * envelope
    voiced = noise / np.abs(noise).max()
    silence = np.zeros(round(0.2 * SR))
    return np.concatenate([silence, voiced, silence]).astype(np.float32)


def chunk_results(folder: Path, count: int, *, seconds: float = 2.0) -> list[ChunkResult]:
    """``count`` chunk FLAC files in ``folder`` and their (verified) results."""
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for i in range(count):
        path = folder / f"chunk-{i:03d}.flac"
        sf.write(path, speech_chunk(seconds + 0.1 * (i % 3), seed=i), SR, subtype="PCM_16")
        boundary = Boundary.END if i == count - 1 else BOUNDARIES[i % len(BOUNDARIES)]
        chunk = Chunk(
            id=f"c01-{i:04d}", chapter=1, index=i, text="x", spoken="x", boundary=boundary
        )
        audio = ChunkAudio(chunk_id=chunk.id, path=path, sample_rate=SR, duration_s=seconds)
        heard = Verification(heard="x", wer=0, cer=0, duration_s=seconds, passed=True)
        results.append(
            ChunkResult(chunk=chunk, audio=audio, verification=heard, attempts=1, flagged=False)
        )
    return results


def render(paths: BookPaths, results: list[ChunkResult]):  # noqa: ANN201
    job = ChapterJob(
        index=1,
        title="One",
        total_chapters=1,
        results=tuple(results),
        book_title="A Book",
        author=None,
        pauses=PAUSES,
        mastering=MASTERING,
    )
    return render_chapter(job, paths)


def expected_spans(results: list[ChunkResult]) -> tuple[list[tuple[float, float]], int]:
    """Where each chunk must land, from the layout rule alone, and the chapter's length."""
    gap = {
        Boundary.CLAUSE: PAUSES.clause,
        Boundary.SENTENCE: PAUSES.sentence,
        Boundary.PARAGRAPH: PAUSES.paragraph,
        Boundary.SCENE: PAUSES.scene,
    }
    position, spans = round(PAUSES.head * SR), []
    for i, result in enumerate(results):
        samples, _ = sf.read(result.audio.path, dtype="float32")
        length = len(trim_silence(samples - np.float32(samples.mean()), SR))
        spans.append((position / SR, (position + length) / SR))
        last = i == len(results) - 1
        position += length + round((PAUSES.tail if last else gap[result.chunk.boundary]) * SR)
    return spans, position


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks of 2**15 samples (1.5 s): a short chapter crosses many block edges.
    monkeypatch.setattr(loudness, "_BLOCK", 1 << 15)


@pytest.mark.usefixtures("small_blocks")
def test_render_of_many_chunks_keeps_placements_exact(tmp_path: Path) -> None:
    results = chunk_results(tmp_path / "chunks", 13)
    paths = BookPaths.for_book(tmp_path / "out", "a-book")
    chapter = render(paths, results)

    spans, length = expected_spans(results)
    assert [(p.start_s, p.end_s) for p in chapter.placements] == spans
    assert [p.chunk_id for p in chapter.placements] == [r.chunk.id for r in results]
    info = sf.info(chapter.master)
    assert info.frames == length and info.samplerate == SR
    assert chapter.duration_s == length / SR
    # Speech where the placements say, room tone between them.
    mastered, _ = sf.read(chapter.master, dtype="float32")
    for (start, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        speech = mastered[round(start * SR) : round(end * SR)]
        pause = mastered[round(end * SR) + 50 : round(next_start * SR) - 50]
        assert np.sqrt(np.mean(speech**2)) > 100 * np.sqrt(np.mean(pause**2))


@pytest.mark.usefixtures("small_blocks")
def test_master_file_measures_as_reported(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path / "out", "a-book")
    chapter = render(paths, chunk_results(tmp_path / "chunks", 10))
    measured = measure(chapter.master)
    # 16-bit quantization is all that separates the file from the reported float master.
    assert measured.lufs == pytest.approx(chapter.lufs, abs=0.02)
    assert chapter.lufs == pytest.approx(MASTERING.target_lufs, abs=0.1)
    assert measured.peak_dbfs == pytest.approx(chapter.peak_dbfs, abs=0.01)
    assert measured.true_peak_dbtp <= MASTERING.ceiling_dbfs
    assert measured.duration_s == pytest.approx(chapter.duration_s, abs=1e-9)


def test_nothing_half_made_is_left_behind(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path / "out", "a-book")
    results = chunk_results(tmp_path / "chunks", 3)
    render(paths, results)
    assert sorted(p.name for p in paths.masters_dir.iterdir()) == ["01.flac", "01.json"]
    assert not list(paths.root.rglob(f"{TMP_PREFIX}*"))

    # A chunk at another rate stops the render half-way: no scratch file, no master.
    odd = tmp_path / "odd.flac"
    sf.write(odd, speech_chunk(1.0, seed=9), 16_000, subtype="PCM_16")
    bad = [*results[:2], results[2].model_copy(update={"audio": results[2].audio.model_copy(
        update={"path": odd, "sample_rate": 16_000})})]  # fmt: skip
    other = BookPaths.for_book(tmp_path / "out", "other-book")
    with pytest.raises(AudioError, match="16000 Hz but earlier chunks are 22050 Hz"):
        render(other, bad)
    assert not list(other.root.rglob("*.flac"))
    assert not list(other.root.rglob(f"{TMP_PREFIX}*"))


def test_a_chapter_without_chunks_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no audio chunks"):
        render(BookPaths.for_book(tmp_path, "a-book"), [])


def _peak_traced_bytes(paths: BookPaths, results: list[ChunkResult]) -> int:
    tracemalloc.start()
    try:
        render(paths, results)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.usefixtures("small_blocks")
def test_memory_does_not_grow_with_chapter_length(tmp_path: Path) -> None:
    # Python-level allocations (numpy's included) of a 4x longer chapter: the same peak,
    # give or take a little bookkeeping, since only one chunk and a few blocks are held.
    chunks = chunk_results(tmp_path / "chunks", 32)
    short = _peak_traced_bytes(BookPaths.for_book(tmp_path / "a", "short"), chunks[:8])
    long = _peak_traced_bytes(BookPaths.for_book(tmp_path / "b", "long"), chunks)
    stitched_long = 32 * 2.3 * SR * 4  # bytes of the long chapter as one float32 array
    assert long < 1.15 * short
    assert long < stitched_long


def test_a_stand_in_silence_keeps_its_length_at_the_chapters_rate(tmp_path: Path) -> None:
    # The first chunk could not be spoken: its 3-s silence was stored at 24 kHz.
    results = chunk_results(tmp_path / "chunks", 3)
    silence = tmp_path / "stand-in.flac"
    sf.write(silence, np.zeros(3 * 24_000, np.float32), 24_000, subtype="PCM_16")
    nothing = Verification(heard="", wer=1, cer=1, duration_s=0, passed=False, reason="none")
    stand_in = results[0].model_copy(update={
        "audio": results[0].audio.model_copy(
            update={"path": silence, "sample_rate": 24_000, "duration_s": 3.0}),
        "verification": nothing, "flagged": True,
    })  # fmt: skip
    chapter = render(BookPaths.for_book(tmp_path / "out", "a-book"), [stand_in, *results[1:]])
    first = chapter.placements[0]
    assert first.end_s - first.start_s == pytest.approx(3.0, abs=0.01)
    assert sf.info(str(chapter.master)).samplerate == SR
