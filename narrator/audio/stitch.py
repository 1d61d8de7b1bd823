"""Join a chapter's pieces of speech with pauses, without clicks, over room tone.

Every piece is DC-corrected, trimmed to its audible part, and faded in and out
with a short raised-cosine ramp, then added into one preallocated buffer that
already holds low-level room tone. Nothing is concatenated piece by piece, so the
cost is linear in the chapter's length.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from narrator.config import PauseSettings
from narrator.errors import AudioError
from narrator.models import Boundary

__all__ = ["room_tone", "stitch", "trim_silence"]

# RMS window of the silence detector: 10 ms is shorter than any phoneme but long
# enough that one zero crossing inside a word is not mistaken for silence.
_TRIM_WINDOW_S = 0.010
# Raised-cosine fade at every join; 10 ms removes the step (click) without
# audibly softening an onset.
_FADE_S = 0.010
# Room tone between pieces, dBFS RMS. ACX requires a noise floor of at most -60 dB;
# -75 dBFS leaves 15 dB of headroom for the mastering gain, and still sits about
# 6 LSB above 16-bit quantization, so it survives the FLAC master (issue #2).
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


def room_tone(n: int, *, level_dbfs: float = ROOM_TONE_DBFS) -> np.ndarray:
    """Return ``n`` samples of deterministic white noise at ``level_dbfs`` RMS (float32).

    Digital zero between sentences sounds like a dropout on headphones, and ACX
    rejects files whose pauses are not room tone; a fixed seed keeps stitching
    reproducible (same input, same samples, same content hash).
    """
    rng = np.random.default_rng(_ROOM_TONE_SEED)
    tone = rng.standard_normal(n, dtype=np.float32)
    tone *= _to_linear(level_dbfs)
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


def stitch(
    pieces: Sequence[tuple[np.ndarray, Boundary]], sr: int, pauses: PauseSettings
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Join ``pieces`` (mono samples, boundary after it) into one chapter at ``sr`` Hz.

    Layout: ``pauses.head`` seconds, then each piece followed by the pause for its
    boundary (seconds, from ``pauses``). The last piece is always followed by
    ``pauses.tail``, since the chapter ends there whatever its boundary says (ACX
    wants 1-5 s of room tone at the tail). Each piece has its DC offset removed,
    is trimmed with :func:`trim_silence`, and gets a 10 ms raised-cosine fade at
    both ends; pauses hold room tone at -75 dBFS RMS, which also runs quietly
    under the speech so the floor never switches on and off.

    Returns the float32 chapter samples and each piece's ``(start_s, end_s)`` in
    seconds within them, in input order.
    """
    if not pieces:
        raise AudioError("nothing to stitch: the chapter has no audio pieces")
    last = len(pieces) - 1
    trimmed = []
    gaps = []
    for i, (samples, boundary) in enumerate(pieces):
        centred = np.asarray(samples, dtype=np.float32)
        centred = centred - np.float32(centred.mean()) if centred.size else centred
        trimmed.append(trim_silence(centred, sr))
        gaps.append(round((pauses.tail if i == last else _pause_s(boundary, pauses)) * sr))

    head = round(pauses.head * sr)
    out = room_tone(head + sum(len(t) for t in trimmed) + sum(gaps))
    fade = round(_FADE_S * sr)
    spans = []
    pos = head
    for piece, gap in zip(trimmed, gaps, strict=True):
        # `piece` is a slice of this function's own DC-corrected copy, so fading it
        # in place never touches the caller's arrays.
        _fade_edges(piece, fade)
        out[pos : pos + len(piece)] += piece
        spans.append((pos / sr, (pos + len(piece)) / sr))
        pos += len(piece) + gap
    return out, spans
