"""Chapters, paragraphs, scene breaks and boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.errors import ManuscriptError
from narrator.models import Book, Boundary
from narrator.text import load_book


def _book(tmp_path: Path, name: str, text: str, **kwargs: object) -> Book:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_book(path, **kwargs)  # type: ignore[arg-type]


ALICE = """\
The Project preamble.

CHAPTER I.
Down the Rabbit-Hole


Alice was beginning to get very tired of sitting by her
sister on the bank. "Is it?" she asked.

* * *

Chapter 12 was the best one I read, said Mr. Smith.
Then he left.

PART TWO

Chapter Three: The Pool

It was late.

CHAPTER XLII
It went on.
"""


def test_txt_chapters_titles_and_lines(tmp_path: Path) -> None:
    book = _book(tmp_path, "alice.txt", ALICE)
    assert [(c.index, c.title, c.line) for c in book.chapters] == [
        (1, None, 1),
        (2, "CHAPTER I. Down the Rabbit-Hole", 3),
        (3, "PART TWO. Chapter Three: The Pool", 15),
        (4, "CHAPTER XLII", 21),
    ]
    assert book.title == "Alice"


def test_txt_sentences_and_boundaries(tmp_path: Path) -> None:
    chapter = _book(tmp_path, "alice.txt", ALICE).chapters[1]
    assert [(s.text, s.paragraph, s.boundary) for s in chapter.sentences] == [
        ("CHAPTER I. Down the Rabbit-Hole", 0, Boundary.PARAGRAPH),
        (
            "Alice was beginning to get very tired of sitting by her sister on the bank.",
            1,
            Boundary.SENTENCE,
        ),
        ('"Is it?" she asked.', 1, Boundary.SCENE),
        ("Chapter 12 was the best one I read, said Mr. Smith.", 2, Boundary.SENTENCE),
        ("Then he left.", 2, Boundary.END),
    ]


def test_titles_not_announced(tmp_path: Path) -> None:
    book = _book(tmp_path, "alice.txt", ALICE, announce_titles=False)
    assert book.chapters[1].title == "CHAPTER I. Down the Rabbit-Hole"
    assert book.chapters[1].sentences[0].text.startswith("Alice was")
    assert book.chapters[1].sentences[0].paragraph == 0


def test_txt_without_headings_is_one_untitled_chapter(tmp_path: Path) -> None:
    book = _book(tmp_path, "story.txt", "One line.\n\nChapter and verse were quoted.\n")
    assert len(book.chapters) == 1
    assert book.chapters[0].title is None
    assert [s.boundary for s in book.chapters[0].sentences] == [Boundary.PARAGRAPH, Boundary.END]


def test_heading_needs_a_line_of_its_own(tmp_path: Path) -> None:
    text = "He turned the page to\nChapter 12. That was where the story\nturned.\n"
    book = _book(tmp_path, "inline.txt", text)
    assert len(book.chapters) == 1
    assert book.chapters[0].sentences[0].text.startswith("He turned the page to Chapter 12.")


def test_scene_break_symbols_are_never_spoken(tmp_path: Path) -> None:
    text = "One.\n\n***\n\nTwo.\n\n#\n\nThree.\n\n⁂\n\nFour.\n"
    sentences = _book(tmp_path, "s.txt", text).chapters[0].sentences
    assert [s.text for s in sentences] == ["One.", "Two.", "Three.", "Four."]
    assert [s.boundary for s in sentences] == [Boundary.SCENE] * 3 + [Boundary.END]


MARKDOWN = """\
# The *Keeper* of Tern Rock

A short [preface](https://example.com).

## One

Hello **bold**, __strong__, _italic_ and *em* with `code`.
![a gull](gull.png)
> Quoted line.

- apples
* pears
1. First item

---

<!-- a note
to myself -->
### A Sub-heading
The end.

## Two

Last words.
"""


def test_markdown_title_and_chapters(tmp_path: Path) -> None:
    book = _book(tmp_path, "tern.md", MARKDOWN)
    assert book.title == "The Keeper of Tern Rock"
    assert book.slug == "the-keeper-of-tern-rock"
    assert [(c.title, c.line) for c in book.chapters] == [(None, 3), ("One", 5), ("Two", 22)]


def test_markdown_markup_is_stripped(tmp_path: Path) -> None:
    chapter = _book(tmp_path, "tern.md", MARKDOWN).chapters[1]
    assert [(s.text, s.boundary) for s in chapter.sentences] == [
        ("One", Boundary.PARAGRAPH),
        ("Hello bold, strong, italic and em with code.", Boundary.SENTENCE),
        ("Quoted line.", Boundary.PARAGRAPH),
        ("apples", Boundary.PARAGRAPH),
        ("pears", Boundary.PARAGRAPH),
        ("1. First item", Boundary.SCENE),
        ("A Sub-heading", Boundary.PARAGRAPH),
        ("The end.", Boundary.END),
    ]


def test_markdown_top_level_headings_are_chapters(tmp_path: Path) -> None:
    book = _book(tmp_path, "two.md", "# First\n\nA.\n\n# Second\n\nB.\n", title="Given")
    assert [c.title for c in book.chapters] == ["First", "Second"]
    assert book.title == "Given"


def test_markdown_single_h1_without_h2_is_a_chapter(tmp_path: Path) -> None:
    book = _book(tmp_path, "short.md", "# A Story\n\n### Part\n\nText.\n", language="en")
    assert book.title == "A Story"
    assert [s.text for s in book.chapters[0].sentences] == ["A Story", "Part", "Text."]


@pytest.mark.parametrize(
    ("name", "text", "line", "title"),
    [
        ("empty.txt", "Intro.\n\nChapter 2\n\n🎉 ✨\n\nChapter 3\n\nText.\n", 3, "Chapter 2"),
        ("end.md", "# Book\n\n## One\n\nText.\n\n## Two\n\n* * *\n", 7, "Two"),
    ],
)
def test_chapter_without_speakable_text(
    tmp_path: Path, name: str, text: str, line: int, title: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManuscriptError, match="no speakable text") as err:
        load_book(path)
    assert err.value.line == line
    assert err.value.chapter == title
    assert f"{path}:{line}" in str(err.value)
    assert title in str(err.value)


def test_long_paragraph_without_punctuation(tmp_path: Path) -> None:
    text = " ".join(f"word{i}" for i in range(3000))
    assert len(text) > 20_000
    book = _book(tmp_path, "long.txt", text, language="en")  # no language's words
    assert [s.text for s in book.chapters[0].sentences] == [text]
