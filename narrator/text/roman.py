"""Roman numerals: the pattern of the ones prose uses and their values."""

from __future__ import annotations

# A valid Roman numeral from 1 to 39 (enough for chapters, parts, centuries and every
# monarch and pope).
ROMAN_NUMERAL = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?<=[IVX])"

_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral: str) -> int:
    """'XLII' -> 42."""
    values = [_VALUES[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))
