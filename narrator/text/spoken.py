"""The text the speech engine is asked to say.

``narrator.text.normalize.spoken_form`` turns numbers, money, dates, units, symbols,
Roman numerals, URLs and abbreviations into words; verification reduces both texts with
the same rules. What is left here is what Piper's prosody needs: espeak-ng ends a
sentence at every "Mr.", "Dr." or initial and spells "U.S." as a word, as
``EspeakPhonemizer().phonemize("en-us", text)`` of ``piper.phonemize_espeak``
(piper-tts 1.8.0) shows. So those lose their full stops, except where the abbreviation
also ends the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from narrator.text.language import ENGLISH, primary
from narrator.text.normalize import spoken_form
from narrator.text.sentences import SENTENCE_STARTERS

_ST = re.compile(r"\bSt\.")
_ETC = re.compile(r"\betc\.")
_DOTTED = re.compile(r"\b((?:[A-Za-z]\.){2,})")
# "I." is left alone: "CHAPTER I." is a numeral (read by spoken_form), or the pronoun.
_INITIAL = re.compile(r"(?<![\w.])([A-HJ-Z])\.(?=\s+[A-Z])")
_NAME_OR_INITIAL = re.compile(r"[A-Z][\w'’-]*|[A-Z]\.")
_LIST_MARKER = re.compile(r"(?:^|(?<=[.!?]\s))(\d{1,3})\.(?=\s)")
_MARKUP = re.compile(r"[*`]+|(?<!\w)_+|_+(?!\w)")


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


def to_spoken(text: str, *, language: str = ENGLISH) -> str:
    """Rewrite ``text`` so that the speech engine reads it as a person would.

    A leading list marker "1." becomes "1," (before numbers become words); then
    ``spoken_form`` says numbers, money, dates, units, symbols, Roman numerals, URLs,
    titles and Latin abbreviations in words, in ``language``; then (in English) Saint/
    Street and etc., and (in any language) dotted acronyms (U.S. -> U S, a.m. -> A M) and
    initials lose their full stops, and Markdown leftovers go.
    """
    s = _LIST_MARKER.sub(r"\1,", text)
    s = spoken_form(s, language=language)
    if primary(language) == ENGLISH:  # other languages say their "St" and "etc." in spoken_form
        s = _ST.sub(_saint_or_street, s)
        s = _ETC.sub(_keep_stop(lambda m: "et cetera"), s)
    s = _INITIAL.sub(_initial, s)
    s = _DOTTED.sub(_keep_stop(lambda m: " ".join(m.group(1).upper().split(".")).strip()), s)
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
