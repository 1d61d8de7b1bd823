"""Chapters longer than a file may be (ACX: 120 min) become parts with their own titles."""

from __future__ import annotations

from pathlib import Path

from narrator.plan import book_parts, chunk_book
from narrator.speech.timing import expected_duration_s
from narrator.text import load_book


def _book(tmp_path: Path, paragraphs: int) -> Path:
    body = "\n\n".join(
        f"Paragraph {i} tells how the keeper climbed the tower and lit the lamp at dusk."
        for i in range(paragraphs)
    )
    path = tmp_path / "book.md"
    path.write_text(f"# Book\n\n## Short\n\nThe end.\n\n## Long\n\n{body}\n", encoding="utf-8")
    return path


def test_a_long_chapter_is_split_into_titled_parts_and_short_ones_are_not(tmp_path: Path) -> None:
    book = load_book(_book(tmp_path, 60))
    chunks = chunk_book(book, 450, by_paragraph=True)
    long_s = sum(expected_duration_s(c.spoken) for c in chunks[1])
    parts = book_parts(book, chunks, max_part_minutes=long_s / 60 / 2)  # room for half
    assert [p.index for p in parts] == list(range(1, len(parts) + 1))
    assert parts[0].title == "Short" and parts[0].chunks == chunks[0]
    titles = [p.title for p in parts[1:]]
    n = len(titles)
    assert n >= 3 and titles == [f"Long (Part {i} of {n})" for i in range(1, n + 1)]
    # Every chunk once, in order; each part under the limit as predicted.
    assert tuple(c for p in parts[1:] for c in p.chunks) == chunks[1]
    for part in parts[1:]:
        assert sum(expected_duration_s(c.spoken) for c in part.chunks) <= long_s / 2
    # About equal parts, not one full part and a stub.
    seconds = [sum(expected_duration_s(c.spoken) for c in p.chunks) for p in parts[1:]]
    assert max(seconds) < 1.2 * min(seconds)


def test_a_chapter_under_the_limit_stays_whole(tmp_path: Path) -> None:
    book = load_book(_book(tmp_path, 5))
    chunks = chunk_book(book, 450, by_paragraph=True)
    parts = book_parts(book, chunks, max_part_minutes=120)
    assert [p.title for p in parts] == ["Short", "Long"]
    assert [p.chunks for p in parts] == list(chunks)
