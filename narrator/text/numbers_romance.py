"""Numbers in words in French, Spanish, Italian and Portuguese, as a narrator says them.

num2words 0.5.14 writes them, with these corrections (each checked against its output):

- Brazilian Portuguese (``lang="pt_BR"``) puts a comma after "mil" ("mil, oitocentos e
  setenta e dois"); it is dropped. European Portuguese (``pt-PT``) uses ``lang="pt"``
  ("dezasseis", not the Brazilian "dezesseis").
- Spanish writes "veintiuno mil" for 21,000 and "uno" before a noun; Spanish shortens
  "uno" to "un" ("veintiún mil", "un euro", "treinta y un euros"), and Italian "uno" is
  "un" before the names of currencies ("un euro").
- Spanish ordinals 11 and 12 come out "décimoprimero", "décimosegundo" (the RAE forms are
  "undécimo", "duodécimo"); 800th is "octigentésimo" in Spanish and Portuguese
  ("octingentésimo") and "huit centsième" in French ("huit centième").
- num2words has no feminine; a feminine noun ("une livre", "doscientas libras", "duas
  horas") takes the forms below.
"""

from __future__ import annotations

import re

from num2words import num2words

from narrator.text.language import primary

ROMANCE = frozenset({"fr", "es", "it", "pt"})


def num2words_lang(language: str) -> str:
    """num2words' code for a Romance language tag: Brazilian unless ``pt-PT``."""
    lang = primary(language)
    if lang == "pt":
        return "pt" if language.replace("_", "-").upper().endswith("-PT") else "pt_BR"
    return lang


_ES_FIXES = (
    (re.compile(r"\bveintiuno\b(?= (?:mil|millones|billones)\b)"), "veintiún"),
    (re.compile(r"\buno\b(?= (?:mil|millones|billones)\b)"), "un"),
    (re.compile(r"décimoprimer"), "undécim"),
    (re.compile(r"décimosegund"), "duodécim"),
)
# Ordinal misspellings: "octigentésimo" (es, pt) for "octingentésimo", "huit centsième"
# (fr) for "huit centième".
_ORDINAL_FIXES = (
    (re.compile(r"octigent"), "octingent"),
    (re.compile(r"centsième"), "centième"),
)
# Feminine forms: the last "un"/"uno"/"um" and hundreds agree with a feminine noun.
_FEMININE: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "fr": ((re.compile(r"\bun$"), "une"),),
    "es": (
        (re.compile(r"\bveintiuno$"), "veintiuna"),
        (re.compile(r"\buno$"), "una"),
        (re.compile(r"ientos\b"), "ientas"),
    ),
    "it": ((re.compile(r"\buno$"), "una"),),
    "pt": (
        (re.compile(r"\bum$"), "uma"),
        (re.compile(r"\bdois$"), "duas"),
        (re.compile(r"entos\b"), "entas"),
    ),
}
# Before a masculine noun Spanish and Italian drop the final vowel of "uno".
_BEFORE_NOUN: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "es": ((re.compile(r"\bveintiuno$"), "veintiún"), (re.compile(r"\buno$"), "un")),
    "it": ((re.compile(r"^uno$"), "un"),),  # "un euro", "un dollaro"
}


def _apply(words: str, fixes: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, replacement in fixes:
        words = pattern.sub(replacement, words)
    return words


def cardinal(
    number: int, language: str, *, feminine: bool = False, before_noun: bool = False
) -> str:
    """``number`` in words ("1872", "fr" -> "mille huit cent soixante-douze").

    ``feminine`` agrees with a feminine noun ("une", "una", "uma", "duas", "doscientas");
    ``before_noun`` is the form before a masculine noun ("un euro", "veintiún años").
    Years are said as cardinals in all four languages ("mil ochocientos ocho").
    """
    lang = primary(language)
    words = num2words(number, lang=num2words_lang(language)).replace(",", "")
    if lang == "es":
        words = _apply(words, _ES_FIXES)
    if feminine:
        words = _apply(words, _FEMININE.get(lang, ()))
    elif before_noun:
        words = _apply(words, _BEFORE_NOUN.get(lang, ()))
    return words


def ordinal(number: int, language: str, *, feminine: bool = False) -> str:
    """``number`` as an ordinal ("1", "fr" -> "premier"; "2", "es", feminine -> "segunda")."""
    lang = primary(language)
    words = _apply(num2words(number, lang=num2words_lang(language), to="ordinal"), _ORDINAL_FIXES)
    if lang == "es":
        words = _apply(words, _ES_FIXES)
    if feminine:
        if lang == "fr":
            words = re.sub(r"\bpremier\b", "première", words)
        else:  # "primero" -> "primera", "vigésimo primeiro" -> "vigésima primeira"
            words = re.sub(r"o\b", "a", words)
    return words
