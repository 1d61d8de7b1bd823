"""Text as it is said: the one normalization shared by synthesis and verification.

``spoken_form`` rewrites what a reader would not say as written (numbers, money, dates,
times, ranges, units, symbols, Roman numerals, URLs, abbreviations) into the words a
narrator says. The engine is sent that text (``narrator.text.spoken.to_spoken`` adds only
what one engine's prosody needs), and ``normalize_words`` starts from the same rewrite,
so the text a chunk should say and what a transcriber heard are reduced by the same rules
and compare equal when the same words were spoken, whether Whisper wrote "1984",
"nineteen eighty-four", "Henry VIII" or "Henry the Eighth".

``TITLES`` and ``LATIN`` are how abbreviations are said: the sentence splitter never ends
a sentence after them either.

It is longer than most modules on purpose: the rewrite is one ordered list of small rules
(a later rule sees what an earlier one produced: "£5.50" must become money before "5.50"
is read as a decimal), and splitting it would scatter that order across files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from num2words import num2words

from narrator.text.language import ENGLISH, primary
from narrator.text.roman import ROMAN_NUMERAL, roman_to_int
from narrator.text.spoken_locale import spoken_form_in
from narrator.text.words_locale import normalize_words_in

TITLES: dict[str, str] = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "Prof": "Professor",
    "Capt": "Captain",
    "Col": "Colonel",
    "Gen": "General",
    "Lt": "Lieutenant",
    "Sgt": "Sergeant",
    "Rev": "Reverend",
    "Gov": "Governor",
}
"""Titles before a name (without their full stop) and the words said for them.

espeak-ng ends a sentence at "Mr." and Punkt may split there, so a title is never the
last word of a sentence and the engine is sent the word instead."""

LATIN: dict[str, str] = {
    "e.g.": "for example",
    "i.e.": "that is",
    "vs.": "versus",
    "cf.": "compare",
}
"""Latin abbreviations that always introduce something (so never end a sentence), and the
words said for them."""

# --- spoken_form: written forms -> words ------------------------------------------------

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"“”]*[^\s<>\"“”.,;:!?)\]'’]")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TITLE = re.compile(rf"\b({'|'.join(TITLES)})\.(?=\s)")
_LATIN_RE = re.compile(rf"\b(?:{'|'.join(map(re.escape, LATIN))})", re.IGNORECASE)
_NUM = r"\d[\d,]*(?:\.\d+)?"
# Labels before a number: "pp. 10", "No. 5", "N°. 5", "#5", "§ 12", "Vol. 3", "Fig. 2".
_LABELS: dict[str, tuple[str, str]] = {
    "p.": ("page", "pages"),
    "pp.": ("pages", "pages"),
    "no.": ("number", "numbers"),
    "n°.": ("number", "numbers"),
    "n°": ("number", "numbers"),
    "nos.": ("numbers", "numbers"),
    "#": ("number", "numbers"),
    "§": ("section", "sections"),
    "§§": ("sections", "sections"),
    "vol.": ("volume", "volumes"),
    "ch.": ("chapter", "chapters"),
    "fig.": ("figure", "figures"),
}
_LABEL = re.compile(
    rf"(?<![\w.])({'|'.join(map(re.escape, sorted(_LABELS, key=len, reverse=True)))})\s?(?=\d)",
    re.IGNORECASE,
)
# A range of numbers: "10–12", "1914-1918" (a hyphen only when the second number is larger).
_RANGE = re.compile(rf"(?<![\w.,])({_NUM})\s?([–—-])\s?({_NUM})(?![\w.,]\d)")
_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
}
_MONEY = re.compile(
    r"([$£€])\s?(\d[\d,]*)(?:\.(\d{1,2}))?(?!\d)(?:\s?(thousand|million|billion|trillion|bn|m|k)\b)?"
)
_SCALES = {"k": "thousand", "m": "million", "bn": "billion"}
_PERCENT = re.compile(rf"({_NUM})\s?%")
_DEGREES = re.compile(rf"({_NUM})\s?°(?:\s?([CF])\b)?")
_UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "m": ("meter", "meters"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "mi": ("mile", "miles"),
    "ml": ("milliliter", "milliliters"),
    "kW": ("kilowatt", "kilowatts"),
    "GB": ("gigabyte", "gigabytes"),
    "MB": ("megabyte", "megabytes"),
    "hrs": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "sec": ("second", "seconds"),
}
# Units after a number: "5 km", "2.5kg", "60 km/h" (longest first, so "km/h" beats "km").
_UNIT = re.compile(
    rf"({_NUM})\s?({'|'.join(map(re.escape, sorted(_UNITS, key=len, reverse=True)))})"
    r"(?![\w/])\.?(?!\w)"
)
# "7:45", "7:05"; also "at 7.45", which Whisper writes for a spoken "seven forty-five".
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b|(?<=\bat )(\d{1,2})\.(\d{2})\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "4 July", "4th of July" -> "the fourth of July"; "July 4", "July 4th" -> "July fourth".
_DAY_MONTH = re.compile(rf"\b(?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTHS})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTHS}) (\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.,]?\d)")
_DECADE = re.compile(r"(?:\b(1[1-9]|20)|(?<!\w)['’])(\d)0s\b")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_DECIMAL = re.compile(r"(?<![\d.])(\d*)\.(\d+)\b(?!\.\d)")
_INTEGER = re.compile(r"\b\d+\b")
_FRACTIONS = {"½": "a half", "¼": "a quarter", "¾": "three quarters", "⅓": "a third"}
_FRACTION = re.compile(rf"(\d*)\s?([{''.join(_FRACTIONS)}])")
_SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "×": " times "}
_SYMBOL = re.compile(r"(?<=\s)[+=×](?=\s)|&")

# After a heading keyword the numeral is a cardinal: "CHAPTER IV." -> "Chapter Four.",
# "World War II" -> "World War Two". "I" counts only where the pronoun cannot stand: at
# the end, before punctuation or a capitalised word ("the Part I played" stays).
_HEADING_NUMERAL = re.compile(
    r"\b((?:Chapter|CHAPTER|Part|PART|Book|BOOK|Volume|VOLUME|Act|ACT|Scene|SCENE|"
    r"Section|Appendix|World War)\s+)([IVXLCDM]+)\b"
    r"(?=\s*$|[.:;,!?)\]]|\s*[—–-]|\s+[A-Z\"“‘'(])"
)
# After a monarch's or pope's name it is an ordinal: "Henry VIII" -> "Henry the Eighth".
_REGNAL_NAMES = (
    "Alexander|Alfonso|Anne|Benedict|Boniface|Catherine|Charles|Clement|Constantine|David|"
    "Edward|Elizabeth|Ferdinand|Francis|Frederick|George|Gregory|Gustav|Henry|Innocent|Ivan|"
    "James|John|John Paul|Leo|Leopold|Louis|Malcolm|Mary|Napoleon|Nicholas|Paul|Peter|Philip|"
    "Pius|Ptolemy|Ramesses|Richard|Robert|Rudolf|Stephen|Urban|Wilhelm|William"
)
_REGNAL = re.compile(rf"\b({_REGNAL_NAMES}) ({ROMAN_NUMERAL})\b(?!['’]\w)")


def _spell(number: int, **kwargs: str) -> str:
    """A number in words, as American narrators read it: no "and", no commas."""
    return num2words(number, **kwargs).replace(" and ", " ").replace(",", "")


def _number(text: str) -> str:
    """'4,312' -> 'four thousand three hundred twelve'; '2.5' -> 'two point five'."""
    whole, _, fraction = text.replace(",", "").partition(".")
    words = _spell(int(whole)) if whole else "point"
    if fraction:
        digits = " ".join(_spell(int(d)) for d in fraction)
        words = f"{words} point {digits}" if whole else f"point {digits}"
    return words


def _plural(number: str, one: str, many: str) -> str:
    return one if number in ("1", "1.0") else many


def _url(m: re.Match[str]) -> str:
    """'https://example.com/a.b' -> 'example dot com slash a dot b'."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0)).rstrip("/")
    return _say_address(url)


def _email(m: re.Match[str]) -> str:
    """'jane.doe@example.org' -> 'jane dot doe at example dot org'."""
    return _say_address(m.group(0).replace("@", " at "))


def _say_address(address: str) -> str:
    words = {".": " dot ", "/": " slash ", "-": " dash ", "_": " underscore "}
    spoken = re.sub(r"[./_-]", lambda s: words[s.group(0)], address)
    spoken = re.sub(r"[?=&#%+:]", " ", spoken)
    # Digits in an address are read one by one ("example 5 0" is not "fifty").
    spoken = re.sub(r"\d", lambda d: f" {d.group(0)} ", spoken)
    return " ".join(spoken.split())


def _label(m: re.Match[str]) -> str:
    one, many = _LABELS[m.group(1).lower()]
    rest = m.string[m.end() :]
    is_range = re.match(rf"{_NUM}\s?[–—-]\s?\d", rest) is not None
    return f"{many if is_range else one} "


def _range(m: re.Match[str]) -> str:
    low, dash, high = m.groups()
    if dash == "-" and float(high.replace(",", "")) <= float(low.replace(",", "")):
        return m.group(0)  # "3-2" is a score or a code, not a range
    return f"{low} to {high}"


def _money(m: re.Match[str]) -> str:
    one, many, sub_one, sub_many = _CURRENCIES[m.group(1)]
    whole, cents, scale = m.group(2), m.group(3), m.group(4)
    if scale:  # "$3.5 million" -> "3.5 million dollars"
        amount = f"{whole}.{cents}" if cents else whole
        return f"{amount} {_SCALES.get(scale.lower(), scale)} {many}"
    words = f"{whole} {_plural(whole, one, many)}"
    if cents and int(cents.ljust(2, "0")):
        fraction = str(int(cents.ljust(2, "0")))
        words += f" and {fraction} {_plural(fraction, sub_one, sub_many)}"
    return words


def _degrees(m: re.Match[str]) -> str:
    number = m.group(1)
    scale = {"C": " Celsius", "F": " Fahrenheit"}.get(m.group(2) or "", "")
    return f"{number} {_plural(number, 'degree', 'degrees')}{scale}"


def _unit(m: re.Match[str]) -> str:
    number, unit = m.group(1), m.group(2)
    one, many = _UNITS[unit]
    # A sentence-final "5 km." keeps its full stop: the match took it with the unit.
    stop = "." if m.group(0).endswith(".") and not number.endswith(".") else ""
    return f"{number} {_plural(number, one, many)}{stop}"


def _time(m: re.Match[str]) -> str:
    hours, minutes = (int(group) for group in m.groups() if group is not None)
    if minutes == 0:
        return _spell(hours)
    spoken_minutes = _spell(minutes) if minutes >= 10 else f"oh {_spell(minutes)}"
    return f"{_spell(hours)} {spoken_minutes}"


def _day_month(m: re.Match[str]) -> str:
    return f"the {_spell(int(m.group(1)), to='ordinal')} of {m.group(2)}"


def _month_day(m: re.Match[str]) -> str:
    return f"{m.group(1)} {_spell(int(m.group(2)), to='ordinal')}"


def _decade(m: re.Match[str]) -> str:
    """'the 1980s' -> 'the nineteen eighties'; "the '90s" -> 'the nineties'."""
    tens = _spell(int(m.group(2)) * 10)[:-1] + "ies"  # "eighty" -> "eighties"
    if not m.group(1):
        return tens
    century = _spell(int(m.group(1)) * 100, to="year").removesuffix(" hundred")
    return f"{century} {tens}"


def _integer(m: re.Match[str]) -> str:
    value = int(m.group(0))
    # Four-digit numbers in 1100-2099 are almost always years in prose and are read as
    # years ("nineteen eighty-four"); Whisper writes them as digits either way.
    if len(m.group(0)) == 4 and 1100 <= value <= 2099:
        return _spell(value, to="year")
    return _spell(value)


def _fraction(m: re.Match[str]) -> str:
    said = _FRACTIONS[m.group(2)]
    return f"{m.group(1)} and {said}" if m.group(1) else said


def _capitalised(words: str) -> str:
    return "-".join(w.capitalize() for w in words.split("-"))


def _heading_numeral(m: re.Match[str]) -> str:
    """'CHAPTER XLII' -> 'Chapter Forty-Two': espeak would spell the numeral letter by letter."""
    number = _capitalised(num2words(roman_to_int(m.group(2))))
    keyword = m.group(1)
    return (keyword if keyword.startswith("World") else keyword.capitalize()) + number


def _regnal(m: re.Match[str]) -> str:
    """'Henry VIII' -> 'Henry the Eighth'."""
    return f"{m.group(1)} the {_capitalised(num2words(roman_to_int(m.group(2)), to='ordinal'))}"


# The order matters: addresses before anything reads their dots, labels and ranges before
# money and units claim their numbers, dates and ordinals before plain integers.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_URL, _url),
    (_EMAIL, _email),
    (_TITLE, lambda m: TITLES[m.group(1)]),
    (_LATIN_RE, lambda m: LATIN[m.group(0).lower()]),
    (_HEADING_NUMERAL, _heading_numeral),
    (_REGNAL, _regnal),
    (_LABEL, _label),
    (_MONEY, _money),
    (_RANGE, _range),
    (_PERCENT, lambda m: f"{m.group(1)} percent"),
    (_DEGREES, _degrees),
    (_UNIT, _unit),
    (_TIME, _time),
    (_DAY_MONTH, _day_month),
    (_MONTH_DAY, _month_day),
    (_DECADE, _decade),
    (_ORDINAL, lambda m: _spell(int(m.group(1)), to="ordinal")),
    (_FRACTION, _fraction),
    (_THOUSANDS, lambda m: _number(m.group(0))),
    (_DECIMAL, lambda m: _number(m.group(0))),
    (_INTEGER, _integer),
    (_SYMBOL, lambda m: _SYMBOLS[m.group(0)]),
)


def spoken_form(text: str, *, language: str = ENGLISH) -> str:
    """``text`` with every written form a narrator would not read as written in words.

    Numbers (cardinals, years, decimals, ordinals, decades, fractions), money, percentages,
    degrees, units, times, dates, ranges ("pp. 10–12" -> "pages ten to twelve"), labels
    ("No. 5", "§ 3"), titles ("Dr."), Latin abbreviations, Roman numerals after a heading
    keyword or a monarch's name, URLs, e-mail addresses and the symbols & + = ×. Case,
    punctuation and everything else are kept, so the result is still text to read aloud.
    Another ``language`` than English is said in its own words
    (``narrator.text.spoken_locale``).
    """
    if primary(language) != ENGLISH:
        return spoken_form_in(text, language=language)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return " ".join(text.split())


# --- normalize_words: a text reduced to comparable words --------------------------------

_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"'})

_CONTRACTIONS: dict[str, str] = {
    "can't": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
    "y'all": "you all",
}
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("n't", " not"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'m", " am"),
    ("'d", " would"),
)
# "'s" is "is" only after these; elsewhere it is a possessive ("john's") and is kept.
# fmt: off
_IS_AFTER = frozenset({
    "it", "he", "she", "that", "what", "there", "here", "who", "where", "how", "when", "why",
    "this", "everyone", "nobody",
})
# fmt: on

# Whole words, after punctuation is gone: abbreviations ("dr." is "dr" by then) and
# "cannot", so that it compares equal to "can't".
_WORD_EXPANSIONS: dict[str, str] = {
    "cannot": "can not",
    **{title.lower(): said.lower() for title, said in TITLES.items()},
    **{abbr.rstrip("."): said for abbr, said in LATIN.items() if abbr.count(".") == 1},
    "st": "saint",
    "jr": "junior",
    "sr": "senior",
    "etc": "et cetera",
    "ok": "okay",
}

# Words that make up spelled-out numbers and amounts, for dropping "and" between them.
_NUMBER_WORDS = frozenset(
    word
    for n in (*range(20), *range(20, 100, 10), 100, 10**3, 10**6, 10**9, 10**12)
    for word in num2words(n).split()
) | {"dollar", "dollars", "pound", "pounds", "euro", "euros", "a", "half", "quarter"}

_AM_PM = re.compile(r"\b([ap])\.\s?m\.|(?<=\d)\s?([ap])m\b|(?<=[a-z] )([ap])m\b")
_PER_CENT = re.compile(r"\bper cent\b")
_APOSTROPHE_WORD = re.compile(r"[a-z]+(?:'[a-z]+)+|[a-z]+'")
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")

# Whisper's English models write American spelling; manuscripts are often British
# ("harbour" heard as "harbor" is not an error). Regular -our/-or pairs; -ise/-isation
# verbs (not "rise", "wise", "advise", "surprise", which are -ise in both); -tre nouns;
# doubled l before -ed/-ing/-er; and the irregular rest.
_AMERICAN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(col|harb|hon|fav|neighb|lab|behavi|flav|hum|rum|vap|arm|parl|od|glam|"
            r"splend|val|rig|vig|clam|ferv|ranc|sav|endeav|tum)our"
        ),
        r"\1or",
    ),
    (
        re.compile(
            r"\b(real|organ|recogn|apolog|critic|emphas|special|summar|memor|minim|maxim|"
            r"author|character|civil|colon|standard|modern|victim|final|familiar|jeopard|"
            r"patron|sympath|util|visual|agon|fantas|norm|priorit|symbol|terror)is(e|ed|es|"
            r"ing|ation|ations)\b"
        ),
        r"\1iz\2",
    ),
    (re.compile(r"\b(analy|paraly|cataly)s(e|ed|es|ing)\b"), r"\1z\2"),
    (re.compile(r"\b(cen|thea|me|li|fib|calib|sombre|spec|lus|sabre)tre(s?)\b"), r"\1ter\2"),
    (
        re.compile(
            r"\b(travel|cancel|label|model|signal|fuel|level|marvel|quarrel|channel|counsel|"
            r"dial|duel|equal|funnel|jewel|tunnel|total|shovel|grovel|revel|rival|pencil|"
            r"parcel|panel|snivel|yodel)l(ed|ing|er|ers)\b"
        ),
        r"\1\2",
    ),
)
_AMERICAN_WORDS: dict[str, str] = {
    "grey": "gray",
    "greys": "grays",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "practise": "practice",
    "practised": "practiced",
    "programme": "program",
    "programmes": "programs",
    "tyre": "tire",
    "tyres": "tires",
    "kerb": "curb",
    "plough": "plow",
    "ploughed": "plowed",
    "sceptical": "skeptical",
    "sceptic": "skeptic",
    "manoeuvre": "maneuver",
    "aluminium": "aluminum",
    "jewellery": "jewelry",
    "cheque": "check",
    "draught": "draft",
    "mould": "mold",
    "moustache": "mustache",
    "pyjamas": "pajamas",
    "storey": "story",
    "whilst": "while",
    "amongst": "among",
    "towards": "toward",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analogue": "analog",
    "ageing": "aging",
    "judgement": "judgment",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "skilful": "skillful",
    "wilful": "willful",
}
_AMERICAN_WORD = re.compile(rf"\b(?:{'|'.join(_AMERICAN_WORDS)})\b")


def _expand_apostrophes(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    for suffix, expansion in _SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)] + expansion
    if word.endswith("'s") and word[:-2] in _IS_AFTER:
        return word[:-2] + " is"
    return word.replace("'", "")  # possessives and elisions: "john's" -> "johns"


def american(text: str) -> str:
    """Lower-case ``text`` with British spellings in American spelling, as Whisper writes."""
    for pattern, replacement in _AMERICAN_PATTERNS:
        text = pattern.sub(replacement, text)
    return _AMERICAN_WORD.sub(lambda m: _AMERICAN_WORDS[m.group(0)], text)


def _drop_number_and(words: list[str]) -> list[str]:
    """Drop "and" inside spoken numbers ("one hundred and fifty", "three dollars and
    fifty cents"), which readers and transcribers use or omit freely."""
    return [
        word
        for i, word in enumerate(words)
        if not (
            word == "and"
            and 0 < i < len(words) - 1
            and words[i - 1] in _NUMBER_WORDS
            and words[i + 1] in _NUMBER_WORDS
        )
    ]


def normalize_words(text: str, *, language: str = ENGLISH) -> list[str]:
    """Lower-case words of ``text`` as they would be spoken, for comparing two texts.

    Starts from ``spoken_form`` (numbers, money, dates, units, ... in words); then
    contractions and common abbreviations are expanded, British spellings made American,
    hyphens, dashes and slashes split words, and all other punctuation, quotes, ellipses
    and Markdown markers are removed. Another ``language`` than English is reduced by its
    own rules (``narrator.text.words_locale``).
    """
    if primary(language) != ENGLISH:
        return normalize_words_in(text, language=language)
    text = unicodedata.normalize("NFKC", spoken_form(text)).translate(_QUOTES).lower()
    text = _AM_PM.sub(lambda m: f" {m.group(1) or m.group(2) or m.group(3)} m ", text)
    text = american(_PER_CENT.sub("percent", text))
    text = _NOT_WORD.sub(" ", text)  # hyphens, dashes, slashes, punctuation, Markdown
    text = _APOSTROPHE_WORD.sub(_expand_apostrophes, text).replace("'", " ")
    words = [part for word in text.split() for part in _WORD_EXPANSIONS.get(word, word).split()]
    return _drop_number_and(words)
