"""Read a single-file HTML book into a Document.

Headings start chapters as in Markdown: when the page has exactly one ``<h1>`` and
some ``<h2>``, the ``<h1>`` is the book's title and each ``<h2>`` a chapter;
otherwise the highest of ``<h1>``/``<h2>`` used starts chapters. Lower headings are
read as paragraphs of their own. A chapter titled like front or back matter
("Contents", "Index", "Copyright") is skipped unless ``ReadOptions.include_all``.

The title is that ``<h1>``, else ``<title>``; authors come from ``<meta
name="author">``, the language from ``<html lang>``.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from narrator.errors import ManuscriptError
from narrator.models import Metadata, Skipped
from narrator.text.document import Document, LeftOut, Section, SourceText
from narrator.text.formats.files import open_error
from narrator.text.formats.markup import (
    Heading,
    Matter,
    Paragraph,
    SceneBreak,
    Table,
    Unread,
    body,
    convert,
    local_name,
    note_bodies,
    parse_html,
    visible_text,
)
from narrator.text.formats.matter import SKIP_TYPES, skip_title
from narrator.text.structure import join_titles, speakable

if TYPE_CHECKING:
    from narrator.text.formats import ReadOptions

log = logging.getLogger(__name__)

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_html(path: Path, options: ReadOptions) -> Document:
    """Read the HTML file at ``path`` into chapters, skipped parts and metadata.

    Raises ManuscriptError for a file that cannot be read or parsed.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise open_error(path, exc) from exc
    try:
        root = parse_html(data)
    except etree.LxmlError as exc:
        raise ManuscriptError(
            path, f"cannot be parsed as HTML ({exc})", hint="Check that the file is an HTML page."
        ) from exc
    items = convert(
        root,
        omit=note_bodies([("", root)]),
        skip_types=frozenset() if options.include_all else SKIP_TYPES,
        read_alt_text=options.read_alt_text,
    )
    name = path.name
    left_out: list[LeftOut] = []

    def leave(reason: str, *texts: str | None) -> None:
        left_out.extend(LeftOut(name, reason, text) for text in texts if text)

    levels = [i.level for i in items if isinstance(i, Heading) and i.level <= 2]
    book_title = levels.count(1) == 1 and 2 in levels
    chapter_level = 2 if book_title else min(levels, default=0)
    title: str | None = None
    sections = [Section(title=None)]
    skipped: list[Skipped] = []
    tables: Counter[int] = Counter()  # tables left out, by section
    for item in items:
        section = sections[-1]
        if isinstance(item, Heading) and item.level < chapter_level:
            title = item.title  # the book's title: not part of any chapter
            leave("the book's title", title)
        elif isinstance(item, Heading) and item.level == chapter_level:
            if section.title and not any(section.blocks):
                # 'PART ONE' straight above 'CHAPTER 1' is one heading, not an empty chapter.
                section.title = join_titles(section.title, item.title)
            else:
                sections.append(Section(title=item.title))
        elif isinstance(item, Heading | Paragraph):
            section.blocks.append(item.text)
        elif isinstance(item, SceneBreak):
            section.blocks.append(None)
        elif isinstance(item, Table):
            tables[len(sections) - 1] += 1
            leave("table", item.text)
        elif isinstance(item, Matter):
            part = item.id or section.title or path.name
            skipped.append(Skipped(name=part, reason=f"epub:type {item.kind}"))
            leave(f"epub:type {item.kind}", item.text)
        elif isinstance(item, Unread):
            leave(item.reason, item.text)

    kept = []
    for k, section in enumerate(sections, 1):
        if not any(b and speakable(b) for b in section.blocks):
            if section.title:
                skipped.append(Skipped(name=section.title, reason="no text to read"))
                leave("no text to read", section.title)
        elif section.title and skip_title(section.title) and not options.include_all:
            skipped.append(Skipped(name=section.title, reason=f"title {section.title!r}"))
            leave(f"title {section.title!r}", section.title, *section.blocks)
        else:
            kept.append(section)
            if tables[k - 1]:
                log.warning(
                    "%s: %d table(s) in chapter %r are not read aloud",
                    path,
                    tables[k - 1],
                    section.title or k,
                )
    return Document(
        sections=kept,
        sources=[SourceText(name, visible_text(body(root)))],
        skipped=skipped,
        left_out=left_out,
        metadata=_metadata(root, title),
    )


def _metadata(root: etree._Element, heading: str | None) -> Metadata:
    def text(element: etree._Element) -> str:
        return " ".join("".join(element.itertext()).split())

    titles = [text(e) for e in root.iter() if local_name(e) == "title"]
    authors = [
        " ".join((e.get("content") or "").split())
        for e in root.iter()
        if local_name(e) == "meta" and (e.get("name") or "").lower() == "author"
    ]
    language = root.get("lang") or root.get(_XML_LANG)
    return Metadata(
        title=heading or next((t for t in titles if t), None),
        authors=tuple(a for a in authors if a),
        language=language.strip() if language and language.strip() else None,
    )
