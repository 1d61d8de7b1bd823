"""`narrate split`, `plan` and `run` on EPUB, Word and HTML books, and on formats narrator
cannot read: what a user sees."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import narrate
from tests.fixtures_books import FOOTNOTE, build_epub3, write_html
from tests.fixtures_docx import build_docx


def test_split_shows_what_an_epub_leaves_out_and_why(tmp_path: Path) -> None:
    epub = build_epub3(tmp_path / "lamp.epub")

    proc = narrate("split", str(epub), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["title"], data["author"], data["language"]) == ("The Lamp", "Ada Keeper", "en")
    assert [c["title"] for c in data["chapters"]] == ["One", "Two"]
    assert {"name": "EPUB/copyright.xhtml", "reason": "epub:type copyright-page"} in data["skipped"]
    assert FOOTNOTE not in json.dumps(data["chapters"])

    text = narrate("split", str(epub))
    assert text.returncode == 0, text.stderr
    assert "The Lamp (by Ada Keeper, language en): 2 chapters" in text.stdout
    assert "Not narrated" in text.stdout and "epub:type copyright-page" in text.stdout


def test_include_all_narrates_the_front_matter_too(tmp_path: Path) -> None:
    epub = build_epub3(tmp_path / "lamp.epub")

    proc = narrate("split", str(epub), "--json", "--include-all")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["chapters"]) == 3
    assert "All rights reserved." in json.dumps(data["chapters"])
    assert not any(s["name"] == "EPUB/copyright.xhtml" for s in data["skipped"])


def test_plan_accepts_word_and_html_books(tmp_path: Path) -> None:
    for book, chapters in (
        (build_docx(tmp_path / "b.docx"), 2),
        (write_html(tmp_path / "b.html"), 2),
    ):
        proc = narrate("plan", str(book), "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["chapters"] == chapters


def test_a_damaged_epub_fails_before_anything_is_written(tmp_path: Path) -> None:
    epub = tmp_path / "broken.epub"
    epub.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"

    proc = narrate("run", str(epub), "--out", str(out))
    assert proc.returncode == 2
    assert "broken.epub" in proc.stderr and "how to fix" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
