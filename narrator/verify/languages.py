"""How a round trip in a language other than English is judged: its thresholds, in the
units it is compared in (``narrator.verify.units``: words, or the sounds of characters).

English keeps its own rules in ``narrator.verify.scoring``, measured on tiny.en; every
other language is heard by Whisper base, which makes other mistakes at other rates, so
each language's numbers are measured on clean Kokoro speech of real prose in that
language (``bench/bench_language_thresholds.py``), not carried over from English.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrator.text.language import primary


@dataclass(frozen=True)
class HearingRules:
    """The allowances of one language's round trip; counts are in its units."""

    errors_base: int
    """Unit errors always tolerated, however short the text."""
    error_rate: float
    """Unit errors tolerated per unit of the text, on top of ``errors_base``."""
    max_missing_in_a_row: int
    """Most units that may be missing (or extra) in one stretch of errors."""
    max_misheard_in_a_row: int
    """Most consecutive units of the text that may be misheard in one run."""
    units_per_word: int
    """Units to a word, about: the lengths of ``narrator.verify.repetition`` (a phrase
    of two words said twice) are that many units."""
    seconds_per_unit: float
    """Kokoro's speaking time per unit at speed 1.0 (per letter of the words, or per
    character of a language scored by characters), for the duration bounds."""


RULES: dict[str, HearingRules] = {
    "es": HearingRules(2, 0.10, 3, 6, 2, 0.060),
    "fr": HearingRules(2, 0.10, 3, 6, 2, 0.060),
    "it": HearingRules(2, 0.10, 3, 6, 2, 0.060),
    "pt": HearingRules(2, 0.10, 3, 6, 2, 0.060),
    "hi": HearingRules(5, 0.10, 8, 12, 6, 0.100),
    "zh": HearingRules(3, 0.10, 6, 10, 4, 0.220),
    "ja": HearingRules(3, 0.10, 8, 12, 6, 0.120),
}
"""Each measured language's rules, by primary subtag (provisional: being measured)."""

UNMEASURED = HearingRules(2, 0.15, 3, 6, 2, 0.060)
"""A language Whisper base hears but nobody measured (a remote engine's): the loosest
of the measured word languages' allowances."""


def rules_for(language: str) -> HearingRules:
    """The rules of ``language`` (a BCP 47 tag other than English)."""
    return RULES.get(primary(language), UNMEASURED)
