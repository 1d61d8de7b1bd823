"""The `narrate` command, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from narrator.config import NarrationParams

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "inputs" / "the-keeper-of-tern-rock.md"
NARRATE = Path(sys.executable).with_name("narrate")


def narrate(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NARRATE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=900,
    )


def test_split_json_has_the_documented_shape_and_loses_no_text() -> None:
    proc = narrate("split", str(SAMPLE), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [c["title"] for c in data["chapters"]] == [
        "Chapter 1: The Letter",
        "Chapter 2: The Crossing",
        "Chapter 3: The Answer",
    ]
    for chapter in data["chapters"]:
        assert " ".join(c["text"] for c in chapter["chunks"]) == " ".join(chapter["sentences"])
        assert all(isinstance(c["id"], str) and c["text"] for c in chapter["chunks"])
    spoken = " ".join(s for c in data["chapters"] for s in c["sentences"])
    assert "* * *" not in spoken and "**" not in spoken and "_The" not in spoken
    assert (
        '"Is it a bill?" Mr. Hollis asked, leaning on the rail.' in data["chapters"][0]["sentences"]
    )


def test_split_reads_standard_input() -> None:
    proc = narrate("split", "-", "--json", stdin="One sentence. Another one.\n")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["chapters"][0]["sentences"] == ["One sentence.", "Another one."]


def test_plan_json_counts_requests() -> None:
    proc = narrate("plan", str(SAMPLE), "--json")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["chapters"] == 3
    assert plan["chunks"] >= 3
    assert plan["requests"]["synthesis"] == plan["chunks"]
    assert (
        plan["requests"]["total"]
        == plan["requests"]["synthesis"] + plan["requests"]["verification"]
    )
    assert 1500 < plan["characters"] < 2500


def test_plan_with_a_smaller_limit_needs_more_chunks() -> None:
    big = json.loads(narrate("plan", str(SAMPLE), "--json").stdout)
    small = json.loads(narrate("plan", str(SAMPLE), "--json", "--max-input-chars", "80").stdout)
    assert small["chunks"] > big["chunks"]


BAD_INPUTS = {
    "empty.md": b"",
    "blank.txt": b"   \n\t\n  \n",
    "binary.txt": bytes(range(256)) * 8,
    "emoji.md": "\U0001f600 \U0001f4da \u2605 \u2192 !!! ???\n".encode(),
    "silent-chapter.md": (
        b"# Book\n\n## One\n\nWords here.\n\n## Two\n\n* * *\n\n## Three\n\nMore words.\n"
    ),
    "one-huge-word.txt": b"x" * 20_000,
    "kindle.mobi": b"BOOKMOBI" + bytes(200),
    "scan.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "word97.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_fails_cleanly_naming_the_file_and_writing_nothing(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    out = tmp_path / "out"
    proc = narrate("run", str(path), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert name in proc.stderr
    assert "error:" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_silent_chapter_error_names_the_chapter(tmp_path: Path) -> None:
    path = tmp_path / "silent-chapter.md"
    path.write_bytes(BAD_INPUTS["silent-chapter.md"])
    proc = narrate("split", str(path))
    assert proc.returncode == 2
    assert "Two" in proc.stderr


def test_missing_file(tmp_path: Path) -> None:
    proc = narrate("run", str(tmp_path / "nope.md"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "nope.md" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_invalid_setting_is_a_clean_error(tmp_path: Path) -> None:
    proc = narrate("run", str(SAMPLE), "--speed", "9", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "speed" in proc.stderr and "Traceback" not in proc.stderr


def test_non_utf8_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 au lait, s'il vous pla\xeet. It was na\xefve.".encode("cp1252"))
    proc = narrate("split", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "Café" in proc.stdout
    assert "latin.txt" in proc.stderr and "cp1252" in proc.stderr.lower()


def test_long_unpunctuated_paragraph_is_split_at_word_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "ramble.txt"
    words = " ".join(f"word{i}" for i in range(3000))  # about 20,000 characters
    path.write_text(words, encoding="utf-8")
    proc = narrate("split", str(path), "--json", "--language", "en")  # no language's words
    assert proc.returncode == 0, proc.stderr
    chunks = json.loads(proc.stdout)["chapters"][0]["chunks"]
    assert len(chunks) > 10
    assert " ".join(c["text"] for c in chunks) == words


def test_zero_width_and_control_characters_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "zw.txt"
    path.write_text("Hel\u200blo\u0007 there.\u200d Good\ufeff night.", encoding="utf-8")
    proc = narrate("split", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["chapters"][0]["sentences"] == ["Hello there.", "Good night."]


@pytest.mark.slow
def test_run_narrates_a_book_and_prints_a_summary(tiny_book: Path, tmp_path: Path) -> None:
    """The whole CLI path, including a temporary Prefect server of its own; then `clean`
    with the same --title finds the run's folder and every chunk it made still in use."""
    out = tmp_path / "out"
    proc = narrate("run", str(tiny_book), "--out", str(out), "--title", "Tern Rock")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "tern-rock.m4b" in proc.stdout
    assert "c01-0000" in proc.stderr  # chunk-level progress as it goes
    assert (out / "tern-rock" / "manifest.json").is_file()
    assert len(list((out / "tern-rock" / "chapters").glob("*.mp3"))) == 2

    m4b = (out / "tern-rock" / "tern-rock.m4b").read_bytes()
    again = narrate("run", str(tiny_book), "--out", str(out), "--title", "Tern Rock")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing to do: every file of this book is current" in again.stdout
    assert "c01-0000" not in again.stderr  # no chunk went through the flow
    assert (out / "tern-rock" / "tern-rock.m4b").read_bytes() == m4b

    chunks = len(list((out / "tern-rock" / "cache" / "chunks").glob("*.flac")))
    proc = narrate("clean", str(tiny_book), "--out", str(out), "--title", "Tern Rock")
    assert proc.returncode == 0, proc.stderr
    assert f"0 unused cached files, freed 0.0 MB; {chunks} chunk audio files" in proc.stdout


def test_clean_removes_only_audio_the_current_manuscript_does_not_use(tmp_path: Path) -> None:
    from narrator.engines import engines_for
    from narrator.parse import parse_book
    from narrator.store import BookPaths, chunk_key

    params = NarrationParams(manuscript=SAMPLE)
    parsed = parse_book(params)
    identity = engines_for(params).speech.identity
    keys = [chunk_key(c.spoken, identity) for chapter in parsed.chunks for c in chapter]
    paths = BookPaths.for_book(tmp_path, parsed.book.slug)
    paths.chunks_dir.mkdir(parents=True)
    paths.masters_dir.mkdir(parents=True)
    used = [paths.chunk_audio(k) for k in keys] + [paths.chunk_record(keys[0], "asr")]
    unused = [paths.chunk_audio("f" * 64), paths.chunk_record("f" * 64, "asr"),
              paths.chapter_master(9)]  # fmt: skip
    for path in used + unused:
        path.write_bytes(b"x" * 1000)

    dry = narrate("clean", str(SAMPLE), "--out", str(tmp_path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "3 unused cached files, would free 0.0 MB" in dry.stdout
    assert all(p.exists() for p in unused)

    proc = narrate("clean", str(SAMPLE), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert f"{len(keys)} chunk audio files in use kept" in proc.stdout
    assert not any(p.exists() for p in unused)
    assert all(p.exists() for p in used)


def test_clean_of_a_book_never_narrated_is_a_clear_error(tmp_path: Path) -> None:
    proc = narrate("clean", str(SAMPLE), "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "nothing to clean" in proc.stderr


def test_a_second_run_of_a_busy_book_exits_5_at_once(tmp_path: Path) -> None:
    from narrator.lock import book_lock
    from narrator.store import BookPaths

    with book_lock(BookPaths.for_book(tmp_path, "the-keeper-of-tern-rock")):
        proc = narrate("run", str(SAMPLE), "--out", str(tmp_path))
    assert proc.returncode == 5, proc.stderr
    assert "another run is narrating this book" in proc.stderr
    assert f"pid {os.getpid()}" in proc.stderr


def test_the_early_busy_check_looks_in_the_folder_of_the_given_title(tmp_path: Path) -> None:
    """The run stops before Prefect starts: an unreachable Prefect API would fail it
    otherwise, with another exit code."""
    from narrator.lock import book_lock
    from narrator.store import BookPaths

    env = {"PREFECT_API_URL": "http://127.0.0.1:9/api", "PREFECT_CLIENT_MAX_RETRIES": "0"}
    with book_lock(BookPaths.for_book(tmp_path, "another-name")):
        proc = narrate("run", str(SAMPLE), "--out", str(tmp_path), "--title", "Another Name",
                       env=env)  # fmt: skip
    assert proc.returncode == 5, proc.stderr
    assert "another run is narrating this book" in proc.stderr
