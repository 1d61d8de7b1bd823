"""parse_book: every parameter that shapes the book reaches it."""

from __future__ import annotations

from pathlib import Path

from narrator.config import NarrationParams
from narrator.parse import parse_book

BOOK = """# The Lighthouse

## One

The keeper lit the lamp. The sea was calm.

## Two

The boat came home at dawn.
"""


def _manuscript(tmp_path: Path) -> Path:
    path = tmp_path / "lighthouse.md"
    path.write_text(BOOK, encoding="utf-8")
    return path


def test_the_title_names_the_book_and_its_folder(tmp_path: Path) -> None:
    path = _manuscript(tmp_path)
    assert parse_book(NarrationParams(manuscript=path)).book.slug == "the-lighthouse"
    parsed = parse_book(NarrationParams(manuscript=path, title="Tern Rock"))
    assert (parsed.book.title, parsed.book.slug) == ("Tern Rock", "tern-rock")


def test_titles_are_spoken_only_when_announced(tmp_path: Path) -> None:
    path = _manuscript(tmp_path)
    spoken = parse_book(NarrationParams(manuscript=path)).chunks[0][0].text
    silent = parse_book(NarrationParams(manuscript=path, announce_titles=False)).chunks[0][0].text
    assert spoken.startswith("One")
    assert silent.startswith("The keeper lit the lamp.")


def test_chunks_follow_the_limit_and_parts_hold_every_chunk(tmp_path: Path) -> None:
    path = _manuscript(tmp_path)
    parsed = parse_book(NarrationParams(manuscript=path, max_input_chars=40))
    assert parsed.max_chars == 40
    assert all(len(c.text) <= 40 for chapter in parsed.chunks for c in chapter)
    assert [p.title for p in parsed.parts] == ["One", "Two"]
    assert tuple(p.chunks for p in parsed.parts) == parsed.chunks
