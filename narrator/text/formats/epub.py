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

import posixpath
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import ebooklib
from ebooklib import epub
from lxml import etree

from narrator.errors import ManuscriptError
from narrator.models import CoverRef, Metadata, Skipped
from narrator.text.document import Document, SourceText
from narrator.text.formats.files import open_error
from narrator.text.formats.markup import (
    body,
    convert,
    epub_types,
    local_name,
    note_bodies,
    parse_xhtml,
    resolve,
    visible_text,
)
from narrator.text.formats.matter import SKIP_TYPES, skip_type
from narrator.text.formats.spine import Chapters, Page, Toc

if TYPE_CHECKING:
    from narrator.text.formats import ReadOptions

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
    except (epub.EpubException, etree.LxmlError, AttributeError, IndexError, TypeError) as exc:
        # ebooklib lets these escape from a package document it cannot make sense of.
        raise ManuscriptError(
            path,
            f"is not a readable EPUB: its package document is missing or malformed ({exc})",
            hint=_DAMAGED,
        ) from exc
    opf_dir = reader.opf_dir
    pages = _pages(path, book, opf_dir)
    toc = _toc(book, opf_dir)
    members = [p.member for p in pages if isinstance(p, Page)]
    if not toc.keys() & set(members):
        # No usable table of contents: each spine document is a chapter.
        toc = {member: {None: None} for member in members}
    chapters = Chapters(path, options, toc, _matter(book, opf_dir))
    omit = note_bodies([(p.member, p.root) for p in pages if isinstance(p, Page)])
    skip_types = frozenset() if options.include_all else SKIP_TYPES
    for page in pages:
        if isinstance(page, Skipped):
            chapters.skipped.append(page)
            continue
        items = convert(
            page.root, omit=omit, skip_types=skip_types, read_alt_text=options.read_alt_text
        )
        chapters.read(page, items)
    sections, skipped = chapters.finish()
    return Document(
        sections=sections,
        sources=[
            SourceText(page.member, visible_text(body(page.root)))
            for page in pages
            if isinstance(page, Page)
        ],
        skipped=skipped,
        left_out=chapters.left_out,
        metadata=_metadata(path, book, opf_dir),
    )


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
            _check_container(path, archive.read("META-INF/container.xml"))
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


def _check_container(path: Path, data: bytes) -> None:
    """META-INF/container.xml must name the package document (OCF 3.3, section 3.5.2.1)."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        named = any(local_name(e) == "rootfile" and e.get("full-path") for e in root.iter())
    except etree.XMLSyntaxError:
        named = False
    if not named:
        raise ManuscriptError(
            path,
            "is not a readable EPUB: META-INF/container.xml does not name the package document",
            hint=_DAMAGED,
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


def _pages(path: Path, book: epub.EpubBook, opf_dir: str) -> list[Page | Skipped]:
    """The spine's documents in reading order; anything else in the spine is skipped."""
    pages: list[Page | Skipped] = []
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
        pages.append(Page(member, root, linear != "no", nav))
    return pages


# --- Navigation and semantics --------------------------------------------------------


def _toc(book: epub.EpubBook, opf_dir: str) -> Toc:
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

    targets: Toc = {}
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
