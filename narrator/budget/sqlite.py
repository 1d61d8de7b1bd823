"""The request ledger in an SQLite file, shared by the threads and processes of one machine.

Each call opens its own connection (sqlite3 connections must not be shared between
threads) and writes in one ``BEGIN IMMEDIATE`` transaction, which takes the whole
database's write lock at once: that lock is the reservation lock of every account.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from tenacity import retry, retry_if_exception, stop_after_delay, wait_random

from narrator.budget.clock import SYSTEM_CLOCK, Clock
from narrator.budget.ledger import SCHEMA_VERSION, Connection, RequestLedger
from narrator.budget.limits import BudgetLimits
from narrator.errors import ConfigError

BUSY_TIMEOUT_S = 30.0  # how long a caller waits for another one's write lock

_TABLES = (
    """CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        at REAL NOT NULL,
        status INTEGER,
        ok INTEGER,
        recorded_at REAL
    )""",
    "CREATE INDEX requests_account_at ON requests (account, at)",
    """CREATE TABLE input_limits (
        account TEXT NOT NULL,
        model TEXT NOT NULL,
        max_input_chars INTEGER NOT NULL,
        learned_at REAL NOT NULL,
        PRIMARY KEY (account, model)
    )""",
)


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


@retry(retry=retry_if_exception(_locked), stop=stop_after_delay(BUSY_TIMEOUT_S),
       wait=wait_random(0.01, 0.1), reraise=True)  # fmt: skip
def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting out the other processes doing the same.

    Changing the journal mode takes the exclusive lock from the shared one the statement
    holds; two connections doing so at once would deadlock, so SQLite answers "database is
    locked" at once instead of waiting the busy timeout (sqlite.org/c3ref/busy_handler.html).
    Each try ends its statement and so drops its shared lock: one of them wins, and the
    others find the file in WAL already. Eight processes opening a new ledger at once hit
    it (tests/unit/test_budget.py)."""
    db.execute("PRAGMA journal_mode = WAL")


class SQLiteLedger(RequestLedger):
    """The request budget of one ``account`` in the SQLite file ``path`` (on a local disk)."""

    def __init__(
        self, path: Path, limits: BudgetLimits, *, account: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        super().__init__(limits, account=account, where=str(path), clock=clock)
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with contextlib.closing(self._connect()) as db:
                # WAL lets `narrate budget` read while a run writes, and makes each commit
                # one append instead of a journal and a rewrite. It needs shared memory
                # between processes, so the file must live on a local disk, not NFS/SMB.
                _use_wal(db)
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"{path}: cannot use the request ledger: {exc}",
                hint="check the file's permissions, or move it aside to start a new, empty "
                "ledger (requests already sent today will then not be counted)",
            ) from exc

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; we BEGIN and COMMIT ourselves.
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        # A reservation must survive a power cut once reserve() has returned, or the
        # request it paid for would be forgotten and the budget overspent.
        db.execute("PRAGMA synchronous = FULL")
        return db

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        with contextlib.closing(self._connect()) as db:
            yield db

    @contextlib.contextmanager
    def _transaction(self, *, reserving: bool = False) -> Iterator[Connection]:
        # Every write takes the database's one write lock, reserving or not.
        with contextlib.closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _schema_version(self, db: Connection) -> int:
        return int(db.execute("PRAGMA user_version").fetchone()[0])

    def _create_tables(self, db: Connection) -> None:
        # Not executescript(): it would commit our transaction half-way.
        for statement in _TABLES:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
