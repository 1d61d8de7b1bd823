"""Loudness measurement (ITU-R BS.1770-4) and mastering: gain to a target, then a limiter.

Every meter is a streaming object fed block by block, so memory does not grow
with the signal: the BS.1770 meter keeps one running energy per 100 ms step
(80 bytes per second of audio), the true-peak meter 32 samples of context.
Mastering (:class:`Premaster`) keeps the unmastered chapter, its true-peak
envelope and the limited result in anonymous scratch files and works through
them in blocks of 2**20 samples, so a 10-hour book masters within the same
memory as a short one. The K-weighting filter design is pyloudnorm's,
so both meters agree to a hundredth of an LU.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
from pyloudnorm.iirfilter import IIRfilter
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly, sosfilt

from narrator.atomic import TMP_PREFIX
from narrator.config import MasterSettings
from narrator.errors import AudioError

__all__ = [
    "LoudnessMeter",
    "MasterReport",
    "PeakEnvelope",
    "Premaster",
    "integrated_lufs",
    "rms_dbfs",
    "sample_peak_dbfs",
    "true_peak_dbfs",
]

# ITU-R BS.1770-4, section 2.
_GATE_BLOCK_S = 0.400  # gating block T_g (eq. 3)
_GATE_STEP = 0.25  # blocks overlap by 75 % (eq. 3)
_ABSOLUTE_GATE_LUFS = -70.0  # Gamma_a (eq. 5)
_RELATIVE_GATE_LU = -10.0  # Gamma_r = gated mean - 10 LU (eq. 6)
_LOUDNESS_OFFSET = -0.691  # makes a 997 Hz sine at 0 dBFS read -3.01 LKFS (eq. 2)

# Streaming block: 2**20 samples (~48 s at 22,050 Hz) keeps each float64 temporary at 8 MB.
_BLOCK = 1 << 20
# BS.1770-4 Annex 2 (true-peak meter): oversample 4x.
_OVERSAMPLE = 4
# resample_poly's default anti-imaging filter reaches 10 input samples either side;
# blocks carry more context than that so block edges never change a result.
_RESAMPLE_CONTEXT = 16

# Limiter. The gain reaches its full reduction over a 5 ms look-ahead (attack) -
# short enough to catch a plosive, long enough that the gain ramp adds no audible
# distortion - and recovers with a 80 ms time constant (release), within the
# usual 50-100 ms for speech so that syllables do not "pump".
_LOOKAHEAD_S = 0.005
_RELEASE_S = 0.080
# The limiter aims this far under the ceiling: the 4x meter and the gain ramp
# each miss a few hundredths of a dB, and 16-bit quantization adds one LSB.
_LIMITER_MARGIN_DB = 0.2
# The final measured true peak must be at least this far under the ceiling.
_CEILING_MARGIN_DB = 0.05
# Limiting lowers the integrated loudness a little; re-aim the gain until within this.
_LUFS_TOLERANCE_LU = 0.1
_MAX_GAIN_PASSES = 4


@dataclass(frozen=True)
class MasterReport:
    """What :meth:`Premaster.master` did and how the result measures."""

    lufs: float  # integrated loudness after mastering, LUFS (BS.1770)
    peak_dbfs: float  # sample peak after mastering, dBFS
    true_peak_dbfs: float  # 4x-oversampled peak after mastering, dBTP
    gain_db: float  # gain applied ahead of the limiter, dB
    trim_db: float = 0.0  # gain after the limiter (<= 0; 0 unless the safety net acted), dB


def _db(power_ratio: float) -> float:
    return 10.0 * math.log10(power_ratio) if power_ratio > 0 else -math.inf


def _blocks(n: int, margin: int = 0) -> Iterator[tuple[int, int, int, int]]:
    """Yield ``(start, end, padded_start, padded_end)`` covering ``range(n)`` in blocks."""
    for start in range(0, n, _BLOCK):
        end = min(n, start + _BLOCK)
        yield start, end, max(0, start - margin), min(n, end + margin)


def _k_weighting(sr: int) -> np.ndarray:
    """BS.1770-4 K-weighting as second-order sections: stage 1 shelf, stage 2 RLB high-pass."""
    shelf = IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, sr, "high_shelf")
    high_pass = IIRfilter(0.0, 0.5, 38.0, sr, "high_pass")
    return np.array([np.concatenate([f.b, f.a]) / f.a[0] for f in (shelf, high_pass)])


class LoudnessMeter:
    """Integrated, gated loudness (ITU-R BS.1770-4) of mono audio at ``sr`` Hz, fed in order.

    Gating needs only each 400 ms block's energy, and the blocks start every
    100 ms, so the meter keeps the running K-weighted energy at every 100 ms step
    edge (one float64 each) and no samples. Blocks of any size may be fed.
    """

    def __init__(self, sr: int) -> None:
        self._sr = sr
        self._sos = _k_weighting(sr)
        self._state = np.zeros((self._sos.shape[0], 2))
        self._fed = 0  # samples fed so far
        self._total = 0.0  # K-weighted energy of those samples
        # _marks[k] = energy before sample _edge(k); block j spans [_edge(j), _edge(j + 4)).
        self._marks: list[np.ndarray] = [np.zeros(1)]
        self._recorded = 1  # edges recorded so far (edge 0 is sample 0)

    def _edge(self, k: np.ndarray) -> np.ndarray:
        """First sample of step ``k``, rounded as pyloudnorm rounds block bounds (eq. 3)."""
        return (_GATE_BLOCK_S * (k * _GATE_STEP) * self._sr).astype(np.int64)

    def feed(self, block: np.ndarray) -> None:
        """Add the next ``block`` of samples (full scale = 1.0)."""
        if len(block) == 0:
            return
        weighted, self._state = sosfilt(self._sos, block.astype(np.float64), zi=self._state)
        running = np.cumsum(np.square(weighted, out=weighted), out=weighted)
        running += self._total
        end = self._fed + len(block)
        step = _GATE_BLOCK_S * _GATE_STEP * self._sr
        k = np.arange(self._recorded, self._recorded + int(len(block) / step) + 2)
        edges = self._edge(k)
        edges = edges[edges <= end]  # every edge before `_recorded` is <= self._fed
        self._marks.append(running[edges - self._fed - 1])
        self._recorded += len(edges)
        self._fed, self._total = end, float(running[-1])

    def lufs(self, gain_db: float = 0.0) -> float:
        """Integrated loudness, in LUFS, of what was fed, played ``gain_db`` dB louder.

        K-weighting is linear, so a gain scales every block's energy; ``gain_db``
        lets a caller know the loudness after a plain gain without measuring again.
        Returns ``-inf`` when no 400 ms block reaches the -70 LUFS absolute gate
        (silence). Raises :class:`AudioError` for less than one gating block.
        """
        n, sr = self._fed, self._sr
        count = int(round((n / sr - _GATE_BLOCK_S) / (_GATE_BLOCK_S * _GATE_STEP))) + 1
        if n < _GATE_BLOCK_S * sr or count < 1:
            raise AudioError(
                f"cannot measure loudness of {n / sr:.3f} s of audio: BS.1770 needs at least 0.4 s"
            )
        marks = np.concatenate(self._marks)
        self._marks = [marks]
        j = np.arange(count)
        # The last block may round past the end; like a slice, it stops there.
        upper = np.where(j + 4 < len(marks), marks[np.minimum(j + 4, len(marks) - 1)], self._total)
        mean_square = (upper - marks[j]) / (_GATE_BLOCK_S * sr)  # z_j (eq. 1)
        mean_square *= 10.0 ** (gain_db / 10.0)
        with np.errstate(divide="ignore"):
            loudness = _LOUDNESS_OFFSET + 10.0 * np.log10(mean_square)  # l_j (eq. 4)
        gated = mean_square[loudness >= _ABSOLUTE_GATE_LUFS]
        if gated.size == 0:
            return -math.inf
        relative_gate = _LOUDNESS_OFFSET + _db(gated.mean()) + _RELATIVE_GATE_LU  # eq. 6
        kept = mean_square[(loudness > relative_gate) & (loudness > _ABSOLUTE_GATE_LUFS)]
        return _LOUDNESS_OFFSET + _db(kept.mean())  # eq. 7


def _oversampled_peaks(block: np.ndarray, oversample: int) -> np.ndarray:
    """For each sample ``n``: max |x| over it and the oversampled points up to ``n + 1``."""
    phases = np.abs(resample_poly(block, oversample, 1)).reshape(-1, oversample)
    # An element-wise maximum over the phase columns is ~5x faster than .max(axis=1).
    peaks = np.abs(block)
    for phase in range(oversample):
        np.maximum(peaks, phases[:, phase], out=peaks)
    return peaks


class PeakEnvelope:
    """Per-sample true-peak envelope (float32) of a signal fed in order, blocks of any size.

    A sample's value is max |x| over its ``oversample``-x upsampled points up to
    the next sample (ITU-R BS.1770-4 Annex 2). It needs 16 samples of context on
    each side, so :meth:`feed` returns the values of all but the last 16 samples
    seen so far that were not returned yet, and :meth:`finish` returns the rest:
    together exactly what one pass over the whole signal gives.
    """

    def __init__(self, oversample: int = _OVERSAMPLE) -> None:
        if oversample < 1:
            raise ValueError(f"need oversample >= 1, got {oversample}")
        self._oversample = oversample
        self._pending = np.zeros(0)  # `_context` returned samples, then unreturned ones
        self._context = 0

    def feed(self, block: np.ndarray) -> np.ndarray:
        """Add ``block``; return the envelope of the samples that now have full context."""
        buffer = np.concatenate([self._pending, block.astype(np.float64)])
        ready = len(buffer) - _RESAMPLE_CONTEXT
        if ready <= self._context:
            self._pending = buffer
            return np.zeros(0, dtype=np.float32)
        peaks = _oversampled_peaks(buffer, self._oversample)[self._context : ready]
        keep = max(0, ready - _RESAMPLE_CONTEXT)
        self._pending, self._context = buffer[keep:], ready - keep
        return peaks.astype(np.float32)

    def finish(self) -> np.ndarray:
        """Return the envelope of the remaining samples: the signal ends after them."""
        buffer, context = self._pending, self._context
        self._pending, self._context = np.zeros(0), 0
        if len(buffer) == context:
            return np.zeros(0, dtype=np.float32)
        return _oversampled_peaks(buffer, self._oversample)[context:].astype(np.float32)


def integrated_lufs(samples: np.ndarray, sr: int) -> float:
    """Integrated, gated loudness of mono ``samples`` at ``sr`` Hz, in LUFS (ITU-R BS.1770-4).

    Returns ``-inf`` when no 400 ms block reaches the -70 LUFS absolute gate
    (silence). Raises :class:`AudioError` for input shorter than one gating block.
    """
    meter = LoudnessMeter(sr)
    for start, end, _, _ in _blocks(len(samples)):
        meter.feed(samples[start:end])
    return meter.lufs()


def sample_peak_dbfs(samples: np.ndarray) -> float:
    """Largest absolute sample value, in dBFS (``-inf`` for digital silence)."""
    if len(samples) == 0:
        return -math.inf
    peak = max(float(samples.max()), -float(samples.min()))
    return 2 * _db(peak)


def rms_dbfs(samples: np.ndarray) -> float:
    """Unweighted RMS level over all of ``samples``, in dBFS (a full-scale sine is -3.01).

    This is the "RMS" of ACX's -23 to -18 dB rule, as Audacity's ACX check measures it.
    """
    if len(samples) == 0:
        return -math.inf
    power = 0.0
    for start, end, _, _ in _blocks(len(samples)):
        block = samples[start:end].astype(np.float64)
        power += float(np.dot(block, block))
    return _db(power / len(samples))


def true_peak_dbfs(samples: np.ndarray, sr: int, oversample: int = _OVERSAMPLE) -> float:
    """True peak of ``samples`` (``sr`` Hz), in dBTP: the peak after ``oversample``-x upsampling.

    ITU-R BS.1770-4 Annex 2 oversamples 4x (to 192 kHz at 48 kHz); an
    inter-sample peak can exceed the largest sample by up to about 3 dB.
    """
    if sr <= 0 or oversample < 1:
        raise ValueError(f"need sr > 0 and oversample >= 1, got sr={sr}, oversample={oversample}")
    envelope = PeakEnvelope(oversample)
    peak = 0.0
    for start, end, _, _ in _blocks(len(samples)):
        peak = max(peak, float(envelope.feed(samples[start:end]).max(initial=0.0)))
    peak = max(peak, float(envelope.finish().max(initial=0.0)))
    return 2 * _db(peak)


class _ScratchFile:
    """Float32 samples in an anonymous temporary file: appended in order, read back by slice.

    The file is unlinked at once (named with :data:`TMP_PREFIX` for the moment it
    has a name), so a killed run leaves nothing behind that could be mistaken for
    a finished file.
    """

    def __init__(self, folder: Path | None) -> None:
        # Closed by close(), which Premaster's __exit__ calls.
        self._file = tempfile.TemporaryFile(prefix=TMP_PREFIX, suffix=".f32", dir=folder)  # noqa: SIM115
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, block: np.ndarray) -> None:
        self._file.seek(0, 2)
        self._file.write(np.ascontiguousarray(block, dtype="<f4").data)
        self._length += len(block)

    def __getitem__(self, index: slice) -> np.ndarray:
        """The samples of a contiguous slice (no step), read from disk."""
        start, stop, _ = index.indices(self._length)
        out = np.empty(max(0, stop - start), dtype="<f4")
        self._file.seek(4 * start)
        if self._file.readinto(out.data) != out.nbytes:
            raise AudioError(f"scratch file {self._file.name}: short read")
        return out

    def clear(self) -> None:
        self._file.seek(0)
        self._file.truncate()
        self._length = 0

    def close(self) -> None:
        self._file.close()


class Premaster:
    """An unmastered mono chapter at ``sr`` Hz, written block by block, then mastered by streaming.

    :meth:`write` appends samples to a scratch file in ``folder`` and, in the same
    pass, feeds the loudness meter and the true-peak envelope (kept in a second
    scratch file, since every gain the limiter tries re-uses it). :meth:`master`
    chooses the gain, leaving the limited chapter in a third scratch file;
    :meth:`mastered` then yields it in blocks of 2**20 samples. Memory stays at a
    few blocks whatever the length; the scratch files take 12 bytes per sample of
    disk (1.9 GB for two hours at 22,050 Hz). Use it as a context manager: the
    scratch files go on exit.
    """

    def __init__(self, sr: int, folder: Path | None = None) -> None:
        self.sr = sr
        self._samples = _ScratchFile(folder)
        self._envelope = _ScratchFile(folder)
        self._output = _ScratchFile(folder)
        self._meter = LoudnessMeter(sr)
        self._peaks: PeakEnvelope | None = PeakEnvelope()
        self._report: MasterReport | None = None

    def __enter__(self) -> Premaster:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for scratch in (self._samples, self._envelope, self._output):
            scratch.close()

    def __len__(self) -> int:
        return len(self._samples)

    def write(self, block: np.ndarray) -> None:
        """Append ``block`` (float samples, full scale = 1.0) to the chapter."""
        if self._peaks is None:
            raise AudioError("the premaster is already being mastered; it cannot grow")
        block = np.asarray(block, dtype=np.float32)
        self._samples.append(block)
        self._meter.feed(block)
        self._envelope.append(self._peaks.feed(block))

    def _seal(self) -> None:
        if self._peaks is not None:
            self._envelope.append(self._peaks.finish())
            self._peaks = None

    def _limited(self, gain_db: float, ceiling_db: float) -> Iterator[np.ndarray]:
        """The chapter x ``gain_db``, through a look-ahead true-peak limiter at ``ceiling_db``.

        For each sample the limiter needs gain r[n] = min(1, ceiling / true_peak[n]).
        The applied gain is r's running minimum over +-H samples, smoothed by two
        boxcars of +-H/2: every weight of that average sits on a minimum whose window
        contains n, so the gain never exceeds r[n] - the ceiling holds - yet it moves
        in an S-curve over 2H samples (the attack, ending on the peak) instead of
        jumping. The release then lets the reduction (in dB) decay exponentially:
        d[n] = max(d_attack[n], d[n-1] * beta), computed without a Python loop as a
        running maximum in the log domain, with d carried from block to block. Each
        block reads the envelope 2H samples beyond its edges, which is all the
        filters reach, so the blocks join exactly. Yields float32 blocks.
        """
        self._seal()
        sr = self.sr
        half = max(2, 2 * round(_LOOKAHEAD_S * sr / 4))  # H, even so the boxcars are centred
        gain = 10.0 ** (gain_db / 20.0)
        threshold = 10.0 ** ((ceiling_db - _LIMITER_MARGIN_DB) / 20.0)
        log_beta = -1.0 / (_RELEASE_S * sr)
        carry = 0.0  # reduction in dB at the previous block's last sample
        for start, end, lo, hi in _blocks(len(self), 2 * half):
            peaks = self._envelope[lo:hi].astype(np.float64)
            peaks *= gain
            with np.errstate(divide="ignore"):
                needed = np.minimum(1.0, threshold / peaks)
            smooth = minimum_filter1d(needed, 2 * half + 1, mode="nearest")
            for _ in range(2):
                smooth = uniform_filter1d(smooth, half + 1, mode="nearest")
            core = slice(start - lo, end - lo)
            with np.errstate(divide="ignore"):
                # Clamp: averaging gains of exactly 1.0 can round to 1 + 1e-16.
                attack_db = np.maximum(-20.0 * np.log10(smooth[core]), 0.0)
                # ln d[n] - n ln(beta) is a running maximum; the carry enters at n = -1.
                t = np.arange(end - start, dtype=np.float64)
                lifted = np.log(attack_db) - t * log_beta
                lifted[0] = max(lifted[0], math.log(carry) + log_beta if carry > 0 else -math.inf)
            reduction_db = np.exp(np.maximum.accumulate(lifted) + t * log_beta)
            carry = float(reduction_db[-1])
            limited = self._samples[start:end] * (gain * 10.0 ** (-reduction_db / 20.0))
            yield limited.astype(np.float32)

    def _limit_to_output(self, gain_db: float, ceiling_db: float) -> LoudnessMeter:
        """Limit the chapter at ``gain_db`` into the output scratch file; return its meter."""
        self._output.clear()
        meter = LoudnessMeter(self.sr)
        for block in self._limited(gain_db, ceiling_db):
            self._output.append(block)
            meter.feed(block)
        return meter

    def _output_peaks(self) -> tuple[float, float]:
        """True peak (4x oversampled) and sample peak of the output scratch file, linear."""
        envelope = PeakEnvelope()
        true_peak = sample_peak = 0.0
        for start, end, _, _ in _blocks(len(self._output)):
            block = self._output[start:end]
            true_peak = max(true_peak, float(envelope.feed(block).max(initial=0.0)))
            sample_peak = max(sample_peak, float(np.abs(block).max()))
        true_peak = max(true_peak, float(envelope.finish().max(initial=0.0)))
        return true_peak, sample_peak

    def master(self, settings: MasterSettings) -> MasterReport:
        """Choose the gain that masters the chapter: ``settings.target_lufs``, true peak limited.

        The input may peak at 0 dBFS (Piper normalizes every sentence to full
        scale). The gain (dB) is re-aimed after limiting until the integrated
        loudness is within 0.1 LU of the target; the limiter (4x-oversampled
        detection, 5 ms look-ahead, 80 ms release) keeps the true peak under
        ``settings.ceiling_dbfs`` without clipping. Each try is one streaming
        pass over the scratch files, and one more measures the true peak of the
        result. Raises :class:`AudioError` for silent input.
        """
        self._seal()
        measured = self._meter.lufs()
        if not math.isfinite(measured):
            raise AudioError(
                f"cannot master {len(self) / self.sr:.1f} s of silence: no 400 ms block reaches "
                f"the BS.1770 gate of {_ABSOLUTE_GATE_LUFS:.0f} LUFS",
                hint="the speech engine returned silent audio; check the engine and its voice",
            )
        # No target (preset "none"): keep the measured loudness, only limit the peaks.
        target = measured if settings.target_lufs is None else settings.target_lufs
        ceiling = settings.ceiling_dbfs
        gain_db = target - measured
        # Secant steps: once the limiter works, 1 dB more gain adds well under 1 LU, so
        # re-aim with the slope measured between the last two passes.
        slope, previous = 1.0, None
        for attempt in range(1, _MAX_GAIN_PASSES + 1):
            meter = self._limit_to_output(gain_db, ceiling)
            lufs = meter.lufs()
            if abs(target - lufs) <= _LUFS_TOLERANCE_LU or attempt == _MAX_GAIN_PASSES:
                break
            if previous is not None and gain_db != previous[0]:
                slope = min(1.0, max(0.05, (lufs - previous[1]) / (gain_db - previous[0])))
            previous = (gain_db, lufs)
            gain_db += (target - lufs) / slope
        true_peak, sample_peak = (2 * _db(peak) for peak in self._output_peaks())
        # Safety net: a plain gain change, never a clip, so the peak is provably under.
        trim_db = min(0.0, ceiling - _CEILING_MARGIN_DB - true_peak)
        self._report = MasterReport(
            lufs=meter.lufs(trim_db),
            peak_dbfs=sample_peak + trim_db,
            true_peak_dbfs=true_peak + trim_db,
            gain_db=gain_db,
            trim_db=trim_db,
        )
        return self._report

    def mastered(self) -> Iterator[np.ndarray]:
        """Yield the chapter as the last :meth:`master` call mastered it, in float32 blocks."""
        if self._report is None:
            raise AudioError("the premaster has not been mastered yet; call master() first")
        trim = np.float32(10.0 ** (self._report.trim_db / 20.0))
        for start, end, _, _ in _blocks(len(self._output)):
            block = self._output[start:end]
            if trim != 1:
                block *= trim
            yield block
