"""Sample-rate conversion by an exact rational ratio (polyphase, scipy's ``resample_poly``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np


def resample(samples: np.ndarray, rate: int, target_rate: int) -> np.ndarray:
    """``samples`` at ``rate`` Hz, converted to ``target_rate`` Hz (mono float32).

    The ratio is reduced exactly (22,050 -> 16,000 Hz is 320/441, 22,050 -> 24,000 Hz is
    160/147), so the output has exactly ``len(samples) * target_rate / rate`` samples,
    rounded up. The polyphase filter overshoots full scale slightly near clipped peaks:
    clip before converting to integers.
    """
    if rate == target_rate:
        return samples
    # Imported here: scipy.signal takes seconds to import, and every CLI command imports
    # modules that use this one before it can report a bad setting.
    from scipy.signal import resample_poly

    ratio = Fraction(target_rate, rate)
    return resample_poly(samples, ratio.numerator, ratio.denominator).astype(np.float32, copy=False)
