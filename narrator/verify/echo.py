"""Echo: audio that says again what was said just before it (a phrase said twice).

Frames of the log spectrum are compared with the frames one lag earlier and later, for
lags of a short phrase; a phrase said twice matches itself frame by frame at its own
length, while speech that goes on, or noise, does not.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from narrator.verify.envelope import FRAME_S, Envelope

HOP_S = FRAME_S / 2
"""Hop of the spectrum frames, seconds: half an envelope frame, so that a copy shifted by
any number of samples still lines up within 2.5 ms."""

LAGS_S = (0.3, 3.0)
"""Shortest and longest phrase looked for, seconds."""

SIMILAR = 0.9
"""Cosine similarity of two log-spectrum frames (their means removed) that counts as
the same sound."""

ECHO_S = 0.3
"""Voiced seconds in a row that must match a lag earlier or later for a stretch to repeat.

On ``bench/bench_defects.py`` the stretches tiny.en left unaccounted in clean chunks
matched at most 0.22 s in a row (a sound the voice makes alike twice), those of a
repeated phrase 0.38-1.1 s, those of a sentence replaced by noise at most 0.14 s.
"""


def echo_s(
    samples: NDArray[np.floating], sample_rate: int, env: Envelope, start_s: float, end_s: float
) -> float:
    """The longest run of voiced seconds within 0.5 s of the stretch ``start_s``-``end_s``
    (seconds) that matches the audio one phrase length (``LAGS_S``) earlier or later."""
    from scipy.signal import stft  # seconds to import; only needed once a stretch is found

    hop = max(1, round(HOP_S * sample_rate))
    # Only the stretch, its margins and a longest lag either side are compared.
    offset = max(0, round((start_s - 0.5 - LAGS_S[1]) / HOP_S))
    stop = round((end_s + 0.5 + LAGS_S[1]) / HOP_S) + 1
    _, _, spectrum = stft(samples[offset * hop : stop * hop], sample_rate, nperseg=2 * hop,
                          noverlap=hop, boundary=None, padded=False)  # fmt: skip
    frames = np.log(np.abs(spectrum.T) + 1e-6)
    frames -= frames.mean(axis=1, keepdims=True)
    frames /= np.linalg.norm(frames, axis=1, keepdims=True) + 1e-9
    at = np.minimum((offset + np.arange(len(frames))) // 2, len(env.silent) - 1)
    voiced = ~env.silent[at]
    first = max(0, round((start_s - 0.5) / HOP_S) - offset)
    last = min(len(frames), round((end_s + 0.5) / HOP_S) - offset)
    longest = 0
    for lag in range(round(LAGS_S[0] / HOP_S), round(LAGS_S[1] / HOP_S) + 1):
        for sign in (-1, 1):
            here = np.arange(max(first, lag if sign < 0 else 0),
                             min(last, len(frames) - lag if sign > 0 else last))  # fmt: skip
            if not len(here):
                continue
            similar = np.sum(frames[here] * frames[here + sign * lag], axis=1) > SIMILAR
            longest = max(longest, _longest_run(similar & voiced[here]))
    return longest * HOP_S


def _longest_run(flags: NDArray[np.bool_]) -> int:
    """The most True values in a row."""
    padded = np.concatenate(([0], flags.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0
