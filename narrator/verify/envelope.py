"""A chunk's energy envelope: frame levels, and where it is silent.

The audio detectors (``silence``, ``edges``, ``rate``) all read it. Levels are relative
to the chunk's own speech level, so they do not depend on the engine's loudness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FRAME_S = 0.01
"""Frame length of the envelope, seconds: a tenth of a short syllable."""

SPEECH_PERCENTILE = 95
"""The chunk's speech level is this percentile of its frame levels (the loud vowels)."""

SILENT_BELOW_DB = 40.0
"""A frame is silent when it is this many dB below the chunk's speech level.

Piper's pauses are digital zeros and its quietest consonants sit 30-35 dB below the
vowels; a remote engine's pauses carry its noise floor, 50-70 dB down.
"""

FLOOR_DBFS = -120.0
"""Level given to digital silence, dBFS (log of zero)."""


@dataclass(frozen=True)
class Envelope:
    """Frame levels of a chunk in dBFS, ``FRAME_S`` seconds each."""

    levels_db: NDArray[np.float64]
    speech_db: float  # the chunk's speech level, dBFS

    @property
    def duration_s(self) -> float:
        """Length covered by the frames, seconds."""
        return len(self.levels_db) * FRAME_S

    @property
    def silent(self) -> NDArray[np.bool_]:
        """Which frames are silent."""
        return self.levels_db < self.speech_db - SILENT_BELOW_DB

    def silences(self, min_s: float) -> list[tuple[float, float]]:
        """Silent stretches of at least ``min_s`` seconds, as (start, end) seconds; the
        lead and tail silence included."""
        silent = np.concatenate(([False], self.silent, [False])).astype(np.int8)
        edges = np.flatnonzero(np.diff(silent))
        runs = zip(edges[::2], edges[1::2], strict=True)
        return [(a * FRAME_S, b * FRAME_S) for a, b in runs if (b - a) * FRAME_S >= min_s]

    def internal_silences(self, min_s: float) -> list[tuple[float, float]]:
        """Silent stretches of at least ``min_s`` seconds with sound on both sides."""
        end = self.duration_s - FRAME_S / 2
        return [(a, b) for a, b in self.silences(min_s) if a > 0 and b < end]


def envelope(samples: NDArray[np.floating], sample_rate: int) -> Envelope:
    """The envelope of mono ``samples`` at ``sample_rate`` Hz (a trailing part frame
    is dropped)."""
    size = max(1, round(FRAME_S * sample_rate))
    frames = len(samples) // size
    blocks = np.asarray(samples[: frames * size], dtype=np.float64).reshape(frames, size)
    power = np.mean(blocks**2, axis=1)
    levels = np.maximum(10 * np.log10(np.maximum(power, 1e-30)), FLOOR_DBFS)
    speech = float(np.percentile(levels, SPEECH_PERCENTILE)) if frames else FLOOR_DBFS
    return Envelope(levels_db=levels, speech_db=speech)
