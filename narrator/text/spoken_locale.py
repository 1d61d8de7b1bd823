"""``spoken_form`` for the languages other than English, chosen by primary subtag.

French, Spanish, Italian and Portuguese have their own rules (``spoken_romance``),
Hindi (``spoken_hi``), Mandarin and Japanese (``spoken_cjk``). Any other language gets
its whole numbers in its own words where num2words 0.5.14 knows the language
("de", "nl", "pl", "ru", ...) and is otherwise left as written: a number in digits is
read by the engine in the text's language, English number words never are.
"""

from __future__ import annotations

import re

from num2words import CONVERTER_CLASSES, num2words

from narrator.text.language import primary
from narrator.text.numbers_romance import ROMANCE
from narrator.text.spoken_cjk import spoken_form_ja, spoken_form_zh
from narrator.text.spoken_hi import spoken_form_hi
from narrator.text.spoken_romance import spoken_form_romance

# A bare whole number: not part of "1.500", "3,14" or "10:30", whose reading varies.
_INTEGER = re.compile(r"(?<![\w.,:])\d+(?![\w]|[.,:]\d)")


def spoken_form_in(text: str, *, language: str) -> str:
    """``text`` with numbers and abbreviations in the words of ``language`` (not English)."""
    lang = primary(language)
    if lang in ROMANCE:
        return spoken_form_romance(text, language=language)
    if lang == "hi":
        return spoken_form_hi(text)
    if lang == "zh":
        return spoken_form_zh(text)
    if lang == "ja":
        return spoken_form_ja(text)
    if lang in CONVERTER_CLASSES:
        text = _INTEGER.sub(lambda m: num2words(int(m.group(0)), lang=lang), text)
    return " ".join(text.split())
