"""Plain-text chapter headings are found by their shape and neighbours, not punctuation."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.text import load_book


def _titles(tmp_path: Path, text: str) -> list[str | None]:
    path = tmp_path / "book.txt"
    path.write_text(text, encoding="utf-8")
    return [c.title for c in load_book(path).chapters]


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        (  # the title ends in '?' and '!': the same 'CHAPTER <roman>.' shape as the others
            "CHAPTER X. The Lobster Quadrille\n\nThey danced.\n\n"
            "CHAPTER XI. Who Stole the Tarts?\n\nThe King sat.\n\n"
            "CHAPTER XII. Alice Said No to It!\n\nShe woke.\n",
            [
                "CHAPTER X. The Lobster Quadrille",
                "CHAPTER XI. Who Stole the Tarts?",
                "CHAPTER XII. Alice Said No to It!",
            ],
        ),
        (  # a lone heading: its title reads as a title
            "Before.\n\nCHAPTER XI. Who Stole the Tarts?\n\nThe King sat.\n",
            [None, "CHAPTER XI. Who Stole the Tarts?"],
        ),
        (
            "Chapter One\n\nIt began.\n\nChapter Two\n\nIt ended.\n",
            ["Chapter One", "Chapter Two"],
        ),
        (  # the title on the line below, ending in '!'
            "CHAPTER V.\nOff With Her Head!\n\nThe Queen shouted.\n",
            ["CHAPTER V. Off With Her Head!"],
        ),
        (  # the book's heading shape accepts a title line in any case
            "CHAPTER I.\nThe start\n\nText.\n\nCHAPTER II.\nthe middle of it all.\n\nMore.\n",
            ["CHAPTER I. The start", "CHAPTER II. the middle of it all."],
        ),
        (  # a long title wrapped onto the next line
            "CHAPTER 72. The Monkey-Rope.\n\nText.\n\n"
            "CHAPTER 73. Stubb and Flask Kill a Right Whale; and Then Have a Talk\n"
            "over Him.\n\nMore text.\n",
            [
                "CHAPTER 72. The Monkey-Rope.",
                "CHAPTER 73. Stubb and Flask Kill a Right Whale; and Then Have a Talk over Him.",
            ],
        ),
        (  # three headings of different kinds stacked are one title, not a contents list
            "BOOK ONE\n\nPART ONE\n\nCHAPTER 1\n\nIt began.\n\nCHAPTER 2\n\nIt went on.\n",
            ["BOOK ONE. PART ONE. CHAPTER 1", "CHAPTER 2"],
        ),
    ],
    ids=[
        "tarts",
        "lone-question",
        "number-words",
        "subtitle-bang",
        "common-shape",
        "wrapped",
        "stacked",
    ],
)
def test_headings(tmp_path: Path, text: str, titles: list[str | None]) -> None:
    assert _titles(tmp_path, text) == titles


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("Chapter 12 was long.\n\nWe read it twice.\n", [None]),
        ("Chapter 12. It was raining hard.\n\nWe stayed in.\n", [None]),
        # inside running text, even in a book whose headings have the same shape
        (
            "Chapter 1. Rain\n\nHe read on.\nChapter 12. It was raining hard.\nShe slept.\n",
            ["Chapter 1. Rain"],
        ),
        # a capitalised title that the next line carries on as a sentence
        ("Intro.\n\nChapter Three The Pool\nwas deep and cold that year.\n", [None]),
    ],
    ids=["lower-case-after-number", "sentence-alone", "running-text", "sentence-goes-on"],
)
def test_prose_stays_prose(tmp_path: Path, text: str, titles: list[str | None]) -> None:
    assert _titles(tmp_path, text) == titles
