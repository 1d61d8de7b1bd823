"""Single-file HTML books, and the XHTML/HTML rules shared with EPUB."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from narrator.errors import ManuscriptError
from narrator.models import Boundary
from narrator.text import load_book
from narrator.text.document import LINE_BREAK
from narrator.text.formats import ReadOptions, read_document
from tests.fixtures_books import CHAPTER_ONE, CHAPTER_TWO, FOOTNOTE, write_html


def _read(tmp_path: Path, body: str, *, name: str = "book.html", **options: bool):
    path = tmp_path / name
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>")
    return read_document(path, ReadOptions(**options))


def _blocks(tmp_path: Path, body: str, **options: bool) -> list[str | None]:
    (section,) = _read(tmp_path, body, **options).sections
    return section.blocks


def test_sample_book_chapters_and_metadata(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="narrator.text.formats.html"):
        book = load_book(write_html(tmp_path / "lamp.html"))
    assert (book.title, book.metadata.authors, book.metadata.language) == (
        "The Lamp",  # the only <h1>, not the <title>
        ("Ada Keeper",),
        "en-GB",
    )
    assert [(c.title, [s.text for s in c.sentences]) for c in book.chapters] == [
        ("One", ["One", *CHAPTER_ONE]),
        ("Two", ["Two", *CHAPTER_TWO]),
    ]
    spoken = str(book.chapters)
    for unread in (FOOTNOTE, "not read", "margin", "A gull on a rail", "Tide"):
        assert unread not in spoken
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'lamp.html'}: 1 table(s) in chapter 'One' are not read aloud"
    ]


def test_alt_text_is_read_when_asked(tmp_path: Path) -> None:
    document = read_document(write_html(tmp_path / "lamp.html"), ReadOptions(read_alt_text=True))
    assert document.sections[1].blocks[0].startswith("A gull on a rail. A gull landed")


def test_several_h1_are_chapters_and_h2_are_paragraphs(tmp_path: Path) -> None:
    document = _read(
        tmp_path,
        "<p>A preface.</p><h1>PART ONE</h1><h1>CHAPTER I.<br>DOWN THE RABBIT-HOLE</h1>"
        "<h2>A sub-heading</h2><p>Alice was tired.</p><h1>Two</h1><p>It rained.</p>",
    )
    assert [(s.title, s.blocks) for s in document.sections] == [
        (None, ["A preface."]),
        ("PART ONE. CHAPTER I. DOWN THE RABBIT-HOLE", ["A sub-heading", "Alice was tired."]),
        ("Two", ["It rained."]),
    ]
    assert document.metadata.title is None


def test_no_headings_is_one_untitled_chapter(tmp_path: Path) -> None:
    document = _read(tmp_path, "<p>One.</p><h3>Aside</h3><p>Two.</p>")
    assert [(s.title, s.blocks) for s in document.sections] == [(None, ["One.", "Aside", "Two."])]


def test_contents_chapter_is_skipped_unless_all_is_asked(tmp_path: Path) -> None:
    body = "<h2>Contents</h2><p>One</p><h2>One</h2><p>It began.</p>"
    document = _read(tmp_path, body)
    assert [s.title for s in document.sections] == ["One"]
    assert [(s.name, s.reason) for s in document.skipped] == [("Contents", "title 'Contents'")]
    assert [s.title for s in _read(tmp_path, body, include_all=True).sections] == [
        "Contents",
        "One",
    ]


def test_inline_markup_does_not_break_words(tmp_path: Path) -> None:
    assert _blocks(
        tmp_path,
        '<p><span class="dropcap">T</span>HE <i>very</i>   <b>old</b>\n  '
        "keep&shy;er's <span class='sc'>L</span>amp<span>.</span></p>"
        '<p><img src="t.png" alt="T"/>he end<span class="pagenum">[Pg 12]</span>.</p>',
    ) == ["THE very old keeper's Lamp.", "The end."]


def test_verse_line_breaks_and_scene_breaks(tmp_path: Path) -> None:
    blocks = _blocks(
        tmp_path,
        "<p>Twinkle, twinkle, little star,<br/>How I wonder<br><br>what you are!</p>"
        "<p>* * *</p><p>Next.</p><hr><div>After.<pre>a  b\nc</pre></div>"
        "<ul><li>First</li><li>Second</li></ul><blockquote><p>Quoted.</p></blockquote>",
    )
    assert blocks == [
        LINE_BREAK.join(["Twinkle, twinkle, little star,", "How I wonder", "what you are!"]),
        None,
        "Next.",
        None,
        "After.",
        LINE_BREAK.join(["a b", "c"]),
        "First",
        "Second",
        "Quoted.",
    ]


def test_verse_containers_make_lines_and_stanzas(tmp_path: Path) -> None:
    blocks = _blocks(
        tmp_path,
        '<div class="poem"><div class="stanza"><div>April is the cruellest month,</div>'
        '<div>breeding<span class="lnum">10</span></div></div>'
        '<div class="stanza"><p>Lilacs out of the dead land</p></div></div>'
        '<section epub:type="z3998:poem"><p>One<br/>Two</p><p>Three<br/>Four</p></section>',
    )
    assert blocks == [
        LINE_BREAK.join(["April is the cruellest month,", "breeding"]),
        "Lilacs out of the dead land",
        LINE_BREAK.join(["One", "Two"]),
        LINE_BREAK.join(["Three", "Four"]),
    ]


def test_front_matter_inside_the_page_is_skipped_by_its_type(tmp_path: Path) -> None:
    body = (
        '<section epub:type="frontmatter"><section epub:type="titlepage" id="tp">'
        "<p>THE WASTE LAND</p></section><p>Epigraph.</p>"
        '<p epub:type="dedication">For Ezra Pound</p></section><p>April.</p>'
        '<section epub:type="rearnotes" id="notes"><p>Line 1: after Weston.</p></section>'
    )
    document = _read(tmp_path, body)
    assert [s.blocks for s in document.sections] == [["Epigraph.", "April."]]
    assert [(s.name, s.reason) for s in document.skipped] == [
        ("tp", "epub:type titlepage"),
        ("book.html", "epub:type dedication"),
        ("notes", "epub:type rearnotes"),
    ]
    everything = _read(tmp_path, body, include_all=True)
    assert everything.sections[0].blocks[0] == "THE WASTE LAND"
    assert everything.skipped == []


def test_verse_lines_end_with_a_clause_pause(tmp_path: Path) -> None:
    path = tmp_path / "verse.html"
    path.write_text("<p>How doth the little crocodile<br/>Improve his shining tail</p>")
    (chapter,) = load_book(path, announce_titles=False).chapters
    assert [(s.text, s.boundary) for s in chapter.sentences] == [
        ("How doth the little crocodile", Boundary.CLAUSE),
        ("Improve his shining tail", Boundary.END),
    ]


def test_footnotes_by_pattern_and_by_semantics(tmp_path: Path) -> None:
    blocks = _blocks(
        tmp_path,
        '<p>Storm.<a href="#fn1" id="r1"><sup>1</sup></a> Calm.<sup><a href="#n2">[2]</a></sup>'
        ' Gale.<a role="doc-noteref" href="#n3">3</a> See <a href="#p9">page 9</a>'
        ' and part <a href="#preface">1</a>.</p><p id="p9">Page nine, 2 of 3.</p>'
        '<h3 id="preface">Preface</h3>'
        '<section role="doc-endnotes"><p id="n3">Third note.</p></section>'
        '<div class="notes"><p id="fn1"><a href="#r1">1</a> First note.</p>'
        '<p><a id="n2"></a>[2] Second note.</p></div>',
    )
    assert blocks == [
        "Storm. Calm. Gale. See page 9 and part 1.",
        "Page nine, 2 of 3.",
        "Preface",
    ]


def test_a_note_target_never_takes_its_chapter_with_it(tmp_path: Path) -> None:
    # Targets straight inside a chapter's <section>, and inside a <div> that holds the
    # chapter's text: the block around either is the chapter, not a note, so nothing is
    # removed and the loose note is read where it stands.
    document = _read(
        tmp_path,
        '<section id="one"><h2>One</h2><p>The tide turned.<a href="#fn1"><sup>1</sup></a></p>'
        '<a id="fn1"></a>1. A loose note.</section>'
        '<h2>Two</h2><div><p>The gulls came back.<a href="#fn2"><sup>2</sup></a> The keeper'
        ' counted them, one by one, until the light failed and the sea went dark.</p>'
        '<a id="fn2"></a>2. Another.</div>',
    )
    assert [(s.title, s.blocks) for s in document.sections] == [
        ("One", ["The tide turned.", "1. A loose note."]),
        (
            "Two",
            [
                "The gulls came back. The keeper counted them, one by one, until the light "
                "failed and the sea went dark.",
                "2. Another.",
            ],
        ),
    ]


def test_an_aside_note_at_the_end_of_a_section_is_only_the_aside(tmp_path: Path) -> None:
    document = _read(
        tmp_path,
        '<section><h2>One</h2><p>The tide turned.<a href="#fn1">1</a></p>'
        '<aside id="fn1"><p>High water at six.</p></aside></section>',
    )
    assert [(s.title, s.blocks) for s in document.sections] == [("One", ["The tide turned."])]


def test_hidden_and_unreadable_elements(tmp_path: Path) -> None:
    blocks = _blocks(
        tmp_path,
        "<p>Read.</p><p hidden>Hidden.</p><p style='display: none'>None.</p>"
        "<nav><p>Nav.</p></nav><aside><p>Aside.</p></aside><script>x()</script>"
        "<p><ruby>漢<rt>kan</rt></ruby> <span epub:type='pagebreak'>12</span>ok.</p>"
        "<figure><img src='a.png' alt='Alt.'><figcaption>Caption.</figcaption></figure>",
    )
    assert blocks == ["Read.", "漢 ok."]


def test_declared_charset_else_utf8(tmp_path: Path) -> None:
    declared = tmp_path / "cp1252.html"
    declared.write_bytes(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "</head><body><p>Café “quoted”.</p></body></html>".encode("cp1252")
    )
    undeclared = tmp_path / "utf8.htm"
    undeclared.write_bytes("<p>Café “quoted”.</p>".encode())
    for path in (declared, undeclared):
        assert read_document(path).sections[0].blocks == ["Café “quoted”."]


def test_missing_html_file(tmp_path: Path) -> None:
    with pytest.raises(ManuscriptError, match="no such file") as err:
        read_document(tmp_path / "gone.html")
    assert str(tmp_path / "gone.html") in str(err.value)
    assert err.value.exit_code == 2


def test_html_without_text_has_nothing_to_narrate(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><img src='a.png'><h1>Title</h1></body></html>")
    with pytest.raises(ManuscriptError, match="no speakable text"):
        load_book(path)
