"""Load a manuscript into a Book: read, find chapters, split sentences."""

from __future__ import annotations

import re
from pathlib import Path

from narrator.models import Book
from narrator.text.load import STDIN, read_manuscript
from narrator.text.slug import slugify
from narrator.text.structure import parse_chapters

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def load_book(
    source: Path | str, *, title: str | None = None, announce_titles: bool = True
) -> Book:
    """Parse the manuscript at ``source`` (``"-"`` reads standard input) into a Book.

    ``.md``/``.markdown`` files are read as Markdown, anything else as plain text.
    The title is ``title`` if given, else the Markdown ``#`` title, else the file
    name made readable ("the_keeper-of-tern-rock.txt" -> "The Keeper Of Tern Rock").
    With ``announce_titles``, each chapter's title is its first sentence.

    Raises ManuscriptError when the file cannot be read or has nothing to narrate.
    """
    path = Path(source)
    text = read_manuscript(path)
    markdown = path.suffix.lower() in _MARKDOWN_SUFFIXES
    found_title, chapters = parse_chapters(
        text, path, markdown=markdown, announce_titles=announce_titles
    )
    book_title = title or found_title or _title_from_name(path)
    return Book(source=path, title=book_title, slug=slugify(book_title), chapters=chapters)


def _title_from_name(path: Path) -> str:
    if path == STDIN:
        return "stdin"
    words = re.sub(r"[-_.]+", " ", path.stem).split()
    # Capitalise words that are all lower-case; keep "NASA" or "McGee" as written.
    return " ".join(w.capitalize() if w.islower() else w for w in words) or path.stem
