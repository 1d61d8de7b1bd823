"""Readers: one per manuscript format, each turning a file into a Document.

``read_document`` picks the reader by the file's suffix; anything without a
reader of its own is read as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from narrator.models import Frozen
from narrator.text.document import Document
from narrator.text.formats.epub import read_epub
from narrator.text.formats.html import read_html
from narrator.text.load import read_manuscript
from narrator.text.structure import text_document


class ReadOptions(Frozen):
    """How a reader treats what is not story."""

    include_all: bool = False
    """Keep front and back matter (cover, copyright, contents, index, ...) as chapters."""
    read_alt_text: bool = False
    """Read images' alt text and figure captions (EPUB, HTML) where they stand."""


Reader = Callable[[Path, ReadOptions], Document]


def _markdown(path: Path, options: ReadOptions) -> Document:
    return text_document(read_manuscript(path), markdown=True)


def _plain(path: Path, options: ReadOptions) -> Document:
    return text_document(read_manuscript(path), markdown=False)


READERS: dict[str, Reader] = {
    ".md": _markdown,
    ".markdown": _markdown,
    ".epub": read_epub,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
}
"""Readers by lower-case file suffix; other files are plain text."""


def read_document(path: Path, options: ReadOptions | None = None) -> Document:
    """Read ``path`` (``Path("-")`` is standard input, read as plain text) into a Document.

    Raises ManuscriptError for a file that cannot be read, naming the file and how
    to fix it.
    """
    reader = READERS.get(path.suffix.lower(), _plain)
    return reader(path, options or ReadOptions())
