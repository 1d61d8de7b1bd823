"""Scale-out: chunk tasks on a real Dask cluster of two worker processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator.config import NarrationParams, RemoteSettings
from narrator.models import AWAITING_BUDGET, BookResult
from narrator.server import SPEECH_MODEL, VOICE, ServeConfig, SpeechServer

pytestmark = pytest.mark.slow


def _texts(result: BookResult) -> list[str]:
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    return [c["text"] for chapter in manifest["chapters"] for c in chapter["chunks"]]


def test_two_worker_processes_narrate_the_same_book_and_share_the_budget(
    prefect_harness: None, tiny_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    from flows.narrate import narrate_book

    # Workers are separate processes: they read the ledger's path from the environment.
    monkeypatch.setenv("NARRATOR_LEDGER", str(tmp_path / "ledger.sqlite"))
    with (
        SpeechServer(ServeConfig(port=0)) as server,
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        remote = RemoteSettings(
            base_url=server.url, tts_model=SPEECH_MODEL, voice=VOICE, budget="3/day"
        )
        params = NarrationParams(
            manuscript=tiny_book,
            out_dir=tmp_path / "dask",
            engine="remote",
            max_input_chars=60,
            remote=remote,
        )
        monkeypatch.setenv("NARRATOR_DASK_ADDRESS", cluster.scheduler_address)
        state = narrate_book(params, return_state=True)
        # Two processes, one ledger: exactly the 3 requests the budget allows.
        assert state.name == AWAITING_BUDGET and server.stats.requests == 3
        unlimited = params.model_copy(
            update={"remote": remote.model_copy(update={"budget": "unlimited"})}
        )
        on_dask = narrate_book(unlimited)
        spoken = server.stats.speech_inputs
        monkeypatch.delenv("NARRATOR_DASK_ADDRESS")
        on_threads = narrate_book(unlimited.model_copy(update={"out_dir": tmp_path / "threads"}))

    assert len(spoken) == len(set(spoken)) == len(_texts(on_dask))  # nothing paid twice
    assert _texts(on_dask) == _texts(on_threads)
    assert [c.title for c in on_dask.chapters] == [c.title for c in on_threads.chapters]
    assert on_dask.m4b.is_file() and on_dask.flagged == 0
