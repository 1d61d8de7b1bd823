"""Text as it is said in Hindi: numbers, money, percentages and abbreviations in words.

Devanagari digits (०-९) are numbers like Arabic ones; grouping commas may be Indian
("1,00,000") or Western ("100,000"); a decimal is read digit by digit after "दशमलव"
(point); a year from 1100 to 1999 is said in hundreds ("1947" -> "उन्नीस सौ सैंतालीस").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from narrator.text.numbers_hi import UNITS, cardinal, year
from narrator.text.roman import ROMAN_NUMERAL, roman_to_int

_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_GROUPED = r"\d{1,3}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+"
_AMOUNT = rf"(?:{_GROUPED}|\d+)(?:\.\d{{1,2}})?(?!\d)"
# "₹500", "रु. 500", "Rs. 500", "Rs 500", "500 रुपये" is already words.
_RUPEES = re.compile(rf"(?:₹|रु\.?|Rs\.?)\s?({_AMOUNT})")
_FOREIGN = {"$": "डॉलर", "€": "यूरो", "£": "पाउंड"}
_FOREIGN_MONEY = re.compile(rf"([$€£])\s?({_AMOUNT})")
_PERCENT = re.compile(rf"({_GROUPED}|\d+(?:\.\d+)?)\s?%")
# "10:30" and "10:30 बजे" -> "दस बजकर तीस मिनट" (the "बजे" is in the words already).
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])(?: ?बजे)?")
_NUMBER = re.compile(rf"(?<![\w.])({_GROUPED}|\d+)(?:\.(\d+))?(?!\d)")
_HEADING = re.compile(rf"(अध्याय|भाग|खंड|खण्ड|पाठ|सर्ग)(\s+)({ROMAN_NUMERAL})\b")
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"डॉ\.|डा\."), "डॉक्टर"),
    (re.compile(r"प्रो\."), "प्रोफ़ेसर"),
    (re.compile(r"ई\.\s?पू\."), "ईसा पूर्व"),
    (re.compile(r"(?<=\d )ई\.|(?<=\d)ई\."), "ईसवी"),
    (re.compile(r"&"), " और "),
)


def _number(whole: str, fraction: str | None = None) -> str:
    words = cardinal(int(whole.replace(",", "")))
    if fraction:  # "3.14" -> "तीन दशमलव एक चार"
        words += " दशमलव " + " ".join(UNITS[int(d)] for d in fraction)
    return words


def _rupees(m: re.Match[str]) -> str:
    whole, _, paise = m.group(1).partition(".")
    rupees = int(whole.replace(",", ""))
    said = f"{cardinal(rupees)} {'रुपया' if rupees == 1 else 'रुपये'}"
    if paise and int(paise.ljust(2, "0")):
        said += f" {cardinal(int(paise.ljust(2, '0')))} पैसे"
    return said


def _integer(m: re.Match[str]) -> str:
    whole, fraction = m.group(1), m.group(2)
    if not fraction and len(whole) == 4:
        return year(int(whole))
    return _number(whole, fraction)


def _time(m: re.Match[str]) -> str:
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours > 24 or minutes > 59:
        return m.group(0)
    if not minutes:
        return f"{cardinal(hours)} बजे"
    return f"{cardinal(hours)} बजकर {cardinal(minutes)} मिनट"


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    *((pattern, lambda m, said=said: said) for pattern, said in _ABBREVIATIONS),
    (_HEADING, lambda m: m.group(1) + m.group(2) + cardinal(roman_to_int(m.group(3)))),
    (_RUPEES, _rupees),
    (_FOREIGN_MONEY, lambda m: f"{_number(*m.group(2).split('.'))} {_FOREIGN[m.group(1)]}"),
    (_PERCENT, lambda m: f"{_number(*m.group(1).split('.'))} प्रतिशत"),
    (_TIME, _time),
    (_NUMBER, _integer),
)


def spoken_form_hi(text: str) -> str:
    """``text`` with numbers (Arabic or Devanagari digits), rupees and other money,
    percentages, times, Roman numerals after a heading word ("अध्याय IV") and
    abbreviations ("डॉ.", "ई.पू.") in Hindi words."""
    text = text.translate(_DIGITS)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return " ".join(text.split())
