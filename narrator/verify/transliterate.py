"""Hindi in any script as a loose consonant key, so a book's Devanagari can be compared
with what Whisper base heard.

Told ``language="hi"``, Whisper base writes Hindi speech in the Perso-Arabic script of
Urdu ("हामिद ने अपनी दादी के लिए" heard as "ہامت نے اپنی دادی کے لئے"), or in Latin letters,
never in Devanagari: on Kokoro's hf_alpha and hm_omega reading 10 passages of Premchand,
9 came out in Urdu's script and one in Latin letters. The scripts do not write the
same sounds: Urdu leaves out short vowels and writes long ones with consonant letters
(ا و ی), and the same sound may have several letters. So both sides are reduced to
what both scripts write alike, the consonants:

- Devanagari is transliterated to IAST with indic-transliteration, then handled as Latin;
- Perso-Arabic letters map to the same Latin consonants (:data:`_URDU`);
- Latin is lower-cased, diacritics stripped, aspiration folded (kh -> k, bh -> b),
  sounds Hindi writers often merge folded (f/ph -> p, z -> j, q -> k, ś/ṣ/sh -> s,
  retroflex ṭ/ḍ/ṛ -> t/d/r), nasal marks and h dropped, vowels and the semivowels
  v/w/y dropped, doubled consonants written once.

What is left ("किसान ने कहा" -> "ksnnk") tells a dropped or garbled phrase from the
transcriber's spelling, but it is a weaker check than words: two words with the same
consonants pass (vowel length, nasalization and tone are not compared at all).
"""

from __future__ import annotations

import re
import unicodedata

from indic_transliteration import sanscript

_DEVANAGARI = re.compile(r"[\u0900-\u097f]")

_URDU = str.maketrans({
    "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "c", "خ": "k",
    "د": "d", "ڈ": "d", "ذ": "j", "ر": "r", "ڑ": "r", "ز": "j", "ژ": "j", "س": "s",
    "ش": "s", "ص": "s", "ض": "j", "ط": "t", "ظ": "j", "غ": "g", "ف": "p", "ق": "k",
    "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ة": "t",
    # Vowel carriers, h, the aspiration mark (ھ), nasalization (ں) and the glottal stops:
    # nothing, as in the Latin key.
    "ا": "", "آ": "", "أ": "", "إ": "", "و": "", "ؤ": "", "ی": "", "ي": "", "ى": "",
    "ے": "", "ئ": "", "ہ": "", "ۂ": "", "ۃ": "", "ھ": "", "ح": "", "ع": "", "ء": "",
    "ں": "",
})  # fmt: skip
"""Perso-Arabic (Urdu) letters as the Latin consonants of the key."""

# Before diacritics are stripped: the anusvara is a nasal consonant (Urdu writes ن).
_BEFORE_STRIP = (("ṃ", "n"), ("ṁ", "n"))
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("ch", "c"), ("jh", "j"), ("th", "t"), ("dh", "d"),
             ("ph", "p"), ("bh", "b"), ("sh", "s"))  # fmt: skip
_FOLD = str.maketrans({"f": "p", "q": "k", "x": "k", "z": "j"})
_NOT_KEY = re.compile(r"[^bcdgjklmnprst]")


def _latin_key(text: str) -> str:
    text = text.lower()
    for mark, letter in _BEFORE_STRIP:
        text = text.replace(mark, letter)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    text = _NOT_KEY.sub("", text.translate(_FOLD))
    return re.sub(r"(.)\1+", r"\1", text)


def hindi_key(text: str) -> str:
    """The consonant key of Hindi ``text`` written in Devanagari, Perso-Arabic or Latin
    letters (or a mix): the letters ``bcdgjklmnprst``, nothing else; words run together."""
    if _DEVANAGARI.search(text):
        text = sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.IAST)
    return _latin_key(text.translate(_URDU))
