"""The language a book is narrated in: stated by the manuscript or the user, or detected.

Languages are BCP 47 tags ("en", "en-GB", "fr", "pt-BR", "zh"). Every step that depends
on the language (sentence splitting, chapter headings, spoken numbers, voices, hearing)
keys on the primary subtag (:func:`primary`); the region only picks a voice's accent.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from narrator.errors import ManuscriptError

if TYPE_CHECKING:
    from lingua import LanguageDetector

ENGLISH = "en"

# The languages narrator narrates offline (Kokoro-82M v1.0's voices) and the other
# major book languages a remote engine may speak, by primary subtag.
NAMES: dict[str, str] = {
    "en": "English", "es": "Spanish", "fr": "French", "it": "Italian",
    "pt": "Portuguese", "hi": "Hindi", "zh": "Mandarin Chinese", "ja": "Japanese",
    "de": "German", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "sv": "Swedish",
    "da": "Danish", "fi": "Finnish", "nb": "Norwegian", "cs": "Czech", "el": "Greek",
    "hu": "Hungarian", "ro": "Romanian", "tr": "Turkish", "uk": "Ukrainian",
    "ko": "Korean", "ar": "Arabic", "he": "Hebrew", "ca": "Catalan", "la": "Latin",
}  # fmt: skip

# Chinese and Japanese are written without spaces between words: they are split into
# sentences at 。！？ and scored by characters, not words.
UNSPACED = frozenset({"zh", "ja"})

# A detection this sure or surer is taken; below it the user is asked for --language.
# lingua's confidence over the languages of NAMES, on the first 20,000 characters, was
# 1.000 for each of 15 real books in the eight offline languages and six English novels
# (bench/language_corpus.py --detect). It falls below 0.8 on texts too short or mixed to
# tell: "OK. Ciao. Hola." scores 0.48, a one-word manuscript 0.14.
MIN_CONFIDENCE = 0.8
DETECTION_CHARS = 20_000  # the first 20,000 characters are plenty and keep detection fast

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class LanguageUnknown(ManuscriptError):
    """The manuscript's language is neither stated nor detected with confidence."""


def normalize_tag(tag: str) -> str:
    """A BCP 47 tag in its usual case ("PT_br" -> "pt-BR", "zh-hans" -> "zh-Hans").

    Raises ValueError for text that is not a language tag.
    """
    tag = tag.strip()
    if not _TAG.match(tag):
        raise ValueError(f"{tag!r} is not a language tag; use a BCP 47 tag such as en, fr or pt-BR")
    first, *rest = tag.replace("_", "-").split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def primary(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag ("pt-BR" -> "pt", "en" -> "en")."""
    return tag.replace("_", "-").split("-", 1)[0].lower()


def name(tag: str) -> str:
    """The language's English name ("fr" -> "French"), or the tag when narrator has none."""
    return NAMES.get(primary(tag), tag)


def is_unspaced(tag: str) -> bool:
    """Whether the language is written without spaces between words (Chinese, Japanese)."""
    return primary(tag) in UNSPACED


@functools.cache
def _detector() -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in NAMES]
    # Trigrams only: lingua documents low-accuracy mode as equally accurate on texts over
    # 120 characters, and a book is far longer. Measured on this machine: the sample's
    # first 20,000 characters take 0.01 s to tell, against 0.6 s (and up to 17 s to load
    # another language's models) in high-accuracy mode.
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect(text: str) -> tuple[str | None, float]:
    """The language ``text`` is written in and lingua's confidence in it (0-1).

    Only the languages of :data:`NAMES` are considered. ``(None, 0.0)`` for text
    with no letters.
    """
    sample = text[:DETECTION_CHARS]
    values = _detector().compute_language_confidence_values(sample)
    if not values or not any(ch.isalpha() for ch in sample):
        return None, 0.0
    best = values[0]
    found = best.language.iso_code_639_1.name.lower()
    if found in UNSPACED:
        found = _chinese_or_japanese(sample)
    return found, best.value


# Japanese prose is mostly kana; Chinese has none but stray marks. Kana were 67-70 % of
# the kana and han of two Aozora Bunko texts (Akutagawa, Natsume), 0.0 % of Lu Xun's
# 阿Q正传 and 0.4 % of Project Gutenberg's 吶喊 in traditional characters, which lingua
# reads as Japanese, sure of it.
MIN_KANA_SHARE = 0.05
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _chinese_or_japanese(text: str) -> str:
    """ "ja" when kana are at least :data:`MIN_KANA_SHARE` of the text's kana and han, else
    "zh"."""
    kana, han = len(_KANA.findall(text)), len(_HAN.findall(text))
    return "ja" if kana >= MIN_KANA_SHARE * max(kana + han, 1) else "zh"


def resolve(stated: str | None, text: str, *, source: str) -> str:
    """The book's language: ``stated`` when given (normalized), else detected from ``text``
    (English for a text with no letters, which has nothing to tell it by).

    ``source`` names the manuscript in the error raised (``LanguageUnknown``) when the
    detection is not confident enough.
    """
    if stated:
        try:
            return normalize_tag(stated)
        except ValueError as exc:
            raise LanguageUnknown(source, f"the manuscript states no language: {exc}",
                                  hint=_ASK) from None  # fmt: skip
    found, confidence = detect(text)
    if found is None:  # no letters: nothing to tell, and nothing to narrate but numbers
        return ENGLISH
    if confidence < MIN_CONFIDENCE:
        guess = f" (it looks most like {name(found)}, {confidence:.0%} sure)"
        raise LanguageUnknown(
            source, f"cannot tell which language the text is written in{guess}", hint=_ASK
        )
    return found


_ASK = (
    "pass --language with a BCP 47 tag (en, es, fr, it, pt-BR, hi, zh, ja, ...) "
    "or set language in book.toml"
)
