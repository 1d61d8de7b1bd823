"""``normalize_words`` for the languages other than English.

Both sides of a comparison (the book's text and what Whisper wrote) go through
``spoken_form`` in the book's language first, so "1872" and "mille huit cent
soixante-douze" reduce to the same words. Then the text is lower-cased with its accents
kept ("été" is not "ete"), elisions are split at the apostrophe ("l'homme" -> "l",
"homme"; Whisper writes the apostrophe, and both sides split alike), hyphens split
words ("soixante-douze", "vingt-et-un"), and everything that is not a letter, a mark or
a digit goes: punctuation and quotation marks (« » „ “ ” 「 」 。 ।).

Chinese and Japanese are compared by characters: each Han or kana character is one
token, a run of Latin letters or digits one word. Japanese digits are kept for the
engine (``spoken_cjk``) but compared as kanji numerals ("1872" -> "千八百七十二"), so a
transcript that writes either matches. Hindi keeps its Devanagari words, with the nukta
dropped and candrabindu written as anusvara ("हज़ार" -> "हजार", "पाँच" -> "पांच"):
Hindi spells these both ways, and the transcript reaches Devanagari by
transliteration, which tells neither apart.
"""

from __future__ import annotations

import re
import unicodedata

from num2words import num2words

from narrator.text.language import is_unspaced, primary
from narrator.text.spoken_locale import spoken_form_in

# Han (with extension A and compatibility ideographs), hiragana, katakana, 々 and ー.
_CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CHARACTER_OR_WORD = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
_JA_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?")
_JA_DIGITS = "〇一二三四五六七八九"
_HINDI_FOLD = str.maketrans({"\u093c": None, "\u0901": "\u0902"})


def _letters_marks_digits(text: str) -> str:
    """``text`` with every character that is not a letter, mark or digit made a space.

    By Unicode category rather than ``\\w``, which does not match the vowel signs of
    Devanagari ("पाँच" would fall apart into "प", "च")."""
    return "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in text)


def _ja_number(m: re.Match[str]) -> str:
    words = num2words(int(m.group(1)), lang="ja")
    if m.group(2):
        words += "点" + "".join(_JA_DIGITS[int(d)] for d in m.group(2))
    return words


def normalize_words_in(text: str, *, language: str) -> list[str]:
    """Lower-case words of ``text`` as spoken in ``language`` (not English), accents kept;
    characters for Chinese and Japanese."""
    lang = primary(language)
    text = unicodedata.normalize("NFKC", spoken_form_in(text, language=language)).lower()
    if lang == "ja":
        text = _JA_NUMBER.sub(_ja_number, text)
    elif lang == "hi":
        text = text.translate(_HINDI_FOLD)
    text = _letters_marks_digits(text)
    if is_unspaced(language):
        return _CHARACTER_OR_WORD.findall(text)
    return text.split()
