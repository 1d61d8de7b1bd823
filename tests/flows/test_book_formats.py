"""EPUB, Word and HTML manuscripts end to end on the real embedded engine: the M4B's
chapters carry the source's chapter titles, and its title, author, language and cover
come from the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import av
import mutagen
import pytest

from narrator.config import NarrationParams
from tests.fixtures_books import FOOTNOTE, build_epub3, png, write_html
from tests.fixtures_docx import DOCX_AUTHOR, DOCX_TITLE, build_docx

pytestmark = pytest.mark.slow


def _narrate(manuscript: Path, out: Path, **params: object) -> tuple[dict, Path]:
    from flows.narrate import narrate_book

    result = narrate_book(NarrationParams(manuscript=manuscript, out_dir=out, **params))
    return json.loads(result.manifest.read_text(encoding="utf-8")), result.m4b


def _m4b_chapters(m4b: Path) -> list[str]:
    with av.open(str(m4b)) as container:
        return [chapter["metadata"]["title"] for chapter in container.chapters()]


def _stream_language(m4b: Path) -> str | None:
    with av.open(str(m4b)) as container:
        return container.streams.audio[0].metadata.get("language")


def _every_chunk_passed(manifest: dict) -> None:
    chunks = [c for chapter in manifest["chapters"] for c in chapter["chunks"]]
    assert chunks and all(c["passed"] for c in chunks), [c for c in chunks if not c["passed"]]


def test_epub_title_author_language_cover_and_chapters_reach_the_m4b(
    prefect_harness: None, tmp_path: Path
) -> None:
    epub = build_epub3(tmp_path / "lamp.epub", title="The Lamp", author="Ada Keeper")
    manifest, m4b = _narrate(epub, tmp_path / "out")

    assert [c["title"] for c in manifest["chapters"]] == ["One", "Two"]
    assert _m4b_chapters(m4b) == ["One", "Two"]
    _every_chunk_passed(manifest)
    spoken = " ".join(c["text"] for ch in manifest["chapters"] for c in ch["chunks"])
    assert FOOTNOTE not in spoken and "Copyright" not in spoken
    tags = mutagen.File(m4b).tags
    assert tags["©nam"] == ["The Lamp"] and tags["©ART"] == ["Ada Keeper"]
    assert bytes(tags["covr"][0]) == png()
    assert _stream_language(m4b) == "eng"
    assert manifest["language"] == "en" and manifest["cover"] == "cover.png"
    assert manifest["author"] == "Ada Keeper"


def test_the_command_line_overrides_the_epub_metadata(
    prefect_harness: None, tmp_path: Path
) -> None:
    epub = build_epub3(tmp_path / "lamp.epub")
    cover = tmp_path / "mine.png"
    cover.write_bytes(png(8, 8))
    manifest, m4b = _narrate(
        epub, tmp_path / "out", title="My Lamp", author="Someone Else", cover=cover
    )
    tags = mutagen.File(m4b).tags
    assert tags["©nam"] == ["My Lamp"] and tags["©ART"] == ["Someone Else"]
    assert bytes(tags["covr"][0]) == png(8, 8)
    assert m4b.name == "my-lamp.m4b"
    assert manifest["cover"] == "mine.png"


@pytest.mark.parametrize(
    ("build", "title", "author", "chapters", "language"),
    [
        (
            lambda folder: build_docx(folder / "lamp.docx"),
            DOCX_TITLE,
            DOCX_AUTHOR,
            ["The Light", "The Storm"],
            "eng",
        ),
        (
            lambda folder: write_html(folder / "lamp.html"),
            "The Lamp",
            "Ada Keeper",
            ["One", "Two"],
            "eng",
        ),
    ],
    ids=["docx", "html"],
)
def test_word_and_html_books_keep_their_chapters_and_tags(
    prefect_harness: None,
    tmp_path: Path,
    build: Callable[[Path], Path],
    title: str,
    author: str,
    chapters: list[str],
    language: str,
) -> None:
    manifest, m4b = _narrate(build(tmp_path), tmp_path / "out")

    assert [c["title"] for c in manifest["chapters"]] == chapters
    assert _m4b_chapters(m4b) == chapters
    _every_chunk_passed(manifest)
    tags = mutagen.File(m4b).tags
    assert tags["©nam"] == [title] and tags["©ART"] == [author]
    assert _stream_language(m4b) == language
