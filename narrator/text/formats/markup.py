"""XHTML and HTML to paragraphs: the rules the EPUB and HTML readers share.

:func:`convert` walks a document's body and returns a flat list of items in reading
order: headings, paragraphs (a ``<br/>`` inside one is a :data:`LINE_BREAK`), scene
breaks, skipped tables, and the anchors (elements with an ``id``) that navigation
links point at, so that a reader can cut chapters at any ``file#fragment``.

What is never read: scripts, styles, ``<nav>`` lists, ``<aside>``, images (unless
their alt text is asked for), tables, ruby annotations, hidden elements, page-break
markers, footnote and endnote references and the notes themselves. Notes are found
by their EPUB 3 ``epub:type`` (or DPUB-ARIA ``role``), and, for books without
semantics, by the common ``<a href="#fn1"><sup>1</sup></a>`` pattern: the link is a
note reference and the element it points at, later in the book, is the note, as long
as it is small beside its chapter (:func:`note_bodies`).

Whatever is left out stays in the list as an :class:`Unread` item (a table as a
:class:`Table`, front matter as :class:`Matter`) with its text and the reason, and
:func:`visible_text` says what the page shows, rules aside: the word account
(``narrator.text.account``) compares the two.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import reduce
from urllib.parse import unquote

import lxml.html
from lxml import etree

from narrator.text.account import words
from narrator.text.document import LINE_BREAK
from narrator.text.load import clean_text
from narrator.text.structure import join_titles, speakable

_OPS_TYPE = "{http://www.idpf.org/2007/ops}type"

# Content that is not meant to be read aloud, wherever it appears, and why.
_NEVER_READ = {
    **dict.fromkeys(("head", "title", "script", "style", "template"), "not shown"),
    "noscript": "shown without scripts",
    "nav": "navigation",
    "aside": "aside",
    "math": "math",
    **dict.fromkeys(
        ("iframe", "object", "embed", "video", "audio", "canvas", "map"), "embedded media"
    ),
    **dict.fromkeys(("rt", "rp"), "ruby annotation"),
    **dict.fromkeys(("input", "select", "button", "textarea"), "form control"),
}
# epub:type values (EPUB 3 Structural Semantics Vocabulary) and DPUB-ARIA roles
# (without "doc-") of notes, note references and page numbers: never read in the story.
_NOTE_TYPES = frozenset(
    {
        "footnote",
        "footnotes",
        "endnote",
        "endnotes",
        "rearnote",
        "rearnotes",
        "note",
        "noteref",
        "pagebreak",
        "backlink",
        "page-list",
    }
)
_MARK_REASONS = {
    "noteref": "note reference",
    "backlink": "note reference",
    "pagebreak": "page number",
    "page-list": "page number",
}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Elements that start and end a paragraph; everything else is inline and joins its
# neighbours without a space, so "T<span>HE</span>" stays one word.
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "html",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "section",
        "summary",
        "ul",
    }
)
# A note reference's visible text: "1", "[12]", "(3)", "*", "†".
_MARKER = re.compile(r"[\[(]?(?:\d{1,4}|[*†‡§¶]{1,3})[\])]?")
# Link names that say "note": #fn1, #note-3, #footnote_2, #ftn5, class="noteref"
# (but not "#preface").
_NOTE_NAME = re.compile(r"(?:^|[^a-z])(?:foot|end)?(?:fn|ftn|notes?|ref)", re.IGNORECASE)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
# Printed page and line numbers kept in the text (Project Gutenberg's
# <span class="pagenum">, a poem's <span class="lnum">10</span>).
_NUMBERING = re.compile(r"\b(?:page-?(?:num|no)|l(?:ine-?)?num)", re.IGNORECASE)
# Containers whose blocks are lines of verse: <div class="stanza"><div>line</div>...
_VERSE_CLASS = re.compile(r"(?<![a-z])(?:poem|verse|stanza|linegroup|line-group)", re.I)
_VERSE_TYPES = frozenset({"poem", "verse", "stanza", "linegroup"})  # z3998 vocabulary
# Charset declarations an HTML parser honours (meta charset, http-equiv, XML declaration).
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=|<\?xml[^>]+encoding\s*=""", re.I)
# Where a note may be: a block (its own or the one around an inline target), but never a
# chapter's container.
_NOTE_BLOCKS = _BLOCKS | {"aside"}
_SECTIONS = frozenset({"section", "article", "main", "body", "html"})
# What a page does not show: the document's head and its scripts, styles and templates.
_UNSHOWN = frozenset({"head", "title", "script", "style", "template"})
# Phrasing content (HTML Living Standard, section 3.2.5.2.5, with the obsolete font, big,
# tt, strike, acronym and nobr): text runs on across these elements, so that
# "T<span>HE</span>" is one word. Every other element, <br/> included, separates words;
# so do <rt> and <rp>, a ruby's annotation above its text.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "meter",
        "nobr",
        "output",
        "progress",
        "q",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    }
)
# A private mark for <br/> while text is gathered: LINE_BREAK is "\n", which in
# markup is ordinary whitespace.
_BR = "\u2028"


@dataclass(frozen=True)
class Heading:
    """An ``<h1>``-``<h6>``; ``text`` keeps its ``<br/>`` as :data:`LINE_BREAK`."""

    level: int
    text: str

    @property
    def title(self) -> str:
        """The heading as one title: 'CHAPTER I.' / 'DOWN' -> 'CHAPTER I. DOWN'."""
        return reduce(join_titles, self.text.split(LINE_BREAK))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's text; whitespace normalized, lines joined by :data:`LINE_BREAK`."""

    text: str


@dataclass(frozen=True)
class SceneBreak:
    """An ``<hr/>`` or a paragraph of only symbols ('* * *')."""


@dataclass(frozen=True)
class Table:
    """A table that was left out (tables cannot be read aloud sensibly); ``text`` is
    what it shows."""

    text: str


@dataclass(frozen=True)
class Image:
    """An image whose alt text is not read (it stands where the image was)."""


@dataclass(frozen=True)
class Matter:
    """Front or back matter left out where it stood: an element whose ``epub:type``
    is one of the reader's ``skip_types`` (a dedication inside a title page file)."""

    kind: str
    id: str | None
    text: str


@dataclass(frozen=True)
class Anchor:
    """An element with an ``id``, where a navigation target may point.

    ``types`` are its ``epub:type`` values (e.g. ``copyright-page``).
    """

    id: str
    types: frozenset[str]


@dataclass(frozen=True)
class Unread:
    """Text that a rule leaves out where it stands (a note, a navigation list, a
    hidden element), and the rule's reason."""

    reason: str
    text: str


Item = Heading | Paragraph | SceneBreak | Table | Image | Matter | Anchor | Unread


def parse_xhtml(data: bytes) -> etree._Element:
    """Parse an EPUB content document: as XML, or as HTML when it is not well-formed.

    Raises ``lxml.etree.LxmlError`` when it is neither.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        # Tag soup, or HTML entities such as &nbsp; that XML does not define.
        return parse_html(data)


def parse_html(data: bytes) -> etree._Element:
    """Parse an HTML document, decoded by its declared charset, else as UTF-8.

    Raises ``lxml.etree.LxmlError`` for an empty document.
    """
    # Without a declaration, libxml2 assumes Latin-1, which garbles UTF-8 text.
    declared = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or bool(
        _DECLARED_CHARSET.search(data[:4096])
    )
    parser = lxml.html.HTMLParser(encoding=None if declared else "utf-8")
    return lxml.html.document_fromstring(data, parser=parser)


def local_name(element: etree._Element) -> str:
    """The lower-case tag without namespace ('' for comments and processing instructions)."""
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def epub_types(element: etree._Element) -> frozenset[str]:
    """The element's ``epub:type`` values and DPUB-ARIA ``doc-`` roles, lower-case."""
    # An XML parser namespaces the attribute; the HTML parser keeps the literal name.
    value = element.get(_OPS_TYPE) or element.get("epub:type") or ""
    roles = [r[4:] for r in (element.get("role") or "").split() if r.startswith("doc-")]
    return frozenset(t.rsplit(":", 1)[-1].lower() for t in value.split() + roles)


def body(root: etree._Element) -> etree._Element:
    """The document's ``<body>``, or the root when there is none."""
    return next((e for e in root.iter() if local_name(e) == "body"), root)


def visible_text(element: etree._Element) -> str:
    """The text of ``element`` as a page shows it, with none of the reading rules applied.

    What a reader sees, for the word account (``narrator.text.account``): every text
    node, scripts, styles and the head excepted; entities spelt out; the letter of a
    drop cap drawn as an image (``alt="T"``); a space wherever an element that is not
    phrasing content starts or ends. A ruby's annotation (``<rt>``) is shown above its
    base text, so it comes last, apart, and "漢<rt>kan</rt>字" shows "漢字". Notes,
    tables, navigation and hidden elements are all in it: whatever the reading rules
    leave out must be accounted for by the rule that leaves it out.
    """
    parts: list[str] = []
    above: list[str] = []

    def walk(node: etree._Element) -> None:
        if isinstance(node, etree._Entity):  # an XHTML DTD's entity, such as &eacute;
            parts.append(html.unescape(node.text))
            return
        tag = local_name(node)
        if not tag or tag in _UNSHOWN:  # a comment or a processing instruction has no tag
            return
        if tag in ("rt", "rp"):
            above.append(" ".join(node.itertext()))
            return
        alt = (node.get("alt") or "").strip() if tag == "img" else ""
        space = " " if tag not in _INLINE else ""
        parts.append(space + (alt if len(alt) == 1 and alt.isalpha() else "") + (node.text or ""))
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append(space)

    walk(element)
    return " ".join(["".join(parts), *above])


def note_reference(element: etree._Element) -> str | None:
    """The target of ``element`` if it is a note reference link, else None.

    A link is a note reference when it says so (``epub:type="noteref"``, or
    ``role="doc-noteref"``), or when its text is a marker ("1", "[2]", "*") and it
    looks like one: superscript, bracketed, or named like a note ("#fn1").
    """
    if local_name(element) != "a" or not (href := element.get("href")):
        return None
    if "noteref" in epub_types(element):
        return href
    text = "".join(element.itertext()).strip()
    if not _MARKER.fullmatch(text):
        return None
    superscript = any(local_name(e) == "sup" for e in (*element.iter(), *element.iterancestors()))
    names = " ".join(filter(None, (href, element.get("class"), element.get("id"))))
    if superscript or text[0] in "[(" or _NOTE_NAME.search(names):
        return href
    return None


def note_bodies(documents: Sequence[tuple[str, etree._Element]]) -> set[etree._Element]:
    """The notes that note references point at, across ``documents`` in reading order.

    ``documents`` are (path, root) pairs; links resolve against the path (POSIX,
    relative to one folder). Only a target *after* its link is a note: a link back
    from a note to its reference ("1" or "↩" at the note's start) must not remove the
    paragraph it returns to. A target that is a block (``<aside>``, ``<p>``, ``<li>``)
    is the note; an inline target (``<a id="fn1"/>``) stands for its enclosing block.
    Either is a note only while it is small (see :func:`_note_body`): a target that
    would take a heading or most of its document with it removes nothing.
    """
    places: dict[tuple[str, str], tuple[int, int, etree._Element]] = {}
    links: list[tuple[int, int, str, str]] = []
    for d, (name, root) in enumerate(documents):
        for i, element in enumerate(root.iter()):
            if ident := element.get("id"):
                places[(name, ident)] = (d, i, element)
            if (href := note_reference(element)) is not None:
                file, _, fragment = href.partition("#")
                if fragment:
                    links.append((d, i, resolve(name, file) if file else name, unquote(fragment)))
    notes = set()
    sizes: dict[int, int] = {}  # words of each document with a note, counted once
    for d, i, file, fragment in links:
        place = places.get((file, fragment))
        if place is not None and place[:2] > (d, i):
            target, k = place[2], place[0]
            if k not in sizes:
                sizes[k] = len(words(visible_text(body(documents[k][1]))))
            if (note := _note_body(target, sizes[k])) is not None:
                notes.add(note)
    return notes


def resolve(base: str, href: str) -> str:
    """The path of ``href`` (no fragment, maybe %-encoded) relative to the file ``base``."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href)))


def _note_body(target: etree._Element, document_words: int) -> etree._Element | None:
    """What a note reference's ``target`` stands for, or None; ``document_words`` is the
    number of words in the target's document.

    A block target (``<aside>``, ``<p>``, ``<li>``, ``<div>``) is the note itself; an
    inline one stands for its nearest enclosing block. That block must stay smaller than
    a note's context: it holds no heading, is no ``<section>``, ``<article>`` or
    ``<main>`` (a chapter's container), and holds less than half of the document's
    words, since a note annotates text longer than itself. An ``<aside>`` at the end of
    a chapter's ``<section>`` is the note, never the section.
    """
    block = next(
        (e for e in (target, *target.iterancestors()) if local_name(e) in _NOTE_BLOCKS),
        None,
    )
    if block is None or local_name(block) in _SECTIONS:
        return None
    if any(local_name(e) in _HEADINGS for e in block.iter()):
        return None
    if 2 * len(words(visible_text(block))) >= document_words:
        return None
    return block


def convert(
    root: etree._Element,
    *,
    omit: AbstractSet[etree._Element] = frozenset(),
    skip_types: AbstractSet[str] = frozenset(),
    read_alt_text: bool = False,
) -> list[Item]:
    """The items of ``root``'s body in reading order; ``omit`` are elements (notes) to leave out.

    An element whose ``epub:type`` is in ``skip_types`` becomes a :class:`Matter`
    item. With ``read_alt_text``, an image's alt text and a figure's caption are read
    where they stand.
    """
    walker = _Walker(omit, skip_types, read_alt_text)
    walker.block(body(root))
    return walker.items


class _Walker:
    """Gathers inline text into paragraphs while walking the element tree."""

    def __init__(
        self, omit: AbstractSet[etree._Element], skip_types: AbstractSet[str], alt: bool
    ) -> None:
        self.omit = omit
        self.skip_types = skip_types
        self.alt = alt
        self.items: list[Item] = []
        self.parts: list[str] = []  # inline text of the paragraph being gathered
        self.deferred: list[Anchor | Image] = []  # marks met inside a paragraph's text
        self.pre = 0  # depth inside <pre>, where newlines are line breaks
        self.verse = 0  # depth inside a verse container, whose blocks are lines

    def text(self, text: str | None) -> None:
        if text:
            self.parts.append(text.replace("\n", _BR) if self.pre else text)

    def line(self) -> str:
        """The gathered text as one normalized paragraph; clears it."""
        raw = "".join(self.parts).replace("\u00ad", "")  # soft hyphens split words aloud
        self.parts.clear()
        lines = (" ".join(part.split()) for part in raw.split(_BR))
        return clean_text(LINE_BREAK.join(line for line in lines if line))

    def flush(self) -> None:
        if text := self.line():
            self.items.append(Paragraph(text) if speakable(text) else SceneBreak())
        self.items.extend(self.deferred)
        self.deferred.clear()

    def mark(self, item: Anchor | Image) -> None:
        # Inside a paragraph, a mark takes effect after it: a chapter never starts in
        # the middle of a paragraph.
        (self.deferred if "".join(self.parts).strip() else self.items).append(item)

    def anchor(self, element: etree._Element) -> None:
        if ident := element.get("id"):
            self.mark(Anchor(ident, epub_types(element)))

    def skipped(self, element: etree._Element, tag: str) -> str | None:
        """Why ``element`` is not read, or None."""
        if element in self.omit:
            return "note"
        if tag in _NEVER_READ:
            return _NEVER_READ[tag]
        if element.get("hidden") is not None or _DISPLAY_NONE.search(element.get("style") or ""):
            return "hidden"
        if _NUMBERING.search(element.get("class") or ""):
            return "page or line number"
        if tag == "figcaption" and not self.alt:
            return "figure caption"
        if kinds := epub_types(element) & _NOTE_TYPES:
            return next((_MARK_REASONS[k] for k in sorted(kinds) if k in _MARK_REASONS), "note")
        return "note reference" if note_reference(element) is not None else None

    def children(self, element: etree._Element) -> None:
        self.text(element.text)
        for child in element:
            self.walk(child)
            self.text(child.tail)

    def block(self, element: etree._Element) -> None:
        verse = bool(epub_types(element) & _VERSE_TYPES) or bool(
            _VERSE_CLASS.search(element.get("class") or "")
        )
        lines = any(local_name(e) == "br" for e in element.iter())
        if self.verse and not verse and not lines:  # a line: a line break, not a paragraph
            self.anchor(element)
            self.parts.append(_BR)
            self.children(element)
            self.parts.append(_BR)
            return
        self.flush()
        self.anchor(element)
        self.verse += verse
        self.children(element)
        self.verse -= verse
        self.flush()

    def walk(self, element: etree._Element) -> None:
        if isinstance(element, etree._Entity):  # an XHTML DTD's entity, such as &nbsp;
            self.text(html.unescape(element.text))
            return
        tag = local_name(element)
        if not tag:
            return
        if kinds := epub_types(element) & self.skip_types:  # before notes: endnotes, too
            self.flush()
            self.anchor(element)
            self.items.append(Matter(sorted(kinds)[0], element.get("id"), visible_text(element)))
        elif reason := self.skipped(element, tag):
            self.items.append(Unread(reason, visible_text(element)))
        elif tag == "br":
            self.parts.append(_BR)
        elif tag == "hr":
            self.flush()
            self.items.append(SceneBreak())
        elif tag in ("img", "svg"):
            alt = " ".join((element.get("alt") or "").split())
            if len(alt) == 1 and alt.isalpha():
                self.text(alt)  # a drop cap drawn as an image: "T" + "he" is "The"
            elif self.alt and alt:
                self.text(f" {alt} ")
            else:
                self.mark(Image())
            if tag == "svg":  # a drawing's own <text>, which the page shows
                self.items.append(Unread("image", visible_text(element)))
        elif tag == "table":
            self.flush()
            self.items.append(Table(visible_text(element)))
        elif tag in _HEADINGS:
            self.flush()
            self.anchor(element)
            self.children(element)
            if text := self.line():
                heading = Heading(_HEADINGS[tag], text)
                self.items.append(heading if speakable(text) else SceneBreak())
            self.items.extend(self.deferred)
            self.deferred.clear()
        elif tag == "pre":
            self.pre += 1
            self.block(element)
            self.pre -= 1
        elif tag in _BLOCKS or tag == "figcaption":
            self.block(element)
        else:
            self.anchor(element)
            self.children(element)
