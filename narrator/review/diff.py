"""Expected against heard, word by word, as HTML with the differences marked."""

from __future__ import annotations

import difflib
import re
from html import escape

_NOT_WORD = re.compile(r"[^\w']+")


def _key(word: str) -> str:
    """What a word is compared by: case and punctuation do not count as differences."""
    return _NOT_WORD.sub("", word.lower())


def _words(words: list[str], mark: str | None) -> str:
    text = escape(" ".join(words))
    return f"<{mark}>{text}</{mark}>" if mark and words else text


def word_diff(expected: str, heard: str) -> tuple[str, str]:
    """``expected`` and ``heard`` as HTML: words missing from what was heard in ``<del>``,
    words heard but not expected in ``<ins>``; the rest escaped as is."""
    a, b = expected.split(), heard.split()
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in a], [_key(w) for w in b], False)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        left.append(_words(a[i1:i2], None if same else "del"))
        right.append(_words(b[j1:j2], None if same else "ins"))
    return " ".join(p for p in left if p), " ".join(p for p in right if p)
