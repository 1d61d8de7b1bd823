"""A chunk that fails on every attempt is flagged and the book still finishes: the
narrate-book flow against `narrate serve` answering some speech requests with garbage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import soundfile as sf

from narrator.config import NarrationParams, RemoteSettings
from narrator.server import (
    SPEECH_MODEL,
    TRANSCRIPTION_MODEL,
    VOICE,
    FaultConfig,
    FaultKind,
    ServeConfig,
    SpeechServer,
)

pytestmark = pytest.mark.slow


def test_a_chunk_no_attempt_can_speak_is_flagged_and_the_book_finishes(
    prefect_harness: None, tiny_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.narrate import narrate_book

    monkeypatch.setenv("NARRATOR_LEDGER", str(tmp_path / "ledger.sqlite"))
    monkeypatch.setenv("NARRATOR_API_KEY", "sk-narrator-FAKE")
    # One HTTP attempt per request and one worker, so the seeded draw is replayed in
    # order. Chapter one's two chunks are synthesized together (one verification batch):
    # with seed 61 the draws go garbage, served, garbage, then served four times, so both
    # speech requests of the first chunk get a garbage body (undecodable audio) and every
    # other request is served.
    monkeypatch.setenv("NARRATOR_RETRY_ATTEMPTS", "1")
    monkeypatch.setenv("NARRATOR_WORKERS", "1")
    faults = FaultConfig(rate=0.5, seed=61, kinds=(FaultKind.GARBAGE,))
    with SpeechServer(ServeConfig(port=0), faults=faults) as server:
        params = NarrationParams(
            manuscript=tiny_book,
            out_dir=tmp_path,
            engine="remote",
            max_attempts=2,
            remote=RemoteSettings(base_url=server.url, tts_model=SPEECH_MODEL, voice=VOICE,
                                  asr_model=TRANSCRIPTION_MODEL, budget="unlimited"),
        )  # fmt: skip
        result = narrate_book(params)
        seen = server.stats
    assert seen.faults == {"garbage": 2}
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    chunks = [c for chapter in manifest["chapters"] for c in chapter["chunks"]]
    first, *rest = chunks
    assert first["flagged"] and first["attempts"] == 2
    assert [d["code"] for d in first["defects"]] == ["unspeakable"]
    assert set(first["defects"][0]) == {"code", "detail", "start_s", "end_s", "words"}
    assert "no usable audio" in first["reason"]
    assert all(c["passed"] for c in rest)
    assert result.flagged == 1 and "unspeakable" in result.report.read_text(encoding="utf-8")
    # The silence standing in keeps the chunk's place in its chapter.
    assert first["end_s"] - first["start_s"] > 1.0
    assert result.m4b.stat().st_size > 0
    for chapter in result.chapters:
        assert sf.info(str(chapter.master)).duration == pytest.approx(chapter.duration_s, abs=0.05)
