"""The streaming level meter: any cut of a signal reads as the whole array does, in flat memory."""

from __future__ import annotations

import math
import tracemalloc
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrator.audio.check import measure
from narrator.audio.export import encode_chapter
from narrator.audio.io import open_audio, read_audio, write_flac
from narrator.audio.levels import LevelMeter, Levels
from narrator.audio.loudness import integrated_lufs, rms_dbfs, sample_peak_dbfs, true_peak_dbfs
from narrator.errors import AudioError

SR = 44_100
HEAD_S, TAIL_S, NOISE_DBFS = 0.75, 2.0, -70.0


def known_signal(seconds: float = 12.0, sr: int = SR) -> np.ndarray:
    """Room tone at -70 dBFS; from 0.75 s to 2 s before the end, 1 kHz tone bursts at -12 dBFS.

    The bursts (0.3 s on, 0.2 s off) start and end on 10 ms window edges, so the
    room tone at the head and tail is exactly 0.75 s and 2.0 s.
    """
    n = round(seconds * sr)
    t = np.arange(n) / sr
    on = (t >= HEAD_S) & (t < seconds - TAIL_S) & ((t - HEAD_S) % 0.5 < 0.3)
    tone = 10 ** (-12 / 20) * np.sin(2 * np.pi * 1000 * t) * on
    noise = np.random.default_rng(5).standard_normal(n) * 10 ** (NOISE_DBFS / 20)
    return (tone + noise).astype(np.float32)


def whole_array_levels(x: np.ndarray, sr: int = SR) -> Levels:
    """The same levels computed on the whole array at once: the streaming meter's reference."""
    window = round(0.010 * sr)
    powers = np.square(x[: len(x) // window * window].astype(np.float64)).reshape(-1, window)
    powers = powers.mean(1)
    loud = np.flatnonzero(powers >= 10 ** (-45 / 10))
    per_50ms = powers[: len(powers) // 5 * 5].reshape(-1, 5).mean(1)
    duration_s = len(x) / sr
    return Levels(
        rms_db=rms_dbfs(x),
        peak_dbfs=sample_peak_dbfs(x),
        true_peak_dbtp=true_peak_dbfs(x, sr),
        lufs=integrated_lufs(x, sr),
        noise_floor_db=10 * math.log10(np.sort(per_50ms)[:10].mean()),
        head_s=loud[0] * 0.010,
        tail_s=duration_s - (loud[-1] + 1) * 0.010,
        duration_s=duration_s,
    )


def streamed(x: np.ndarray, block: int, sr: int = SR) -> Levels:
    meter = LevelMeter(sr)
    for start in range(0, len(x), block):
        meter.feed(x[start : start + block])
    return meter.levels()


def assert_same_levels(ours: Levels, reference: Levels, tolerance_db: float = 0.01) -> None:
    for name in ("rms_db", "peak_dbfs", "true_peak_dbtp", "lufs", "noise_floor_db"):
        assert getattr(ours, name) == pytest.approx(getattr(reference, name), abs=tolerance_db), (
            name
        )
    for name in ("head_s", "tail_s", "duration_s"):
        assert getattr(ours, name) == pytest.approx(getattr(reference, name), abs=1e-9), name


@pytest.fixture(scope="module")
def signal() -> np.ndarray:
    return known_signal()


@pytest.fixture(scope="module")
def reference(signal: np.ndarray) -> Levels:
    return whole_array_levels(signal)


def test_the_known_signal_reads_its_known_levels(reference: Levels) -> None:
    assert reference.head_s == pytest.approx(HEAD_S, abs=1e-9)
    assert reference.tail_s == pytest.approx(TAIL_S, abs=1e-9)
    assert reference.noise_floor_db == pytest.approx(NOISE_DBFS, abs=0.5)
    assert reference.peak_dbfs == pytest.approx(-12.0, abs=0.05)


# 441 is one 10 ms window; 1,000 and 4,097 cut windows, gating steps and the
# true-peak context anywhere; 2**21 is more than the whole signal in one block.
@pytest.mark.parametrize("block", [441, 1_000, 4_097, 65_536, 1 << 21])
def test_streamed_levels_equal_the_whole_array_whatever_the_block_size(
    signal: np.ndarray, reference: Levels, block: int
) -> None:
    assert_same_levels(streamed(signal, block), reference)


def test_irregular_and_empty_blocks_change_nothing(signal: np.ndarray, reference: Levels) -> None:
    cuts = np.cumsum(np.random.default_rng(2).integers(0, 30_000, size=60))
    meter = LevelMeter(SR)
    for piece in np.split(signal, cuts[cuts < len(signal)]):
        meter.feed(piece)
    assert_same_levels(meter.levels(), reference)


def test_measure_of_a_file_equals_the_whole_decoded_array(
    tmp_path: Path, signal: np.ndarray
) -> None:
    flac = tmp_path / "known.flac"
    write_flac(flac, signal, SR)
    mp3 = tmp_path / "known.mp3"
    encode_chapter(flac, mp3, title="t", album="a", artist=None, track=1, total=1)
    for path in (flac, mp3):
        samples, sr = read_audio(path)
        whole = LevelMeter(sr)
        whole.feed(samples)
        m = measure(path)
        from_file = Levels(**{f.name: getattr(m, f.name) for f in fields(Levels)})
        assert_same_levels(from_file, whole.levels())


def test_blocks_of_a_stereo_file_are_its_mono_downmix(tmp_path: Path) -> None:
    stereo = np.random.default_rng(1).uniform(-0.5, 0.5, (10_500, 2)).astype(np.float32)
    path = tmp_path / "stereo.wav"
    sf.write(path, stereo, SR, subtype="FLOAT")
    with open_audio(path, block=1_000) as decoded:
        blocks = list(decoded.blocks)
    assert decoded.sample_rate == SR
    assert [len(b) for b in blocks] == [1_000] * 10 + [500]
    np.testing.assert_array_equal(np.concatenate(blocks), stereo.mean(axis=1, dtype=np.float32))


def test_a_long_file_is_measured_in_flat_memory(tmp_path: Path) -> None:
    # Two minutes at 44.1 kHz decode to 20 MB of float32; streamed, the traced peak
    # (numpy's buffers included) stays near 6 MB whatever the length, and holding
    # the decoded file would alone exceed half of it.
    minute = known_signal(60.0)
    path = tmp_path / "long.flac"
    with sf.SoundFile(path, "w", samplerate=SR, channels=1, subtype="PCM_16") as fh:
        for _ in range(2):
            fh.write(minute)
    decoded_mb = 2 * len(minute) * 4 / 2**20
    tracemalloc.start()
    try:
        m = measure(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert m.duration_s == pytest.approx(120.0)
    assert peak / 2**20 < decoded_mb / 2, f"traced peak {peak / 2**20:.1f} MB"


def test_too_little_audio_is_an_audio_error() -> None:
    meter = LevelMeter(SR)
    meter.feed(np.zeros(SR // 10, np.float32))
    with pytest.raises(AudioError, match="0.4 s"):
        meter.levels()


def test_integer_samples_are_refused() -> None:
    with pytest.raises(AudioError, match=r"float samples in \[-1, 1\]"):
        LevelMeter(SR).feed(np.zeros(SR, np.int16))
