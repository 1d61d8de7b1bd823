"""The word account as a user meets it: `narrate split` says where every word went, and
`narrate run` refuses words a reader lost, unless --allow-loss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from narrator.text.account import words
from tests.cli.test_cli import REPO, narrate
from tests.fixtures_books import NOVEL_FOOTNOTE, build_novel_epub, novel_paragraphs
from tests.lossy_narrate import LOSSY_BOOK, LOST_PARAGRAPH


def lossy_narrate(*args: str) -> subprocess.CompletedProcess:
    """`narrate ARGS` with `.txt` files read by a reader that drops a paragraph."""
    return subprocess.run(
        [sys.executable, "-m", "tests.lossy_narrate", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "200"},
        timeout=900,
    )


def _lossy_book(tmp_path: Path) -> Path:
    path = tmp_path / "lossy.txt"
    path.write_text(LOSSY_BOOK, encoding="utf-8")
    return path


def test_split_accounts_for_every_word_of_a_twelve_chapter_epub(tmp_path: Path) -> None:
    epub = build_novel_epub(tmp_path / "novel.epub")
    proc = narrate("split", str(epub), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["chapters"]) == 12
    assert data["chapters"][0]["sentences"] == ["Chapter I", *novel_paragraphs(1)]
    account = data["account"]
    assert (account["lost"], account["losses"]) == (0, [])
    assert account["skipped"]["note"] == len(words(NOVEL_FOOTNOTE))

    text = narrate("split", str(epub))
    assert text.returncode == 0, text.stderr
    assert f"Word account: {account['source']} words in the source" in text.stdout
    assert "note 10" in text.stdout and "0 lost" in text.stdout and "LOST" not in text.stdout


def test_split_says_which_words_a_reader_lost(tmp_path: Path) -> None:
    book = _lossy_book(tmp_path)
    proc = lossy_narrate("split", str(book))
    assert proc.returncode == 0, proc.stderr
    lost = len(words(LOST_PARAGRAPH))
    assert f"LOST: {lost} words of lossy.txt are neither narrated nor skipped" in proc.stdout
    assert "'A storm was coming in from the west" in proc.stdout
    assert "--allow-loss" in proc.stdout

    data = json.loads(lossy_narrate("split", str(book), "--json").stdout)
    assert data["account"]["lost"] == lost
    (loss,) = data["account"]["losses"]
    assert (loss["where"], loss["words"]) == ("lossy.txt", lost)
    assert loss["first"].startswith("A storm was coming")


def test_plan_shows_the_account(tmp_path: Path) -> None:
    book = _lossy_book(tmp_path)
    proc = lossy_narrate("plan", str(book))
    assert proc.returncode == 0, proc.stderr
    assert "Word account:" in proc.stdout and "LOST: 16 words of lossy.txt" in proc.stdout
    data = json.loads(lossy_narrate("plan", str(book), "--json").stdout)
    assert data["account"]["lost"] == 16


def test_run_refuses_lost_words_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = lossy_narrate("run", str(_lossy_book(tmp_path)), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "lossy.txt" in proc.stderr and "'A storm was coming in from the west" in proc.stderr
    assert "--allow-loss" in proc.stderr and "reader bug" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.slow
def test_run_with_allow_loss_narrates_and_records_the_loss(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = lossy_narrate("run", str(_lossy_book(tmp_path)), "--out", str(out), "--allow-loss")
    assert proc.returncode == 0, proc.stderr[-3000:]
    book = out / "lossy"
    manifest = json.loads((book / "manifest.json").read_text(encoding="utf-8"))
    spoken = " ".join(c["text"] for ch in manifest["chapters"] for c in ch["chunks"])
    assert LOST_PARAGRAPH not in spoken and "The keeper lit the lamp at dusk." in spoken
    account = manifest["account"]
    assert account["lost"] == len(words(LOST_PARAGRAPH))
    assert [loss["where"] for loss in account["losses"]] == ["lossy.txt"]
    report = (book / "report.md").read_text(encoding="utf-8")
    assert "## Words" in report and "16 words of `lossy.txt` are neither narrated" in report
