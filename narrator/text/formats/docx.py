"""Read a Word manuscript (.docx, Office Open XML) into a Document.

Chapters start at the highest heading level the manuscript uses (normally
"Heading 1"); a paragraph in the "Title" style is the book's title, and a single
"Heading 1" above "Heading 2" chapters is the title too, as in Markdown. Lower
headings are paragraphs of their own. Footnotes, endnotes, comments, headers,
footers, text boxes and deleted revisions are not read; tables are skipped with a
warning, because a table read aloud row by row makes no sense. Paragraphs inside
content controls (a table of contents Word inserted, a cover page) are read as any
other.

What a reader sees, for the word account, is the text of the document's body: its
paragraphs, tables and text boxes, without deleted text.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import OpcError
from docx.oxml.ns import nsmap, qn
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from narrator.errors import ManuscriptError
from narrator.models import Metadata, Skipped
from narrator.text.document import LINE_BREAK, Document, LeftOut, Section, SourceText
from narrator.text.load import read_bytes
from narrator.text.plaintext import join_titles
from narrator.text.structure import speakable

log = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_TITLE = 0  # the level given to the "Title" style: the book's title, not narrated
# Runs whose text is read: those in the paragraph, its hyperlinks, fields and tracked
# insertions, but not deleted text, text boxes (drawn elsewhere on the page, often
# repeated in a fallback copy) or footnote and endnote marks.
_READ_RUNS = (
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"
    "[not(w:footnoteReference or w:endnoteReference)]"
)
# What the page does not show: deleted text, text moved away, and the copy of a drawing
# kept for programs that cannot show the drawing itself (Markup Compatibility, ECMA-376
# Part 3: a reader sees either the mc:Choice or the mc:Fallback, never both).
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_UNSHOWN = frozenset({qn("w:del"), qn("w:moveFrom"), f"{{{_MC}}}Fallback"})
_SEPARATORS = frozenset(qn(tag) for tag in ("w:p", "w:tc", "w:tab", "w:ptab", "w:br", "w:cr"))
_TEXT_BOXES = etree.XPath(
    ".//w:txbxContent[not(ancestor::mc:Fallback)]", namespaces={"w": nsmap["w"], "mc": _MC}
)
_NO_DOCX_HINT = (
    "Save the manuscript as a Word document (.docx); .doc (Word 97-2003) is not "
    "supported: open it in Word or LibreOffice and save it as .docx."
)


@dataclass(frozen=True)
class _Para:
    """A body paragraph: its 1-based place, heading level (None for body text) and text."""

    number: int
    level: int | None
    text: str


def read_docx(path: Path) -> Document:
    """Read the .docx at ``path`` into sections of paragraphs, with its metadata.

    Raises ManuscriptError naming the file when it is not a readable .docx (a
    renamed .doc, a damaged archive, another Office file).
    """
    document = _open(path)
    paragraphs: list[_Para] = []
    skipped: list[Skipped] = []
    left_out: list[LeftOut] = []
    tables: list[int] = []  # how many body paragraphs precede each table
    number = 0  # body paragraphs so far, empty ones included, for error messages
    for item in _body_items(document, document.element.body):
        if isinstance(item, Table):
            tables.append(len(paragraphs))
            left_out.append(LeftOut(path.name, "table", shown_text(item._tbl)))
            continue
        number += 1
        left_out.extend(
            LeftOut(path.name, "text box", shown_text(box)) for box in _TEXT_BOXES(item._p)
        )
        if (style := _style_name(item)).lower().startswith("toc"):
            if not any(s.name == "table of contents" for s in skipped):
                skipped.append(Skipped(name="table of contents", reason=f"style {style!r}"))
            left_out.append(LeftOut(path.name, "table of contents", shown_text(item._p)))
        elif text := _paragraph_text(item):
            paragraphs.append(_Para(number, _heading_level(item.style), text))

    title, chapter_level = _title_and_chapter_level(paragraphs)
    left_out.extend(
        LeftOut(path.name, "the book's title", p.text) for p in paragraphs if p.level == _TITLE
    )
    sections = list(_sections(paragraphs, chapter_level, tables, path, skipped))
    core = document.core_properties
    authors = tuple(a.strip() for a in (core.author or "").split(";") if a.strip())
    metadata = Metadata(
        title=title or (core.title or "").strip() or None,
        authors=authors,
        language=(core.language or "").strip() or _default_language(document),
    )
    return Document(
        sections=sections,
        sources=[SourceText(path.name, shown_text(document.element.body))],
        skipped=skipped,
        left_out=left_out,
        metadata=metadata,
    )


def _body_items(document: DocxDocument, container: etree._Element) -> Iterator[Paragraph | Table]:
    """The paragraphs and tables of the body in order, those inside a content control
    (``w:sdt``) too: python-docx's ``iter_inner_content`` lists only the body's own."""
    for child in container:
        if child.tag == qn("w:p"):
            yield Paragraph(child, document._body)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document._body)
        elif child.tag == qn("w:sdt") and (content := child.find(qn("w:sdtContent"))) is not None:
            yield from _body_items(document, content)


def shown_text(element: etree._Element) -> str:
    """The text a Word document shows in ``element`` (the body, a table, a paragraph), with
    none of the reading rules applied: every ``w:t`` but deleted text, text moved away
    and a drawing's fallback copy (``_UNSHOWN``); paragraphs, cells, tabs and breaks
    separate words."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag in _UNSHOWN:
            return
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag in _SEPARATORS:
            parts.append(" ")
        for child in node:
            walk(child)
        if node.tag in _SEPARATORS:
            parts.append(" ")

    walk(element)
    return "".join(parts)


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text; soft line breaks become :data:`LINE_BREAK`.

    Tabs and runs of spaces become one space; page and column breaks, footnote marks
    and empty lines disappear.
    """
    raw = "".join(run.text for run in paragraph._p.xpath(_READ_RUNS))
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return LINE_BREAK.join(line for line in lines if line)


def _open(path: Path) -> DocxDocument:
    data = read_bytes(path)
    try:
        return docx.Document(io.BytesIO(data))
    # python-docx reports a damaged package with whatever its parser stumbles on: a
    # missing part (KeyError), a wrong content type (ValueError), an unexpected element
    # (AttributeError). Only the file is parsed here, so each of them means a bad file.
    except (
        OpcError,
        KeyError,
        ValueError,
        AttributeError,
        zipfile.BadZipFile,
        etree.XMLSyntaxError,
    ) as exc:
        raise ManuscriptError(
            path, f"is not a readable .docx file ({exc})", hint=_NO_DOCX_HINT
        ) from exc


def _style_name(paragraph: Paragraph) -> str:
    style = paragraph.style
    return style.name or "" if style is not None else ""


def _heading_level(style: BaseStyle | None) -> int | None:
    """1-9 for "Heading N" or a style based on it, 0 for "Title", None for body text."""
    seen: set[str] = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        name = style.name or ""
        if name == "Title":
            return _TITLE
        if m := _HEADING_STYLE.fullmatch(name):
            return int(m[1])
        style = style.base_style
    return None


def _title_and_chapter_level(paragraphs: list[_Para]) -> tuple[str | None, int | None]:
    """The book title (first "Title" paragraph, or a lone H1 over H2s) and the chapter level."""
    levels = [p.level for p in paragraphs if p.level and speakable(p.text)]
    titles = [p for p in paragraphs if p.level == _TITLE]
    title = _as_title(titles[0].text) if titles else None
    top = min(levels, default=None)
    if title is None and top is not None and levels.count(top) == 1 and top + 1 in levels:
        k = next(k for k, p in enumerate(paragraphs) if p.level == top)
        paragraphs[k] = _Para(paragraphs[k].number, _TITLE, paragraphs[k].text)
        return _as_title(paragraphs[k].text), top + 1
    return title, top


def _as_title(text: str) -> str:
    return reduce(join_titles, text.split(LINE_BREAK))


def _sections(
    paragraphs: list[_Para],
    chapter_level: int | None,
    tables: list[int],
    path: Path,
    skipped: list[Skipped],
) -> Iterator[Section]:
    section = Section(title=None)

    def skip_tables(before: int) -> None:
        for _ in range(tables.count(before)):
            where = f"chapter {section.title!r}" if section.title else "before the first chapter"
            log.warning("%s: skipped a table (%s); tables are not narrated", path, where)
            skipped.append(Skipped(name=f"table ({where})", reason="tables are not narrated"))

    for index, para in enumerate(paragraphs):
        skip_tables(index)
        if not speakable(para.text):
            section.blocks.append(None)  # '* * *', '#', '⁂': a scene break
        elif para.level == _TITLE:
            continue
        elif para.level == chapter_level:
            heading = _as_title(para.text)
            if section.title and not section.blocks:
                # 'Part One' straight above 'Chapter 1' is one heading, not an empty chapter.
                section.title = join_titles(section.title, heading)
                continue
            if section.title or section.blocks:
                yield section
            section = Section(title=heading, where=f"paragraph {para.number}")
        else:
            section.blocks.append(para.text)
    skip_tables(len(paragraphs))
    if section.title or section.blocks:
        yield section


def _default_language(document: DocxDocument) -> str | None:
    """The language of the document's default text style (w:docDefaults), e.g. 'en-GB'."""
    langs = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    return str(langs[0]) if langs else None
