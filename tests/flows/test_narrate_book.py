"""End to end on the real embedded engine: Piper speaks, Whisper checks, ffmpeg encodes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import pytest

from narrator.config import NarrationParams
from narrator.models import BookResult

if TYPE_CHECKING:
    from prefect.states import State

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def narrated_state(
    prefect_harness: None, tiny_book: Path, tmp_path_factory: pytest.TempPathFactory
) -> State:
    """Narrate the tiny book once for every test of this module; its final flow-run state."""
    from flows.narrate import narrate_book

    out = tmp_path_factory.mktemp("out")
    params = NarrationParams(manuscript=tiny_book, out_dir=out, author="Test Author")
    return narrate_book(params, return_state=True)


@pytest.fixture(scope="module")
def narrated(narrated_state: State) -> tuple[BookResult, dict[str, Any]]:
    """The narrated book and its manifest."""
    result = narrated_state.result()
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    return result, manifest


def test_every_chunk_passed_or_is_flagged_with_a_reason(narrated: tuple[BookResult, dict]) -> None:
    _, manifest = narrated
    chunks = [c for ch in manifest["chapters"] for c in ch["chunks"]]
    assert len(chunks) >= 4
    for c in chunks:
        assert set(c) >= {
            "id",
            "text",
            "start_s",
            "end_s",
            "attempts",
            "heard",
            "wer",
            "cer",
            "passed",
        }
        assert c["passed"] or (c["flagged"] and c["reason"]), c
        assert 0 <= c["start_s"] < c["end_s"]
    assert sum(c["passed"] for c in chunks) >= len(chunks) - 1, "the tiny book should verify"


def test_manifest_describes_chapters_and_files(narrated: tuple[BookResult, dict]) -> None:
    result, manifest = narrated
    assert manifest["title"] == "A Tiny Book"
    assert [c["title"] for c in manifest["chapters"]] == ["One", "Two"]
    for chapter in manifest["chapters"]:
        assert (result.out_dir / chapter["file"]).is_file()
        assert chapter["file"].startswith("chapters/0")
        assert -21.5 < chapter["lufs"] < -18.5
        assert chapter["peak_dbfs"] <= -3.0 + 0.05
        # narrate run checked its own MP3 against every ACX rule.
        assert chapter["check"]["preset"] == "acx" and chapter["check"]["passed"], chapter["check"]
    assert manifest["m4b"] == "a-tiny-book.m4b"
    # Each chapter is gained on its own to one target: within 1 LU of each other.
    levels = [chapter["lufs"] for chapter in manifest["chapters"]]
    assert max(levels) - min(levels) <= 1.0


def test_chapter_mp3s_are_playable_and_as_long_as_the_manifest_says(
    narrated: tuple[BookResult, dict],
) -> None:
    result, _ = narrated
    for chapter in result.chapters:
        with av.open(str(chapter.file)) as container:
            stream = container.streams.audio[0]
            assert stream.codec_context.name.startswith("mp3")  # "mp3float" decoder
            duration = float(container.duration) / av.time_base
        assert abs(duration - chapter.duration_s) < 0.2
        # Head room tone, then the chunks, then the tail (ACX room-tone pauses).
        assert chapter.placements[0].start_s >= 0.5
        assert chapter.duration_s - chapter.placements[-1].end_s >= 1.0


def test_m4b_has_a_marker_per_chapter_with_its_title(narrated: tuple[BookResult, dict]) -> None:
    result, _ = narrated
    with av.open(str(result.m4b)) as container:
        chapters = container.chapters()
        assert [c["metadata"].get("title") for c in chapters] == ["One", "Two"]
        total = float(container.duration) / av.time_base
    assert abs(total - sum(c.duration_s for c in result.chapters)) < 0.5


@pytest.fixture
def spoken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the text of every real Piper call made during the test."""
    from narrator.speech.piper import PiperEngine

    calls: list[str] = []
    original = PiperEngine.synthesize

    def counting(self: PiperEngine, text: str, **kwargs: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(self, text, **kwargs)

    monkeypatch.setattr(PiperEngine, "synthesize", counting)
    return calls


def _bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in [*root.glob("chapters/*.mp3"), *root.glob("*.m4b")]
    }


def test_second_run_reuses_everything_and_keeps_every_byte(
    narrated: tuple[BookResult, dict],
    tiny_book: Path,
    caplog: pytest.LogCaptureFixture,
    spoken: list[str],
) -> None:
    from flows.narrate import narrate_book

    result, manifest = narrated
    before = _bytes(result.out_dir)
    caplog.set_level("INFO", logger="narrator.progress")
    again = narrate_book(
        NarrationParams(manuscript=tiny_book, out_dir=result.out_dir.parent, author="Test Author")
    )
    assert again.chunks == result.chunks
    assert spoken == []  # zero engine calls
    messages = [r.getMessage() for r in caplog.records if r.name == "narrator.progress"]
    assert len([m for m in messages if "not rendered again" in m]) == 2, messages
    assert _bytes(result.out_dir) == before
    assert json.loads(again.manifest.read_text(encoding="utf-8")) == manifest


def test_a_finished_book_is_current_until_anything_that_shapes_it_changes(
    narrated: tuple[BookResult, dict], tiny_book: Path
) -> None:
    """What lets `narrate run` skip Prefect on a finished book: every output is checked
    by the keys the flow builds it with, and any change sends the run through the flow."""
    from narrator.config import master_settings
    from narrator.current import current_book
    from narrator.engines import engines_for
    from narrator.parse import parse_book

    result, _ = narrated

    def current(**changes: Any) -> BookResult | None:
        settings = {"author": "Test Author", **changes}
        params = NarrationParams(manuscript=tiny_book, out_dir=result.out_dir.parent, **settings)
        return current_book(params, parse_book(params), engines_for(params))

    found = current()
    assert found is not None
    assert (found.m4b, found.chunks, found.flagged) == (result.m4b, result.chunks, result.flagged)
    assert [c.file for c in found.chapters] == [c.file for c in result.chapters]
    assert current(author="Someone Else") is None  # the chapters' and the M4B's tags
    assert current(speed=1.1) is None  # every chunk's audio
    assert current(master=master_settings("ebu-r128")) is None  # the masters
    assert current(formats=("flac",)) is None  # a file the book does not have yet
    manifest = result.manifest.read_text(encoding="utf-8")
    result.manifest.write_text(manifest.replace('"Test Author"', '"Edited"'), encoding="utf-8")
    assert current() is None  # a manifest the run would write differently
    result.manifest.write_text(manifest, encoding="utf-8")
    assert current() is not None


def test_editing_one_sentence_redoes_only_its_chunk_and_chapter(
    narrated: tuple[BookResult, dict],
    tiny_book: Path,
    tmp_path: Path,
    spoken: list[str],
) -> None:
    from flows.narrate import narrate_book

    result, _ = narrated
    edited = tmp_path / "tiny.md"  # same slug, so the same output folder
    edited.write_text(
        tiny_book.read_text(encoding="utf-8").replace(
            "Mr. Hollis rowed home.", "Mr. Hollis walked home."
        ),
        encoding="utf-8",
    )
    before = _bytes(result.out_dir)
    again = narrate_book(
        NarrationParams(manuscript=edited, out_dir=result.out_dir.parent, author="Test Author")
    )
    # Exactly the edited chunk, once per attempt (normally one).
    assert spoken and all(text == "Mister Hollis walked home." for text in spoken), spoken
    after = _bytes(result.out_dir)
    two = next(k for k in before if k.startswith("chapters/02-"))
    one = next(k for k in before if k.startswith("chapters/01-"))
    assert after[two] == before[two]  # the untouched chapter keeps its bytes
    assert after[one] != before[one]
    assert after["a-tiny-book.m4b"] != before["a-tiny-book.m4b"]
    texts = [
        c["text"] for ch in json.loads(again.manifest.read_text())["chapters"] for c in ch["chunks"]
    ]
    assert any("walked home" in t for t in texts)


def test_run_publishes_progress_chapter_table_and_report(narrated_state: State) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    # Only this run's artifacts: other tests narrate the same book (and some kill it midway).
    run_id = narrated_state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(like_="a-tiny-book-"),
                flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]),
            )
        )
    by_key = {a.key: a for a in artifacts}
    assert {"a-tiny-book-progress", "a-tiny-book-chapters", "a-tiny-book-report"} <= set(by_key)
    assert by_key["a-tiny-book-progress"].data == 100.0
    table = json.loads(by_key["a-tiny-book-chapters"].data)
    assert [row["title"] for row in table] == ["One", "Two"]
    assert set(table[0]) >= {"duration_s", "lufs", "peak_dbfs", "chunks", "flagged"}
    report = by_key["a-tiny-book-report"].data
    assert "# A Tiny Book" in report and "## Budget" in report and "## Outputs" in report
    assert "no paid requests" in report
    result = narrated_state.result()
    assert result.m4b.resolve().as_uri() in by_key["a-tiny-book-audiobook"].data
    assert {"attempts", "check", "rms_db", "true_peak_dbtp"} <= set(table[0])


def test_run_emits_a_book_completed_event(
    narrated_state: State, events: Callable[[str, str], list[Any]]
) -> None:
    found = events("narrator.book.completed", "narrator.book.a-tiny-book")
    result = narrated_state.result()
    # Other tests narrate the same book too; this run's event names its own files.
    assert any(
        e.payload["m4b"] == str(result.m4b)
        and e.payload["chunks"] == result.chunks
        and e.payload["flagged"] == result.flagged
        for e in found
    )
