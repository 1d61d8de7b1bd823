"""`narrate deploy` serves the flow; runs triggered by deployment name narrate the book,
and a run by name resumes a book the budget stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from narrator.config import NarrationParams, RemoteSettings
from narrator.models import AWAITING_BUDGET
from narrator.server import SPEECH_MODEL, VOICE, ServeConfig, SpeechServer

pytestmark = pytest.mark.slow

NARRATE = Path(sys.executable).with_name("narrate")


def _wait_for_deployment(name: str, served: subprocess.Popen) -> object:
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + 120
    while True:
        try:
            with get_client(sync_client=True) as client:
                return client.read_deployment_by_name(name)
        except Exception:  # not registered yet
            assert served.poll() is None and time.monotonic() < deadline
            time.sleep(1)


def test_a_served_deployment_runs_by_name_and_resumes_a_half_done_book(
    prefect_harness: None, tiny_book: Path, tmp_path: Path
) -> None:
    import prefect.settings
    from prefect.deployments import run_deployment

    env = {
        **os.environ,
        "PREFECT_API_URL": str(prefect.settings.PREFECT_API_URL.value()),
        "NARRATOR_LEDGER": str(tmp_path / "ledger.sqlite"),
    }
    args = [str(NARRATE), "deploy", str(tiny_book), "--name", "test", "--out", str(tmp_path)]
    # Its output goes to a file: a pipe nobody reads blocks the process (and the flow-run
    # processes it starts, which share it) once 64 KB of log lines fill it.
    log = tmp_path / "served.log"
    # Started as a terminal starts a command, with Ctrl-C (SIGINT) delivered: a process
    # that inherits SIGINT ignored, as a background job of a non-interactive shell does
    # (this suite run as `./scripts/test &`), keeps ignoring it, and Python with it.
    # A handler of this process's own is reset to the default by exec.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with log.open("wb") as out:
            served = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=out)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        deployment = _wait_for_deployment("narrate-book/test", served)
        limit = deployment.global_concurrency_limit  # type: ignore[attr-defined]
        assert limit is not None and limit.limit == 1
        options = deployment.concurrency_options  # type: ignore[attr-defined]
        assert options is not None and options.collision_strategy == "CANCEL_NEW"
        params = deployment.parameters["params"]  # type: ignore[attr-defined]
        assert params["manuscript"] == str(tiny_book.resolve())

        with SpeechServer(ServeConfig(port=0)) as server:
            remote = RemoteSettings(
                base_url=server.url, tts_model=SPEECH_MODEL, voice=VOICE, budget="2/day"
            )
            book = NarrationParams(
                manuscript=tiny_book, out_dir=tmp_path / "remote", engine="remote",
                max_input_chars=60, remote=remote,
            )  # fmt: skip
            first = run_deployment(
                "narrate-book/test", parameters={"params": book.model_dump(mode="json")}
            )
            assert first.state is not None and first.state.name == AWAITING_BUDGET
            assert server.stats.requests == 2
            more = book.model_copy(
                update={"remote": remote.model_copy(update={"budget": "20/day"})}
            )
            second = run_deployment(
                "narrate-book/test", parameters={"params": more.model_dump(mode="json")}
            )
            assert second.state is not None and second.state.is_completed()
            spoken = server.stats.speech_inputs
        assert len(spoken) == len(set(spoken)) > 2  # resumed, nothing paid twice
        assert (tmp_path / "remote" / "a-tiny-book" / "a-tiny-book.m4b").is_file()

        run = run_deployment("narrate-book/test", timeout=900)  # its own parameters
        assert run.state is not None and run.state.is_completed(), run.state
        assert (tmp_path / "a-tiny-book" / "a-tiny-book.m4b").is_file()
    finally:
        # Ctrl-C stops the served process: it pauses the deployment's schedule and exits.
        served.send_signal(signal.SIGINT)
        try:
            served.wait(timeout=60)
        except subprocess.TimeoutExpired:
            served.kill()
            served.wait()
            pytest.fail(f"narrate deploy did not stop within 60 s of SIGINT; its log ends:\n"
                        f"{log.read_text()[-1500:]}")  # fmt: skip
