"""Word (.docx) manuscripts: chapters from headings, text from runs, metadata, bad files."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from narrator.errors import ManuscriptError
from narrator.models import Boundary
from narrator.text import load_book
from tests.fixtures_docx import DOCX_AUTHOR, DOCX_CHAPTERS, DOCX_TITLE, build_docx


def test_two_chapter_fixture(tmp_path: Path) -> None:
    book = load_book(build_docx(tmp_path / "lamp.docx"))
    assert book.title == DOCX_TITLE
    assert book.metadata.authors == (DOCX_AUTHOR,)
    assert book.metadata.language == "en-GB"
    assert [c.title for c in book.chapters] == list(DOCX_CHAPTERS)
    for chapter, sentences in zip(book.chapters, DOCX_CHAPTERS.values(), strict=True):
        assert [s.text for s in chapter.sentences] == [chapter.title, *sentences]
        assert chapter.sentences[-1].boundary is Boundary.END


def _run(paragraph: Paragraph, tag: str, text: str) -> None:
    """Append a run wrapped in ``tag`` (w:ins, w:del) the way Word's track changes does."""
    wrapper = OxmlElement(tag, attrs={qn("w:id"): "7", qn("w:author"): "Editor"})
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    text_el.text = text
    text_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(text_el)
    wrapper.append(run)
    paragraph._p.append(wrapper)


def _footnote_reference(paragraph: Paragraph) -> None:
    """Append the run Word writes for a footnote mark (python-docx cannot write footnotes)."""
    run = paragraph.add_run()
    run.style = None
    run.font.superscript = True
    run._r.append(OxmlElement("w:footnoteReference", attrs={qn("w:id"): "1"}))


def _rich_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.author = "Ann Lee; Bo Chen"
    document.core_properties.title = "Core Title"
    document.add_paragraph("The Visible Title", style="Title")
    document.add_paragraph("A preface before any chapter.")
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Chapter One\t3", style="TOC 1")  # what Word's contents field holds
    document.add_paragraph("Chapter Two\t5", style="TOC 1")
    document.add_heading("Chapter One", level=1)
    document.add_paragraph("")  # empty paragraphs are not text
    verse = document.add_paragraph("Roses are red,")
    verse.add_run().add_break()  # a soft line break (Shift+Enter)
    verse.add_run("Violets are blue.")
    noted = document.add_paragraph("The keeper slept")
    _footnote_reference(noted)
    noted.add_run(" soundly.")
    document.add_heading("A Sub-heading", level=2)
    document.add_paragraph("* * *")
    revised = document.add_paragraph("It was")
    _run(revised, "w:del", " not")
    _run(revised, "w:ins", " very")
    revised.add_run(" late.")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Chapter Two", level=1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Tide"
    table.cell(0, 1).text = "High"
    document.add_paragraph("The end.")
    document.save(str(path))
    return path


def test_rich_document(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        book = load_book(_rich_docx(tmp_path / "rich.docx"))
    assert book.title == "The Visible Title"  # the Title paragraph beats a stale core title
    assert book.metadata.authors == ("Ann Lee", "Bo Chen")
    assert book.metadata.language == "en-US"  # python-docx's template: w:docDefaults
    assert [c.title for c in book.chapters] == [None, "Chapter One", "Chapter Two"]
    assert [s.text for s in book.chapters[0].sentences] == ["A preface before any chapter."]
    one = book.chapters[1]
    assert [(s.text, s.paragraph, s.boundary) for s in one.sentences] == [
        ("Chapter One", 0, Boundary.PARAGRAPH),
        ("Roses are red,", 1, Boundary.CLAUSE),
        ("Violets are blue.", 1, Boundary.PARAGRAPH),
        ("The keeper slept soundly.", 2, Boundary.PARAGRAPH),  # no footnote number
        ("A Sub-heading", 3, Boundary.SCENE),
        ("It was very late.", 4, Boundary.END),  # tracked deletion gone, insertion kept
    ]
    assert [s.text for s in book.chapters[2].sentences] == ["Chapter Two", "The end."]
    assert [s.name for s in book.skipped] == ["table of contents", "table (chapter 'Chapter Two')"]
    assert "rich.docx" in caplog.text and "'Chapter Two'" in caplog.text


def test_highest_heading_level_used_starts_chapters(tmp_path: Path) -> None:
    document = docx.Document()
    for title in ("North", "South"):
        document.add_heading(title, level=2)
        document.add_heading(f"{title} side", level=3)
        document.add_paragraph(f"Text of {title}.")
    path = tmp_path / "h2.docx"
    document.save(str(path))
    book = load_book(path)
    assert [c.title for c in book.chapters] == ["North", "South"]
    assert [s.text for s in book.chapters[0].sentences] == ["North", "North side", "Text of North."]


def test_single_heading_1_over_heading_2_is_the_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("My Book", level=1)
    for title in ("Start", "Finish"):
        document.add_heading(title, level=2)
        document.add_paragraph("Words.")
    path = tmp_path / "h1.docx"
    document.save(str(path))
    book = load_book(path)
    assert book.title == "My Book"
    assert [c.title for c in book.chapters] == ["Start", "Finish"]


def test_empty_chapter_names_its_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("One", level=1)
    document.add_paragraph("Text.")
    document.add_heading("Two", level=1)
    document.add_paragraph("#")
    path = tmp_path / "empty.docx"
    document.save(str(path))
    with pytest.raises(ManuscriptError, match="no speakable text") as err:
        load_book(path)
    assert err.value.chapter == "Two"
    assert "empty.docx:paragraph 3" in str(err.value)


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _without(path: Path, member: str) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != member}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),  # a .doc
        lambda p: p.write_text("Just text, saved with the wrong name."),
        lambda p: _zip(p, {"mimetype": "application/epub+zip"}),
        lambda p: _zip(p, {"[Content_Types].xml": "<Types/>", "docProps/app.xml": "<x/>"}),
        lambda p: _without(build_docx(p), "word/document.xml"),
    ],
    ids=["word-97", "text", "other-zip", "damaged", "no-document-xml"],
)
def test_not_a_docx(tmp_path: Path, make: object) -> None:
    path = tmp_path / "book.docx"
    make(path)  # type: ignore[operator]
    with pytest.raises(ManuscriptError, match="not a readable .docx") as err:
        load_book(path)
    assert err.value.path == str(path)
    assert err.value.exit_code == 2
    assert ".doc (Word 97-2003) is not supported" in (err.value.hint or "")


def test_missing_docx(tmp_path: Path) -> None:
    with pytest.raises(ManuscriptError, match="no such file"):
        load_book(tmp_path / "nope.docx")
