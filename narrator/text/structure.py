"""Find chapters, paragraphs and scene breaks in a manuscript's text.

Both formats are first reduced to classified lines (text, heading, scene break, ...);
one assembler then builds the chapters, so Markdown and plain text share every rule
about paragraphs, scene breaks, titles and speakable text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import Path

from narrator.errors import ManuscriptError
from narrator.models import Boundary, Chapter, Sentence
from narrator.text.document import LINE_BREAK, Document, LeftOut, Metadata, Section, SourceText
from narrator.text.language import ENGLISH
from narrator.text.plaintext import Prepared, find_headings, join_titles, prepare
from narrator.text.sentences import split_sentences


class _Kind(Enum):
    BLANK = auto()  # ends a paragraph
    TEXT = auto()  # continues the paragraph (hard-wrapped lines are joined)
    ITEM = auto()  # starts a new paragraph (a list item)
    SOLO = auto()  # a paragraph of its own (a sub-heading)
    SCENE = auto()  # a scene break, never spoken
    HEADING = auto()  # starts a chapter
    TITLE = auto()  # the book's title: not part of any chapter


@dataclass(frozen=True)
class _Line:
    kind: _Kind
    number: int  # 1-based line number in the manuscript
    text: str = ""


def speakable(text: str) -> bool:
    """Whether ``text`` has anything an engine can say: a letter or a digit."""
    return any(ch.isalnum() for ch in text)


# --- Markdown ----------------------------------------------------------------------

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_QUOTE_MARKERS = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+")
_BULLET = re.compile(r"[ \t]*[-*+][ \t]+")
_NUMBERED = re.compile(r"[ \t]*\d{1,9}[.)][ \t]+")
_LINK_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S+.*")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
# Escaped characters are parked in the Private Use Area while markup is stripped.
_PARK = 0xE000

_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images are dropped
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # [text][ref] -> text
    (re.compile(r"`+([^`]*?)`+"), r"\1"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"\1"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),
    # Underscores inside words (snake_case) are not emphasis.
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    # An autolink shows its address (CommonMark 0.31, section 6.5), which is no tag.
    (re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
)


def strip_markdown_inline(text: str) -> str:
    """Remove emphasis, code ticks, links, images and inline HTML from one line."""
    text = _ESCAPED.sub(lambda m: chr(_PARK + ord(m.group(1))), text)
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PARK), text)


def _markdown_lines(text: str) -> tuple[str | None, list[_Line]]:
    """Classify Markdown lines; return the book title (the only H1) too."""
    # Keep the newlines of a comment so that line numbers stay right.
    text = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    raw = text.split("\n")
    headings = {n: m for n, line in enumerate(raw, 1) if (m := _ATX.fullmatch(line)) and m[2]}
    levels = [len(m[1]) for m in headings.values()]
    h1s = [n for n, m in headings.items() if len(m[1]) == 1]
    title_line = h1s[0] if len(h1s) == 1 else None
    # '# Book' then '## Chapter': the H1 is the title.
    chapter_level = 2 if title_line is not None and 2 in levels else min(levels, default=0)
    title = strip_markdown_inline(headings[title_line][2]).strip() if title_line else None

    lines: list[_Line] = []
    for n, line in enumerate(raw, 1):
        if n in headings:
            level, heading = len(headings[n][1]), strip_markdown_inline(headings[n][2]).strip()
            if level < chapter_level:
                lines.append(_Line(_Kind.TITLE, n, heading))
            elif level == chapter_level and speakable(heading):
                lines.append(_Line(_Kind.HEADING, n, heading))
            else:  # a sub-heading is read as a paragraph of its own
                lines.append(_classify_text(n, heading, _Kind.SOLO))
            continue
        if _THEMATIC_BREAK.fullmatch(line) or _ATX.fullmatch(line):  # '---', '#' alone
            lines.append(_Line(_Kind.SCENE, n))
            continue
        if _LINK_DEFINITION.fullmatch(line):
            lines.append(_Line(_Kind.BLANK, n))
            continue
        line = _QUOTE_MARKERS.sub("", line)
        kind = _Kind.TEXT
        if bullet := _BULLET.match(line):
            line, kind = line[bullet.end() :], _Kind.ITEM
        elif _NUMBERED.match(line):  # "1. First" keeps its number: it is read out
            kind = _Kind.ITEM
        text = strip_markdown_inline(line)
        if line.strip() and not text.strip():
            continue  # an image inside a paragraph: dropped without ending the paragraph
        lines.append(_classify_text(n, text, kind))
    return title, lines


def _classify_text(number: int, text: str, kind: _Kind = _Kind.TEXT) -> _Line:
    """A text line; a line of only symbols ('* * *', '~~~', '⁂', emoji) is a scene break."""
    if not text.strip():
        return _Line(_Kind.BLANK, number)
    if not speakable(text):
        return _Line(_Kind.SCENE, number)
    return _Line(kind, number, text.strip())


# --- Plain text --------------------------------------------------------------------


def _txt_lines(prepared: Prepared, *, include_all: bool) -> list[_Line]:
    """Classify plain-text lines; headings are found by their shape (``find_headings``).

    A table of contents is dropped, or kept as paragraphs of its own with ``include_all``.
    """
    raw = prepared.lines
    headings = find_headings(raw, ignore=prepared.contents)
    lines: list[_Line] = []
    i = 0
    while i < len(raw):
        if i in headings:
            spans, title = headings[i]
            lines.append(_Line(_Kind.HEADING, i + 1, title))
            i += spans
            continue
        if i in prepared.contents and not include_all:
            lines.append(_Line(_Kind.BLANK, i + 1))
        else:
            kind = _Kind.SOLO if i in prepared.contents else _Kind.TEXT
            lines.append(_classify_text(i + 1, raw[i], kind))
        i += 1
    return lines


# --- Assembly ----------------------------------------------------------------------


def _drafts(lines: list[_Line]) -> Iterator[Section]:
    """Group classified lines into chapters of paragraphs and scene breaks."""
    draft = Section(title=None, line=1)
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            draft.blocks.append(" ".join(paragraph))
            paragraph.clear()

    for ln in lines:
        if draft.title is None and not draft.blocks and not paragraph:
            draft.line = ln.number  # an untitled chapter starts at its first text
        if ln.kind is not _Kind.TEXT:
            flush()
        if ln.kind is _Kind.HEADING:
            heading = " ".join(ln.text.split())
            if draft.title and not draft.blocks:
                # 'PART ONE' straight above 'CHAPTER 1' is one heading, not an empty chapter.
                draft.title = join_titles(draft.title, heading)
                continue
            if draft.blocks or draft.title:
                yield draft
            draft = Section(title=heading, line=ln.number)
        elif ln.kind is _Kind.SCENE:
            draft.blocks.append(None)
        elif ln.kind is _Kind.SOLO:
            draft.blocks.append(ln.text)
        elif ln.kind in (_Kind.TEXT, _Kind.ITEM):
            paragraph.append(ln.text)
    flush()
    if draft.blocks or draft.title:
        yield draft


def _sentences(draft: Section, *, announce_title: bool, language: str) -> tuple[Sentence, ...]:
    """Split a chapter's paragraphs (in ``language``, a BCP 47 tag) into sentences and
    mark what follows each one.

    A line break inside a paragraph (verse) ends the line's last sentence with a
    clause boundary, the shortest pause, so that lines never run together.
    """
    items: list[tuple[str, int, Boundary]] = []
    if announce_title and draft.title:
        items.append((draft.title, 0, Boundary.PARAGRAPH))
    body_start = len(items)
    paragraph = len(items)
    for block in draft.blocks:
        if block is None:
            if len(items) > body_start:  # a break before any text has nothing to separate
                text, p, _ = items[-1]
                items[-1] = (text, p, Boundary.SCENE)
            continue
        lines = [line for line in block.split(LINE_BREAK) if speakable(line)]
        for n, line in enumerate(lines):
            parts = split_sentences(line, language=language)
            last = Boundary.PARAGRAPH if n == len(lines) - 1 else Boundary.CLAUSE
            items.extend(
                (s, paragraph, Boundary.SENTENCE if k < len(parts) - 1 else last)
                for k, s in enumerate(parts)
            )
        paragraph += 1
    text, p, _ = items[-1]
    items[-1] = (text, p, Boundary.END)
    return tuple(Sentence(text=t, paragraph=p, boundary=b) for t, p, b in items)


def text_document(
    text: str, source: SourceText, *, markdown: bool, include_all: bool = False
) -> Document:
    """Read a plain-text or Markdown manuscript's text into sections.

    ``source`` is the file as a reader sees it (rendered, for Markdown); its name
    names the file in the word account. The Markdown book title (its only ``#``
    heading) becomes the metadata's title. In plain text, a Project Gutenberg header
    and licence and a table of contents are skipped (kept as text with
    ``include_all``), and the header's metadata is read.
    """
    if markdown:
        title, lines = _markdown_lines(text)
        return Document(
            sections=list(_drafts(lines)),
            sources=[source],
            left_out=[
                LeftOut(source.name, "the book's title", ln.text)
                for ln in lines
                if ln.kind is _Kind.TITLE
            ],
            metadata=Metadata(title=title),
        )
    prepared = prepare(text, include_all=include_all)
    contents = "\n".join(prepared.lines[i] for i in sorted(prepared.contents))
    unread = [*prepared.unread, *([] if include_all else [("table of contents", contents)])]
    return Document(
        sections=list(_drafts(_txt_lines(prepared, include_all=include_all))),
        sources=[source],
        skipped=prepared.skipped,
        left_out=[LeftOut(source.name, reason, line) for reason, line in unread],
        metadata=prepared.metadata,
    )


def assemble(
    document: Document, source: Path, *, announce_titles: bool, language: str = ENGLISH
) -> tuple[Chapter, ...]:
    """Turn a document's sections into chapters of sentences in ``language`` (a BCP 47
    tag: it decides where sentences end).

    Raises ManuscriptError when nothing in the document can be spoken, or when a
    chapter has no speakable text (naming its line or place and its title).
    """
    sections = document.sections
    if not any(block and speakable(block) for d in sections for block in d.blocks):
        raise ManuscriptError(
            source,
            "no speakable text: the manuscript has no words or numbers outside its headings",
            hint="Check that this is the right file; symbols and emoji alone cannot be narrated.",
        )
    for d in sections:
        if not any(block and speakable(block) for block in d.blocks):
            raise ManuscriptError(
                f"{source}:{d.where}" if d.where else source,
                "this chapter has no speakable text",
                line=None if d.where else d.line,
                chapter=d.title,
                hint="Write the chapter's text under its heading, or delete the heading.",
            )
    return tuple(
        Chapter(
            index=i,
            title=d.title,
            line=d.line,
            sentences=_sentences(d, announce_title=announce_titles, language=language),
        )
        for i, d in enumerate(sections, 1)
    )
