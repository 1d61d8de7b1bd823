"""Read an EPUB 2 or EPUB 3 book into a Document.

The spine gives the reading order. Chapters follow the table of contents (the EPUB 3
navigation document, else the EPUB 2 NCX): each entry's target (file and fragment)
starts a chapter, wherever it falls, so one file may hold several chapters and a
chapter may run on over several files (``..._split_001.xhtml``); text before a
file's first target continues the previous chapter. A chapter's title is its entry's
label, else its first heading; the heading is not read a second time.

Front and back matter (cover, title page, copyright, dedication, contents, index,
notes, "Also by") is skipped by its EPUB 3 ``epub:type``, landmarks or EPUB 2
``<guide>`` type, else by its title, else, before the first chapter, because it is a
short page without a heading. Each skipped part is recorded with its reason.

With ``ReadOptions.include_all`` every part with text is kept, the navigation
document included; its ``<nav>`` lists are never read, though, so a navigation
document that holds nothing else is left out as having no text to read.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import ebooklib
from ebooklib import epub
from lxml import etree

from narrator.errors import ManuscriptError
from narrator.models import CoverRef, Metadata, Skipped
from narrator.text.document import Document, Section
from narrator.text.formats.files import open_error
from narrator.text.formats.markup import (
    Anchor,
    Heading,
    Item,
    Matter,
    Paragraph,
    SceneBreak,
    Table,
    body,
    convert,
    epub_types,
    local_name,
    note_bodies,
    parse_xhtml,
    resolve,
)
from narrator.text.formats.matter import SHORT_PAGE_WORDS, SKIP_TYPES, skip_title, skip_type
from narrator.text.structure import join_titles, speakable

if TYPE_CHECKING:
    from narrator.text.formats import ReadOptions

log = logging.getLogger(__name__)

_DC = epub.NAMESPACES["DC"]
_OPF = epub.NAMESPACES["OPF"]
_XMLENC = "http://www.w3.org/2001/04/xmlenc#"
# Font obfuscation (EPUB OCF 3.2 section 4.3; Adobe's older scheme) only scrambles
# embedded fonts so they cannot be reused: the text is not encrypted.
_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
_FONTS = (".ttf", ".otf", ".woff", ".woff2")
_DOCUMENTS = frozenset({"application/xhtml+xml", "text/html"})
_IMAGES = ("image/jpeg", "image/png", "image/gif", "image/webp")
_DAMAGED = (
    "The EPUB is damaged: download or export it again. epubcheck "
    "(https://www.w3.org/publishing/epubcheck/) lists every problem in an EPUB."
)


@dataclass
class _Page:
    """A spine document: its path in the archive, parsed."""

    member: str
    root: etree._Element
    linear: bool
    nav: bool


def read_epub(path: Path, options: ReadOptions) -> Document:
    """Read the EPUB at ``path`` into sections, skipped parts and metadata.

    Raises ManuscriptError for a file that is not an EPUB, a damaged one (a spine
    or manifest entry whose file is missing), or one protected by DRM.
    """
    _check_archive(path)
    reader = epub.EpubReader(str(path), {"ignore_ncx": True})
    try:
        book = reader.load()
    except KeyError as exc:  # ebooklib reads every manifest item; zipfile names the missing one
        missing = re.search(r"'(.+)'", str(exc))
        name = missing[1] if missing else str(exc)
        raise ManuscriptError(
            path, f"the book lists {name!r}, which is missing from the archive", hint=_DAMAGED
        ) from exc
    except (epub.EpubException, etree.LxmlError, AttributeError, IndexError) as exc:
        # ebooklib lets these escape from a package document it cannot make sense of.
        raise ManuscriptError(path, f"is not a readable EPUB ({exc})", hint=_DAMAGED) from exc
    opf_dir = reader.opf_dir
    pages = _pages(path, book, opf_dir)
    toc = _toc(book, opf_dir)
    members = [p.member for p in pages if isinstance(p, _Page)]
    if not toc.keys() & set(members):
        # No usable table of contents: each spine document is a chapter.
        toc = {member: {None: None} for member in members}
    builder = _Builder(path, options, toc, _matter(book, opf_dir))
    omit = note_bodies([(p.member, p.root) for p in pages if isinstance(p, _Page)])
    skip_types = frozenset() if options.include_all else SKIP_TYPES
    for page in pages:
        if isinstance(page, Skipped):
            builder.skipped.append(page)
            continue
        items = convert(
            page.root, omit=omit, skip_types=skip_types, read_alt_text=options.read_alt_text
        )
        builder.read(page, items)
    sections, skipped = builder.finish()
    return Document(sections=sections, skipped=skipped, metadata=_metadata(path, book, opf_dir))


def read_cover(ref: CoverRef) -> bytes:
    """The cover image's bytes, read from its archive.

    Raises ManuscriptError when the archive or the image is missing.
    """
    try:
        with zipfile.ZipFile(ref.archive) as archive:
            return archive.read(ref.member)
    except KeyError as exc:
        raise ManuscriptError(
            ref.archive,
            f"the cover image {ref.member!r} is missing from the archive",
            hint=_DAMAGED,
        ) from exc
    except zipfile.BadZipFile as exc:
        raise ManuscriptError(
            ref.archive, "is no longer a readable EPUB archive", hint=_DAMAGED
        ) from exc
    except OSError as exc:
        raise open_error(ref.archive, exc) from exc


# --- The archive ---------------------------------------------------------------------


def _check_archive(path: Path) -> None:
    """Fail early, naming the problem, for what ebooklib would misreport or read as noise."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "META-INF/container.xml" not in names:
                raise ManuscriptError(
                    path,
                    "is not an EPUB: the archive has no META-INF/container.xml",
                    hint="Pass an .epub file; export the book as EPUB if it is in another format.",
                )
            encrypted = (
                _encrypted(archive.read("META-INF/encryption.xml"))
                if "META-INF/encryption.xml" in names
                else []
            )
    except zipfile.BadZipFile as exc:
        raise ManuscriptError(
            path,
            "is not an EPUB: it is not a ZIP archive (damaged, or another format renamed .epub)",
            hint=_DAMAGED,
        ) from exc
    except OSError as exc:
        raise open_error(path, exc) from exc
    if encrypted:
        raise ManuscriptError(
            path,
            f"is protected by DRM: {len(encrypted)} of its files are encrypted "
            f"(for example {encrypted[0]!r}), so its text cannot be read",
            hint="Remove the DRM with the tool of the store you bought it from, "
            "or use a DRM-free edition of the book.",
        )


def _encrypted(data: bytes) -> list[str]:
    """The encrypted files listed in META-INF/encryption.xml, obfuscated fonts excepted."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return ["META-INF/encryption.xml"]  # unreadable: assume the worst, like a reading system
    found = []
    for item in root.iter(f"{{{_XMLENC}}}EncryptedData"):
        method = item.find(f"{{{_XMLENC}}}EncryptionMethod")
        reference = item.find(f".//{{{_XMLENC}}}CipherReference")
        uri = unquote(reference.get("URI", "")) if reference is not None else ""
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm not in _OBFUSCATION and not uri.lower().endswith(_FONTS):
            found.append(uri)
    return found


def _member(opf_dir: str, href: str) -> str:
    """The archive path of ``href``, given relative to the package document's folder."""
    return posixpath.normpath(posixpath.join(opf_dir, unquote(href)))


def _pages(path: Path, book: epub.EpubBook, opf_dir: str) -> list[_Page | Skipped]:
    """The spine's documents in reading order; anything else in the spine is skipped."""
    pages: list[_Page | Skipped] = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None:
            raise ManuscriptError(
                path,
                f"the spine lists item {idref!r}, which the manifest does not have",
                hint=_DAMAGED,
            )
        member = _member(opf_dir, item.file_name)
        if item.media_type not in _DOCUMENTS:
            pages.append(Skipped(name=member, reason=f"not a text document ({item.media_type})"))
            continue
        try:
            root = parse_xhtml(item.content)
        except etree.LxmlError as exc:
            raise ManuscriptError(
                f"{path}:{member}", f"cannot be parsed as XHTML ({exc})", hint=_DAMAGED
            ) from exc
        nav = isinstance(item, epub.EpubNav)
        pages.append(_Page(member, root, linear != "no", nav))
    return pages


# --- Navigation and semantics --------------------------------------------------------


def _toc(book: epub.EpubBook, opf_dir: str) -> dict[str, dict[str | None, str | None]]:
    """The table of contents' targets: file -> fragment (None: the file's start) -> label.

    ebooklib reads the EPUB 3 navigation document (hrefs already relative to the
    package document's folder) and, without one, the NCX (hrefs relative to the NCX).
    """
    base = opf_dir
    if not any(isinstance(i, epub.EpubNav) for i in book.get_items()):
        ncx = next((i for i in book.get_items() if isinstance(i, epub.EpubNcx)), None)
        base = posixpath.join(opf_dir, posixpath.dirname(ncx.file_name)) if ncx else opf_dir

    def entries(items: list) -> list[epub.Link | epub.Section]:
        found = []
        for entry in items:
            if isinstance(entry, tuple):
                found.append(entry[0])
                found.extend(entries(entry[1]))
            else:
                found.append(entry)
        return found

    targets: dict[str, dict[str | None, str | None]] = {}
    # An NCX with an empty navMap comes back as one empty Link rather than a list.
    for entry in entries(book.toc if isinstance(book.toc, list) else [book.toc]):
        if not entry.href:
            continue
        file, _, fragment = entry.href.partition("#")
        label = " ".join((entry.title or "").split()) or None
        targets.setdefault(_member(base, file), {}).setdefault(unquote(fragment) or None, label)
    return targets


def _matter(book: epub.EpubBook, opf_dir: str) -> dict[str, str]:
    """Files that EPUB 3 landmarks or the EPUB 2 guide mark as not read, with the reason."""
    reasons: dict[str, str] = {}
    for item in book.get_items():
        if isinstance(item, epub.EpubNav):
            nav = _member(opf_dir, item.file_name)
            root = parse_xhtml(item.content)
            for element in root.iter():
                if local_name(element) == "nav" and "landmarks" in epub_types(element):
                    for link in element.iter():
                        href = link.get("href") if local_name(link) == "a" else None
                        if href and (kind := skip_type(epub_types(link))):
                            file = resolve(nav, href.partition("#")[0])
                            reasons.setdefault(file, f"landmarks {kind}")
    for reference in book.guide:
        kind = skip_type([reference.get("type") or ""], guide=True)
        if kind and reference.get("href"):
            file = _member(opf_dir, reference["href"].partition("#")[0])
            reasons.setdefault(file, f"guide type {kind}")
    return reasons


def _page_type(root: etree._Element) -> str | None:
    """The front/back matter type of a whole page: its body's, or every top-level part's."""
    page = body(root)
    if kind := skip_type(epub_types(root) | epub_types(page)):
        return kind
    parts = [c for c in page if local_name(c)]
    kinds = [skip_type(epub_types(c)) for c in parts]
    return kinds[0] if parts and all(kinds) else None


# --- Chapters ------------------------------------------------------------------------


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


class _Builder:
    """Cuts the spine's documents into chapters at the table of contents' targets."""

    def __init__(
        self,
        path: Path,
        options: ReadOptions,
        toc: dict[str, dict[str | None, str | None]],
        matter: dict[str, str],
    ) -> None:
        self.path = path
        self.options = options
        self.toc = toc
        self.matter = matter
        self.parts: list[_Part] = []
        self.skipped: list[Skipped] = []
        self.started = False  # a chapter has text: short pages are no longer front matter

    def start(self, name: str, title: str | None, matter: str | None) -> None:
        """Start a part; ``matter`` says why it is front or back matter (None: story)."""
        skip = None if self.options.include_all else matter
        if skip:
            self.skipped.append(Skipped(name=name, reason=skip))
        self.parts.append(_Part(name, Section(title=title, where=name), matter, skip))

    def read(self, page: _Page, items: list[Item]) -> None:
        """Add one spine document's items to the chapters."""
        targets = self.toc.get(page.member, {})
        lead = next((i for i in items if not isinstance(i, Anchor)), None)
        heading = lead.title if isinstance(lead, Heading) else None
        current = self.parts[-1] if self.parts else None
        reason = self._reason(page, items, heading)
        if None in targets or reason:
            self.start(page.member, targets.get(None), reason)
        elif current is None or (current.skip and heading):
            self.start(page.member, None, None)  # a new untitled part: see its heading
        for item in items:
            if isinstance(item, Anchor) and item.id in targets:
                name = f"{page.member}#{item.id}"
                title = targets[item.id]
                self.start(name, title, self._fragment_reason(item, title))
            else:
                self.add(self.parts[-1], item, page.member)

    def _reason(self, page: _Page, items: list[Item], heading: str | None) -> str | None:
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

    def add(self, part: _Part, item: Item, member: str) -> None:
        """Add an item to the chapter being read (or drop it with its skipped part)."""
        section = part.section
        if part.skip:
            own = part.name.partition("#")[0]
            if isinstance(item, Paragraph | Heading) and member not in (own, *part.continued):
                part.continued.add(member)
                self.skipped.append(Skipped(name=member, reason=f"continues {part.name}"))
            return
        if isinstance(item, Matter):
            name = f"{member}#{item.id}" if item.id else member
            self.skipped.append(Skipped(name=name, reason=f"epub:type {item.kind}"))
            return
        has_text = any(section.blocks)
        part.bare = part.bare and isinstance(item, Anchor)
        if isinstance(item, Table):
            part.tables += 1
        elif isinstance(item, SceneBreak):
            section.blocks.append(None)
        elif isinstance(item, Heading) and not has_text and not part.heading and (
            item.level <= 2 or not section.title or _within(item.title, section.title)
        ):
            # The chapter's own heading: its title when the navigation gives none, and
            # never read twice. A lower heading that is not part of the navigation's
            # title ("Monday" under "Chapter 1") is text, read as a paragraph.
            part.heading = True
            section.title = section.title or item.title
        elif isinstance(item, Heading | Paragraph):
            text = item.text if isinstance(item, Paragraph) else item.title
            if has_text or not _within(text, section.title):
                section.blocks.append(item.text)
                self.started = self.started or not part.matter

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
            else:
                self.skipped.append(Skipped(name=part.name, reason="no text to read"))
        return sections, self.skipped


# --- Metadata ------------------------------------------------------------------------


def _metadata(path: Path, book: epub.EpubBook, opf_dir: str) -> Metadata:
    dc = book.metadata.get(_DC, {})

    def first(name: str) -> str | None:
        values = [" ".join((v or "").split()) for v, _ in dc.get(name, [])]
        return next((v for v in values if v), None)

    return Metadata(
        title=first("title"),
        authors=_authors(book),
        language=first("language"),
        cover=_cover(path, book, opf_dir),
    )


def _authors(book: epub.EpubBook) -> tuple[str, ...]:
    """The creators whose role is author (EPUB 2 opf:role, EPUB 3 refines), else all."""
    creators = book.metadata.get(_DC, {}).get("creator", [])
    metas = book.metadata.get(_OPF, {}).get("meta", [])
    roles = {
        attrs.get("refines", "").lstrip("#"): (text or "").strip()
        for text, attrs in metas
        if attrs.get("property") == "role"
    }
    named = []
    for name, attrs in creators:
        role = attrs.get(f"{{{_OPF}}}role") or roles.get(attrs.get("id", ""), "")
        if name and name.strip():
            named.append((" ".join(name.split()), role))
    authors = tuple(n for n, role in named if role in ("", "aut"))
    return authors or tuple(n for n, _ in named)


def _cover(path: Path, book: epub.EpubBook, opf_dir: str) -> CoverRef | None:
    """EPUB 3 ``cover-image``, else EPUB 2 ``<meta name="cover">``, else an image named cover."""
    item = next(iter(book.get_items_of_type(ebooklib.ITEM_COVER)), None)
    if item is None:
        metas = book.metadata.get(_OPF, {}).get("meta", [])
        ids = [attrs.get("content") for _, attrs in metas if attrs.get("name") == "cover"]
        candidate = book.get_item_with_id(ids[0]) if ids else None
        if candidate is not None and candidate.media_type.startswith("image/"):
            item = candidate
    if item is None:
        images = [i for i in book.get_items() if i.media_type in _IMAGES]
        item = next((i for i in images if "cover" in f"{i.id} {i.file_name}".lower()), None)
    if item is None:
        return None
    return CoverRef(
        archive=path, member=_member(opf_dir, item.file_name), media_type=item.media_type
    )
