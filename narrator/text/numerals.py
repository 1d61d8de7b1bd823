"""The numerals chapter headings are numbered with, and their values, in every language.

"CHAPTER XII", "Chapitre premier", "Capítulo 3", "Canto Secondo", "第十二章", "अध्याय एक":
a heading's number is a Roman numeral, digits (any script's: "३", "３"), a number word
or ordinal of one of narrator's languages, or Chinese numerals. Headings are found before
the book's language is known (it is detected from the text they frame), so every
language's words are known at once; they never occur alone after a heading word in
another language's prose.
"""

from __future__ import annotations

import re


def _counted(words: str, first: int = 1) -> dict[str, int]:
    """``words`` (space-separated) numbered from ``first`` on."""
    return {word: n for n, word in enumerate(words.split(), first)}


def _gendered(stems: str) -> dict[str, int]:
    """Ordinals from 1 on, masculine and feminine: "primer" -> primero, primera."""
    return {f"{stem}{ending}": n for n, stem in enumerate(stems.split(), 1) for ending in "oa"}


# Cardinals and ordinals to twenty (and the tens in English), masculine and feminine,
# lower case. The sequence of numbered headings needs values, not only the words.
WORD_VALUES: dict[str, int] = {
    # English
    **_counted(
        "one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
    ),
    **{"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80},
    **{"ninety": 90, "hundred": 100},
    **_counted(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
        "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
        "nineteenth twentieth"
    ),
    # French
    **_counted(
        "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
    ),
    **_counted(
        "deuxième troisième quatrième cinquième sixième septième huitième neuvième "
        "dixième onzième douzième treizième quatorzième quinzième seizième",
        2,
    ),
    **{"une": 1, "vingt": 20, "vingtième": 20, "premier": 1, "première": 1, "seconde": 2},
    # Spanish
    **_counted(
        "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
        "quince dieciséis diecisiete dieciocho diecinueve veinte"
    ),
    **_gendered("primer segund tercer cuart quint sext séptim octav noven décim"),
    **{"una": 1, "primer": 1, "tercer": 3, "undécimo": 11, "duodécimo": 12},
    # Italian
    **_counted(
        "uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
        "quattordici quindici sedici diciassette diciotto diciannove venti"
    ),
    **_gendered("prim second terz quart quint sest settim ottav non decim"),
    **_counted(
        "undicesimo dodicesimo tredicesimo quattordicesimo quindicesimo sedicesimo "
        "diciassettesimo diciottesimo diciannovesimo ventesimo",
        11,
    ),
    # Portuguese
    **_counted(
        "um dois três quatro cinco seis sete oito nove dez onze doze treze catorze "
        "quinze dezesseis dezessete dezoito dezenove vinte"
    ),
    **_gendered("primeir segund terceir quart quint sext sétim oitav non décim"),
    **{"uma": 1, "duas": 2, "quatorze": 14},
    # German
    **_counted("eins zwei drei vier fünf sechs sieben acht neun zehn"),
    # Hindi
    **_counted(
        "एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस बीस"
    ),
    **{"पांच": 5, "छः": 6, "पहला": 1, "दूसरा": 2, "तीसरा": 3, "चौथा": 4},
}

_WORDS = "|".join(sorted(map(re.escape, WORD_VALUES), key=len, reverse=True))
NUMBER_WORD = rf"(?:{_WORDS})(?:-(?:{_WORDS}))?"
"""A number word, or two joined by a hyphen ("twenty-one", "dix-sept"), any case."""

ROMAN = r"[IVXLCDM]+"
DIGITS = r"\d+"  # any script's decimal digits: "12", "१२", "１２"
CHINESE = r"[〇零一二三四五六七八九十百千两]+"

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_CHINESE_DIGITS = {c: v for v, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}


def value(numeral: str) -> int | None:
    """The value of a heading's numeral ("XII" -> 12, "३" -> 3, "première" -> 1,
    "twenty-one" -> 21, "十二" -> 12), or None if it is none of those."""
    if numeral.isdecimal():
        return int(numeral)
    if re.fullmatch(ROMAN, numeral):
        return _roman(numeral)
    if re.fullmatch(CHINESE, numeral):
        return _chinese(numeral)
    parts = [WORD_VALUES.get(part) for part in numeral.lower().split("-")]
    if None in parts or not parts:
        return None
    return sum(p for p in parts if p is not None)


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def _chinese(numeral: str) -> int:
    """十二 -> 12, 二十 -> 20, 一百零五 -> 105; digits alone are positional: 一〇一 -> 101."""
    if not any(c in _CHINESE_UNITS for c in numeral):
        return int("".join(str(_CHINESE_DIGITS[c]) for c in numeral))
    total = digit = 0
    for c in numeral:
        if c in _CHINESE_UNITS:
            total += (digit or 1) * _CHINESE_UNITS[c]
            digit = 0
        else:
            digit = _CHINESE_DIGITS[c]
    return total + digit
