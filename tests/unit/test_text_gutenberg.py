"""Project Gutenberg plain text: header, licence and contents list are not narrated."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.models import Book
from narrator.text import load_book

TITLES = [
    "Down the Rabbit-Hole",
    "The Pool of Tears",
    "A Caucus-Race and a Long Tale",
    "The Rabbit Sends in a Little Bill",
    "Advice from a Caterpillar",
    "Pig and Pepper",
    "A Mad Tea-Party",
    "The Queen’s Croquet-Ground",
    "Off With Her Head!",
    "Will You Join the Dance?",
    "Who Stole the Tarts?",
    "Alice’s Evidence",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

HEADER = """\
The Project Gutenberg eBook of Alice's Adventures in Wonderland

This ebook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions
whatsoever. You may copy it, give it away or re-use it under the terms
of the Project Gutenberg License included with this ebook or online
at www.gutenberg.org.

Title: Alice's Adventures in Wonderland

Author: Lewis Carroll

Release date: June 27, 2008 [eBook #11]
                Most recently updated: June 3, 2025

Language: English

Credits: Arthur DiBianca and David Widger


{start}

[Illustration]




Alice’s Adventures in Wonderland

by Lewis Carroll

Contents

"""

LICENCE = """\

{end}



Updated editions will replace the previous one—the old editions will
be renamed.

START: FULL LICENSE

THE FULL PROJECT GUTENBERG LICENSE
PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK

Section 1. General Terms of Use and Redistributing Project Gutenberg™
electronic works
"""


def _chapter(n: int) -> str:
    # Chapters IX to XI put their title on the heading line; the others on a line below.
    title = TITLES[n]
    heading = f"CHAPTER {ROMAN[n]}. {title}" if 8 <= n <= 10 else f"CHAPTER {ROMAN[n]}.\n{title}"
    picture = "[Illustration:\n\n“The Duchess”\n\n[_Copyright 1894._]]\n\n" if n == 5 else ""
    body = f"{picture}Alice went on in chapter {n + 1}.\nIt was curious.\n\n\n\n\n"
    return f"{heading}\n\n\n{body}"


def _gutenberg(
    start: str = "*** START OF THE PROJECT GUTENBERG EBOOK ALICE'S ADVENTURES IN WONDERLAND ***",
    end: str = "*** END OF THE PROJECT GUTENBERG EBOOK ALICE'S ADVENTURES IN WONDERLAND ***",
) -> str:
    contents = "".join(f" CHAPTER {r + '.':<6} {t}\n" for r, t in zip(ROMAN, TITLES, strict=True))
    chapters = "".join(_chapter(n) for n in range(12))
    return HEADER.format(start=start) + contents + "\n\n\n\n" + chapters + LICENCE.format(end=end)


def _load(tmp_path: Path, text: str, **kwargs: bool) -> Book:
    path = tmp_path / "pg11.txt"
    path.write_text(text, encoding="utf-8")
    return load_book(path, **kwargs)


def test_twelve_chapters_and_metadata(tmp_path: Path) -> None:
    book = _load(tmp_path, _gutenberg())
    assert book.title == "Alice's Adventures in Wonderland"
    assert book.metadata.authors == ("Lewis Carroll",)
    assert book.metadata.language == "en"
    # The title page after the START marker opens the book, untitled.
    assert [s.text for s in book.chapters[0].sentences] == [
        "Alice’s Adventures in Wonderland",
        "by Lewis Carroll",
    ]
    expected = [f"CHAPTER {r}. {t}" for r, t in zip(ROMAN, TITLES, strict=True)]
    assert [c.title for c in book.chapters[1:]] == expected
    for n, chapter in enumerate(book.chapters[1:]):
        assert [s.text for s in chapter.sentences[1:]] == [
            f"Alice went on in chapter {n + 1}.",
            "It was curious.",
        ]


def test_header_licence_and_contents_are_skipped(tmp_path: Path) -> None:
    book = _load(tmp_path, _gutenberg())
    spoken = " ".join(s.text for c in book.chapters for s in c.sentences)
    assert "Gutenberg" not in spoken
    assert "Illustration" not in spoken and "Duchess" not in spoken and "1894" not in spoken
    assert "Contents" not in spoken
    assert spoken.count("Who Stole the Tarts?") == 1  # once as a heading, not as a list entry
    names = [s.name for s in book.skipped]
    assert names == ["Project Gutenberg header", "Project Gutenberg licence", "table of contents"]
    contents = book.skipped[2].reason
    assert contents.startswith("lines 32-45:") and "12 headings" in contents


def test_heading_drawn_inside_an_illustration(tmp_path: Path) -> None:
    text = _gutenberg().replace("CHAPTER VII.\n", "[Illustration: ·ALICE·\n\n\nCHAPTER VII.]\n\n")
    book = _load(tmp_path, text)
    assert [c.title for c in book.chapters[6:9]] == [
        "CHAPTER VI. Pig and Pepper",
        "CHAPTER VII.",  # the heading inside the picture; its title line is text
        "CHAPTER VIII. The Queen’s Croquet-Ground",
    ]
    assert book.chapters[7].sentences[1].text == "A Mad Tea-Party"


def test_chapter_lines_point_into_the_file(tmp_path: Path) -> None:
    text = _gutenberg()
    book = _load(tmp_path, text)
    lines = text.split("\n")
    for chapter in book.chapters[1:]:
        assert chapter.title and chapter.title.startswith(lines[chapter.line - 1])


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (
            "*** START OF THIS PROJECT GUTENBERG EBOOK ALICE'S ADVENTURES IN WONDERLAND ***",
            "*** END OF THIS PROJECT GUTENBERG EBOOK ALICE'S ADVENTURES IN WONDERLAND ***",
        ),
        (
            "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*",
            "End of the Project Gutenberg EBook of Alice's Adventures in Wonderland",
        ),
    ],
    ids=["this-ebook", "small-print"],
)
def test_older_markers(tmp_path: Path, start: str, end: str) -> None:
    book = _load(tmp_path, _gutenberg(start, end))
    assert len(book.chapters) == 13
    assert "Gutenberg" not in " ".join(s.text for c in book.chapters for s in c.sentences)


def test_include_all_keeps_header_and_contents_as_text(tmp_path: Path) -> None:
    book = _load(tmp_path, _gutenberg(), include_all=True)
    assert [c.title for c in book.chapters[1:]] == [
        f"CHAPTER {r}. {t}" for r, t in zip(ROMAN, TITLES, strict=True)
    ]
    front = [s.text for s in book.chapters[0].sentences]
    assert any("Project Gutenberg" in s for s in front)
    assert "Contents" in front
    assert "Who Stole the Tarts?" in front


def test_plain_text_without_markers_is_untouched(tmp_path: Path) -> None:
    text = "Title: Not A Header\n\nAuthor: Someone wrote this line in the story.\n"
    book = _load(tmp_path, text)
    assert book.skipped == ()
    assert book.metadata.authors == ()
    assert [s.text for s in book.chapters[0].sentences][0] == "Title: Not A Header"
