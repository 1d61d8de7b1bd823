"""A manuscript as its reader found it: sections of paragraphs, what was skipped, metadata.

Every format's reader (plain text, Markdown, EPUB, DOCX, HTML) produces a
:class:`Document`; one assembler (``narrator.text.structure.assemble``) turns any
Document into chapters of sentences, so every format shares the rules about
paragraphs, scene breaks, titles and speakable text.

A Document also says what its reader saw and what it left out, for the word account
(``narrator.text.account``): each source document's text as a page shows it
(:class:`SourceText`), and every piece of text a reading rule dropped, with the rule's
reason (:class:`LeftOut`). What is in neither a chapter nor a LeftOut is lost.
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
    example ``OEBPS/ch01.xhtml#c1``), for error messages. ``sources`` names the source
    documents its title and blocks come from (:attr:`SourceText.name`); empty means the
    manuscript's first, which for a single-file format is its only one.
    """

    title: str | None
    line: int = 1
    where: str | None = None
    blocks: list[str | None] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceText:
    """One source document as a reader sees it: an EPUB's spine document, or the file.

    ``text`` is all the text the page shows, before any reading rule: rendered Markdown,
    the text of an XHTML body, a Word document's paragraphs and tables.
    """

    name: str
    text: str


@dataclass(frozen=True)
class LeftOut:
    """Text of the source document ``source`` that a reading rule did not read, and why
    (a note, a table, a copyright page, a heading the table of contents replaced)."""

    source: str
    reason: str
    text: str


@dataclass
class Document:
    """A source file's sections in reading order, what was left out, and its metadata.

    ``sources`` are the source documents in reading order, as a reader sees them;
    ``skipped`` lists the parts not narrated for ``narrate split``, and ``left_out``
    holds the text of everything not read, part or phrase, with its reason.
    """

    sections: list[Section]
    sources: list[SourceText]
    skipped: list[Skipped] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    metadata: Metadata = Metadata()
