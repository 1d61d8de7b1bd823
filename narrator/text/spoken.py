"""The text the speech engine is asked to say.

Piper (through espeak-ng) ends a sentence at every "Mr.", "Dr." or initial, reads
"$3.50" as "dollar three point five zero" and spells URLs out ("https" letter by
letter, then "colon slash slash"), as ``EspeakPhonemizer().phonemize("en-us", text)``
of ``piper.phonemize_espeak`` (piper-tts 1.8.0) shows. So expand those,
and nothing else: espeak reads ordinary numbers, decimals and "&" correctly, and
every extra rewrite is a chance to change what the author wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from num2words import num2words

from narrator.text.normalize import LATIN, TITLES
from narrator.text.sentences import SENTENCE_STARTERS

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"“”]*[^\s<>\"“”.,;:!?)\]'’]")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MONEY = re.compile(r"\$(\d[\d,]*)(?:\.(\d{2}))?\b")
_TITLE = re.compile(rf"\b({'|'.join(TITLES)})\.(?=\s)")
_ST = re.compile(r"\bSt\.")
_LATIN_RE = re.compile(rf"\b(?:{'|'.join(map(re.escape, LATIN))})", re.IGNORECASE)
_ETC = re.compile(r"\betc\.")
_DOTTED = re.compile(r"\b((?:[A-Za-z]\.){2,})")
# "I." is left alone: "CHAPTER I." is a numeral (see _HEADING_NUMERAL), or the pronoun.
_INITIAL = re.compile(r"(?<![\w.])([A-HJ-Z])\.(?=\s+[A-Z])")
_NAME_OR_INITIAL = re.compile(r"[A-Z][\w'’-]*|[A-Z]\.")
# A capitalised keyword and a numeral that ends the phrase: "CHAPTER IV.", "Part II:",
# "Book I" at the end; not "the book I read" (the pronoun).
_HEADING_NUMERAL = re.compile(
    r"\b((?:Chapter|CHAPTER|Part|PART|Book|BOOK)\s+)([IVXLCDM]+)\b"
    r"(?=\s*$|[.:;,!?)\]]|\s*[—–-]|\s+[A-Z\"“‘'(])"
)
_LIST_MARKER = re.compile(r"(?:^|(?<=[.!?]\s))(\d{1,3})\.(?=\s)")
_MARKUP = re.compile(r"[*`]+|(?<!\w)_+|_+(?!\w)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the abbreviation ending at ``end`` also ends a sentence."""
    rest = text[end:].split(None, 1)
    if not rest:
        return True
    word = rest[0].lstrip("\"'“‘(")
    return word[:1].isupper() and word.rstrip(",.;:!?").lower() in SENTENCE_STARTERS


def _keep_stop(expand: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    """Wrap a replacement so that a sentence-final abbreviation keeps its full stop."""

    def replace(m: re.Match[str]) -> str:
        return expand(m) + ("." if _ends_sentence(m.string, m.end()) else "")

    return replace


def _url(m: re.Match[str]) -> str:
    """'https://example.com/a.b' -> 'example dot com slash a dot b'."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0)).rstrip("/")
    return _say_symbols(url)


def _email(m: re.Match[str]) -> str:
    """'jane.doe@example.org' -> 'jane dot doe at example dot org'."""
    return _say_symbols(m.group(0).replace("@", " at "))


def _say_symbols(address: str) -> str:
    words = {".": " dot ", "/": " slash ", "-": " dash ", "_": " underscore "}
    spoken = re.sub(r"[./_-]", lambda s: words[s.group(0)], address)
    spoken = re.sub(r"[?=&#%+:]", " ", spoken)
    return " ".join(spoken.split())


def _money(m: re.Match[str]) -> str:
    """'$3.50' -> '3 dollars and 50 cents'; espeak reads the bare digits right."""
    dollars, cents = m.group(1), m.group(2)
    said = f"{dollars} dollar{'' if dollars == '1' else 's'}"
    if cents and int(cents):
        said += f" and {int(cents)} cent{'' if int(cents) == 1 else 's'}"
    return said


def to_spoken(text: str) -> str:
    """Rewrite ``text`` so that the speech engine reads it as a person would.

    Expands titles (Mr. -> Mister), Saint/Street, a.m./p.m., dotted acronyms
    (U.S. -> U S), e.g./i.e./etc., money, URLs and e-mail addresses; drops initials'
    full stops and Markdown leftovers; turns a leading list marker "1." into "1,";
    reads a heading's Roman numeral as words ("CHAPTER IV." -> "Chapter Four.").
    Ordinary numbers are left for espeak, which reads them correctly.
    """
    s = _URL.sub(_url, text)
    s = _EMAIL.sub(_email, s)
    s = _MONEY.sub(_money, s)
    s = _TITLE.sub(lambda m: TITLES[m.group(1)], s)
    s = _ST.sub(_saint_or_street, s)
    s = _LATIN_RE.sub(lambda m: LATIN[m.group(0).lower()], s)
    s = _ETC.sub(_keep_stop(lambda m: "et cetera"), s)
    # Before initials: the "V." of "CHAPTER V. Advice" is a numeral, not an initial.
    s = _HEADING_NUMERAL.sub(_heading_numeral, s)
    s = _INITIAL.sub(_initial, s)
    s = _DOTTED.sub(_keep_stop(lambda m: " ".join(m.group(1).upper().split(".")).strip()), s)
    s = _LIST_MARKER.sub(r"\1,", s)
    s = s.replace("&", " and ")
    s = _MARKUP.sub("", s)
    return " ".join(s.split())


def _saint_or_street(m: re.Match[str]) -> str:
    """'St. Paul's' -> 'Saint Paul's'; 'Baker St.' -> 'Baker Street'."""
    before = m.string[: m.start()].split()
    after_name = bool(before) and _NAME_OR_INITIAL.fullmatch(before[-1]) is not None
    nxt = m.string[m.end() :].split(None, 1)
    if nxt and nxt[0][:1].isupper() and not after_name:
        return "Saint"
    return "Street" + ("." if _ends_sentence(m.string, m.end()) else "")


def _initial(m: re.Match[str]) -> str:
    """'Jonas E. Smith' -> 'Jonas E Smith', so Piper does not end a sentence there."""
    before = m.string[: m.start()].split()
    after = m.string[m.end() :].split()
    in_name = bool(before) and _NAME_OR_INITIAL.fullmatch(before[-1]) is not None
    before_initial = bool(after) and re.fullmatch(r"[A-Z]\.", after[0]) is not None
    if _ends_sentence(m.string, m.end()) or not (in_name or before_initial):
        return m.group(0)
    return m.group(1)


def _heading_numeral(m: re.Match[str]) -> str:
    """'CHAPTER XLII' -> 'Chapter Forty-Two': espeak would spell the numeral letter by letter."""
    number = num2words(_roman_to_int(m.group(2)))
    return m.group(1).capitalize() + "-".join(w.capitalize() for w in number.split("-"))


def _roman_to_int(numeral: str) -> int:
    """'XLII' -> 42."""
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))
