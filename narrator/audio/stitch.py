"""Join a chapter's pieces of speech with pauses, without clicks, over room tone.

Every piece is DC-corrected, trimmed to its audible part, and faded in and out
with a short raised-cosine ramp, then added onto low-level room tone and passed
on (to a file) at once: memory holds one piece, whatever the chapter's length.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from narrator.config import PauseSettings
from narrator.errors import AudioError
from narrator.models import Boundary

__all__ = ["RoomTone", "Stitcher", "trim_silence"]

# RMS window of the silence detector: 10 ms is shorter than any phoneme but long
# enough that one zero crossing inside a word is not mistaken for silence.
_TRIM_WINDOW_S = 0.010
# Raised-cosine fade at every join; 10 ms removes the step (click) without
# audibly softening an onset.
_FADE_S = 0.010
# Room tone between pieces, dBFS RMS. ACX requires a noise floor of at most -60 dB;
# -75 dBFS leaves 15 dB of headroom for the mastering gain, and still sits about
# 6 LSB above 16-bit quantization, so it survives the FLAC master.
ROOM_TONE_DBFS = -75.0
_ROOM_TONE_SEED = 20240601  # fixed: the same chapter always stitches to the same samples


def _to_linear(dbfs: float) -> float:
    return float(10.0 ** (dbfs / 20.0))


def trim_silence(
    samples: np.ndarray, sr: int, *, threshold_dbfs: float = -45.0, keep_s: float = 0.03
) -> np.ndarray:
    """Return ``samples`` without leading and trailing audio quieter than ``threshold_dbfs``.

    Loudness is the RMS over a sliding 10 ms window (dBFS, full-scale sine = -3 dB),
    so isolated clicks and zero crossings do not decide the cut. ``keep_s`` seconds
    of the quiet edge are kept on each side so that soft onsets and decays survive.
    ``sr`` is the sample rate in Hz. Returns a view; an all-quiet input gives an
    empty array.
    """
    window = max(1, round(_TRIM_WINDOW_S * sr))
    if len(samples) < window:
        return samples[:0]
    energy = np.empty(len(samples) + 1)
    energy[0] = 0.0
    np.cumsum(np.square(samples, dtype=np.float64), out=energy[1:])
    mean_square = (energy[window:] - energy[:-window]) / window
    loud = np.flatnonzero(mean_square >= _to_linear(threshold_dbfs) ** 2)
    if loud.size == 0:
        return samples[:0]
    keep = round(keep_s * sr)
    start = max(0, int(loud[0]) - keep)
    end = min(len(samples), int(loud[-1]) + window + keep)
    return samples[start:end]


class RoomTone:
    """Deterministic white noise at ``level_dbfs`` RMS (float32), drawn in consecutive pieces.

    Digital zero between sentences sounds like a dropout on headphones, and ACX
    rejects files whose pauses are not room tone; a fixed seed keeps stitching
    reproducible (same input, same samples, same content hash). Drawing ``a``
    then ``b`` samples gives exactly the ``a + b`` samples of one draw.
    """

    def __init__(self, *, level_dbfs: float = ROOM_TONE_DBFS) -> None:
        self._rng = np.random.default_rng(_ROOM_TONE_SEED)
        self._level = np.float32(_to_linear(level_dbfs))

    def take(self, n: int) -> np.ndarray:
        """The next ``n`` samples of the tone."""
        tone = self._rng.standard_normal(n, dtype=np.float32)
        tone *= self._level
        return tone


def _pause_s(boundary: Boundary, pauses: PauseSettings) -> float:
    return {
        Boundary.CLAUSE: pauses.clause,
        Boundary.SENTENCE: pauses.sentence,
        Boundary.PARAGRAPH: pauses.paragraph,
        Boundary.SCENE: pauses.scene,
        Boundary.END: pauses.tail,
    }[boundary]


def _fade_edges(piece: np.ndarray, n: int) -> None:
    """Apply an ``n``-sample raised-cosine fade-in and fade-out to ``piece`` in place."""
    n = min(n, len(piece) // 2)
    if n == 0:
        return
    ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)).astype(piece.dtype)
    piece[:n] *= ramp
    piece[-n:] *= ramp[::-1]


class Stitcher:
    """Join a chapter's pieces of speech (mono, ``sr`` Hz) one at a time, passing on the samples.

    Layout: ``pauses.head`` seconds, then each piece followed by the pause for its
    boundary (seconds, from ``pauses``). The last piece is always followed by
    ``pauses.tail``, since the chapter ends there whatever its boundary says (ACX
    wants 1-5 s of room tone at the tail). Each piece has its DC offset removed,
    is trimmed with :func:`trim_silence`, and gets a 10 ms raised-cosine fade at
    both ends; pauses hold room tone at -75 dBFS RMS, which also runs quietly
    under the speech so the floor never switches on and off.

    Finished float32 samples go to ``write`` in order, a pause or a piece at a
    time, so memory holds one piece whatever the chapter's length.
    """

    def __init__(self, sr: int, pauses: PauseSettings, write: Callable[[np.ndarray], None]) -> None:
        self._sr = sr
        self._pauses = pauses
        self._write = write
        self._tone = RoomTone()
        self._fade = round(_FADE_S * sr)
        self._gap = round(pauses.head * sr)  # room tone owed before the next piece, samples
        self._position = 0  # samples written
        self._pieces = 0

    def _emit_tone(self, n: int) -> None:
        if n > 0:
            self._write(self._tone.take(n))
            self._position += n

    def add(
        self, samples: np.ndarray, boundary: Boundary, *, trim: bool = True
    ) -> tuple[float, float]:
        """Append the next piece and the boundary after it; return its ``(start_s, end_s)``.

        The times are seconds from the start of the chapter. ``samples`` is left
        unchanged; a piece with no audible part keeps its place as an empty span, unless
        ``trim`` is False: then it is kept whole (a silence standing in for a chunk keeps
        the chunk's length, as room tone).
        """
        centred = np.asarray(samples, dtype=np.float32)
        centred = centred - np.float32(centred.mean()) if centred.size else centred
        # A slice of this method's own DC-corrected copy: fading it in place never
        # touches the caller's array.
        piece = trim_silence(centred, self._sr) if trim else centred
        _fade_edges(piece, self._fade)
        self._emit_tone(self._gap)
        start = self._position
        if len(piece):
            block = self._tone.take(len(piece))
            block += piece
            self._write(block)
            self._position += len(piece)
        self._gap = round(_pause_s(boundary, self._pauses) * self._sr)
        self._pieces += 1
        return start / self._sr, self._position / self._sr

    def finish(self) -> int:
        """End the chapter with ``pauses.tail`` of room tone; return its length in samples."""
        if not self._pieces:
            raise AudioError("nothing to stitch: the chapter has no audio pieces")
        self._emit_tone(round(self._pauses.tail * self._sr))
        return self._position
