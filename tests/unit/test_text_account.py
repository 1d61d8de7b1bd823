"""The word account: every word of a manuscript is narrated, skipped with a reason, or lost."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from narrator.config import NarrationParams
from narrator.errors import WordsLost
from narrator.parse import ParsedBook, parse_book
from narrator.text import formats
from narrator.text.account import LOST_WORDS_ALLOWED, words
from narrator.text.document import Document
from tests.fixtures_books import (
    NOVEL_FOOTNOTE,
    build_epub3,
    build_novel_epub,
    novel_paragraphs,
    write_html,
)
from tests.fixtures_docx import build_docx
from tests.lossy_narrate import LOSSY_BOOK, LOST_PARAGRAPH, read_lossy

SAMPLE = Path(__file__).resolve().parents[2] / "inputs" / "the-keeper-of-tern-rock.md"


def _parse(path: Path, **params: object) -> ParsedBook:
    return parse_book(
        NarrationParams(manuscript=path, out_dir=path.parent / "out", **params),  # type: ignore[arg-type]
        refuse_loss=False,
    )


BOOKS: dict[str, Callable[[Path], Path]] = {
    "sample": lambda _: SAMPLE,
    "epub3": lambda folder: build_epub3(folder / "lamp.epub"),
    "html": lambda folder: write_html(folder / "lamp.html"),
    "docx": lambda folder: build_docx(folder / "lamp.docx"),
    "novel": lambda folder: build_novel_epub(folder / "novel.epub"),
}


@pytest.mark.parametrize("include_all", [False, True])
@pytest.mark.parametrize("name", sorted(BOOKS))
def test_every_word_of_the_sample_and_the_test_books_is_accounted_for(
    name: str, include_all: bool, tmp_path: Path
) -> None:
    account = _parse(BOOKS[name](tmp_path), include_all=include_all).account
    assert account.source > 0
    assert (account.lost, account.losses) == (0, ())
    assert account.narrated + sum(account.skipped.values()) == account.source


def test_the_novels_footnote_is_skipped_as_a_note_and_chapter_one_is_narrated(
    tmp_path: Path,
) -> None:
    account = _parse(build_novel_epub(tmp_path / "novel.epub")).account
    chapter_one = next(d for d in account.documents if d.name == "EPUB/text/chapter-01.xhtml")
    assert chapter_one.skipped == {"note": len(words(NOVEL_FOOTNOTE)), "note reference": 1}
    # The title (its heading, said as the table of contents names it) and both paragraphs.
    said = ["Chapter", "I", *(w for p in novel_paragraphs(1) for w in words(p))]
    assert chapter_one.narrated == len(said)
    assert chapter_one.lost == 0


@pytest.fixture()
def lossy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A plain-text book whose reader drops a paragraph without a word."""
    monkeypatch.setitem(formats.READERS, ".txt", read_lossy)
    path = tmp_path / "lossy.txt"
    path.write_text(LOSSY_BOOK, encoding="utf-8")
    return path


def test_a_paragraph_a_reader_drops_is_lost_and_named(lossy: Path) -> None:
    account = _parse(lossy).account
    (loss,) = account.losses
    assert loss.where == "lossy.txt"
    assert loss.words == account.lost == len(words(LOST_PARAGRAPH))
    assert loss.first.startswith("A storm was coming in from the west")


def test_parse_book_refuses_a_loss_unless_it_is_allowed(lossy: Path) -> None:
    params = NarrationParams(manuscript=lossy, out_dir=lossy.parent / "out")
    with pytest.raises(WordsLost) as err:
        parse_book(params)
    message = str(err.value)
    assert str(lossy) in message and "A storm was coming" in message
    assert "--allow-loss" in (err.value.hint or "") and err.value.exit_code == 2
    # Prefect pickles a failed task's exception; it must come back whole.
    assert str(pickle.loads(pickle.dumps(err.value))) == message

    allowed = parse_book(params.model_copy(update={"allow_loss": True}))
    assert allowed.account.lost == len(words(LOST_PARAGRAPH))


def test_the_loss_is_placed_in_the_epub_file_it_comes_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def drop_from_chapter_seven(path: Path, options: formats.ReadOptions) -> Document:
        document = formats.read_epub(path, options)
        del document.sections[6].blocks[1]
        return document

    monkeypatch.setitem(formats.READERS, ".epub", drop_from_chapter_seven)
    account = _parse(build_novel_epub(tmp_path / "novel.epub")).account
    (loss,) = account.losses
    assert loss.where == "EPUB/text/chapter-07.xhtml"
    assert loss.first == " ".join(words(novel_paragraphs(7)[1]))
    assert [d.name for d in account.documents if d.lost] == [loss.where]


def test_a_handful_of_words_is_counted_but_is_no_loss(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plain = formats.READERS[".txt"]

    def drop_a_short_reply(path: Path, options: formats.ReadOptions) -> Document:
        document = plain(path, options)
        del document.sections[0].blocks[0]
        return document

    path = tmp_path / "reply.txt"
    path.write_text("He nodded twice.\n\nThen he rowed home across the bay.\n", encoding="utf-8")
    monkeypatch.setitem(formats.READERS, ".txt", drop_a_short_reply)
    account = _parse(path).account
    assert account.lost == 3 <= LOST_WORDS_ALLOWED
    assert account.losses == ()


def test_what_a_page_shows_and_what_the_reader_leaves_out_agree(tmp_path: Path) -> None:
    # Drop caps drawn as images, small capitals, soft hyphens, entities, ruby, note
    # markers glued to their word: read one way, shown another, the same words.
    path = tmp_path / "page.html"
    path.write_text(
        """<html><head><meta charset="utf-8"><title>T</title><style>p {}</style></head><body>
<h1>The Book</h1><h2>One</h2>
<p><img src="t.png" alt="T"/>he keeper lit the lamp. A<span class="sc">LICE</span>
won&shy;dered about the 1<sup>st</sup> night, caf&eacute; au lait.</p>
<p>Line one<br/>line two <span hidden="">secret words</span> and
<span style="display:none">gone</span>.</p>
<p><ruby>漢<rt>kan</rt></ruby>字 and <a href="x.html">a link</a>; the end<a href="#fn1"
 id="r1"><sup>1</sup></a>.</p>
<figure><img src="a.png" alt="An anchor"/><figcaption>Figure 1: the anchor.</figcaption></figure>
<script>var x = "no words here";</script>
<p>Math: <math><mi>x</mi></math> is <abbr title="x">NASA</abbr> good.
<span class="pagenum">[Pg 12]</span></p>
<h2>Two</h2><p>Second chapter text <q>quoted</q>.</p>
<p id="fn1"><a href="#r1">1</a> The note.</p>
</body></html>""",
        encoding="utf-8",
    )
    account = _parse(path).account
    assert account.lost == 0
    assert {"hidden", "ruby annotation", "figure caption", "math", "note", "note reference"} <= (
        account.skipped.keys()
    )
    assert account.skipped["hidden"] == 3
    assert "not shown" not in account.skipped  # the script's words are no words of the page


def test_a_markdown_autolink_is_read_as_the_page_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text(
        "# Links\n\n## One\n\nSee <https://example.com/tern-rock> or "
        "[the keeper](https://example.com/keeper) and ![a lamp](lamp.png).\n\n"
        "<!-- not shown -->\n\n[unused]: https://example.com/unused\n",
        encoding="utf-8",
    )
    parsed = _parse(path)
    assert parsed.book.chapters[0].sentences[1].text == (
        "See https://example.com/tern-rock or the keeper and ."
    )
    assert parsed.account.lost == 0
    assert parsed.account.skipped == {"the book's title": 1}
