"""Mastering: gain to a loudness target, then a true-peak limiter, streamed through scratch files.

:class:`Premaster` keeps the unmastered chapter, its true-peak envelope and the
limited result in anonymous scratch files and works through them in blocks of
2**20 samples, so a 10-hour book masters within the same memory as a short one.
Its meters are those of :mod:`narrator.audio.loudness`.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from narrator.atomic import TMP_PREFIX
from narrator.audio.loudness import (
    ABSOLUTE_GATE_LUFS,
    LoudnessMeter,
    PeakEnvelope,
    block_ranges,
    power_db,
    require_float,
)
from narrator.config import MasterSettings
from narrator.errors import AudioError

__all__ = ["MasterReport", "Premaster"]

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
        require_float(block)
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
        for start, end, lo, hi in block_ranges(len(self), 2 * half):
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
        for start, end, _, _ in block_ranges(len(self._output)):
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
                f"the BS.1770 gate of {ABSOLUTE_GATE_LUFS:.0f} LUFS",
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
        true_peak, sample_peak = (2 * power_db(peak) for peak in self._output_peaks())
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
        for start, end, _, _ in block_ranges(len(self._output)):
            block = self._output[start:end]
            if trim != 1:
                block *= trim
            yield block
