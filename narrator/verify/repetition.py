"""Repetition: a phrase said twice, found in the alignment of the expected and heard words.

A stretch of heard words without a counterpart in the text is a repetition when the same
words are heard right before or right after it: "the tide [the tide] turned". Otherwise
it is babble or another text, which the word-run rules of ``narrator.verify.scoring``
report as a mismatch.
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


def repeated_phrase(
    heard: Sequence[str], regions: Sequence[tuple[int, int, int, int]]
) -> Defect | None:
    """The first phrase of ``MIN_REPEATED_WORDS`` or more words heard twice, or None.

    ``regions`` are the alignment's error regions ``(ref_start, ref_end, hyp_start,
    hyp_end)`` (``narrator.verify.scoring._regions``): only extra heard words can repeat.
    """
    for ref_start, ref_end, hyp_start, hyp_end in regions:
        extra = (hyp_end - hyp_start) - (ref_end - ref_start)
        if extra < MIN_REPEATED_WORDS:
            continue
        words = list(heard[hyp_start:hyp_end])
        for size in range(len(words), MIN_REPEATED_WORDS - 1, -1):
            before = list(heard[max(0, hyp_start - size) : hyp_start])
            after = list(heard[hyp_end : hyp_end + size])
            if words[-size:] == before or words[:size] == after:
                phrase = " ".join(words[-size:] if words[-size:] == before else words[:size])
                return Defect(
                    code=DefectCode.REPEATED,
                    detail=f"'{phrase}' is heard twice",
                    words=phrase,
                )
    return None
