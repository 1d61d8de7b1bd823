"""Repetition: a phrase said twice ("the tide, the tide turned"), found in the heard
words. Extra words that repeat nothing are babble or another text, which the word-run
rules of ``narrator.verify.scoring`` report as a mismatch.
"""

from __future__ import annotations

from collections.abc import Sequence

from narrator.models import Defect, DefectCode

MIN_REPEATED_WORDS = 2
"""Shortest repeated phrase that fails a chunk, words.

A single doubled word ("the the") is a common transcriber stutter and easy to miss by
ear; two or more words said twice is a repetition a listener hears. On the clean chunks
of ``bench/bench_defects.py`` tiny.en never doubled two words in a row.
"""

MAX_PHRASE_WORDS = 12
"""Longest phrase looked for, words: a repeated sentence is found by its first 12 words."""

MAX_WORDS_BETWEEN = 2
"""Words that may sit between a phrase and its repetition: a mis-heard word at the seam
where the copy was spliced in."""


def repeated_phrase(
    expected: Sequence[str],
    heard: Sequence[str],
    regions: Sequence[tuple[int, int, int, int]],
    *,
    units_per_word: int = 1,
    min_letters: int = 0,
) -> Defect | None:
    """The longest phrase of ``MIN_REPEATED_WORDS`` or more words heard twice in a row
    (at most ``MAX_WORDS_BETWEEN`` words apart), more often than the text says it, whose
    second copy holds extra heard words, or None. The units compared may be the
    characters of a language scored by characters, ``units_per_word`` to a word: every
    length here is then that many times as long. A phrase of fewer than ``min_letters``
    letters is not looked for.

    ``regions`` are the alignment's error regions ``(ref_start, ref_end, hyp_start,
    hyp_end)``; a region with more heard than expected words holds extra words. Counting
    against the text leaves alone what the text itself repeats ("again and again"); the
    extra words leave alone a mis-hearing that happens to echo ("of the rope of the quay"
    for "a coil of rope on the quay"). Looking at the heard words rather than single
    regions finds a repetition the alignment splits around a matched word ("on the key
    before dawn. The key before dawn. The key for cleaning" for "on the quay before dawn.
    The keeper cleaned").
    """
    extra = {i for r0, r1, h0, h1 in regions if h1 - h0 > r1 - r0 for i in range(h0, h1)}
    shortest, longest = MIN_REPEATED_WORDS * units_per_word, MAX_PHRASE_WORDS * units_per_word
    between = MAX_WORDS_BETWEEN * units_per_word
    for size in range(min(longest, len(heard) // 2), shortest - 1, -1):
        for start in range(len(heard) - 2 * size + 1):
            phrase = list(heard[start : start + size])
            if len("".join(phrase)) < min_letters:
                continue
            for copy in range(start + size, min(start + size + between,
                                                len(heard) - size) + 1):  # fmt: skip
                if (
                    list(heard[copy : copy + size]) == phrase
                    and extra.intersection(range(copy - between, copy + size))
                    and _count(heard, phrase) > _count(expected, phrase)
                    and _count(_said_there(expected, regions, start, copy + size), phrase) < 2
                    and not _text_says_twice(expected, regions, start, copy, size)
                ):
                    said = ("" if units_per_word > 1 else " ").join(phrase)
                    return Defect(
                        code=DefectCode.REPEATED,
                        detail=f"'{said}' is heard twice",
                        words=said,
                    )
    return None


def _text_says_twice(
    expected: Sequence[str],
    regions: Sequence[tuple[int, int, int, int]],
    start: int,
    copy: int,
    size: int,
) -> bool:
    """Whether the expected words the alignment pairs with the phrase at ``start`` are
    the same as those it pairs with its copy at ``copy``: the text says it twice, and
    the transcriber only spelled it otherwise ("Curiouser and curiouser!" heard as
    "curious her and curious her")."""
    first = _said_there(expected, regions, start, start + size)
    return bool(first) and list(first) == list(_said_there(expected, regions, copy, copy + size))


def _said_there(
    expected: Sequence[str], regions: Sequence[tuple[int, int, int, int]], start: int, end: int
) -> Sequence[str]:
    """The expected words the alignment pairs with the heard words ``[start, end)``."""
    return expected[_expected_at(regions, start, end=False) : _expected_at(regions, end, end=True)]


def _expected_at(regions: Sequence[tuple[int, int, int, int]], heard_at: int, *, end: bool) -> int:
    """The expected-word index the alignment pairs with heard index ``heard_at``: outside
    the error regions the two advance together; inside one, its start (or, for an end,
    its end)."""
    offset = 0
    for ref_start, ref_end, hyp_start, hyp_end in regions:
        if hyp_start < heard_at <= hyp_end if end else hyp_start <= heard_at < hyp_end:
            return ref_end if end else ref_start
        if hyp_end > heard_at:
            break
        offset = ref_end - hyp_end
    return heard_at + offset


def _count(words: Sequence[str], phrase: list[str]) -> int:
    size = len(phrase)
    return sum(list(words[i : i + size]) == phrase for i in range(len(words) - size + 1))
