"""Shared fixtures. Prefect state goes to a temporary folder, never the user's ~/.prefect."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures_postgres import FAST, PostgresCluster, PostgresMissing

# Before anything imports Prefect: isolate its home, and give its temporary server
# time to start on 2 cores (measured 13-23 s, against a default of 20 s).
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="narrator-test-prefect-")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Never the user's request ledger or API key: `--engine auto` is embedded in tests.
os.environ["NARRATOR_LEDGER"] = os.path.join(tempfile.mkdtemp(prefix="narrator-test-"), "l.sqlite")
for _name in ("NARRATOR_API_KEY", "OXLO_API_KEY", "OPENAI_API_KEY"):
    os.environ.pop(_name, None)

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inputs" / "the-keeper-of-tern-rock.md"

TINY_BOOK = """# A Tiny Book

## One

The keeper lit the lamp at 6 o'clock. "Is it late?" she asked.

* * *

Mr. Hollis rowed home.

## Two

The sea was calm, and the light stayed on all night.
"""


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def tiny_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-chapter manuscript that narrates in a few seconds (do not modify it)."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.md"
    path.write_text(TINY_BOOK, encoding="utf-8")
    return path


def _wait_for_events(
    name: str,
    resource: str,
    where: Callable[[Any], bool] = lambda event: True,
    timeout_s: float = 30.0,
) -> list[Any]:
    """The server's events called ``name`` about ``resource``, once one of them satisfies
    ``where``; events are sent asynchronously, so this polls for up to ``timeout_s``
    seconds. The server lives for the whole session, so earlier tests' events about the
    same book are there too: ``where`` tells this test's own apart."""
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter

    deadline = time.monotonic() + timeout_s
    while True:
        with get_client(sync_client=True) as client:
            page = client.read_events(EventFilter(event=EventNameFilter(name=[name])), limit=50)
        found = [e for e in page.events if e.resource.id == resource]
        if any(where(e) for e in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.fixture()
def events(prefect_harness: None) -> Callable[..., list[Any]]:
    """Look up the Prefect events narrator emitted: ``events(name, resource_id[, where])``."""
    return _wait_for_events


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL cluster for the session (fails, never skips, without one)."""
    try:
        cluster = PostgresCluster(FAST)
    except PostgresMissing as exc:
        pytest.fail(str(exc))
    try:
        yield cluster.start()
    finally:
        cluster.stop()
