"""`narrate` with a plain-text reader that loses a paragraph without a word, as a reader
bug does: what the word account (``narrator.text.account``) is there to catch.

    python -m tests.lossy_narrate run book.txt --out out

runs the real command line with ``.txt`` files read by :func:`read_lossy`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from narrator.text import formats
from narrator.text.document import Document

LOSSY_BOOK = """\
Chapter 1: The Lamp

The keeper lit the lamp at dusk.

A storm was coming in from the west, and the gulls flew low over the rocks.

Chapter 2: The Storm

The light stayed on until dawn.
"""
LOST_PARAGRAPH = "A storm was coming in from the west, and the gulls flew low over the rocks."
"""The paragraph :func:`read_lossy` drops from :data:`LOSSY_BOOK`: 16 words."""

_PLAIN = formats.READERS[".txt"]


def read_lossy(path: Path, options: formats.ReadOptions) -> Document:
    """The plain-text reader's Document less its first chapter's second paragraph, which
    nothing records as left out."""
    document = _PLAIN(path, options)
    del document.sections[0].blocks[1]
    return document


if __name__ == "__main__":
    formats.READERS[".txt"] = read_lossy
    from narrator_cli.app import main

    sys.argv[0] = "narrate"
    main()
