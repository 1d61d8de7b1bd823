"""Text as it is said in French, Spanish, Italian and Portuguese.

The same ordered rules as English (``narrator.text.normalize``), with each language's
words and written conventions: a decimal comma ("3,14" -> "trois virgule quatorze"),
thousands grouped by a space, a no-break space or a full stop ("1 500", "1.500"), the
currency after the number ("15 €"), suffixed ordinals ("1er", "2e", "XIXe", "1.º",
"2.ª", "1°"), titles ("M.", "Mme", "Sr.", "Sig.ra", "Dr."), and Roman numerals after
heading words and rulers' names, said the way each language says them: French "Louis
quatorze" but "François premier"; Spanish and Portuguese ordinals up to ten, then
cardinals ("Felipe segundo", "Alfonso trece"); Italian ordinals always ("Luigi
quattordicesimo", "Capitolo quarto").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from narrator.text.language import primary
from narrator.text.numbers_romance import cardinal, ordinal
from narrator.text.roman import ROMAN_NUMERAL, roman_to_int
from narrator.text.romance_locales import LOCALES, UPPER

_SEP = "[ \u00a0\u202f.]"  # thousands: space, no-break space, narrow no-break space, stop
_GROUPED = rf"\d{{1,3}}(?:(?P<sep>{_SEP})\d{{3}})(?:(?P=sep)\d{{3}})*"
# A number as written in these languages: "1 500", "1.500", "1500", "3,14", "2.5".
_NUMBER = re.compile(rf"(?<![\w.,])(?:{_GROUPED}|\d+)(?:,\d+|\.\d+)?(?![\d])")
_AMOUNT = rf"(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?:[,.]\d{{1,2}})?(?![\d])"
_CURRENCY = r"R\$|US\$|[$€£₹¥]"
_MONEY = re.compile(rf"(?<![\w.,])(?:({_CURRENCY})\s?({_AMOUNT})|({_AMOUNT})\s?({_CURRENCY}))")
_PERCENT = re.compile(rf"(?<![\w.,])({_AMOUNT}|\d+[,.]\d+)\s?%")
_DEGREES = re.compile(rf"(?<![\w.,])({_AMOUNT}|\d+[,.]\d+)\s?°\s?([CF])\b")
_TIME = re.compile(r"(?<![\w.,:])(\d{1,2}):(\d{2})(?![\d:])")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"“”«»]*[^\s<>\"“”«».,;:!?)\]'’]")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NAME = rf"[{UPPER}][\wÀ-ÿ'’-]+"
# A lone "I" after a name is a numeral only before the end, punctuation or a capital:
# English quoted in the book ("Then I said") keeps its pronoun.
_NOT_PRONOUN = rf"(?:(?<! I)|(?<= I)(?=\s*$|[.,;:!?)\]»]|\s+[{UPPER}«\"“(]))"
# A range of numbers: "12-15", "1914–1918" (a hyphen only when the second is larger).
_RANGE = re.compile(r"(?<![\w.,])(\d+)\s?([–—-])\s?(\d+)(?![\w.,]\d|\w)")

# Suffixed ordinals, by language: "1er", "1re", "2e", "2ème", "2nd" (fr); "1.º", "1.ª",
# "1.er", "3.er" (es); "1º", "1ª" (pt); "1°", "1º", "1ª" (it).
_ORDINALS: dict[str, re.Pattern[str]] = {
    "fr": re.compile(r"(?<![\w.,])(\d+)(er|re|ère|e|ème|è|nd|nde)\b"),
    "es": re.compile(r"(?<![\w.,])(\d+)\.?(º|ª|°|er)(?!\w)"),
    "it": re.compile(r"(?<![\w.,])(\d+)\.?(º|ª|°)(?!\w)"),
    "pt": re.compile(r"(?<![\w.,])(\d+)\.?(º|ª|°)(?!\w)"),
}
# A Roman ordinal in French: "XIXe siècle", "François Ier", "Ire partie".
_FR_ROMAN_ORDINAL = re.compile(rf"\b({ROMAN_NUMERAL})(er|re|ère|e|ème)\b")
# An Italian century before its noun: "XIX secolo" -> "diciannovesimo secolo".
_IT_CENTURY = re.compile(rf"\b({ROMAN_NUMERAL})( secolo)\b")


def _before_noun(m: re.Match[str]) -> bool:
    """Whether a Spanish number stands before a noun ("21 años" -> "veintiún años"), not a
    preposition or conjunction ("el 1 de mayo" -> "el uno de mayo")."""
    nxt = re.match(r" ([^\W\d_]+)", m.string[m.end() :])
    return nxt is not None and nxt.group(1).lower() not in _NOT_NOUNS


# Words after a number that are not the counted noun.
_NOT_NOUNS = frozenset({"de", "del", "y", "e", "o", "u", "a", "al", "en", "por", "para", "con"})


def _say_number(written: str, language: str, *, before_noun: bool = False) -> str:
    """A written number in words: "1 500" -> "mille cinq cents", "3,14" -> "trois virgule
    quatorze", "2.5" -> "deux point cinq" (digits after the point read as a number, with
    each leading zero said: "3,05" -> "trois virgule zéro cinq")."""
    locale = LOCALES[primary(language)]
    match = re.fullmatch(rf"(?P<whole>{_GROUPED}|\d+)(?:(?P<mark>[,.])(?P<fraction>\d+))?", written)
    if match is None:
        return written
    mark, fraction = match["mark"], match["fraction"]
    whole = int(re.sub(_SEP, "", match["whole"]))
    words = cardinal(whole, language, before_noun=before_noun and not fraction)
    if fraction:
        zeros = len(fraction) - len(fraction.lstrip("0"))
        said = [cardinal(0, language)] * zeros
        if fraction.lstrip("0"):
            said.append(cardinal(int(fraction), language))
        word = locale.comma if mark == "," else locale.point
        words = f"{words} {word} {' '.join(said)}"
    return words


def _address(text: str, language: str) -> str:
    words = LOCALES[primary(language)].address
    spoken = re.sub(r"^(?:https?://)?(?:www\.)?", "", text).rstrip("/")
    spoken = re.sub(r"[./_@-]", lambda s: f" {words[s.group(0)]} ", spoken)
    spoken = re.sub(r"[?=&#%+:]", " ", spoken)
    spoken = re.sub(r"\d", lambda d: f" {cardinal(int(d.group(0)), language)} ", spoken)
    return " ".join(spoken.split())


def _amount(written: str) -> tuple[int, int]:
    """'1.500,50' -> (1500, 50); '3.5' -> (3, 50); '1.500' -> (1500, 0)."""
    match = re.fullmatch(rf"(\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?:[,.](\d{{1,2}}))?", written)
    assert match is not None  # _AMOUNT matched it
    cents = match.group(2) or "0"
    return int(re.sub(_SEP, "", match.group(1))), int(cents.ljust(2, "0"))


def _money(m: re.Match[str], language: str) -> str:
    locale = LOCALES[primary(language)]
    symbol = m.group(1) or m.group(4)
    currency = locale.currencies["$" if symbol == "US$" else symbol]
    units, cents = _amount(m.group(2) or m.group(3))
    words = cardinal(units, language, feminine=currency.feminine, before_noun=True)
    name = currency.one if units == 1 else currency.many
    if re.search(r"(?:million|millón|millones|milione|milioni|milhão|milhões)$", words):
        of = (
            "d'"
            if locale.of == "de" and primary(language) == "fr" and name[0] in "aeiou"
            else (f"{locale.of} ")
        )
        said = f"{words} {of}{name}"
    else:
        said = f"{words} {name}"
    if cents and currency.sub_many:
        sub = currency.sub_one if cents == 1 else currency.sub_many
        said += f" {locale.cents_and} {cardinal(cents, language, before_noun=True)} {sub}"
    return said


def _ordinal(m: re.Match[str], language: str) -> str:
    suffix = m.group(2)
    feminine = suffix in ("re", "ère", "nde", "ª")
    number = int(m.group(1))
    if primary(language) == "fr" and suffix in ("nd", "nde"):
        return "seconde" if feminine else "second"
    if primary(language) == "es" and suffix == "er":  # "1.er piso" -> "primer piso"
        return ordinal(number, language).removesuffix("o")
    return ordinal(number, language, feminine=feminine)


def _heading(m: re.Match[str], language: str) -> str:
    locale = LOCALES[primary(language)]
    keyword, space, numeral = m.group(1), m.group(2), m.group(3)
    number = roman_to_int(numeral)
    feminine = locale.headings[keyword.lower()]
    if locale.heading_ordinal:
        said = ordinal(number, language, feminine=feminine)
    else:
        said = cardinal(number, language)
    return f"{keyword.capitalize() if keyword.isupper() else keyword}{space}{said}"


def _regnal(m: re.Match[str], language: str) -> str:
    locale = LOCALES[primary(language)]
    name, numeral = m.group(1), m.group(2)
    number = roman_to_int(numeral)
    if number <= locale.regnal_ordinal_up_to:
        said = ordinal(number, language, feminine=name in locale.feminine_names)
    else:
        said = cardinal(number, language)
    return f"{name} {said}"


def _range(m: re.Match[str], language: str) -> str:
    low, dash, high = m.groups()
    if dash == "-" and int(high) <= int(low):
        return m.group(0)  # "3-0" is a score, not a range
    return f"{low} {LOCALES[primary(language)].to} {high}"


def _time(m: re.Match[str], language: str, *, first: int = 1) -> str:
    """Hours and minutes in groups ``first`` and ``first + 1`` of ``m`` in words."""
    locale = LOCALES[primary(language)]
    hours, minutes = int(m.group(first)), int(m.group(first + 1) or 0)
    if hours > 24 or minutes > 59:
        return m.group(0)
    said = cardinal(hours, language, feminine=True)
    if locale.hours is not None:  # "quatorze heures trente", "catorze horas e trinta"
        said += f" {locale.hours[0] if hours == 1 else locale.hours[1]}"
    if minutes:
        join = f" {locale.time_join}" if locale.time_join else ""
        said += f"{join} {cardinal(minutes, language)}"
    return said


def _keep_stop(m: re.Match[str], said: str) -> str:
    """An abbreviation's words; a full stop in ``said`` stays only where the sentence ends
    ("etc. Puis" keeps it, "etc., puis" does not)."""
    if not said.endswith("."):
        return said
    rest = m.string[m.end() :]
    ends = not rest.strip() or re.match(rf"\s+[«\"“(]?[{UPPER}]", rest) is not None
    return said if ends else said[:-1]


def _degrees(m: re.Match[str], language: str) -> str:
    one, many = LOCALES[primary(language)].degrees
    scale = {"C": "Celsius", "F": "Fahrenheit"}[m.group(2)]
    unit = one if m.group(1) == "1" else many
    return f"{_say_number(m.group(1), language)} {unit} {scale}"


def _fr_roman_ordinal(m: re.Match[str], language: str) -> str:
    """'XIXe' -> 'dix-neuvième', 'Ier' -> 'premier', 'Ire' -> 'première'."""
    return ordinal(roman_to_int(m.group(1)), language, feminine=m.group(2) in ("re", "ère"))


@cache
def _rules(language: str) -> tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]:
    lang = primary(language)
    locale = LOCALES[lang]
    titles = {said for _, said in locale.abbreviations}
    rules: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
        (_URL, lambda m: _address(m.group(0), language)),
        (_EMAIL, lambda m: _address(m.group(0), language)),
    ]
    rules += [
        (re.compile(pattern), lambda m, said=said: _keep_stop(m, said))
        for pattern, said in locale.abbreviations
    ]
    if lang == "fr":
        rules.append((_FR_ROMAN_ORDINAL, lambda m: _fr_roman_ordinal(m, language)))
    if lang == "it":
        rules.append(
            (_IT_CENTURY, lambda m: ordinal(roman_to_int(m.group(1)), language) + m.group(2))
        )
    headings = "|".join(sorted(locale.headings, key=len, reverse=True))
    rules.append(
        (
            re.compile(rf"(?i:\b({headings}))(\s+)({ROMAN_NUMERAL})\b(?![\w'’])"),
            lambda m: _heading(m, language),
        )
    )
    not_titles = "".join(rf"(?<!\b{re.escape(t)})" for t in titles if " " not in t)
    rules.append(
        (
            re.compile(rf"\b({_NAME}){not_titles} ({ROMAN_NUMERAL})\b(?![\w'’]){_NOT_PRONOUN}"),
            lambda m: _regnal(m, language),
        )
    )
    rules += [
        (_MONEY, lambda m: _money(m, language)),
        (_PERCENT, lambda m: f"{_say_number(m.group(1), language)} {locale.percent}"),
        (_DEGREES, lambda m: _degrees(m, language)),
        (_ORDINALS[lang], lambda m: _ordinal(m, language)),
    ]
    if locale.first_of_month:
        rules.append(
            (
                re.compile(rf"(?<![\w.,])1 ((?:de )?(?i:{locale.months}))\b"),
                lambda m: f"{ordinal(1, language)} {m.group(1)}",
            )
        )
    if locale.hours is not None:
        rules.append(
            (
                re.compile(r"(?<![\w.,])(\d{1,2}) ?h(?: ?(\d{2}))?\b"),
                lambda m: _time(m, language),
            )
        )
    if locale.to:
        rules.append((_RANGE, lambda m: _range(m, language)))
    if locale.time_words:
        rules.append(
            (
                re.compile(rf"(?i:\b({locale.time_words}) )(\d{{1,2}})\.(\d{{2}})\b"),
                lambda m: f"{m.group(1)} {_time(m, language, first=2)}",
            )
        )
    rules += [
        (_TIME, lambda m: _time(m, language)),
        (
            _NUMBER,
            lambda m: _say_number(
                m.group(0), language, before_noun=lang == "es" and _before_noun(m)
            ),
        ),
        (re.compile(r"&"), lambda m: f" {locale.and_} "),
    ]
    return tuple(rules)


def spoken_form_romance(text: str, *, language: str) -> str:
    """``text`` with numbers, money, dates, ordinals, abbreviations and Roman numerals in
    the words of ``language`` (French, Spanish, Italian or Portuguese)."""
    for pattern, replace in _rules(language):
        text = pattern.sub(replace, text)
    return " ".join(text.split())
