"""EPUB 2 and 3 books: chapters from the navigation, front and back matter, notes, errors.

One module on purpose: most tests read the same hand-built EPUB 3 and EPUB 2 books,
whose builders live here beside the assertions about them.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from ebooklib import epub

from narrator.config import NarrationParams
from narrator.errors import ManuscriptError
from narrator.models import Boundary, CoverRef
from narrator.parse import parse_book
from narrator.text import load_book
from narrator.text.account import words
from narrator.text.document import LINE_BREAK
from narrator.text.formats import ReadOptions, read_document
from narrator.text.formats.epub import read_cover
from narrator.text.formats.matter import skip_title
from tests.fixtures_books import (
    CHAPTER_ONE,
    CHAPTER_TWO,
    FOOTNOTE,
    NOVEL_CHAPTERS,
    NOVEL_FOOTNOTE,
    build_epub3,
    build_novel_epub,
    novel_paragraphs,
    png,
)

# --- An EPUB 3 with everything a published book has --------------------------------

_PAGES = {
    "cover.xhtml": '<section epub:type="cover"><img src="cover.png" alt="Cover"/></section>',
    "title.xhtml": "<h1>Alice's Adventures in Wonderland</h1><p>Lewis Carroll</p>",
    "copyright.xhtml": '<section epub:type="copyright-page"><h2>Copyright</h2>'
    "<p>First published 1865. This edition has no rights reserved at all.</p></section>",
    "dedication.xhtml": "<p>For Alice Liddell.</p>",
    "contents.xhtml": '<h2>Contents</h2><p><a href="ch1.xhtml">Chapter I</a></p>'
    '<p><a href="ch2.xhtml#c2">Chapter II</a></p>',
    "ch1.xhtml": """
<h2>CHAPTER I.<br/>DOWN THE RABBIT-HOLE</h2>
<p>A<span class="smallcaps">LICE</span> was beginning to get <em>very</em> tired
   of sitting by her sister on the bank.<a epub:type="noteref" href="#n1">1</a>
   She had peeped into the book.<a href="#fn2" id="r2"><sup>2</sup></a></p>
<aside epub:type="footnote" id="n1"><p>A river bank near Oxford.</p></aside>
<div class="illustration"><img src="rabbit.png" alt="The White Rabbit"/></div>
<table><tr><td>Rabbit</td><td>Late</td></tr></table>
<p class="verse">How doth the little crocodile<br/>
   Improve his shining tail<br/>And pour the waters of the Nile</p>
<p class="center">* * *</p>
<h3>The Fall</h3>
<p>Down, down, down.</p>
<div class="note" id="fn2"><p><a href="#r2">2</a> It had no pictures.</p></div>
""",
    "ch1_split_001.xhtml": "<p>Would the fall never come to an end?</p>"
    '<p epub:type="errata" id="err">Errata: none.</p>',
    "ch2.xhtml": """
<p>There was nothing else to do.</p>
<h2 id="c2">CHAPTER II.</h2>
<p>Curiouser and curiouser!<a epub:type="noteref" href="notes.xhtml#en1">3</a></p>
<hr/>
<p>She cried so much.</p>
<section id="c3"><h2>CHAPTER III.<br/>A CAUCUS-RACE</h2>
<p>They were a queer-looking party.</p></section>
""",
    "notes.xhtml": '<section epub:type="endnotes"><h2>Notes</h2><ol>'
    '<li id="en1"><p>Said Alice, in her surprise.</p></li></ol></section>',
    "also-by.xhtml": "<h2>Also by Lewis Carroll</h2><p>Through the Looking-Glass.</p>",
}


def _alice(path: Path) -> Path:
    book = epub.EpubBook()
    book.set_identifier("alice-test")
    book.set_title("Alice's Adventures in Wonderland")
    book.set_language("en-GB")
    book.add_author("Lewis Carroll", uid="author")
    book.add_metadata(None, "meta", "aut", {"refines": "#author", "property": "role"})
    book.add_author("John Tenniel", uid="illustrator")
    book.add_metadata(None, "meta", "ill", {"refines": "#illustrator", "property": "role"})
    book.set_cover("cover.png", png(), create_page=False)
    items = {}
    for name, body in _PAGES.items():
        items[name] = book.add_item(epub.EpubHtml(title=name, file_name=name, content=body))
    book.toc = [
        epub.Link("cover.xhtml", "Cover", "cover"),
        epub.Link("copyright.xhtml", "Copyright", "copyright"),
        epub.Link("ch1.xhtml", "Chapter I. Down the Rabbit-Hole", "c1"),
        epub.Link("ch2.xhtml#c2", "Chapter II. The Pool of Tears", "c2"),
        epub.Link("ch2.xhtml#c3", "", "c3"),  # no label: the heading is the title
        epub.Link("notes.xhtml", "Notes", "notes"),
    ]
    book.guide = [{"href": "title.xhtml", "title": "Title Page", "type": "titlepage"}]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [items["cover.xhtml"], items["title.xhtml"], items["copyright.xhtml"]]
    book.spine += [items["dedication.xhtml"], items["contents.xhtml"], "nav"]
    book.spine += [items[n] for n in ("ch1.xhtml", "ch1_split_001.xhtml", "ch2.xhtml")]
    book.spine += [items["notes.xhtml"], items["also-by.xhtml"]]
    epub.write_epub(str(path), book)
    return path


@pytest.fixture(scope="module")
def alice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _alice(tmp_path_factory.mktemp("epub3") / "alice.epub")


def _texts(path: Path, **options: bool) -> list[tuple[str | None, list[str | None]]]:
    document = read_document(path, ReadOptions(**options))
    return [(s.title, s.blocks) for s in document.sections]


def test_epub3_chapters_follow_the_navigation(alice: Path) -> None:
    assert _texts(alice) == [
        (
            "Chapter I. Down the Rabbit-Hole",
            [
                "ALICE was beginning to get very tired of sitting by her sister on the bank. "
                "She had peeped into the book.",
                LINE_BREAK.join(
                    [
                        "How doth the little crocodile",
                        "Improve his shining tail",
                        "And pour the waters of the Nile",
                    ]
                ),
                None,
                "The Fall",
                "Down, down, down.",
                "Would the fall never come to an end?",  # the split file continues it
                "There was nothing else to do.",  # before the file's first target
            ],
        ),
        ("Chapter II. The Pool of Tears", ["Curiouser and curiouser!", None, "She cried so much."]),
        ("CHAPTER III. A CAUCUS-RACE", ["They were a queer-looking party."]),
    ]


def test_epub3_front_and_back_matter_is_skipped_with_reasons(alice: Path) -> None:
    skipped = read_document(alice).skipped
    assert [(s.name, s.reason) for s in skipped] == [
        ("EPUB/cover.xhtml", "epub:type cover"),
        ("EPUB/title.xhtml", "landmarks titlepage"),
        ("EPUB/copyright.xhtml", "epub:type copyright-page"),
        ("EPUB/dedication.xhtml", "short page without a heading (3 words)"),
        ("EPUB/contents.xhtml", "title 'Contents'"),
        ("EPUB/nav.xhtml", "EPUB 3 navigation document"),
        ("EPUB/ch1_split_001.xhtml#err", "epub:type errata"),
        ("EPUB/notes.xhtml", "epub:type endnotes"),
        ("EPUB/also-by.xhtml", "title 'Also by Lewis Carroll'"),
    ]


def test_epub3_notes_images_and_headings_are_not_read(alice: Path) -> None:
    book = load_book(alice)
    spoken = " ".join(s.text for c in book.chapters for s in c.sentences)
    for unread in ("river bank", "no pictures", "Said Alice", "White Rabbit", "Late", "1865"):
        assert unread not in spoken
    assert "bank. She" in spoken and "curiouser! She" in spoken  # markers gone, no digits
    first = book.chapters[0].sentences
    assert [s.text for s in first[:2]] == [
        "Chapter I. Down the Rabbit-Hole",  # the label, and the heading is not read again
        "ALICE was beginning to get very tired of sitting by her sister on the bank.",
    ]
    verse = [(s.text, s.boundary) for s in first if "crocodile" in s.text or "tail" in s.text]
    assert verse == [
        ("How doth the little crocodile", Boundary.CLAUSE),
        ("Improve his shining tail", Boundary.CLAUSE),
    ]


def test_epub3_metadata_and_cover(alice: Path) -> None:
    book = load_book(alice)
    assert book.title == "Alice's Adventures in Wonderland"
    assert book.metadata.authors == ("Lewis Carroll",)  # the illustrator is not an author
    assert book.metadata.language == "en-GB"
    assert book.metadata.cover == CoverRef(
        archive=alice, member="EPUB/cover.png", media_type="image/png"
    )
    assert read_cover(book.metadata.cover) == png()


def test_epub3_table_is_skipped_with_a_warning_naming_the_chapter(
    alice: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="narrator.text.formats.spine"):
        read_document(alice)
    assert [r.getMessage() for r in caplog.records] == [
        f"{alice}: 1 table(s) in chapter 'Chapter I. Down the Rabbit-Hole' are not read aloud"
    ]


def test_epub3_alt_text_is_read_when_asked(alice: Path) -> None:
    (first, *_), (default, *_) = _texts(alice, read_alt_text=True), _texts(alice)
    assert "The White Rabbit" in first[1]
    assert "The White Rabbit" not in default[1]


def test_epub3_include_all_keeps_front_and_back_matter(alice: Path) -> None:
    document = read_document(alice, ReadOptions(include_all=True))
    assert [s.title for s in document.sections] == [
        "Alice's Adventures in Wonderland",  # the title page, titled by its heading
        "Copyright",
        None,  # the dedication
        "Contents",
        "Chapter I. Down the Rabbit-Hole",
        "Chapter II. The Pool of Tears",
        "CHAPTER III. A CAUCUS-RACE",
        "Also by Lewis Carroll",
    ]
    # Nothing to read: an image, a navigation document's lists, notes that are not read.
    assert [(s.name, s.reason) for s in document.skipped] == [
        ("EPUB/cover.xhtml", "no text to read"),
        ("EPUB/nav.xhtml", "no text to read"),
        ("EPUB/notes.xhtml", "no text to read"),
    ]


@pytest.mark.parametrize("include_all", [False, True])
def test_every_word_of_the_epub3_is_narrated_or_skipped_with_a_reason(
    alice: Path, include_all: bool
) -> None:
    account = parse_book(
        NarrationParams(manuscript=alice, out_dir=alice.parent / "out", include_all=include_all)
    ).account
    assert (account.lost, account.losses) == (0, ())
    # The chapter that runs on over a split file and into ch2.xhtml is one group.
    assert "EPUB/ch1.xhtml, EPUB/ch1_split_001.xhtml, EPUB/ch2.xhtml" in [
        d.name for d in account.documents
    ]
    if not include_all:
        assert account.skipped["epub:type copyright-page"] == len(
            words("Copyright First published 1865. This edition has no rights reserved at all.")
        )
        notes = "A river bank near Oxford. 2 It had no pictures."  # with the link back
        assert account.skipped["note"] == len(words(notes))


def test_a_lower_heading_that_is_not_the_title_is_read(tmp_path: Path) -> None:
    book = epub.EpubBook()
    book.set_title("Days")
    page = epub.EpubHtml(
        title="1", file_name="one.xhtml", content="<h3>Monday</h3><p>It rained.</p>"
    )
    book.add_item(page)
    book.toc = [epub.Link("one.xhtml", "Chapter 1", "one")]
    book.add_item(epub.EpubNav())
    book.spine = [page]
    epub.write_epub(str(tmp_path / "days.epub"), book)
    (section,) = read_document(tmp_path / "days.epub").sections
    assert (section.title, section.blocks) == ("Chapter 1", ["Monday", "It rained."])


@pytest.mark.parametrize(
    ("title", "skipped"),
    [
        ("Table of Contents", True),
        ("COPYRIGHT", True),
        ("Also by Ursula K. Le Guin", True),
        ("About this eBook", True),
        ("The Full Project Gutenberg License", True),
        ("Endnotes", True),
        ("Index", True),
        ("Notes from Underground", False),
        ("The Index Card", False),
        ("Prologue", False),
        ("Acknowledgements", False),
    ],
)
def test_front_and_back_matter_titles(title: str, skipped: bool) -> None:
    assert skip_title(title) is skipped


# --- An EPUB 2 with an NCX and a guide, written by hand -----------------------------

_CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>The Keeper</dc:title>
<dc:creator opf:role="aut">Jane Doe</dc:creator>
<dc:creator opf:role="ill">John Drawer</dc:creator>
<dc:language>en</dc:language>
<dc:identifier id="uid">keeper-2</dc:identifier>
<meta name="cover" content="cover-jpg"/>
</metadata>
<manifest>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="cover-jpg" href="images/front.jpg" media-type="image/jpeg"/>
<item id="titlepage" href="titlepage.xhtml" media-type="application/xhtml+xml"/>
<item id="contents" href="contents.xhtml" media-type="application/xhtml+xml"/>
<item id="part1" href="text/part1.xhtml" media-type="application/xhtml+xml"/>
<item id="ch1" href="text/ch01.xhtml" media-type="application/xhtml+xml"/>
<item id="ch2" href="text/ch02.xhtml" media-type="application/xhtml+xml"/>
%(extra_items)s
</manifest>
<spine toc="ncx">
<itemref idref="titlepage"/><itemref idref="contents"/><itemref idref="part1"/>
<itemref idref="ch1"/><itemref idref="ch2"/>%(extra_spine)s
</spine>
<guide>
<reference type="title-page" title="Title" href="titlepage.xhtml"/>
<reference type="toc" title="Contents" href="contents.xhtml"/>
<reference type="text" title="Start" href="text/ch01.xhtml"/>
</guide>
</package>"""

_NCX = """<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/>
<docTitle><text>The Keeper</text></docTitle><navMap>
<navPoint id="p1"><navLabel><text>Part One</text></navLabel>
<content src="text/part1.xhtml"/>
  <navPoint id="n1"><navLabel><text>Chapter 1: Arrival</text></navLabel>
  <content src="text/ch01.xhtml"/></navPoint>
  <navPoint id="n2"><navLabel><text>Chapter 2: The Storm</text></navLabel>
  <content src="text/ch02.xhtml#storm"/></navPoint>
</navPoint></navMap></ncx>"""


def _xhtml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
        '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Keeper</title></head>'
        f"<body>{body}</body></html>"
    )


_EPUB2_FILES = {
    "OEBPS/toc.ncx": _NCX,
    "OEBPS/images/front.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
    "OEBPS/titlepage.xhtml": _xhtml("<h1>The Keeper</h1><p>Jane Doe</p>"),
    "OEBPS/contents.xhtml": _xhtml('<p><a href="text/ch01.xhtml">Arrival</a></p>'),
    "OEBPS/text/part1.xhtml": _xhtml("<h1>PART ONE</h1>"),
    # &nbsp; is not defined in XML: the page is read with the HTML parser instead.
    "OEBPS/text/ch01.xhtml": _xhtml(
        "<h2>Arrival</h2><p>The keeper came by boat,&nbsp;alone."
        '<a href="#fn1" id="ref1"><sup>1</sup></a> The café was shut.</p>'
        '<div class="footnote" id="fn1"><p><a href="#ref1">1</a> In 1901.</p></div>'
    ),
    "OEBPS/text/ch02.xhtml": _xhtml(
        '<p>He slept.</p><h2 id="storm">The Storm</h2><p>The wind rose.</p>'
    ),
}


def _write_epub2(
    path: Path, *, extra_items: str = "", extra_spine: str = "", **files: str | bytes
) -> Path:
    contents = {"META-INF/container.xml": _CONTAINER, **_EPUB2_FILES, **files}
    contents["OEBPS/content.opf"] = _OPF % {"extra_items": extra_items, "extra_spine": extra_spine}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in contents.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def test_epub2_ncx_guide_and_metadata(tmp_path: Path) -> None:
    path = _write_epub2(tmp_path / "keeper.epub")
    document = read_document(path)
    assert [(s.title, s.where, s.blocks) for s in document.sections] == [
        (
            "Part One. Chapter 1: Arrival",  # the part's page has only its heading
            "OEBPS/text/ch01.xhtml",
            ["The keeper came by boat, alone. The café was shut.", "He slept."],
        ),
        ("Chapter 2: The Storm", "OEBPS/text/ch02.xhtml#storm", ["The wind rose."]),
    ]
    assert [(s.name, s.reason) for s in document.skipped] == [
        ("OEBPS/titlepage.xhtml", "guide type title-page"),
        ("OEBPS/contents.xhtml", "guide type toc"),
    ]
    meta = document.metadata
    assert (meta.title, meta.authors, meta.language) == ("The Keeper", ("Jane Doe",), "en")
    assert meta.cover == CoverRef(
        archive=path, member="OEBPS/images/front.jpg", media_type="image/jpeg"
    )
    assert read_cover(meta.cover) == _EPUB2_FILES["OEBPS/images/front.jpg"]


def test_epub2_through_load_book(tmp_path: Path) -> None:
    book = load_book(_write_epub2(tmp_path / "keeper.epub"))
    assert book.title == "The Keeper"
    assert [c.title for c in book.chapters] == [
        "Part One. Chapter 1: Arrival",
        "Chapter 2: The Storm",
    ]
    assert [s.reason for s in book.skipped] == ["guide type title-page", "guide type toc"]
    assert "1901" not in " ".join(s.text for c in book.chapters for s in c.sentences)


@pytest.mark.parametrize("include_all", [False, True])
def test_every_word_of_the_epub2_is_narrated_or_skipped_with_a_reason(
    tmp_path: Path, include_all: bool
) -> None:
    path = _write_epub2(tmp_path / "keeper.epub")
    params = NarrationParams(manuscript=path, out_dir=tmp_path / "out", include_all=include_all)
    account = parse_book(params).account
    assert (account.lost, account.losses) == (0, ())
    # The note's "1" may be counted as the "1" of the title "Chapter 1: Arrival", which
    # the page does not show: a word is a word wherever it is counted.
    assert account.skipped["note"] >= len(words("In 1901."))


def test_epub_without_a_usable_table_of_contents_has_a_chapter_per_file(tmp_path: Path) -> None:
    empty = _NCX[: _NCX.index("<navMap>")] + "<navMap></navMap></ncx>"
    path = _write_epub2(tmp_path / "bare.epub", **{"OEBPS/toc.ncx": empty})
    assert [(s.title, s.blocks) for s in read_document(path).sections] == [
        ("PART ONE. Arrival", ["The keeper came by boat, alone. The café was shut."]),
        (None, ["He slept.", "The Storm", "The wind rose."]),
    ]


def test_tiny_sample_book(tmp_path: Path) -> None:
    book = load_book(build_epub3(tmp_path / "lamp.epub"))
    assert (book.title, book.metadata.author, book.metadata.language) == (
        "The Lamp",
        "Ada Keeper",
        "en",
    )
    assert [(c.title, [s.text for s in c.sentences]) for c in book.chapters] == [
        ("One", ["One", *CHAPTER_ONE]),
        ("Two", ["Two", *CHAPTER_TWO]),
    ]
    assert [s.reason for s in book.skipped] == [
        "epub:type copyright-page",
        "EPUB 3 navigation document",
    ]
    assert FOOTNOTE not in str(book.chapters)
    assert book.metadata.cover is not None
    assert read_cover(book.metadata.cover).startswith(b"\x89PNG")


def test_a_footnote_at_the_end_of_a_chapter_section_is_only_the_footnote(
    tmp_path: Path,
) -> None:
    # The <aside> note sits inside <section epub:type="chapter">: the note is the aside,
    # not the section around it, so chapter I keeps its text and its own title.
    book = load_book(build_novel_epub(tmp_path / "novel.epub"))
    assert len(book.chapters) == NOVEL_CHAPTERS
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    assert [c.title for c in book.chapters] == [f"Chapter {n}" for n in numerals]
    for number, chapter in enumerate(book.chapters, 1):
        assert [s.text for s in chapter.sentences[1:]] == list(novel_paragraphs(number))
    assert NOVEL_FOOTNOTE not in str(book.chapters)
    assert [s.name for s in book.skipped] == ["EPUB/nav.xhtml"]


# --- What cannot be read ------------------------------------------------------------

_ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="%s"/>
<enc:CipherData><enc:CipherReference URI="%s"/></enc:CipherData></enc:EncryptedData>
</encryption>"""


def _bad(path: Path, match: str) -> ManuscriptError:
    with pytest.raises(ManuscriptError, match=match) as err:
        read_document(path)
    assert str(path) in str(err.value)
    assert err.value.hint
    assert err.value.exit_code == 2
    return err.value


def test_drm_protected_epub_is_refused(tmp_path: Path) -> None:
    aes = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
    path = _write_epub2(
        tmp_path / "drm.epub",
        **{"META-INF/encryption.xml": _ENCRYPTION % (aes, "OEBPS/text/ch01.xhtml")},
    )
    error = _bad(path, "DRM")
    assert "OEBPS/text/ch01.xhtml" in str(error)
    assert "DRM-free edition" in (error.hint or "")


def test_obfuscated_fonts_are_not_drm(tmp_path: Path) -> None:
    path = _write_epub2(
        tmp_path / "fonts.epub",
        **{
            "META-INF/encryption.xml": _ENCRYPTION
            % ("http://www.idpf.org/2008/embedding", "OEBPS/fonts/serif.otf")
        },
    )
    assert len(read_document(path).sections) == 2


def test_broken_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.epub"
    path.write_bytes(_write_epub2(tmp_path / "whole.epub").read_bytes()[:300])
    _bad(path, "not a ZIP archive")


def test_zip_that_is_not_an_epub_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    _bad(path, "not an EPUB")


_NO_SPINE = (
    '<package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"/><manifest/></package>'
)


@pytest.mark.parametrize(
    ("files", "match"),
    [
        ({"META-INF/container.xml": "not xml"}, "does not name the package document"),
        ({"META-INF/container.xml": _CONTAINER}, "package document is missing or malformed"),
        (
            {"META-INF/container.xml": _CONTAINER, "OEBPS/content.opf": "<<<"},
            "package document is missing or malformed",
        ),
        (
            {"META-INF/container.xml": _CONTAINER, "OEBPS/content.opf": _NO_SPINE},
            "package document is missing or malformed",
        ),
    ],
)
def test_malformed_package_is_refused(tmp_path: Path, files: dict[str, str], match: str) -> None:
    path = tmp_path / "bad.epub"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    _bad(path, match)


def test_spine_item_whose_file_is_missing(tmp_path: Path) -> None:
    item = '<item id="ch3" href="text/ch03.xhtml" media-type="application/xhtml+xml"/>'
    path = _write_epub2(
        tmp_path / "gap.epub", extra_items=item, extra_spine='<itemref idref="ch3"/>'
    )
    error = _bad(path, "missing from the archive")
    assert "OEBPS/text/ch03.xhtml" in str(error)


def test_spine_item_missing_from_the_manifest(tmp_path: Path) -> None:
    path = _write_epub2(tmp_path / "gap.epub", extra_spine='<itemref idref="epilogue"/>')
    _bad(path, "'epilogue', which the manifest does not have")


def test_missing_cover_image(tmp_path: Path) -> None:
    path = _write_epub2(tmp_path / "keeper.epub")
    ref = CoverRef(archive=path, member="OEBPS/images/gone.jpg", media_type="image/jpeg")
    with pytest.raises(ManuscriptError, match="gone.jpg") as err:
        read_cover(ref)
    assert str(path) in str(err.value)
