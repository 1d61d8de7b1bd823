"""The request ledger in a PostgreSQL database, shared by several machines.

Chosen with ``NARRATOR_LEDGER=postgresql://user:password@host:5432/dbname``. The
tables live in their own schema, ``narrator``, so the database may be shared (with
Prefect's, for instance) without clashing names.

Concurrency: each account has one row in ``narrator.accounts``. A reservation's
transaction first locks that row (``SELECT ... FOR UPDATE``), which makes every other
reservation of the account, from any process or host, wait until it commits or rolls
back. Under PostgreSQL's default READ COMMITTED isolation each statement sees what
was committed before it started, and the statements that count the day's
reservations run only after the lock is granted, so they see every reservation
committed under it before: no two callers can spend the same last request. One lock
per account rather than per (account, day): the per-minute pacing window spans the
day boundary, and ledgers with different reset hours may share an account. Commits
are durable (the default ``synchronous_commit = on``) before ``reserve`` returns.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import psycopg

from narrator.budget.clock import SYSTEM_CLOCK, Clock
from narrator.budget.ledger import SCHEMA_VERSION, Connection, Cursor, RequestLedger
from narrator.budget.limits import BudgetLimits
from narrator.errors import ConfigError

SCHEMA = "narrator"
CONNECT_TIMEOUT_S = 10  # how long to wait for the server before reporting it unreachable
# Any constant works: it only keeps concurrent first openings from creating the tables twice.
_SCHEMA_LOCK_KEY = 0x6E61727261746F72  # "narrator" in ASCII

_TABLES = (
    f"CREATE SCHEMA {SCHEMA}",
    f"""CREATE TABLE {SCHEMA}.requests (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        at DOUBLE PRECISION NOT NULL,
        status INTEGER,
        ok BOOLEAN,
        recorded_at DOUBLE PRECISION
    )""",
    f"CREATE INDEX requests_account_at ON {SCHEMA}.requests (account, at)",
    f"""CREATE TABLE {SCHEMA}.input_limits (
        account TEXT NOT NULL,
        model TEXT NOT NULL,
        max_input_chars INTEGER NOT NULL,
        learned_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (account, model)
    )""",
    f"CREATE TABLE {SCHEMA}.accounts (account TEXT PRIMARY KEY)",
    f"CREATE TABLE {SCHEMA}.schema_version (version INTEGER NOT NULL)",
    f"INSERT INTO {SCHEMA}.schema_version VALUES ({SCHEMA_VERSION})",
)


def redact(url: str) -> str:
    """``url`` with its password (in the user part or the query) replaced by ``***``."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}:***{at}{hostport}" if ":" in userinfo else parts.netloc
    query = urlencode(
        [(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)], safe="*"
    )
    # Not urlunsplit: it would drop the "//" of a URL without a host (a local socket).
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


class PostgresLedger(RequestLedger):
    """The request budget of one ``account`` in the PostgreSQL database at ``url``.

    Keeps idle connections for reuse by later calls of any thread of this process
    (a PostgreSQL connection is a server process; opening one per call costs several
    milliseconds).
    """

    def __init__(
        self, url: str, limits: BudgetLimits, *, account: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        super().__init__(limits, account=account, where=redact(url), clock=clock)
        self._url = url
        self._idle: list[psycopg.Connection[Any]] = []
        self._idle_lock = threading.Lock()
        self._pid = os.getpid()
        try:
            self._create_schema()
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO accounts (account) VALUES (?) ON CONFLICT DO NOTHING",
                    (account,),
                )
        except psycopg.Error as exc:
            raise ConfigError(
                f"{self.where}: cannot use the request ledger: {self._scrub(str(exc))}",
                hint="check NARRATOR_LEDGER's host, port, user, password and database name; "
                "the user needs the right to create a schema there on first use",
            ) from exc

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._borrowed() as db:
            yield _Statements(db)

    @contextlib.contextmanager
    def _transaction(self, *, reserving: bool = False) -> Iterator[Connection]:
        with self._borrowed() as db, db.transaction():
            statements = _Statements(db)
            if reserving:
                statements.execute(
                    "SELECT account FROM accounts WHERE account = ? FOR UPDATE", (self.account,)
                )
            yield statements

    def _schema_version(self, db: Connection) -> int:
        # Held until the transaction ends: a second first opening waits, then finds the tables.
        db.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK_KEY,))
        found = db.execute(f"SELECT to_regclass('{SCHEMA}.schema_version')").fetchone()[0]
        if found is None:
            return 0
        return int(db.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    def _create_tables(self, db: Connection) -> None:
        for statement in _TABLES:
            db.execute(statement)

    @contextlib.contextmanager
    def _borrowed(self) -> Iterator[psycopg.Connection[Any]]:
        """An idle connection, or a new one; kept for reuse afterwards unless it broke."""
        with self._idle_lock:
            if self._pid != os.getpid():
                # A forked child must not talk on its parent's sockets.
                self._idle, self._pid = [], os.getpid()
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = psycopg.connect(
                self._url,
                autocommit=True,  # transactions are explicit: db.transaction()
                connect_timeout=CONNECT_TIMEOUT_S,
                options=f"-c search_path={SCHEMA}",
            )
        try:
            yield db
        finally:
            if db.closed or db.broken:
                db.close()
            else:
                with self._idle_lock:
                    self._idle.append(db)

    def _scrub(self, text: str) -> str:
        """``text`` without the password of the ledger's URL."""
        parts = urlsplit(self._url)
        secrets = [parts.password, *(v for k, v in parse_qsl(parts.query) if k == "password")]
        for secret in filter(None, secrets):
            text = text.replace(secret, "***")
        return text


class _Statements:
    """A psycopg connection that runs the ledger's SQL, written with ``?`` placeholders."""

    def __init__(self, db: psycopg.Connection[Any]) -> None:
        self._db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._db.execute(_placeholders(sql), params)


@functools.cache
def _placeholders(sql: str) -> str:
    # psycopg's placeholder is %s; none of the ledger's SQL has a literal "?" or "%".
    return sql.replace("?", "%s")
