"""Text as it is said: the one normalization shared by synthesis and verification.

``TITLES`` and ``LATIN`` are how abbreviations are said: the sentence splitter never ends
a sentence after them, ``to_spoken`` sends the engine the words, and ``normalize_words``
makes a transcript's "Dr." equal to the "Doctor" the engine was sent.

``normalize_words`` reduces a text to lower-case spoken words (numbers, money, times,
contractions and abbreviations spelled out), so that the text a chunk should say and what
a transcriber heard compare equal when the same words were spoken.
"""

from __future__ import annotations

import re
import unicodedata

from num2words import num2words

TITLES: dict[str, str] = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "Prof": "Professor",
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
) | {"dollar", "dollars", "pound", "pounds", "euro", "euros"}

_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
}

_MONEY = re.compile(r"([$£€])\s?(\d[\d,]*)(?:\.(\d{1,2}))?\b")
# "7:45"; also "at 7.45", which Whisper writes for a spoken "seven forty-five".
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b|(?<=\bat )(\d{1,2})\.(\d{2})\b")
_AM_PM = re.compile(r"\b([ap])\.\s?m\.|(?<=\d)\s?([ap])m\b")
_THOUSANDS = re.compile(r"\b(\d{1,3}(?:,\d{3})+)\b")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_DECIMAL = re.compile(r"\b(\d+)\.(\d+)\b")
_PERCENT = re.compile(r"(\d+)\s?%")
_INTEGER = re.compile(r"\b\d+\b")
_APOSTROPHE_WORD = re.compile(r"[a-z]+(?:'[a-z]+)+|[a-z]+'")
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


def _spell(number: int, **kwargs: str) -> str:
    return num2words(number, **kwargs).replace(" and ", " ")


def _integer(match: re.Match[str]) -> str:
    value = int(match.group(0))
    # Four-digit numbers in 1100-2099 are almost always years in prose and are read as
    # years ("nineteen eighty-four"); Whisper writes them as digits either way.
    if len(match.group(0)) == 4 and 1100 <= value <= 2099:
        return _spell(value, to="year")
    return _spell(value)


def _money(match: re.Match[str]) -> str:
    one, many, sub_one, sub_many = _CURRENCIES[match.group(1)]
    whole = int(match.group(2).replace(",", ""))
    words = f"{_spell(whole)} {one if whole == 1 else many}"
    if match.group(3):
        fraction = int(match.group(3).ljust(2, "0"))
        if fraction:
            words += f" {_spell(fraction)} {sub_one if fraction == 1 else sub_many}"
    return f" {words} "


def _time(match: re.Match[str]) -> str:
    hours, minutes = (int(group) for group in match.groups() if group is not None)
    if minutes == 0:
        return f" {_spell(hours)} "
    spoken_minutes = _spell(minutes) if minutes >= 10 else f"oh {_spell(minutes)}"
    return f" {_spell(hours)} {spoken_minutes} "


def _decimal(match: re.Match[str]) -> str:
    digits = " ".join(_spell(int(digit)) for digit in match.group(2))
    return f" {_spell(int(match.group(1)))} point {digits} "


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


# Whisper's English models write American spelling; manuscripts are often British
# ("harbour" heard as "harbor" is not an error). Regular -our/-or pairs, plus "grey".
_AMERICAN = re.compile(
    r"\b(col|harb|hon|fav|neighb|lab|behavi|flav|hum|rum|vap|arm|parl|od|glam|splend|val)our"
)


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


def normalize_words(text: str) -> list[str]:
    """Lower-case words of ``text`` as they would be spoken, for comparing two texts.

    Numbers, money, times, ordinals and years become words; contractions and common
    abbreviations are expanded; hyphens and slashes split words; all other punctuation,
    quotes and Markdown markers are removed.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = _MONEY.sub(_money, text)
    text = _TIME.sub(_time, text)
    text = _AM_PM.sub(lambda m: f" {m.group(1) or m.group(2)} m ", text)
    text = _THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), text)
    text = _ORDINAL.sub(lambda m: f" {_spell(int(m.group(1)), to='ordinal')} ", text)
    text = _DECIMAL.sub(_decimal, text)
    text = _PERCENT.sub(lambda m: f"{m.group(1)} percent", text)
    text = _INTEGER.sub(_integer, text)
    text = _AMERICAN.sub(r"\1or", text).replace("grey", "gray")
    text = _NOT_WORD.sub(" ", text)  # hyphens, slashes, punctuation, Markdown
    text = _APOSTROPHE_WORD.sub(_expand_apostrophes, text).replace("'", " ")
    words = [part for word in text.split() for part in _WORD_EXPANSIONS.get(word, word).split()]
    return _drop_number_and(words)
