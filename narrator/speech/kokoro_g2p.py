"""Kokoro's phonemes for Mandarin and Japanese, which espeak-ng does not speak right.

espeak-ng gets Mandarin's tones wrong and reads Japanese kanji as "Chinese letter", so
these two languages are phonemized by misaki 0.9.4 (Kokoro's own G2P library) and the
phonemes handed to kokoro-onnx: Mandarin by ``zh.ZHG2P()`` (jieba's word split, pypinyin
and misaki's pinyin-to-IPA, the G2P Kokoro v1.0 was trained with), Japanese by
``ja.JAG2P(version="pyopenjtalk")`` (OpenJTalk's readings and accents). Each is built on
first use (jieba's dictionary takes about 0.6 s to load, OpenJTalk's a little less), so a
book in another language never pays for them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from narrator.errors import EngineError
from narrator.once import once
from narrator.text.language import primary

G2P = Callable[[str], str]
"""Text in, Kokoro phonemes out."""

JAPANESE_TO_KOKORO = str.maketrans(
    {
        "g": "ɡ", "ƫ": "tʲ", "ᶀ": "bʲ", "ᶁ": "dʲ", "ᶃ": "ɡʲ", "ᶄ": "kʲ", "ᶆ": "mʲ",
        "ᶈ": "pʲ", "ᶉ": "ɾʲ", "K": "kᵝ", "G": "ɡᵝ",
    }
)  # fmt: skip
"""misaki's OpenJTalk table writes a palatalized consonant as one letter (ᶄ for the k of
キャ) and g as the ASCII letter; Kokoro v1.0's vocabulary has none of them, and
kokoro-onnx drops what it lacks, so が would be spoken "a". Kokoro v1.0 learned Japanese
from misaki's other (cutlet) table, which writes them as IPA: ɡ, and a consonant with ʲ
(kʲa for キャ, kᵝa for クァ), as here. Six sentences in jf_alpha's voice,
heard by the multilingual Whisper base: character error rate 0.34 as misaki wrote them,
0.16 mapped (牛乳 heard as 牛乳, not うにう; 旅行 as 旅行, not お子).
Writing u and r as cutlet's ɯ and ɾ too gained nothing (0.18)."""

PITCH_MARKS = frozenset("_-^j")
"""The letters of the accent line JAG2P appends to its phonemes, one per phoneme."""

_lock = threading.Lock()
"""misaki's G2Ps are not documented thread-safe (jieba's and OpenJTalk's state is
process-wide); a sentence takes milliseconds, so the speech workers take turns."""


@once
def _mandarin() -> G2P:
    from misaki import zh

    # jieba announces its dictionary load on stderr at INFO; it is not news.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    g2p = zh.ZHG2P()

    def phonemes(text: str) -> str:
        return g2p(text)[0]

    return phonemes


@once
def _japanese() -> G2P:
    from misaki import ja

    g2p = ja.JAG2P(version="pyopenjtalk")

    def phonemes(text: str) -> str:
        # JAG2P returns the phonemes followed by an accent line of the same length.
        both = g2p(text)[0]
        half = len(both) // 2
        spoken, accents = both[:half], both[half:]
        if len(both) % 2 or not set(accents) <= PITCH_MARKS:
            raise EngineError(
                f"misaki's Japanese G2P gave phonemes of an unknown form for {text[:60]!r}",
                hint="reinstall the locked misaki: ./scripts/bootstrap.sh",
            )
        return spoken.translate(JAPANESE_TO_KOKORO)

    return phonemes


_G2PS: dict[str, Callable[[], G2P]] = {"zh": _mandarin, "ja": _japanese}


def has_g2p(language: str) -> bool:
    """Whether ``language`` (BCP 47) is phonemized here rather than by espeak-ng."""
    return primary(language) in _G2PS


def phonemize(text: str, language: str) -> str:
    """Kokoro phonemes of ``text`` in ``language`` (Mandarin or Japanese)."""
    g2p = _G2PS[primary(language)]()
    with _lock:
        return g2p(text)
