"""Truncation: the engine spoke the beginning of a chunk faithfully and then stopped.

Told apart from a bad take, so that an engine whose endpoint cuts long inputs can lower
its input limit instead of failing the same way on every attempt.
"""

from __future__ import annotations

import difflib

from narrator.text.normalize import normalize_words

TRUNCATION_MISSING_WORDS = 5
TRUNCATION_HEARD_MATCH = 0.8
"""A transcript is a truncation when at least 5 words are missing at the end of the
expected text while at least 80 % of what was heard matches the expected words before
them: the engine spoke the beginning faithfully and stopped (Kokoro's 510-token context,
servers that cut long inputs). A garbled or babbled chunk matches less."""


def truncated_at(expected: str, heard: str) -> int | None:
    """Where the engine stopped speaking ``expected``, as a character count of the
    expected text (a proportional estimate), or None when ``heard`` is not a truncation."""
    expected_words = normalize_words(expected)
    heard_words = normalize_words(heard)
    if not expected_words or not heard_words:
        return None
    blocks = difflib.SequenceMatcher(
        None, expected_words, heard_words, autojunk=False
    ).get_matching_blocks()
    matched = sum(block.size for block in blocks)
    last = max((block.a + block.size for block in blocks if block.size), default=0)
    missing = len(expected_words) - last
    if missing < TRUNCATION_MISSING_WORDS or matched < TRUNCATION_HEARD_MATCH * len(heard_words):
        return None
    return int(len(expected) * last / len(expected_words))
