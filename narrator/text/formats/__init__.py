"""Readers: one per manuscript format, each turning a file into a Document.

``read_document`` picks the reader by the file's suffix; anything without a
reader of its own is read as plain text, except the formats narrator knows it
cannot read (PDF, Kindle, old Word, ...), which are refused before any reading
with a hint on how to convert them.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from narrator.errors import ManuscriptError
from narrator.models import Frozen
from narrator.text.document import Document, SourceText
from narrator.text.formats.docx import read_docx
from narrator.text.formats.epub import read_epub
from narrator.text.formats.html import read_html
from narrator.text.formats.markdown import rendered_text
from narrator.text.load import STDIN, read_manuscript
from narrator.text.structure import text_document


class ReadOptions(Frozen):
    """How a reader treats what is not story."""

    include_all: bool = False
    """Keep front and back matter (cover, copyright, contents, index, ...) as chapters."""
    read_alt_text: bool = False
    """Read images' alt text and figure captions (EPUB, HTML) where they stand."""


Reader = Callable[[Path, ReadOptions], Document]


def _markdown(path: Path, options: ReadOptions) -> Document:
    text = read_manuscript(path, binary_hint=convert_hint())
    source = SourceText(_name(path), rendered_text(text))
    return text_document(text, source, markdown=True, include_all=options.include_all)


def _plain(path: Path, options: ReadOptions) -> Document:
    text = read_manuscript(path, binary_hint=convert_hint())
    source = SourceText(_name(path), text)
    return text_document(text, source, markdown=False, include_all=options.include_all)


def _name(path: Path) -> str:
    """How the word account names a single-file manuscript."""
    return "standard input" if path == STDIN else path.name


def _docx(path: Path, options: ReadOptions) -> Document:
    return read_docx(path)


READERS: dict[str, Reader] = {
    ".md": _markdown,
    ".markdown": _markdown,
    ".txt": _plain,
    ".epub": read_epub,
    ".docx": _docx,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
}
"""Readers by lower-case file suffix; files with another suffix are read as plain text.

Its keys are the formats every message names as readable, so they stay true.
"""


_CALIBRE = "Convert it with Calibre: ebook-convert {name} {epub}"
_WORD = (
    "Open it in its word processor and save it as Word (.docx), or convert it with "
    "LibreOffice: libreoffice --headless --convert-to docx {name}"
)

UNSUPPORTED: dict[str, tuple[str, str]] = {
    ".pdf": (
        "a PDF",
        "Extract its text with pdftotext -layout {name} {txt} (poppler-utils), or "
        "convert it with Calibre: ebook-convert {name} {epub}. Check the result: "
        "page headers, page numbers and hyphenation often survive the conversion.",
    ),
    ".mobi": ("a Kindle (MOBI) e-book", _CALIBRE),
    ".azw": ("a Kindle (AZW) e-book", _CALIBRE),
    ".azw3": ("a Kindle (AZW3) e-book", _CALIBRE),
    ".kfx": ("a Kindle (KFX) e-book", _CALIBRE + " (Calibre reads KFX with its KFX Input plugin)"),
    ".prc": ("a Mobipocket e-book", _CALIBRE),
    ".lit": ("a Microsoft Reader e-book", _CALIBRE),
    ".fb2": ("a FictionBook e-book", _CALIBRE),
    ".djvu": ("a DjVu document", _CALIBRE + " (only a DjVu with a text layer has text)"),
    ".lrf": ("a Sony Reader e-book", _CALIBRE),
    ".pdb": ("a Palm e-book", _CALIBRE),
    ".doc": ("a Word 97-2003 document", _WORD),
    ".dot": ("a Word 97-2003 template", _WORD),
    ".rtf": ("a Rich Text document", _WORD),
    ".odt": ("an OpenDocument text", _WORD),
    ".wpd": ("a WordPerfect document", _WORD),
    ".pages": (
        "an Apple Pages document",
        "In Pages, choose File > Export To > Word... and pick .docx.",
    ),
    ".cbz": ("a comic-book archive (images)", "A comic holds pictures, not text to narrate."),
    ".cbr": ("a comic-book archive (images)", "A comic holds pictures, not text to narrate."),
}
"""Formats narrator refuses by suffix: what the file is, and how to make it readable.

``{name}``, ``{epub}`` and ``{txt}`` in a hint become the file's name and its name
with that suffix instead, quoted for a shell.
"""


def readable_formats() -> str:
    """The readable suffixes as one phrase: '.md, .markdown, .txt and .docx'."""
    suffixes = list(READERS)
    return ", ".join(suffixes[:-1]) + " and " + suffixes[-1]


def convert_hint() -> str:
    """The hint for a file that is not one of the readable formats."""
    return (
        f"narrator reads {readable_formats()} files (plain text and Markdown as UTF-8); "
        "export or convert the manuscript to one of them."
    )


def read_document(path: Path, options: ReadOptions | None = None) -> Document:
    """Read ``path`` (``Path("-")`` is standard input, read as plain text) into a Document.

    Raises ManuscriptError for a file that cannot be read, naming the file and how
    to fix it; a format narrator cannot read (see :data:`UNSUPPORTED`) is refused
    before the file is opened.
    """
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        what, how = UNSUPPORTED[suffix]
        raise ManuscriptError(
            path,
            f"is {what}, which narrator cannot read; it reads {readable_formats()} files",
            hint=how.format(
                name=shlex.quote(path.name),
                epub=shlex.quote(f"{path.stem}.epub"),
                txt=shlex.quote(f"{path.stem}.txt"),
            ),
        )
    reader = READERS.get(suffix, _plain)
    return reader(path, options or ReadOptions())
