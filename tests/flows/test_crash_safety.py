"""SIGKILL a real `narrate run` at several points; the re-run finishes without paying twice.

The kill is triggered from outside, by watching the book's folder: after some chunks
are stored (synthesis), while a chapter file is being written (stitching and
encoding), and while the M4B is being written (export). No hook in narrator's code.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import av
import pytest

from narrator.atomic import TMP_PREFIX
from narrator.config import NarrationParams

pytestmark = pytest.mark.slow

NARRATE = Path(sys.executable).with_name("narrate")
# "c01-0002 passed (...)" / "c01-0002 attempt 1 failed verification: ..." : one per synthesis.
SYNTHESIS_LINE = re.compile(r"^(c\d\d-\d{4}) (?:passed|attempt \d+ failed)", re.MULTILINE)


def _chunks_stored(book: Path) -> bool:
    return len(list(book.glob("cache/chunks/*.json"))) >= 2


def _chapter_being_written(book: Path) -> bool:
    return any(book.glob(f"chapters/{TMP_PREFIX}*")) or any(
        book.glob(f"cache/masters/{TMP_PREFIX}*")
    )


def _m4b_being_written(book: Path) -> bool:
    return any(book.glob(f"{TMP_PREFIX}*.m4b"))


def _run_and_kill(manuscript: Path, out: Path, api_url: str, when: Callable[[Path], bool]) -> str:
    """Run `narrate run` and SIGKILL it as soon as ``when(book folder)`` holds."""
    env = {**os.environ, "PREFECT_API_URL": api_url}
    proc = subprocess.Popen(
        [str(NARRATE), "run", str(manuscript), "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    book = out / "a-tiny-book"
    deadline = time.monotonic() + 600
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if book.is_dir() and when(book):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the run was not killed in time:\n{stderr[-2000:]}"
    return stderr


@pytest.fixture(scope="module")
def api_url(prefect_harness: None) -> str:
    """The test harness's Prefect server, shared with the subprocesses (no server start each)."""
    import prefect.settings

    return str(prefect.settings.PREFECT_API_URL.value())


@pytest.mark.parametrize(
    "when", [_chunks_stored, _chapter_being_written, _m4b_being_written],
    ids=["during-synthesis", "during-stitching", "during-m4b-export"],
)  # fmt: skip
def test_killed_run_resumes_without_paying_twice(
    when: Callable[[Path], bool],
    api_url: str,
    tiny_book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.narrate import narrate_book
    from narrator.speech.piper import PiperEngine

    out = tmp_path / "out"
    first = _run_and_kill(tiny_book, out, api_url, when)
    paid_before = set(SYNTHESIS_LINE.findall(first))

    calls: list[str] = []
    original = PiperEngine.synthesize
    monkeypatch.setattr(
        PiperEngine,
        "synthesize",
        lambda self, text, **kw: calls.append(text) or original(self, text, **kw),
    )
    result = narrate_book(NarrationParams(manuscript=tiny_book, out_dir=out))

    # Never twice: what the killed run finished is reused; at most the calls in flight
    # when it died are lost, one per worker (2). Synthesis can be in flight during
    # stitching too (chapter N renders while chapter N+1 synthesizes), but not during
    # the M4B export, which starts when every chunk is done.
    assert len(calls) <= result.chunks - len(paid_before) + 2, (paid_before, calls)
    if when is _m4b_being_written:
        assert len(paid_before) == result.chunks and calls == []
    book = out / "a-tiny-book"
    assert not list(book.rglob(f"{TMP_PREFIX}*"))
    assert not list(book.glob("cache/chunks/*.try*"))
    for chapter in result.chapters:
        with av.open(str(chapter.file)) as container:
            assert abs(float(container.duration) / av.time_base - chapter.duration_s) < 0.2
    with av.open(str(result.m4b)) as container:
        assert [c["metadata"].get("title") for c in container.chapters()] == ["One", "Two"]
