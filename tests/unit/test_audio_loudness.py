"""Loudness meter and mastering: known signals in, known numbers out (ITU-R BS.1770-4).

Mastering streams over blocks of 2**20 samples; the tests that cross block edges
also run with tiny blocks, which must not change a single sample.
"""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import lfilter

from narrator.audio import loudness
from narrator.audio import master as master_module
from narrator.audio.loudness import (
    LoudnessMeter,
    PeakEnvelope,
    integrated_lufs,
    rms_dbfs,
    sample_peak_dbfs,
    true_peak_dbfs,
)
from narrator.audio.master import MasterReport, Premaster
from narrator.config import MASTER_PRESETS, MasterSettings
from narrator.errors import AudioError

SR = 22_050


def master(
    x: np.ndarray, settings: MasterSettings, *, write_block: int = 12_345
) -> tuple[np.ndarray, MasterReport]:
    """Master ``x`` through a :class:`Premaster`, written in ``write_block``-sample pieces."""
    with Premaster(SR) as premaster:
        for start in range(0, len(x), write_block):
            premaster.write(x[start : start + write_block])
        report = premaster.master(settings)
        out = np.concatenate(list(premaster.mastered()))
    return out, report


# ITU-R BS.1770-4 Annex 2, the 4 x 12 taps of the true-peak interpolation filter, typed
# in again from the standard: an oracle independent of the meter's own copy and filter.
ANNEX_2_PHASES = (
    (0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
     0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250,
     0.0148925781250, -0.0083007812500),
    (-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
     0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625,
     0.0330810546875, -0.0189208984375),
    (-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125,
     0.7797851562500, 0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000,
     0.0292968750000, -0.0291748046875),
    (-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750,
     0.9721679687500, 0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125,
     0.0109863281250, 0.0017089843750),
)  # fmt: skip


def whole_envelope(x: np.ndarray) -> np.ndarray:
    """Per sample n: max |x[n]| and |phase p at n| (p = 0..3), each phase a direct-form
    convolution over the whole signal; phase p's output n + 6 lies at n + p/4."""
    x = x.astype(np.float64)
    phases = [np.abs(np.convolve(x, taps))[6 : 6 + len(x)] for taps in ANNEX_2_PHASES]
    return np.maximum(np.abs(x), np.max(phases, axis=0))


def whole_true_peak_dbfs(x: np.ndarray) -> float:
    """True peak of ``x`` upsampled in one piece (no blocks): the streaming meter's reference."""
    return 20 * math.log10(whole_envelope(x).max())


def irregular(x: np.ndarray, seed: int = 0) -> list[np.ndarray]:
    """``x`` cut into pieces of random sizes from 0 to 300,000 samples."""
    cuts = np.cumsum(np.random.default_rng(seed).integers(0, 300_000, size=len(x) // 50_000))
    return np.split(x, cuts[cuts < len(x)])


def sine(freq: float, seconds: float, *, peak_dbfs: float, sr: int = SR, phase: float = 0.0):
    t = np.arange(round(seconds * sr)) / sr
    return (10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def speech_like(seconds: float, *, seed: int = 1, sr: int = SR) -> np.ndarray:
    """Syllable-rate (about 3 Hz) bursts of reddish noise, peak-normalized to 0 dBFS like Piper."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * sr)) / sr
    envelope = np.clip(
        0.7 * np.sin(2 * np.pi * 3.1 * t) + 0.3 * np.sin(2 * np.pi * 0.37 * t), 0, None
    )
    noise = lfilter([1.0], [1.0, -0.9], rng.standard_normal(len(t))) * envelope**2
    return (noise / np.abs(noise).max()).astype(np.float32)


# BS.1770-4: a 997 Hz sine at 0 dBFS in one channel reads -3.01 LKFS, and loudness
# scales with level, so a sine peaking at L dBFS reads L - 3.01 LUFS.
@pytest.mark.parametrize("sr", [22_050, 48_000])
@pytest.mark.parametrize("peak_dbfs", [-20.0, -6.0])
def test_sine_reads_its_known_loudness(sr: int, peak_dbfs: float) -> None:
    lufs = integrated_lufs(sine(997, 10, peak_dbfs=peak_dbfs, sr=sr), sr)
    assert lufs == pytest.approx(peak_dbfs - 3.01, abs=0.1)


def test_streaming_meter_agrees_with_pyloudnorm() -> None:
    # 70 s crosses the 2**20-sample block boundary, where the filter state is carried.
    x = speech_like(70)
    reference = pyloudnorm.Meter(SR).integrated_loudness(x.astype(np.float64))
    assert integrated_lufs(x, SR) == pytest.approx(reference, abs=0.01)


def test_relative_gate_ignores_long_silence() -> None:
    # BS.1770 gating: 20 s of silence after 5 s of tone would lower an ungated mean by
    # 10*log10(25/5) = 7 LU; gated, only the 3 blocks straddling the cut differ.
    tone = sine(997, 5, peak_dbfs=-20)
    padded = np.concatenate([tone, np.zeros(20 * SR, np.float32)])
    assert integrated_lufs(padded, SR) == pytest.approx(integrated_lufs(tone, SR), abs=0.2)


def test_silence_reads_minus_infinity_and_short_input_is_rejected() -> None:
    assert integrated_lufs(np.zeros(SR, np.float32), SR) == -math.inf
    with pytest.raises(AudioError, match="0.4 s"):
        integrated_lufs(np.ones(SR // 10, np.float32), SR)


def test_peak_and_rms_levels() -> None:
    x = sine(1000, 1, peak_dbfs=-6.0)
    assert sample_peak_dbfs(x) == pytest.approx(-6.0, abs=0.01)
    assert rms_dbfs(x) == pytest.approx(-9.01, abs=0.01)  # sine RMS is 3.01 dB under its peak
    assert sample_peak_dbfs(np.zeros(10, np.float32)) == -math.inf


def test_true_peak_finds_the_peak_between_samples() -> None:
    # fs/4 at a 45 degree phase: every sample sits at 0.707 of the true peak (-3.01 dB).
    # A Hann window keeps the cut ends from ringing (Gibbs), which is real overshoot.
    x = sine(12_000, 1, peak_dbfs=0.0, sr=48_000, phase=np.pi / 4) * np.hanning(48_000)
    assert sample_peak_dbfs(x) == pytest.approx(-3.01, abs=0.01)
    assert true_peak_dbfs(x, 48_000) == pytest.approx(0.0, abs=0.1)


def test_master_hits_the_target_and_keeps_true_peak_under_the_ceiling() -> None:
    settings = MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0)
    x = speech_like(30)
    out, report = master(x, settings)
    measured_tp = true_peak_dbfs(out, SR)
    assert integrated_lufs(out, SR) == pytest.approx(-20.0, abs=0.5)
    assert report.lufs == pytest.approx(integrated_lufs(out, SR), abs=1e-9)
    assert measured_tp <= -3.0
    assert report.true_peak_dbfs == pytest.approx(measured_tp, abs=1e-9)
    assert report.peak_dbfs == pytest.approx(sample_peak_dbfs(out), abs=1e-6)
    assert out.dtype == np.float32 and len(out) == len(x)


def test_quiet_input_gets_plain_gain() -> None:
    # A sine peaks 3 dB over its loudness: at -20 LUFS it peaks near -17 dBFS, far
    # under the ceiling, so mastering is one gain (-20 - (-33.01) = +13 dB), shape intact.
    x = sine(997, 5, peak_dbfs=-30)
    out, report = master(x, MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0))
    assert report.gain_db == pytest.approx(-20.0 - integrated_lufs(x, SR), abs=1e-9)
    assert report.gain_db == pytest.approx(13.0, abs=0.1)
    np.testing.assert_allclose(out, x * 10 ** (report.gain_db / 20), atol=1e-6)


def test_preset_none_keeps_the_loudness_and_only_limits_peaks() -> None:
    none = MASTER_PRESETS["none"]
    quiet = sine(997, 5, peak_dbfs=-30)
    out, report = master(quiet, none)
    assert report.gain_db == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(out, quiet, atol=1e-6)  # untouched
    speech = speech_like(20)
    loud = speech / np.abs(speech).max()  # peaks at 0 dBFS, over the -1 dBTP ceiling
    out, report = master(loud, none)
    assert report.lufs == pytest.approx(integrated_lufs(loud, SR), abs=0.5)
    assert whole_true_peak_dbfs(out) <= none.ceiling_dbfs + 0.05


def test_limiter_holds_a_loud_burst_without_clipping() -> None:
    settings = MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0)
    bed = sine(220, 6, peak_dbfs=-30)
    burst = slice(3 * SR, 3 * SR + SR // 2)  # 0.5 s of 1 kHz at full scale
    bed[burst] += sine(1000, 0.5, peak_dbfs=0.0)
    out, _ = master(bed, settings)

    assert true_peak_dbfs(out, SR) <= -3.0
    # Not a clipper: few samples sit at the maximum...
    peak = np.abs(out).max()
    assert np.count_nonzero(np.abs(out) >= 0.999 * peak) < 50
    # ...and the held burst is still a sine: hard clipping at this depth would put
    # the 3 kHz harmonic near -20 dB; a smooth gain leaves it under -50 dB.
    middle = out[3 * SR + SR // 8 : 3 * SR + 3 * SR // 8].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    freqs = np.fft.rfftfreq(len(middle), 1 / SR)
    level = lambda f: spectrum[np.argmin(np.abs(freqs - f))]  # noqa: E731
    assert 20 * np.log10(level(3000) / level(1000)) < -50


def test_master_rejects_silence() -> None:
    with pytest.raises(AudioError, match="silence"):
        master(np.zeros(5 * SR, np.float32), MasterSettings())
    room_tone_only = np.random.default_rng(0).standard_normal(5 * SR).astype(np.float32) * 1e-4
    with pytest.raises(AudioError, match="silence"):
        master(room_tone_only, MasterSettings())


def test_meter_fed_in_any_blocks_agrees_with_pyloudnorm() -> None:
    # 100 s spans three streaming blocks; the pieces fed are of random sizes, some empty.
    x = speech_like(100, seed=3)
    reference = pyloudnorm.Meter(SR).integrated_loudness(x.astype(np.float64))
    meter = LoudnessMeter(SR)
    for piece in irregular(x):
        meter.feed(piece)
    assert meter.lufs() == pytest.approx(reference, abs=0.01)
    assert meter.lufs(gain_db=-6.0) == pytest.approx(reference - 6.0, abs=0.01)
    # Gating is not fooled by the gain: the same blocks pass the gates.
    assert integrated_lufs(x * np.float32(0.5), SR) == pytest.approx(
        meter.lufs(gain_db=20 * math.log10(0.5)), abs=1e-6
    )


def test_peak_envelope_fed_in_any_blocks_matches_one_pass() -> None:
    x = speech_like(40, seed=4)
    envelope = PeakEnvelope()
    pieces = [envelope.feed(piece) for piece in irregular(x)]
    streamed = np.concatenate([*pieces, envelope.finish()])
    whole = whole_envelope(x)
    assert len(streamed) == len(x)
    np.testing.assert_allclose(streamed, whole, rtol=1e-6, atol=1e-9)
    assert true_peak_dbfs(x, SR) == pytest.approx(whole_true_peak_dbfs(x), abs=1e-5)


def test_streaming_master_of_a_long_signal_meets_whole_array_measurements() -> None:
    # 100 s at 22,050 Hz is 2.1 blocks of 2**20 samples: the measurements of the whole
    # output, made without blocks, must agree with the report.
    settings = MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0)
    x = speech_like(100, seed=5)
    out, report = master(x, settings)
    whole_lufs = pyloudnorm.Meter(SR).integrated_loudness(out.astype(np.float64))
    assert report.lufs == pytest.approx(whole_lufs, abs=0.05)
    assert report.lufs == pytest.approx(-20.0, abs=0.1)
    assert report.true_peak_dbfs == pytest.approx(whole_true_peak_dbfs(out), abs=0.1)
    assert whole_true_peak_dbfs(out) <= -3.0
    assert report.peak_dbfs == pytest.approx(20 * math.log10(np.abs(out).max()), abs=1e-4)


def test_block_size_does_not_change_a_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limiter's look-ahead and release cross block edges: tiny blocks, the same master.
    settings = MasterSettings(target_lufs=-18.0, ceiling_dbfs=-3.0)
    x = speech_like(30, seed=6)
    reference, expected = master(x, settings)
    monkeypatch.setattr(loudness, "_BLOCK", 4_099)
    out, report = master(x, settings, write_block=777)
    np.testing.assert_allclose(out, reference, atol=1e-6)
    assert report.gain_db == pytest.approx(expected.gain_db, abs=1e-6)
    assert report.lufs == pytest.approx(expected.lufs, abs=1e-6)


@pytest.mark.parametrize("offset", [-3, 0, 5])
def test_burst_on_a_block_edge_stays_under_the_ceiling(
    offset: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full-scale click and a 1 kHz burst centred on the edge between the first two
    # blocks (2**16 samples here): the look-ahead must see across the edge, or the
    # peak escapes.
    monkeypatch.setattr(loudness, "_BLOCK", 1 << 16)
    settings = MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0)
    x = speech_like(8, seed=7) * np.float32(0.3)
    edge = (1 << 16) + offset
    burst = sine(1000, 0.1, peak_dbfs=-1.0)
    x[edge - len(burst) // 2 : edge - len(burst) // 2 + len(burst)] += burst
    x[edge] = 1.0
    x[edge + 1] = -1.0
    out, report = master(x, settings)
    assert whole_true_peak_dbfs(out) <= -3.0
    assert report.true_peak_dbfs == pytest.approx(whole_true_peak_dbfs(out), abs=0.1)
    # The edge is invisible: with 3**10-sample blocks the burst sits mid-block, same result.
    monkeypatch.setattr(loudness, "_BLOCK", 3**10)
    mid_block, _ = master(x, settings)
    np.testing.assert_allclose(out, mid_block, atol=1e-6)


def test_safety_net_trims_and_the_report_follows(monkeypatch: pytest.MonkeyPatch) -> None:
    # A limiter that aims 1 dB over the ceiling leaves the last step to the safety net:
    # one plain gain, after which the reported levels are the measured ones.
    monkeypatch.setattr(master_module, "_LIMITER_MARGIN_DB", -1.0)
    settings = MasterSettings(target_lufs=-16.0, ceiling_dbfs=-3.0)
    out, report = master(speech_like(20, seed=8), settings)
    assert report.trim_db < -0.5
    assert whole_true_peak_dbfs(out) <= -3.0 - 0.05 + 0.01
    assert report.true_peak_dbfs == pytest.approx(true_peak_dbfs(out, SR), abs=1e-4)
    assert report.lufs == pytest.approx(integrated_lufs(out, SR), abs=1e-4)
    assert report.peak_dbfs == pytest.approx(sample_peak_dbfs(out), abs=1e-4)


def test_premaster_is_used_in_order() -> None:
    with Premaster(SR) as premaster:
        premaster.write(speech_like(2))
        with pytest.raises(AudioError, match="master\\(\\) first"):
            next(premaster.mastered())
        premaster.master(MasterSettings())
        with pytest.raises(AudioError, match="cannot grow"):
            premaster.write(speech_like(1))


def premaster_write(x: np.ndarray) -> None:
    with Premaster(SR) as premaster:
        premaster.write(x)


@pytest.mark.parametrize(
    "entry",
    [
        lambda x: integrated_lufs(x, SR),
        lambda x: true_peak_dbfs(x, SR),
        rms_dbfs,
        sample_peak_dbfs,
        lambda x: LoudnessMeter(SR).feed(x),
        lambda x: PeakEnvelope().feed(x),
        premaster_write,
    ],
    ids=["integrated_lufs", "true_peak_dbfs", "rms_dbfs", "sample_peak_dbfs", "LoudnessMeter",
         "PeakEnvelope", "Premaster"],
)  # fmt: skip
def test_integer_samples_are_refused_with_a_hint_to_convert(entry) -> None:
    # int16 full scale is 32767: measured as is, a quiet sine would read about +67 LUFS.
    pcm = (sine(997, 5, peak_dbfs=-20) * 32767).astype(np.int16)
    with pytest.raises(AudioError, match=r"int16 samples.*float samples in \[-1, 1\]") as error:
        entry(pcm)
    assert "convert to float" in error.value.hint
    assert integrated_lufs(pcm / np.float32(32768), SR) == pytest.approx(-23.01, abs=0.1)
