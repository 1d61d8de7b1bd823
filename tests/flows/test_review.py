"""The review page in a real headless Chromium, and `narrate redo` / `narrate accept` on one
finished book narrated by the real embedded engine (Piper speaks, Whisper checks)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import soundfile as sf

from narrator_cli.app import main
from tests.browser import Browser

pytestmark = pytest.mark.slow

# Each paragraph is one chunk of the embedded engine. The letter strings are not words:
# Piper spells them out, Whisper hears letters, and every attempt fails verification.
# The first is redone with corrected text, the second accepted; the third stays flagged.
MANUSCRIPT = """# Review Book

## One

The keeper lit the lamp at dusk.

Vrrk zzt plmph grk tsk brrm.

## Two

The sea was calm all night.

Qwxj mmnb kkrt zzzp hrrm.

Zzgl prrt vvk hmmf.
"""
REDO, ACCEPT, FLAGGED, PASSED = "c01-0001", "c02-0001", "c02-0002", "c01-0000"
CORRECTED = "The gulls were loud."


def narrate(*args: str) -> tuple[int, str]:
    """Run the ``narrate`` console script in this process, so it shares the session's
    Prefect server and loaded models; return its exit code and what it printed on stderr."""
    stderr = io.StringIO()
    argv, sys.argv = sys.argv, ["narrate", *args]
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        sys.argv = argv
    return code, stderr.getvalue()


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (the lock file aside), by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def chunks(folder: Path) -> dict[str, dict[str, Any]]:
    """The manifest's chunk records, by id."""
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {c["id"]: c for ch in data["chapters"] for c in ch["chunks"]}


@dataclass(frozen=True)
class Book:
    manuscript: Path
    out: Path
    folder: Path

    def fix(self, verb: str, *args: str) -> tuple[int, str]:
        return narrate(verb, str(self.manuscript), "--out", str(self.out), *args)


@pytest.fixture(scope="module")
def book(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Book:
    """The manuscript narrated once, with one attempt per chunk."""
    root = tmp_path_factory.mktemp("review")
    manuscript = root / "review-book.md"
    manuscript.write_text(MANUSCRIPT, encoding="utf-8")
    book = Book(manuscript, root / "out", root / "out" / "review-book")
    level = os.environ.get("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL")
    # English and gibberish, which no detector can tell the language of: stated.
    code, stderr = narrate(
        "run", str(manuscript), "--out", str(book.out), "--max-attempts", "1", "--no-titles",
        "--language", "en",
    )  # fmt: skip
    assert code == 0, stderr
    # The run quiets Prefect's console for itself only, not for what this process does next.
    assert os.environ.get("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL") == level
    flagged = {i for i, c in chunks(book.folder).items() if c["flagged"]}
    assert flagged == {REDO, ACCEPT, FLAGGED}, "the letter strings should fail verification"
    return book


@pytest.fixture(scope="module")
def accepted(book: Book) -> tuple[dict[str, str], dict[str, str], str]:
    """The book's files before and after ``narrate accept``, and what it printed."""
    before = hashes(book.folder)
    code, stderr = book.fix("accept", "--chunk", ACCEPT)
    assert code == 0, stderr
    return before, hashes(book.folder), stderr


@pytest.fixture(scope="module")
def redone(book: Book, accepted: object) -> tuple[dict[str, str], dict[str, str], str]:
    """The book's files before and after ``narrate redo --text`` (after the acceptance)."""
    before = hashes(book.folder)
    code, stderr = book.fix("redo", "--chunk", REDO, "--text", CORRECTED)
    assert code == 0, stderr
    return before, hashes(book.folder), stderr


def test_review_page_plays_each_flagged_chunk_without_network(book: Book, tmp_path: Path) -> None:
    records = chunks(book.folder)
    with Browser(tmp_path / "profile") as browser:
        browser.open(book.folder.joinpath("review.html").as_uri())
        shown = browser.evaluate(
            "[...document.querySelectorAll('#flagged article.chunk')].map(a => a.dataset.chunk)"
        )
        assert shown == [i for i, c in records.items() if c["flagged"]]
        fixed = browser.evaluate(
            "[...document.querySelectorAll('#fixed article.chunk')].map(a => a.dataset.chunk)"
        )
        assert fixed == [i for i, c in records.items() if c["accepted"] or c["corrected_text"]]
        # Every player decodes its chunk: played muted until 0.2 s of it went by.
        played = browser.evaluate(
            """Promise.all([...document.querySelectorAll('audio')].map(a => new Promise(done => {
                 const report = () => done({src: a.currentSrc, duration: a.duration,
                                            error: a.error && a.error.code, at: a.currentTime});
                 a.addEventListener('error', report, {once: true});
                 a.addEventListener('timeupdate', () => {
                   if (a.currentTime > 0.2) { a.pause(); report(); } });
                 a.muted = true;
                 a.play().catch(e => done({src: a.currentSrc, error: String(e)}));
               })))"""
        )
        plots = browser.evaluate("document.querySelectorAll('svg.plot polyline').length")
        text = browser.evaluate("document.body.textContent")
        requests = browser.requests
    assert len(played) == len(shown) + len(fixed)
    for entry, chunk_id in zip(played, shown + fixed, strict=True):
        audio = book.folder / records[chunk_id]["audio"]
        assert entry["src"] == audio.as_uri() and audio.is_file(), entry
        assert entry["error"] is None and entry["at"] > 0.2, entry
        assert entry["duration"] == pytest.approx(sf.info(str(audio)).duration, abs=0.01)
    assert plots == 2
    assert f"narrate accept {book.manuscript} --chunk {FLAGGED} --out {book.out}" in text
    assert f"narrate redo {book.manuscript} --chunk {PASSED} --out {book.out}" in text
    # Only the page, its chunk files and the browser's own inline icons: no network at all.
    assert {urlsplit(url).scheme for url in requests} <= {"file", "data"}, requests
    assert book.folder.joinpath("review.html").as_uri() in requests


def test_accept_marks_the_chunk_and_changes_no_audio(
    book: Book, accepted: tuple[dict[str, str], dict[str, str], str]
) -> None:
    before, after, stderr = accepted
    assert f"{ACCEPT}: accepted" in stderr
    changed = {name for name in after if before.get(name) != after[name]}
    # The decision, the records of the book and the review page; no audio file at all.
    assert changed <= {"fixes.json", "manifest.json", "report.md", "review.html",
                       "cache/run.json"}, changed  # fmt: skip
    record = chunks(book.folder)[ACCEPT]
    assert record["accepted"] and not record["flagged"] and not record["passed"]
    assert f"`{ACCEPT}`: accepted by ear" in (book.folder / "report.md").read_text()
    assert [row["accepted"] for row in latest_chapter_table()] == [0, 1]


def latest_chapter_table() -> list[dict[str, Any]]:
    """The rows of the newest chapter table the flow published to Prefect for the book."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["review-book-chapters"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    return json.loads(artifact.data)


def test_redo_says_the_corrected_text_and_rebuilds_only_its_chapter(
    book: Book, redone: tuple[dict[str, str], dict[str, str], str]
) -> None:
    before, after, stderr = redone
    assert f"{REDO}: passed verification" in stderr
    record = chunks(book.folder)[REDO]
    assert record["corrected_text"] == CORRECTED and record["passed"] and not record["flagged"]
    assert record["text"] == "Vrrk zzt plmph grk tsk brrm."
    assert "Vrrk" in book.manuscript.read_text()  # the manuscript is never edited
    two = {name: after[name] for name in after if name.startswith("chapters/02-")}
    assert two and all(before[name] == digest for name, digest in two.items())
    assert before["cache/masters/02.flac"] == after["cache/masters/02.flac"]
    one = next(name for name in after if name.startswith("chapters/01-"))
    assert before[one] != after[one] and before["review-book.m4b"] != after["review-book.m4b"]
    assert chunks(book.folder)[ACCEPT]["accepted"], "another chunk's acceptance stays"
    assert [row["corrected"] for row in latest_chapter_table()] == [1, 0]


def test_a_later_full_run_keeps_fixes_and_rebuilds_nothing(
    book: Book, redone: tuple[dict[str, str], dict[str, str], str]
) -> None:
    _, fixed, _ = redone
    code, _ = narrate(
        "run", str(book.manuscript), "--out", str(book.out), "--max-attempts", "1",
        "--no-titles", "--strict", "--language", "en",
    )  # fmt: skip
    # Accepted and corrected chunks no longer count: only the third one fails --strict.
    assert code == 4
    records = chunks(book.folder)
    assert [i for i, c in records.items() if c["flagged"]] == [FLAGGED]
    assert records[REDO]["corrected_text"] == CORRECTED and records[ACCEPT]["accepted"]
    now = hashes(book.folder)
    audio = [name for name in fixed if name.endswith((".mp3", ".flac", ".m4b"))]
    assert {name: now[name] for name in audio} == {name: fixed[name] for name in audio}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("redo", "--chunk", "c09-0009"), "no chunk 'c09-0009'"),
        (("accept", "--chunk", PASSED), f"chunk {PASSED} is not flagged"),
        (("redo", "--chunk", REDO, "--text", "  "), f"chunk {REDO}: --text is empty"),
        (("redo", "--chunk", REDO, "--voice", "af_heart"), "has no voice 'af_heart'"),
    ],
)
def test_a_bad_request_names_the_chunk_exits_2_and_changes_nothing(
    book: Book, args: tuple[str, ...], message: str
) -> None:
    before = hashes(book.folder)
    verb, *rest = args
    code, stderr = book.fix(verb, *rest)
    assert code == 2, stderr
    assert message in " ".join(stderr.split()) and "how to fix" in stderr
    assert hashes(book.folder) == before


def test_redo_of_a_book_never_narrated_names_the_manuscript_and_exits_2(
    book: Book, tmp_path: Path
) -> None:
    other = tmp_path / "other.md"
    other.write_text("# Other\n\nNever narrated.\n", encoding="utf-8")
    code, stderr = narrate("redo", str(other), "--chunk", "c01-0000", "--out", str(book.out))
    assert code == 2
    assert f"no finished book of {other}" in " ".join(stderr.split())
    assert not (book.out / "other").exists()
