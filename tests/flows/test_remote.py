"""The remote path end to end: the narrate-book flow drives `narrate serve` (real Piper and
Whisper behind real HTTP) through the real openai SDK, with faults, budgets and a key."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from narrator.budget import FakeClock
from narrator.config import NarrationParams, RemoteSettings
from narrator.engines import use_clock
from narrator.models import AWAITING_BUDGET, BookResult, BudgetWait
from narrator.server import (
    SPEECH_MODEL,
    TRANSCRIPTION_MODEL,
    VOICE,
    FaultConfig,
    ServeConfig,
    SpeechServer,
)

pytestmark = pytest.mark.slow

KEY = "sk-narrator-FAKE-KEY-7c1e5d"
START = datetime(2026, 11, 28, 9, tzinfo=UTC)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeClock]:
    """A fresh ledger and a clock the test controls (engines are rebuilt for both)."""
    monkeypatch.setenv("NARRATOR_LEDGER", str(tmp_path / "ledger.sqlite"))
    monkeypatch.setenv("NARRATOR_API_KEY", KEY)
    fake = FakeClock(START)
    use_clock(fake)
    yield fake
    from narrator.budget import SYSTEM_CLOCK

    use_clock(SYSTEM_CLOCK)


def _params(book: Path, out: Path, url: str, **remote: Any) -> NarrationParams:
    return NarrationParams(
        manuscript=book,
        out_dir=out,
        engine="remote",
        verify=remote.pop("verify", "embedded"),
        remote=RemoteSettings(
            base_url=url,
            tts_model=SPEECH_MODEL,
            voice=VOICE,
            asr_model=TRANSCRIPTION_MODEL,
            budget=remote.pop("budget", "unlimited"),
            **remote,
        ),
    )


def _chunks(result: BookResult) -> list[dict[str, Any]]:
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    return [c for chapter in manifest["chapters"] for c in chapter["chunks"]]


def test_remote_engine_through_the_sdk_matches_the_embedded_book(
    prefect_harness: None, tiny_book: Path, tmp_path: Path, clock: FakeClock
) -> None:
    from flows.narrate import narrate_book

    with SpeechServer(ServeConfig(port=0, token=KEY)) as server:
        url = server.url
        remote = narrate_book(_params(tiny_book, tmp_path / "remote", url))
        seen = server.stats
    embedded = narrate_book(
        NarrationParams(manuscript=tiny_book, out_dir=tmp_path / "local", engine="embedded")
    )
    assert [c.title for c in remote.chapters] == [c.title for c in embedded.chapters]
    chunks = _chunks(remote)
    # Same words spoken: the chunks differ (remote ones fill up to 4,096 characters).
    assert " ".join(c["text"] for c in chunks) == " ".join(c["text"] for c in _chunks(embedded))
    assert all(c["passed"] for c in chunks)
    assert seen.by_path.get("/v1/audio/speech") == len(chunks)  # one request per chunk
    for mine, theirs in zip(remote.chapters, embedded.chapters, strict=True):
        assert abs(mine.duration_s - theirs.duration_s) < 0.25 * theirs.duration_s
        assert mine.file.stat().st_size > 0
    assert remote.m4b.stat().st_size > 0
    manifest = json.loads(remote.manifest.read_text(encoding="utf-8"))
    assert "openai-compat/127.0.0.1" in json.dumps(manifest)


def test_a_faulty_server_still_yields_a_verified_book_within_the_retry_bound(
    prefect_harness: None,
    tiny_book: Path,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.narrate import narrate_book

    attempts = 8
    monkeypatch.setenv("NARRATOR_RETRY_ATTEMPTS", str(attempts))
    # The timeout leaves room for a batch of chunks transcribed on a busy 2-core machine.
    faults = FaultConfig(rate=0.3, seed=3, slow_s=12.0)
    with SpeechServer(ServeConfig(port=0), faults=faults) as server:
        url = server.url
        params = _params(tiny_book, tmp_path, url, verify="remote", timeout_s=10.0)
        result = narrate_book(params)
        seen = server.stats
    chunks = _chunks(result)
    assert all(c["passed"] for c in chunks), [c for c in chunks if not c["passed"]]
    assert sum(seen.faults.values()) > 0, "the server should have injected faults"
    # Each logical request (a synthesis and a transcription per chunk attempt) costs at
    # most `attempts` HTTP requests under the retry policy.
    logical = 2 * sum(c["attempts"] for c in chunks)
    assert logical <= seen.requests <= logical * attempts


def test_budget_stops_the_book_and_the_next_day_finishes_it_without_paying_twice(
    prefect_harness: None,
    tiny_book: Path,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    events: Callable[..., list[Any]],
) -> None:
    from flows.narrate import narrate_book

    monkeypatch.setenv("NARRATOR_WORKERS", "8")
    # Small chunks so the book needs more requests than one day allows.
    with SpeechServer(ServeConfig(port=0)) as server:
        url = server.url
        params = _params(tiny_book, tmp_path, url, budget="2/day").model_copy(
            update={"max_input_chars": 60}
        )
        state = narrate_book(params, return_state=True)
        assert state.name == AWAITING_BUDGET and state.is_completed()
        waiting = state.result()
        assert isinstance(waiting, BudgetWait)
        assert server.stats.requests == 2  # 8 workers, a budget of 2: two requests sent
        assert waiting.done_chunks == 2 < waiting.total_chunks
        assert "resets at 2026-11-29 00:00 UTC" in state.message
        assert not (tmp_path / "a-tiny-book" / "a-tiny-book.m4b").exists()
        def stopped_at_two(event: Any) -> bool:
            return event.payload["done_chunks"] == 2

        exhausted = events(
            "narrator.budget.exhausted", "narrator.book.a-tiny-book", stopped_at_two
        )
        assert any(stopped_at_two(e) for e in exhausted)
        # A run that finds the budget spent ends at once, sending nothing.
        again = narrate_book(params, return_state=True)
        assert again.name == AWAITING_BUDGET and server.stats.requests == 2

        days = 1
        while True:
            clock.set(START + timedelta(days=days))
            state = narrate_book(params, return_state=True)
            if state.name != AWAITING_BUDGET:
                break
            days += 1
            assert days < 20
        result = state.result()
        spoken = server.stats.speech_inputs
    assert isinstance(result, BookResult) and result.m4b.is_file()
    assert len(spoken) == len(set(spoken)) == waiting.total_chunks  # nothing paid twice
    assert days + 1 == -(-waiting.total_chunks // 2)  # two chunks a day, day 0 included
    # A run after completion makes no request at all.
    again = narrate_book(params)
    assert again.m4b == result.m4b


def test_the_api_key_never_leaves_the_sdk_client(
    prefect_harness: None,
    tiny_book: Path,
    tmp_path: Path,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from prefect.client.orchestration import get_client

    from flows.narrate import narrate_book
    from narrator.errors import PermanentProviderError

    caplog.set_level(logging.DEBUG)
    with SpeechServer(ServeConfig(port=0, token=KEY)) as server:
        url = server.url
        result = narrate_book(_params(tiny_book, tmp_path / "ok", url))
    with SpeechServer(ServeConfig(port=0, token="another-token")) as server:
        url = server.url
        with pytest.raises(PermanentProviderError) as refused:
            narrate_book(_params(tiny_book, tmp_path / "refused", url))
    assert "401" in str(refused.value) and KEY not in str(refused.value)

    texts = [caplog.text, str(refused.value)]
    texts += [p.read_text("utf-8", "replace") for p in result.out_dir.rglob("*.json")]
    texts += [p.read_text("utf-8", "replace") for p in result.out_dir.rglob("*.md")]
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        texts += [repr(row) for row in db.execute("SELECT * FROM requests")]
    with get_client(sync_client=True) as client:
        texts += [repr(a.data) for a in client.read_artifacts()]
        texts += [repr(r.parameters) for r in client.read_flow_runs()]
    assert all(KEY not in text for text in texts)
    assert len(texts) > 6


LONG_CHAPTER = """# Long Lines

## The Watch

The keeper climbed the tower at dusk and lit the great lamp. The sea below was calm and
grey, and the gulls had gone quiet on the rocks. She wrote the hour in her log, trimmed
the wick, and watched the beam sweep across the water. Far out, a fishing boat turned
for home, its small light rising and falling with the swell.
"""


def test_an_endpoint_that_truncates_long_inputs_teaches_narrator_a_lower_limit(
    prefect_harness: None, tmp_path: Path, clock: FakeClock
) -> None:
    from flows.narrate import narrate_book
    from narrator.engines import engines_for

    book = tmp_path / "long.md"
    book.write_text(LONG_CHAPTER, encoding="utf-8")
    with SpeechServer(ServeConfig(port=0, speak_at_most_chars=150)) as server:
        params = _params(book, tmp_path / "out", server.url)
        result = narrate_book(params)
        spoken = server.stats.speech_inputs
    chunks = _chunks(result)
    assert all(c["passed"] for c in chunks)
    long = max(spoken, key=len)
    assert len(long) > 150  # the chunk was first sent whole, and came back truncated
    limit = engines_for(params).speech.max_input_chars
    assert limit < 150
    # Then only that chunk was spoken again, in pieces under the learned limit.
    after = spoken[spoken.index(long) + 1 :]
    assert after and all(len(text) <= limit for text in after)
    assert " ".join(after) == long
    assert f"from 4096 to {limit} characters" in result.report.read_text(encoding="utf-8")


def test_the_key_can_come_from_a_prefect_secret_block(
    prefect_harness: None,
    tiny_book: Path,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.blocks.system import Secret

    from flows.narrate import narrate_book

    monkeypatch.delenv("NARRATOR_API_KEY")
    block_key = "sk-from-a-secret-block-93f1"
    Secret(value=block_key).save("narrator-test-key", overwrite=True)
    with SpeechServer(ServeConfig(port=0, token=block_key)) as server:
        params = _params(tiny_book, tmp_path, server.url, api_key_block="narrator-test-key")
        result = narrate_book(params.model_copy(update={"engine": "auto"}))
        seen = server.stats
    assert all(c["passed"] for c in _chunks(result))
    assert seen.by_path.get("/v1/audio/speech", 0) > 0  # auto chose the remote engine
    assert block_key not in result.manifest.read_text(encoding="utf-8")


def test_a_refused_setting_stops_the_run_at_the_first_request(
    prefect_harness: None,
    tiny_book: Path,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.narrate import narrate_book
    from narrator.provider import ProviderRefused

    monkeypatch.setenv("NARRATOR_WORKERS", "1")
    with SpeechServer(ServeConfig(port=0)) as server:
        params = _params(tiny_book, tmp_path, server.url)
        wrong = params.remote.model_copy(update={"tts_model": "tts-1"})
        with pytest.raises(ProviderRefused) as refused:
            narrate_book(params.model_copy(update={"max_input_chars": 60, "remote": wrong}))
        seen = server.stats
    assert "HTTP 404" in refused.value.message and "'tts-1'" in refused.value.message
    assert refused.value.exit_code == 2
    # Every chunk would get the same answer: one request, not one per chunk.
    assert seen.by_path == {"/v1/audio/speech": 1}


def test_a_server_without_a_transcription_route_stops_the_run_naming_embedded_verification(
    prefect_harness: None,
    tiny_book: Path,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.narrate import narrate_book
    from narrator.provider import ProviderRefused

    monkeypatch.setenv("NARRATOR_WORKERS", "1")
    # The flow has no preflight: this is what a server elsewhere, not probed, answers.
    with SpeechServer(ServeConfig(port=0, transcription_route=False)) as server:
        params = _params(tiny_book, tmp_path, server.url, verify="remote")
        with pytest.raises(ProviderRefused) as refused:
            narrate_book(params)
        seen = server.stats
    assert "has no transcription route: POST " in refused.value.message
    assert str(refused.value.hint).startswith("pass --verify embedded")
    assert refused.value.exit_code == 2
    assert seen.by_path["/v1/audio/transcriptions"] == 1  # asked once, not once per batch


@pytest.mark.parametrize("detail", ["segments", "text"])
def test_batched_verification_keeps_to_the_plan_whatever_timings_the_server_gives(
    prefect_harness: None, tiny_book: Path, tmp_path: Path, clock: FakeClock, detail: str
) -> None:
    from flows.narrate import narrate_book

    config = ServeConfig(port=0, transcription_detail=detail)  # type: ignore[arg-type]
    with SpeechServer(config) as server:
        result = narrate_book(_params(tiny_book, tmp_path, server.url, verify="remote"))
        seen = server.stats.by_path
    chunks = _chunks(result)
    assert all(c["passed"] for c in chunks), [c for c in chunks if not c["passed"]]
    requests = json.loads(result.manifest.read_text(encoding="utf-8"))["requests"]
    # Two chapters, each verified in one batch (the first of two chunks, split by a scene
    # break): no chunk needed hearing alone.
    assert len(chunks) == 3
    assert requests["planned"] == {"synthesis": len(chunks), "verification": 2}
    assert requests["made"] == requests["planned"] and requests["ledger"] == len(chunks) + 2
    assert seen["/v1/audio/transcriptions"] == 2
    assert "- made: " in result.report.read_text(encoding="utf-8")
