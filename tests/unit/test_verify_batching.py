"""Batching chunks for one transcription request: planning, joining, attributing back."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrator.atomic import TMP_PREFIX
from narrator.errors import AudioError, ConfigError
from narrator.verify.batching import (
    BATCH_SAMPLE_RATE,
    GAP_S,
    concatenate,
    plan_batches,
)

RAW_BYTES_PER_S = 32_000  # 16-bit mono at 16 kHz


def batch_seconds(durations: list[float], batch: range) -> float:
    """The length of a batch file: its chunks plus a gap before, between and after them."""
    return sum(durations[i] for i in batch) + (len(batch) + 1) * GAP_S


# --- plan_batches ---------------------------------------------------------------------


def test_plan_respects_max_audio_s() -> None:
    # Two 10-s chunks make 24.5 s with gaps; a third would make 36 s.
    assert plan_batches([10.0] * 5, max_audio_s=35) == [(0, 1), (2, 3), (4,)]
    # A limit of exactly 36 s fits three.
    assert plan_batches([10.0] * 5, max_audio_s=36) == [(0, 1, 2), (3, 4)]


def test_plan_respects_max_bytes_with_a_margin() -> None:
    durations = [10.0] * 4
    # Three chunks are 36 s = 1,152,000 raw bytes: exactly max_bytes, so the safety
    # margin must push the third chunk into the next batch.
    batches = plan_batches(durations, max_audio_s=1_000, max_bytes=36 * RAW_BYTES_PER_S)
    assert batches == [(0, 1), (2, 3)]
    # With generous bytes, the same chunks all fit one request.
    assert plan_batches(durations, max_audio_s=1_000) == [(0, 1, 2, 3)]


def test_plan_pairs_long_chunks_with_short_ones() -> None:
    # Chunks end at paragraphs, so their lengths vary: consecutive groups need four 30-s
    # batches here (18 | 18 + 5 | 5 + 18 | 5), each long chunk with a short one three.
    durations = [18.0, 18.0, 5.0, 5.0, 18.0, 5.0]
    batches = plan_batches(durations, max_audio_s=30)
    assert len(batches) == 3
    assert all(sorted(durations[i] for i in batch) == [5.0, 18.0] for batch in batches)


def test_plan_puts_the_longest_batches_first() -> None:
    batches = plan_batches([3.0, 24.0, 10.0, 12.0], max_audio_s=30)
    seconds = [batch_seconds([3.0, 24.0, 10.0, 12.0], b) for b in batches]
    assert seconds == sorted(seconds, reverse=True)
    assert batches[-1] == (0,)  # the 3-s chunk fits nowhere else, and ends the chapter


def test_plan_covers_every_index_once_within_the_limits() -> None:
    rng = random.Random(7)
    for _ in range(50):
        durations = [rng.uniform(0.5, 40.0) for _ in range(rng.randint(1, 60))]
        batches = plan_batches(durations, max_audio_s=120, max_bytes=3_000_000)
        assert sorted(i for batch in batches for i in batch) == list(range(len(durations)))
        assert all(batch and list(batch) == sorted(batch) for batch in batches)
        limit_s = min(120, 3_000_000 / RAW_BYTES_PER_S)
        assert all(len(b) == 1 or batch_seconds(durations, b) <= limit_s for b in batches)
        # Never more requests than filling consecutive chunks greedily.
        consecutive, length = 1, GAP_S
        for d in durations:
            if length > GAP_S and length + d + GAP_S > limit_s:
                consecutive, length = consecutive + 1, GAP_S
            length += d + GAP_S
        assert len(batches) <= consecutive


def test_plan_puts_a_too_long_chunk_alone() -> None:
    batches = plan_batches([5.0, 5.0, 100.0, 5.0, 5.0], max_audio_s=30)
    assert (2,) in batches
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3, 4]
    assert len(batches) == 2


def test_plan_of_nothing_is_empty() -> None:
    assert plan_batches([], max_audio_s=30) == []


def test_plan_rejects_non_positive_limits() -> None:
    with pytest.raises(ConfigError, match="max_audio_s=0"):
        plan_batches([1.0], max_audio_s=0)
    with pytest.raises(ConfigError, match="max_bytes=0"):
        plan_batches([1.0], max_audio_s=30, max_bytes=0)


# --- concatenate ----------------------------------------------------------------------


def tone(seconds: float, rate: int, amp: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


@pytest.fixture
def chunk_files(tmp_path: Path) -> list[tuple[Path, float, float]]:
    """Three tone files ``(path, seconds, amplitude)``: two FLAC at 22,050 Hz, one WAV at
    24,000 Hz. Each has its own amplitude so a span can be matched to its file."""
    specs = [
        ("a.flac", 22_050, 0.7, 0.2),
        ("b.wav", 24_000, 1.3, 0.4),
        ("c.flac", 22_050, 0.5, 0.8),
    ]
    files = []
    for name, rate, seconds, amp in specs:
        path = tmp_path / "chunks" / name
        path.parent.mkdir(exist_ok=True)
        sf.write(path, tone(seconds, rate, amp), rate, subtype="PCM_16")
        files.append((path, seconds, amp))
    return files


def test_concatenate_joins_at_16_khz_with_gaps(
    tmp_path: Path, chunk_files: list[tuple[Path, float, float]]
) -> None:
    target = tmp_path / "batch" / "batch.flac"
    spans = concatenate([path for path, _, _ in chunk_files], target)

    info = sf.info(target)
    assert (info.samplerate, info.channels, info.subtype) == (BATCH_SAMPLE_RATE, 1, "PCM_16")
    audio, _ = sf.read(target, dtype="float32")
    gap = round(GAP_S * BATCH_SAMPLE_RATE)
    expected = sum(seconds * BATCH_SAMPLE_RATE for _, seconds, _ in chunk_files) + 4 * gap
    assert abs(len(audio) - expected) <= len(chunk_files)

    assert len(spans) == len(chunk_files)
    assert spans[0].start_s == GAP_S
    assert len(audio) / BATCH_SAMPLE_RATE - spans[-1].end_s == pytest.approx(GAP_S)
    edges = [0.0] + [edge for span in spans for edge in (span.start_s, span.end_s)]
    edges.append(len(audio) / BATCH_SAMPLE_RATE)
    for (_, seconds, amp), span in zip(chunk_files, spans, strict=True):
        assert span.end_s - span.start_s == pytest.approx(seconds, abs=1 / BATCH_SAMPLE_RATE)
        start, end = round(span.start_s * BATCH_SAMPLE_RATE), round(span.end_s * BATCH_SAMPLE_RATE)
        # A sine of amplitude A has RMS A/sqrt(2); its own amplitude identifies the file.
        assert rms(audio[start:end]) == pytest.approx(amp / np.sqrt(2), rel=0.05)
    for gap_start, gap_end in zip(edges[::2], edges[1::2], strict=True):
        assert gap_end - gap_start == pytest.approx(GAP_S, abs=1 / BATCH_SAMPLE_RATE)
        silence = audio[round(gap_start * BATCH_SAMPLE_RATE) : round(gap_end * BATCH_SAMPLE_RATE)]
        assert np.max(np.abs(silence)) < 1e-3


def test_concatenate_names_the_file_it_cannot_decode(
    tmp_path: Path, chunk_files: list[tuple[Path, float, float]]
) -> None:
    broken = tmp_path / "chunks" / "broken.flac"
    broken.write_bytes(b"not audio at all" * 100)
    out_dir = tmp_path / "batch"
    out_dir.mkdir()
    paths = [chunk_files[0][0], broken, chunk_files[1][0]]

    with pytest.raises(AudioError, match="broken.flac"):
        concatenate(paths, out_dir / "batch.flac")
    assert list(out_dir.iterdir()) == []  # neither the target nor a TMP_PREFIX file


def test_concatenate_failure_keeps_an_existing_target(
    tmp_path: Path, chunk_files: list[tuple[Path, float, float]]
) -> None:
    target = tmp_path / "batch.flac"
    target.write_bytes(b"previous batch")
    with pytest.raises(AudioError, match="missing.flac"):
        concatenate([chunk_files[0][0], tmp_path / "missing.flac"], target)
    assert target.read_bytes() == b"previous batch"
    assert not any(p.name.startswith(TMP_PREFIX) for p in tmp_path.iterdir())
