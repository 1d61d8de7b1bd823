"""One run per book, and a clean start after a killed run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from narrator.atomic import TMP_PREFIX
from narrator.errors import BookBusy
from narrator.lock import book_lock, remove_stale_temporaries
from narrator.store import BookPaths


def test_a_second_run_of_the_same_book_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    with book_lock(paths):
        with pytest.raises(BookBusy) as excinfo, book_lock(paths):
            pass
        assert "another run is narrating this book" in str(excinfo.value)
        assert str(os.getpid()) in str(excinfo.value)
    with book_lock(paths):  # released: the next run gets it
        pass


def test_another_books_lock_is_independent(tmp_path: Path) -> None:
    with (
        book_lock(BookPaths.for_book(tmp_path, "one")),
        book_lock(BookPaths.for_book(tmp_path, "two")),
    ):
        pass


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from narrator.lock import book_lock; "
         "from narrator.store import BookPaths; "
         f"cm = book_lock(BookPaths.for_book(Path({str(tmp_path)!r}), 'book')); cm.__enter__(); "
         "print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(BookBusy), book_lock(paths):
            pass
    finally:
        holder.kill()
        holder.wait()
    with book_lock(paths):
        pass


def test_stale_temporaries_are_removed_and_finished_files_kept(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    paths.chunks_dir.mkdir(parents=True)
    paths.chapters_dir.mkdir(parents=True)
    stale = [
        paths.chunks_dir / f"{TMP_PREFIX}abc.flac",
        paths.chapters_dir / f"{TMP_PREFIX}x.mp3",
        paths.root / f"{TMP_PREFIX}y.m4b",
    ]
    # An attempt's audio is whole (written atomically) and paid for: the next run verifies it.
    attempt = paths.chunks_dir / "0123.c01-0002.try1.flac"
    kept = [paths.chunks_dir / "0123.flac", attempt, paths.chapters_dir / "01-one.mp3", paths.m4b]
    for path in stale + kept:
        path.write_bytes(b"x")
    assert remove_stale_temporaries(paths) == len(stale)
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)
