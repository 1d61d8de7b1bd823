"""Every level the compliance checker reads, measured from a mono signal fed block by block.

:class:`LevelMeter` takes blocks of any size, in order, and keeps no samples: the
BS.1770 loudness meter and the true-peak envelope of :mod:`narrator.audio.loudness`,
running sums for the RMS and the sample peak, the ten quietest 50 ms windows for
the noise floor, and the first and last loud 10 ms window for the room tone at
the head and the tail. A two-hour chapter measures in the memory of one block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from narrator.audio.loudness import (
    LoudnessMeter,
    PeakEnvelope,
    block_ranges,
    power_db,
    require_float,
)

__all__ = ["SPEECH_THRESHOLD_DBFS", "LevelMeter", "Levels"]

# Room-tone detector: RMS over 10 ms windows against -45 dBFS, the window and the
# default threshold of narrator.audio.stitch.trim_silence. -45 dBFS sits 15 dB
# above ACX's -60 dB noise-floor limit, so room tone never counts as speech.
_EDGE_WINDOW_S = 0.010
SPEECH_THRESHOLD_DBFS = -45.0
# Noise floor: the quietest 0.5 s, like Audacity's "ACX Check" plug-in (W. McCown,
# 2015: "NoiseFloor - the RMS level of the quietest 500 mS in the selection"), but
# gathered from 50 ms windows so the short pauses between words count too.
_NOISE_WINDOWS_PER = 5  # 10 ms windows in one 50 ms window
_NOISE_WINDOWS = 10  # 50 ms windows in the 0.5 s span


@dataclass(frozen=True)
class Levels:
    """What a signal measures; see :class:`narrator.audio.check.Measurement` for each rule."""

    rms_db: float  # unweighted RMS over the whole signal, dBFS (sine = -3.01)
    peak_dbfs: float  # largest sample, dBFS
    true_peak_dbtp: float  # 4x-oversampled peak (BS.1770 Annex 2), dBTP
    lufs: float  # integrated gated loudness (BS.1770-4), LUFS
    noise_floor_db: float  # RMS of the quietest 0.5 s, dBFS
    head_s: float  # room tone before the first speech, seconds
    tail_s: float  # room tone after the last speech, seconds
    duration_s: float  # seconds


class LevelMeter:
    """Measures mono float samples at ``sr`` Hz fed in order; :meth:`levels` after the last block.

    The 10 ms windows are whole, non-overlapping and counted from the first
    sample, so a block edge inside a window carries its samples over to the next
    block; the result does not depend on how the signal is cut.
    """

    def __init__(self, sr: int) -> None:
        self._sr = sr
        self._window = round(_EDGE_WINDOW_S * sr)  # samples per 10 ms window
        self._loudness = LoudnessMeter(sr)
        self._envelope = PeakEnvelope()
        self._fed = 0  # samples
        self._energy = 0.0  # sum of squares of the whole 10 ms windows
        self._peak = 0.0  # largest |sample|
        self._true_peak = 0.0  # largest true-peak envelope value
        self._partial = np.zeros(0, np.float32)  # samples of the unfinished 10 ms window
        self._windows = 0  # whole 10 ms windows so far
        self._loud: tuple[int, int] | None = None  # first and last loud 10 ms window
        self._partial_powers = np.zeros(0)  # 10 ms powers of the unfinished 50 ms window
        self._quietest = np.zeros(0)  # powers of the quietest 50 ms windows so far

    @property
    def duration_s(self) -> float:
        """Seconds fed so far."""
        return self._fed / self._sr

    def feed(self, samples: np.ndarray) -> None:
        """Add the next samples (float, full scale = 1.0), in pieces of at most 2**20."""
        require_float(samples)
        for start, end, _, _ in block_ranges(len(samples)):
            self._feed(samples[start:end])

    def _feed(self, block: np.ndarray) -> None:
        self._loudness.feed(block)
        self._true_peak = max(self._true_peak, float(self._envelope.feed(block).max(initial=0.0)))
        self._peak = max(self._peak, float(block.max()), -float(block.min()))
        self._fed += len(block)
        self._windows_fed(np.concatenate([self._partial, block]))

    def _windows_fed(self, samples: np.ndarray) -> None:
        """Account for the whole 10 ms windows in ``samples``; keep the rest for later."""
        whole = len(samples) // self._window * self._window
        self._partial = samples[whole:]
        # The RMS energy comes from the window sums too. np.dot would call BLAS, whose
        # threads spin between calls: measuring in 1.5 s blocks took 2-3x longer so.
        sums = np.square(samples[:whole], dtype=np.float64).reshape(-1, self._window).sum(1)
        self._energy += float(sums.sum())
        powers = sums / self._window
        loud = np.flatnonzero(powers >= 10.0 ** (SPEECH_THRESHOLD_DBFS / 10.0))
        if loud.size:
            first = self._loud[0] if self._loud else self._windows + int(loud[0])
            self._loud = (first, self._windows + int(loud[-1]))
        self._windows += len(powers)
        # Noise floor: group into 50 ms windows, keep only the quietest few.
        powers = np.concatenate([self._partial_powers, powers])
        whole = len(powers) // _NOISE_WINDOWS_PER * _NOISE_WINDOWS_PER
        self._partial_powers = powers[whole:]
        grouped = np.concatenate(
            [self._quietest, powers[:whole].reshape(-1, _NOISE_WINDOWS_PER).mean(1)]
        )
        if len(grouped) > _NOISE_WINDOWS:
            grouped = np.partition(grouped, _NOISE_WINDOWS - 1)[:_NOISE_WINDOWS]
        self._quietest = grouped

    def levels(self) -> Levels:
        """The levels of everything fed. Raises :class:`AudioError` below 0.4 s (BS.1770)."""
        lufs = self._loudness.lufs()  # raises first: 0.4 s holds eight 50 ms windows
        tail = self._envelope.finish()
        self._true_peak = max(self._true_peak, float(tail.max(initial=0.0)))
        duration_s = self.duration_s
        partial = self._partial.astype(np.float64)  # the samples after the last whole window
        if self._loud is None:  # no speech: all of it is room tone
            head_s = tail_s = duration_s
        else:
            head_s = self._loud[0] * _EDGE_WINDOW_S
            tail_s = max(0.0, duration_s - (self._loud[1] + 1) * _EDGE_WINDOW_S)
        return Levels(
            rms_db=power_db((self._energy + float(np.square(partial).sum())) / self._fed),
            peak_dbfs=2 * power_db(self._peak),
            true_peak_dbtp=2 * power_db(self._true_peak),
            lufs=lufs,
            noise_floor_db=power_db(float(self._quietest.mean())),
            head_s=head_s,
            tail_s=tail_s,
            duration_s=duration_s,
        )
