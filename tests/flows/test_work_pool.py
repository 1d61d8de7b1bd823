"""Scale-out as the README sets it up: a Prefect server on PostgreSQL, a ``process`` work
pool, two ``prefect worker start`` processes, the ``books`` deployment of prefect.yaml,
and one request ledger in the same PostgreSQL; three books through ``narrate serve`` on
a daily budget smaller than their total."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from narrator.budget import BudgetLimits, FakeClock, open_ledger
from narrator.config import NarrationParams, RemoteSettings
from narrator.models import AWAITING_BUDGET
from narrator.provider import account_of
from narrator.server import (
    SPEECH_MODEL,
    TRANSCRIPTION_MODEL,
    VOICE,
    ServeConfig,
    ServerStats,
    SpeechServer,
)
from tests.fixtures_postgres import PostgresCluster, free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PREFECT = Path(sys.executable).with_name("prefect")
CLOCK_SITE = Path(__file__).with_name("clock_site")  # its sitecustomize sets the fake clock
START = datetime(2026, 11, 28, 9, tzinfo=UTC)
PAID = ("/v1/audio/speech", "/v1/audio/transcriptions")
# Requests per budget day: each book is one chunk, a speech and a transcription request,
# so the three books need 6 requests, more than one day allows.
DAILY = 4
UNUSED_SERVICES = (
    "CANCELLATION_CLEANUP", "CLEANUP_RECONCILER", "DB_VACUUM", "FOREMAN", "LATE_RUNS",
    "PAUSE_EXPIRATIONS", "REPOSSESSOR", "SCHEDULER", "TRIGGERS",
)  # fmt: skip
# Books of two sentences: too short to tell their language (the runs state it).
BOOKS = {
    "lamp": "# The Lamp\n\n## One\n\nThe keeper lit the lamp at dusk.\n\nThe sea was calm.\n",
    "boat": "# The Boat\n\n## One\n\nMr. Hollis rowed home.\n\nThe oars were wet and cold.\n",
    "gull": "# The Gull\n\n## One\n\nA gull sat on the rail.\n\nIt flew off at noon.\n",
}


def _paid(stats: ServerStats) -> int:
    """Requests the budget counts: speech and transcription (not a models listing)."""
    return sum(stats.by_path.get(path, 0) for path in PAID)


@contextmanager
def _process(args: list[str], env: dict[str, str], log: Path, cwd: Path = REPO) -> Iterator[Any]:
    """A background process, its output in ``log``, interrupted (then killed) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_api(api: str, server: Any, log: Path) -> None:
    deadline = time.monotonic() + 300  # migrations of a fresh database, on 2 busy cores
    while True:
        try:
            if httpx.get(f"{api}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert server.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, "the Prefect server did not start in 300 s"
        time.sleep(0.5)


def _finished(client: Any, ids: list[Any]) -> list[Any]:
    """The flow runs ``ids`` once all of them are in a final state."""
    deadline = time.monotonic() + 900
    while True:
        runs = [client.read_flow_run(i) for i in ids]
        if all(run.state is not None and run.state.is_final() for run in runs):
            return runs
        assert time.monotonic() < deadline, [run.state for run in runs]
        time.sleep(1)


def test_two_workers_on_a_postgres_prefect_share_one_budget_over_three_books(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.workers.process import ProcessWorker

    postgres.create_database("prefect")
    ledger_url = postgres.create_database("ledger")
    port = str(free_port())
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_API_DATABASE_CONNECTION_URL": postgres.url("prefect", driver="postgresql+asyncpg"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # pick runs up within a second (default 10)
        # The server's loop services that no step here needs (schedules, automations,
        # clean-ups) only compete for the CPU.
        **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in UNUSED_SERVICES},
        "NARRATOR_LEDGER": ledger_url,
        # The flow-run processes print each run's end at INFO, which the check of both
        # workers' output below reads, whatever level the session's environment sets.
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "INFO",
    }
    books = {}
    for name, text in BOOKS.items():
        books[name] = tmp_path / f"{name}.md"
        books[name].write_text(text, encoding="utf-8")
    with ExitStack() as stack:
        server = stack.enter_context(
            _process(
                [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", port],
                env,
                tmp_path / "server.log",
            )
        )
        speech = stack.enter_context(SpeechServer(ServeConfig(port=0)))
        _wait_for_api(api, server, tmp_path / "server.log")
        stack.enter_context(temporary_settings({PREFECT_API_URL: api}))
        client = stack.enter_context(get_client(sync_client=True))
        client.create_work_pool(
            WorkPoolCreate(
                name="narrator",
                type="process",
                base_job_template=ProcessWorker.get_default_base_job_template(),
            )
        )
        workers = [tmp_path / f"worker-{i}.log" for i in (1, 2)]
        for i, log in enumerate(workers, 1):
            # At most 2 runs each: 3 books at once need both workers.
            stack.enter_context(
                _process(
                    [str(PREFECT), "worker", "start", "--pool", "narrator", "--name",
                     f"worker-{i}", "--limit", "2"],
                    env,
                    log,
                )
            )  # fmt: skip
        deploy = subprocess.run(
            [str(PREFECT), "--no-prompt", "deploy", "--name", "books"],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert deploy.returncode == 0, deploy.stdout[-3000:] + deploy.stderr[-3000:]

        remote = RemoteSettings(
            base_url=speech.url, tts_model=SPEECH_MODEL, voice=VOICE,
            asr_model=TRANSCRIPTION_MODEL, budget=f"{DAILY}/day",
        )  # fmt: skip
        pending = dict(books)
        paid_by_day: list[int] = []
        states: dict[str, list[str]] = {name: [] for name in books}
        for day in range(4):
            now = START + timedelta(days=day)
            job = {"env": {"PYTHONPATH": str(CLOCK_SITE), "NARRATOR_TEST_NOW": now.isoformat()}}
            before = _paid(speech.stats)
            ids = {
                name: run_deployment(
                    "narrate-book/books",
                    parameters={
                        "params": NarrationParams(
                            manuscript=book, out_dir=tmp_path / "out", engine="remote",
                            verify="remote", remote=remote, language="en",
                        ).model_dump(mode="json")
                    },
                    job_variables=job,
                    timeout=0,
                ).id
                for name, book in pending.items()
            }  # fmt: skip
            runs = _finished(client, list(ids.values()))
            paid_by_day.append(_paid(speech.stats) - before)
            for name, run in zip(ids, runs, strict=True):
                assert run.state.is_completed(), (name, run.state)
                states[name].append(run.state.name)
                if run.state.name != AWAITING_BUDGET:
                    del pending[name]
            if not pending:
                break
        submitted = [log.read_text(errors="replace") for log in workers]
        ledger = open_ledger(
            ledger_url, BudgetLimits(per_day=DAILY), account=account_of(speech.url),
            clock=FakeClock(START + timedelta(days=len(paid_by_day) - 1)),
        )  # fmt: skip
        history = [count for _, count in reversed(ledger.history(len(paid_by_day)))]
        spoken = speech.stats.speech_inputs

    assert not pending, states  # every book finished
    assert paid_by_day[0] == DAILY, paid_by_day  # day one spent the budget, not one more
    assert all(count <= DAILY for count in paid_by_day)
    assert len(paid_by_day) >= 2 and AWAITING_BUDGET in sum(states.values(), [])
    assert history == paid_by_day  # every request the server saw was reserved first
    assert len(spoken) == len(set(spoken))  # nothing paid twice, no chunk of another book
    for name in books:
        slug = BOOKS[name].splitlines()[0].removeprefix("# ").lower().replace(" ", "-")
        assert (tmp_path / "out" / slug / f"{slug}.m4b").is_file()
    # The flow-run processes write to their worker's output: both workers ran books (a
    # run the budget stopped finishes in the Completed-type state AwaitingBudget).
    assert all("Finished in state" in log for log in submitted), submitted
    outputs = [p for p in (tmp_path / "out").rglob("*") if p.suffix in {".json", ".md"}]
    texts = [p.read_text(errors="replace") for p in outputs] + submitted
    assert len(outputs) >= 6 and all(postgres.password not in text for text in texts)
