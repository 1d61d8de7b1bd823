"""How long a voice takes to say a text: the speaking-time model, fitted on Piper.

Planning cuts long chapters into parts by it, the remote engine rejects responses of
implausible length by it, and verification flags audio too short or too long by it.
"""

from __future__ import annotations

import re

from narrator.text.normalize import normalize_words

SECONDS_PER_CHAR = 0.0494
"""Speaking time per character of normalized text at speed 1.0, seconds (about 20
characters per second of pure speech).

Least-squares fit on 151 varied sentences spoken one by one by Piper joe-medium, 302
takes, counting ``len(" ".join(normalize_words(text)))`` so numbers count as the words
that are said.
"""

SECONDS_PER_SENTENCE = 0.36
"""Speaking time per sentence independent of its length (the voice's lead and tail
silence), seconds; same fit."""

SECONDS_BETWEEN_SENTENCES = 0.3
"""Pause an engine inserts between sentences, seconds (Piper: ``SENTENCE_GAP_S``).

With it, the model predicts 25-s chunks of 7-10 sentences within 0.93-1.04 x; without it
they come out 1.15-1.28 x longer than predicted.
"""

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+\S)")


def expected_duration_s(text: str, *, speed: float = 1.0) -> float:
    """Predicted speaking time of ``text`` at ``speed`` (1.0 = natural), seconds."""
    chars = len(" ".join(normalize_words(text)))
    sentences = 1 + len(_SENTENCE_END.findall(text))
    seconds = (
        SECONDS_PER_SENTENCE * sentences
        + SECONDS_BETWEEN_SENTENCES * (sentences - 1)
        + SECONDS_PER_CHAR * chars
    )
    return seconds / speed
