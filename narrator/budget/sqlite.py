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
                db.execute("PRAGMA journal_mode = WAL")
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
