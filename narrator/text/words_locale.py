"""``normalize_words`` for the languages other than English.

Both sides of a comparison (the book's text and what Whisper wrote) go through
``spoken_form`` in the book's language first, so "1872" and "mille huit cent
soixante-douze" reduce to the same words. Then the text is lower-cased with its accents
kept ("été" is not "ete"), elisions are split at the apostrophe ("l'homme" -> "l",
"homme"; Whisper writes the apostrophe, and both sides split alike), hyphens split
words ("soixante-douze", "vingt-et-un"), and punctuation and quotation marks (« » „ “ ”
「 」) go.
"""

from __future__ import annotations

import re
import unicodedata

from narrator.text.spoken_locale import spoken_form_in

# Anything that is not a letter, a combining mark or a digit separates words.
_NOT_WORD = re.compile(r"[^\w\u0300-\u036f]+|_+")


def normalize_words_in(text: str, *, language: str) -> list[str]:
    """Lower-case words of ``text`` as spoken in ``language`` (not English), accents kept."""
    text = unicodedata.normalize("NFKC", spoken_form_in(text, language=language)).lower()
    return _NOT_WORD.sub(" ", text).split()
