"""Load a manuscript into a Book: read, find chapters, split sentences."""

from __future__ import annotations

import re
from pathlib import Path

from narrator.models import Book
from narrator.text.document import Document
from narrator.text.formats import ReadOptions, read_document
from narrator.text.language import LanguageUnknown, resolve
from narrator.text.load import STDIN
from narrator.text.slug import slugify
from narrator.text.structure import assemble


def load_book(
    source: Path | str,
    *,
    title: str | None = None,
    announce_titles: bool = True,
    include_all: bool = False,
    read_alt_text: bool = False,
    language: str | None = None,
) -> Book:
    """Parse the manuscript at ``source`` (``"-"`` reads standard input) into a Book
    (:func:`read_book`, without the Document)."""
    return read_book(
        source,
        title=title,
        announce_titles=announce_titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        language=language,
    )[0]


def read_book(
    source: Path | str,
    *,
    title: str | None = None,
    announce_titles: bool = True,
    include_all: bool = False,
    read_alt_text: bool = False,
    language: str | None = None,
) -> tuple[Book, Document]:
    """Parse the manuscript at ``source`` (``"-"`` reads standard input) into a Book, and
    the Document it was assembled from (what its reader saw and left out, for the word
    account): ``book.chapters[i]`` comes from ``document.sections[i]``.

    The reader is chosen by the file's suffix (``narrator.text.formats``). The title
    is ``title`` if given, else the one the file states (Markdown ``#`` title, EPUB
    metadata, ...), else the file name made readable ("the_keeper-of-tern-rock.txt"
    -> "The Keeper Of Tern Rock"). With ``announce_titles``, each chapter's title is
    its first sentence. With ``include_all``, front and back matter is kept; with
    ``read_alt_text``, images' alt text is read where the images stand.

    The language is ``language`` if given (a BCP 47 tag), else the one the file states
    (EPUB ``dc:language``, DOCX core properties, HTML ``lang``, the Gutenberg header),
    else the one its text is written in (``narrator.text.language.resolve``); it decides
    how sentences are split and chapter headings found.

    Raises ManuscriptError when the file cannot be read or has nothing to narrate, and
    LanguageUnknown when its language is neither stated nor detected with confidence.
    """
    path = Path(source)
    options = ReadOptions(include_all=include_all, read_alt_text=read_alt_text)
    document = read_document(path, options)
    try:
        book_language = resolve(
            language or document.metadata.language,
            "\n".join(text.text for text in document.sources),
            source=str(path),
        )
    except LanguageUnknown:
        # A manuscript with nothing to narrate says so first: knowing its language would
        # not help (assemble raises ManuscriptError for it, whatever the language).
        assemble(document, path, announce_titles=announce_titles)
        raise
    chapters = assemble(document, path, announce_titles=announce_titles, language=book_language)
    book_title = title or document.metadata.title or _title_from_name(path)
    book = Book(
        source=path,
        title=book_title,
        slug=slugify(book_title),
        chapters=chapters,
        language=book_language,
        metadata=document.metadata,
        skipped=tuple(document.skipped),
    )
    return book, document


def _title_from_name(path: Path) -> str:
    if path == STDIN:
        return "stdin"
    words = re.sub(r"[-_.]+", " ", path.stem).split()
    # Capitalise words that are all lower-case; keep "NASA" or "McGee" as written.
    return " ".join(w.capitalize() if w.islower() else w for w in words) or path.stem
