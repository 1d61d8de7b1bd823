"""A manuscript as its reader found it: sections of paragraphs, what was skipped, metadata.

Every format's reader (plain text, Markdown, EPUB, DOCX, HTML) produces a
:class:`Document`; one assembler (``narrator.text.structure.assemble``) turns any
Document into chapters of sentences, so every format shares the rules about
paragraphs, scene breaks, titles and speakable text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from narrator.models import Metadata, Skipped

LINE_BREAK = "\n"
"""Inside a paragraph, a line break that is read as a short pause (verse, addresses)."""


@dataclass
class Section:
    """A chapter while it is being read.

    ``blocks`` are paragraphs in reading order; ``None`` is a scene break. A
    paragraph may hold :data:`LINE_BREAK` between lines that must not run together.
    ``line`` is the 1-based line where the section starts in a text file (1 for
    formats without lines); ``where`` names its place in a structured file (for
    example ``OEBPS/ch01.xhtml#c1``), for error messages.
    """

    title: str | None
    line: int = 1
    where: str | None = None
    blocks: list[str | None] = field(default_factory=list)


@dataclass
class Document:
    """A source file's sections in reading order, what was left out, and its metadata."""

    sections: list[Section]
    skipped: list[Skipped] = field(default_factory=list)
    metadata: Metadata = Metadata()
