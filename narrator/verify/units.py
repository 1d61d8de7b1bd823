"""What a round trip is compared in, per language: words, or the sounds of characters.

Spaced languages are compared in the words of ``normalize_words``. Chinese, Japanese
and Hindi are compared by characters, each as what it sounds like, because Whisper base
does not write them as the book does:

- **Mandarin** (``zh``): one pinyin syllable per character, without tones (pypinyin,
  reading phrases as a whole). Whisper base mixes traditional and simplified
  characters ("我家的后园" heard as "我家的後原") and picks among homophones; by sound
  后/後 are one syllable, and a missing or wrong character is still one error.
- **Japanese** (``ja``): one kana per mora of the reading (pyopenjtalk, the dictionary
  Kokoro's Japanese G2P uses), since a word may be written in kanji or kana
  ("吾輩は…無い" heard as "ワーハイは…ない").
- **Hindi** (``hi``): one letter of the consonant key (``narrator.verify.transliterate``),
  since Whisper writes Hindi in Urdu's script.
"""

from __future__ import annotations

import re

from narrator.text.language import primary
from narrator.text.normalize import normalize_words
from narrator.verify.transliterate import hindi_key

BY_CHARACTER = frozenset({"zh", "ja", "hi"})
"""Languages scored by characters (their sounds), not words, by primary subtag."""

_HAN_GAP = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s+(?=[\u3040-\u30ff\u3400-\u9fff])")
_NO_SOUND = re.compile(r"[\W_]+")


def by_character(language: str) -> bool:
    """Whether ``language`` (a BCP 47 tag) is scored by characters."""
    return primary(language) in BY_CHARACTER


def units(text: str, *, language: str) -> list[str]:
    """The units ``text`` in ``language`` is compared in: its normalized words, or for a
    language scored by characters (:data:`BY_CHARACTER`) the sound of each character."""
    words = normalize_words(text, language=language)
    lang = primary(language)
    if lang not in BY_CHARACTER:
        return words
    # Characters of one phrase read together: a character's reading depends on its
    # neighbours (多音字, Japanese kanji compounds).
    joined = _HAN_GAP.sub("", " ".join(words))
    if lang == "hi":
        return list(hindi_key(joined))
    if lang == "zh":
        return _pinyin(joined)
    return _kana(joined)


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take ~0.3 s

    syllables = lazy_pinyin(text, errors=lambda rest: rest.split())
    return [s for s in syllables if not _NO_SOUND.fullmatch(s)]


def _kana(text: str) -> list[str]:
    return [k for k in _reading(text) if not _NO_SOUND.fullmatch(k)]


def _reading(text: str) -> str:
    import pyopenjtalk  # imported on first use: it loads its dictionary (~1 s)

    return "".join(pyopenjtalk.g2p(part, kana=True) for part in text.split())
