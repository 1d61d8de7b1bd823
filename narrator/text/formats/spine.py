"""Cut an EPUB's spine documents into chapters at the table of contents' targets.

Each target (file and fragment) of the table of contents starts a chapter, wherever
it falls; text before a file's first target continues the chapter before it. A
chapter's title is its entry's label, else its first heading, which is not read a
second time. Whole pages, and parts that start at a target, that are front or back
matter are skipped, each with its reason (see ``narrator.text.formats.matter``). The
text of everything not read is kept with its reason, for the word account.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from narrator.models import Skipped
from narrator.text.document import LeftOut, Section
from narrator.text.formats.markup import (
    Anchor,
    Heading,
    Item,
    Matter,
    Paragraph,
    SceneBreak,
    Table,
    Unread,
    body,
    epub_types,
    local_name,
)
from narrator.text.formats.matter import SHORT_PAGE_WORDS, skip_title, skip_type
from narrator.text.structure import join_titles, speakable

if TYPE_CHECKING:
    from narrator.text.formats import ReadOptions

log = logging.getLogger(__name__)

Toc = dict[str, dict[str | None, str | None]]
"""The table of contents' targets: archive path -> fragment (None: the file's
start) -> label (None when the entry has none)."""


@dataclass
class Page:
    """A spine document: its path in the archive, parsed, and how the package lists it."""

    member: str
    root: etree._Element
    linear: bool
    nav: bool


def _page_type(root: etree._Element) -> str | None:
    """The front/back matter type of a whole page: its body's, or every top-level part's."""
    page = body(root)
    if kind := skip_type(epub_types(root) | epub_types(page)):
        return kind
    parts = [c for c in page if local_name(c)]
    kinds = [skip_type(epub_types(c)) for c in parts]
    return kinds[0] if parts and all(kinds) else None


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _within(text: str, title: str | None) -> bool:
    """Whether ``text`` is part of ``title``, word for word (a repeated heading)."""
    words, whole = _words(text), _words(title or "")
    n = len(words)
    return n > 0 and any(whole[i : i + n] == words for i in range(len(whole) - n + 1))


@dataclass
class _Part:
    """A chapter being read, or a skipped part that following files may continue."""

    name: str
    section: Section
    matter: str | None  # why it is front or back matter, even when it is kept
    skip: str | None  # why it is not read
    heading: bool = False  # its heading was taken as its title
    bare: bool = True  # nothing but anchors so far: not even an image
    tables: int = 0  # tables left out
    continued: set[str] = field(default_factory=set)


class Chapters:
    """Cuts the spine's documents, read in order, into chapters at the table of
    contents' targets, and keeps what is skipped and why."""

    def __init__(
        self,
        path: Path,
        options: ReadOptions,
        toc: Toc,
        matter: dict[str, str],
    ) -> None:
        self.path = path
        self.options = options
        self.toc = toc
        self.matter = matter
        self.parts: list[_Part] = []
        self.skipped: list[Skipped] = []
        self.left_out: list[LeftOut] = []
        self.started = False  # a chapter has text: short pages are no longer front matter

    def _start(self, name: str, title: str | None, matter: str | None) -> None:
        """Start a part; ``matter`` says why it is front or back matter (None: story)."""
        skip = None if self.options.include_all else matter
        if skip:
            self.skipped.append(Skipped(name=name, reason=skip))
        self.parts.append(_Part(name, Section(title=title, where=name), matter, skip))

    def read(self, page: Page, items: list[Item]) -> None:
        """Add one spine document's items to the chapters."""
        targets = self.toc.get(page.member, {})
        lead = next((i for i in items if not isinstance(i, Anchor | Unread)), None)
        heading = lead.title if isinstance(lead, Heading) else None
        current = self.parts[-1] if self.parts else None
        reason = self._reason(page, items, heading)
        if None in targets or reason:
            self._start(page.member, targets.get(None), reason)
        elif current is None or (current.skip and heading):
            self._start(page.member, None, None)  # a new untitled part: see its heading
        for item in items:
            if isinstance(item, Anchor) and item.id in targets:
                name = f"{page.member}#{item.id}"
                title = targets[item.id]
                self._start(name, title, self._fragment_reason(item, title))
            else:
                self._add(self.parts[-1], item, page.member)

    def _reason(self, page: Page, items: list[Item], heading: str | None) -> str | None:
        """Why a whole page is not read, or None."""
        title = self.toc.get(page.member, {}).get(None) or heading
        words = sum(len(i.text.split()) for i in items if isinstance(i, Paragraph))
        if page.nav:
            return "EPUB 3 navigation document"
        if not page.linear:
            return 'linear="no": outside the reading order'
        if kind := _page_type(page.root):
            return f"epub:type {kind}"
        if reason := self.matter.get(page.member):
            return reason
        if skip_title(title):
            return f"title {title!r}"
        if not self.started and not title and 0 < words < SHORT_PAGE_WORDS:
            return f"short page without a heading ({words} words)"
        return None

    @staticmethod
    def _fragment_reason(anchor: Anchor, title: str | None) -> str | None:
        if kind := skip_type(anchor.types):
            return f"epub:type {kind}"
        return f"title {title!r}" if skip_title(title) else None

    def _leave(self, member: str, reason: str, text: str) -> None:
        self.left_out.append(LeftOut(source=member, reason=reason, text=text))

    def _add(self, part: _Part, item: Item, member: str) -> None:
        """Add an item to the chapter being read (or drop it with its skipped part)."""
        section = part.section
        if isinstance(item, Unread):
            self._leave(member, item.reason, item.text)
            return
        if part.skip:
            own = part.name.partition("#")[0]
            if isinstance(item, Paragraph | Heading) and member not in (own, *part.continued):
                part.continued.add(member)
                self.skipped.append(Skipped(name=member, reason=f"continues {part.name}"))
            if isinstance(item, Paragraph | Heading | Table | Matter):
                self._leave(member, part.skip, item.text)
            return
        if isinstance(item, Matter):
            name = f"{member}#{item.id}" if item.id else member
            self.skipped.append(Skipped(name=name, reason=f"epub:type {item.kind}"))
            self._leave(member, f"epub:type {item.kind}", item.text)
            return
        has_text = any(section.blocks)
        part.bare = part.bare and isinstance(item, Anchor)
        if isinstance(item, Table):
            part.tables += 1
            self._leave(member, "table", item.text)
        elif isinstance(item, SceneBreak):
            section.blocks.append(None)
        elif (
            isinstance(item, Heading)
            and not has_text
            and not part.heading
            and (item.level <= 2 or not section.title or _within(item.title, section.title))
        ):
            # The chapter's own heading: its title when the navigation gives none, and
            # never read twice. A lower heading that is not part of the navigation's
            # title ("Monday" under "Chapter 1") is text, read as a paragraph.
            part.heading = True
            if section.title:
                self._leave(member, "heading (the contents' label is the title)", item.title)
            else:
                section.title = item.title
                _source(section, member)
        elif isinstance(item, Heading | Paragraph):
            text = item.text if isinstance(item, Paragraph) else item.title
            if has_text or not _within(text, section.title):
                section.blocks.append(item.text)
                _source(section, member)
                self.started = self.started or not part.matter
            else:
                self._leave(member, "repeats the chapter's title", text)

    def finish(self) -> tuple[list[Section], list[Skipped]]:
        """The chapters with text, and every skipped part.

        A part with a title but no text (a part's title page, two targets at one
        place) lends its title to the next chapter read ('PART ONE. CHAPTER 1'),
        unless the part is front or back matter kept by ``include_all`` ('Notes'
        whose notes are not read) or holds something that is not read (an image).
        """
        sections = []
        for k, part in enumerate(self.parts):
            section = part.section
            if part.skip:
                continue
            if any(b and speakable(b) for b in section.blocks):
                sections.append(section)
                if part.tables:
                    log.warning(
                        "%s: %d table(s) in chapter %r are not read aloud",
                        self.path,
                        part.tables,
                        section.title or section.where,
                    )
                continue
            if not section.title and not part.matter:
                continue  # the start of a file before its first target, with nothing there
            following = next((p for p in self.parts[k + 1 :] if not p.skip), None)
            lends = section.title and (part.heading or part.bare) and not part.matter
            if following and lends:
                after = following.section.title
                if not after or not _within(section.title, after):
                    after = join_titles(section.title, after) if after else section.title
                following.section.title = after
                for member in section.sources:
                    _source(following.section, member)
            else:
                self.skipped.append(Skipped(name=part.name, reason="no text to read"))
                if section.title:
                    member = part.name.partition("#")[0]
                    self._leave(member, "no text to read", section.title)
        return sections, self.skipped


def _source(section: Section, member: str) -> None:
    """Note that ``section`` holds text of the spine document ``member``."""
    if member not in section.sources:
        section.sources.append(member)
