"""A persistent count of paid requests, shared by every thread and process on the machine.

Every HTTP attempt (retries included) is *reserved* here before it is sent and
*recorded* after. A reservation counts against the budget whether or not it is ever
recorded, so a crash between the two can only make a run use less of the budget,
never more.

The ledger is an SQLite file. Each call opens its own connection (sqlite3
connections must not be shared between threads) and does its work in one
``BEGIN IMMEDIATE`` transaction, which takes the database's write lock at once:
two callers can therefore never both see "59 of 60 used" and both send.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from pydantic import Field

from narrator.budget.clock import SYSTEM_CLOCK, Clock
from narrator.budget.limits import BudgetLimits, day_window
from narrator.errors import BudgetExhausted, ConfigError
from narrator.models import Frozen

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0  # how long a caller waits for another one's write lock
MINUTE_S = 60.0
# Waiting until a request is exactly 60 s old could wake a hair early (float
# timestamps, timer granularity) and find the minute still full.
PACING_EPSILON_S = 0.01
DAY_S = 86_400  # a budget day is a UTC day window: no daylight saving

# `at` and `recorded_at` are unix seconds (UTC); `status` is the HTTP status, NULL
# when no response came (or not recorded yet); `ok` is NULL until recorded.
_SCHEMA = (
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
    # What an endpoint taught us (adaptive chunk size): the longest input a
    # model speaks in full, learned from truncated audio.
    """CREATE TABLE input_limits (
        account TEXT NOT NULL,
        model TEXT NOT NULL,
        max_input_chars INTEGER NOT NULL,
        learned_at REAL NOT NULL,
        PRIMARY KEY (account, model)
    )""",
)


class Reservation(Frozen):
    """One reserved request: the right to send one HTTP request."""

    id: int
    account: str
    kind: str
    at: datetime = Field(description="when it was reserved (UTC)")


class BudgetUsage(Frozen):
    """An account's use of its budget in the current budget day."""

    account: str
    used: int = Field(ge=0, description="reservations this budget day, recorded or not")
    limit: int | None = Field(description="requests per budget day; None = unlimited")
    remaining: int | None = Field(description="requests left this budget day; None = unlimited")
    resets_at: datetime = Field(description="when the next budget day starts (UTC)")
    per_minute: int | None = Field(description="requests per rolling 60 seconds; None = unlimited")


class RequestLedger:
    """The request budget of one ``account`` (e.g. ``"api.oxlo.ai"``) in the SQLite file ``path``.

    One file may hold several accounts; each has its own budget. Several ledgers
    (in threads or processes) may open the same file at once.
    """

    def __init__(
        self, path: Path, limits: BudgetLimits, *, account: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        if not account:
            raise ValueError("a request ledger needs an account name")
        self.path = path
        self.limits = limits
        self.account = account
        self._clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"{path}: cannot use the request ledger: {exc}",
                hint="check the file's permissions, or move it aside to start a new, empty "
                "ledger (requests already sent today will then not be counted)",
            ) from exc

    def reserve(self, kind: str, label: str = "") -> Reservation:
        """Reserve one request of ``kind`` (e.g. ``"speech"``) before sending it.

        ``label`` says what it is for (e.g. a chunk id; never a secret). Waits, via the
        clock, while the per-minute limit is reached; raises :class:`BudgetExhausted`
        when the budget day's requests are spent.
        """
        while True:
            with self._transaction() as db:
                # Read the time under the write lock, so rows are written in time order.
                now = self._clock.now()
                start, end = day_window(now, self.limits.reset_hour_utc)
                if self.limits.per_day is not None:
                    used = self._count(db, start, end)
                    if used >= self.limits.per_day:
                        raise self._exhausted(used, self.limits.per_day, end)
                wait_s = self._pacing_wait(db, now)
                if wait_s is None:
                    row = db.execute(
                        "INSERT INTO requests (account, kind, label, at) VALUES (?, ?, ?, ?)",
                        (self.account, kind, label, now.timestamp()),
                    )
                    assert row.lastrowid is not None
                    return Reservation(id=row.lastrowid, account=self.account, kind=kind, at=now)
            # Nothing was written; sleep without holding the lock, then look again.
            self._clock.sleep(wait_s)

    def record(self, reservation: Reservation, *, status: int | None, ok: bool) -> None:
        """Record how a reserved request went: its HTTP ``status`` (None: no response)."""
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE requests SET status = ?, ok = ?, recorded_at = ? "
                "WHERE id = ? AND account = ?",
                (status, ok, self._clock.now().timestamp(), reservation.id, reservation.account),
            ).rowcount
        if not updated:
            # The request was sent and counted; losing its outcome must not fail the chunk.
            log.warning(
                "%s: no reservation %d of %s to record (was the ledger replaced?)",
                self.path,
                reservation.id,
                reservation.account,
            )

    def usage(self) -> BudgetUsage:
        """This account's use of the current budget day."""
        start, end = day_window(self._clock.now(), self.limits.reset_hour_utc)
        with contextlib.closing(self._connect()) as db:
            used = self._count(db, start, end)
        limit = self.limits.per_day
        return BudgetUsage(
            account=self.account,
            used=used,
            limit=limit,
            remaining=None if limit is None else max(limit - used, 0),
            resets_at=end,
            per_minute=self.limits.per_minute,
        )

    def ensure_available(self) -> None:
        """Raise :class:`BudgetExhausted` now if the budget day's requests are all spent."""
        usage = self.usage()
        if usage.limit is not None and usage.remaining == 0:
            raise self._exhausted(usage.used, usage.limit, usage.resets_at)

    def input_limit(self, model: str) -> int | None:
        """The learned longest input (characters) ``model`` speaks in full, if one was learned."""
        with contextlib.closing(self._connect()) as db:
            row = db.execute(
                "SELECT max_input_chars FROM input_limits WHERE account = ? AND model = ?",
                (self.account, model),
            ).fetchone()
        return None if row is None else int(row[0])

    def learn_input_limit(self, model: str, max_input_chars: int) -> int:
        """Record that ``model`` truncates inputs longer than ``max_input_chars`` characters.

        Limits only ever go down; returns the limit now in force.
        """
        with self._transaction() as db:
            db.execute(
                "INSERT INTO input_limits (account, model, max_input_chars, learned_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (account, model) DO UPDATE SET "
                "max_input_chars = MIN(max_input_chars, excluded.max_input_chars), "
                "learned_at = excluded.learned_at",
                (self.account, model, max_input_chars, self._clock.now().timestamp()),
            )
            row = db.execute(
                "SELECT max_input_chars FROM input_limits WHERE account = ? AND model = ?",
                (self.account, model),
            ).fetchone()
        return int(row[0])

    def history(self, days: int = 7) -> list[tuple[date, int]]:
        """Requests per budget day for the last ``days`` budget days, newest (today) first.

        Days without requests are listed with 0. A budget day is named by the UTC
        date on which it starts.
        """
        if days < 1:
            raise ValueError(f"history needs at least one day, not {days}")
        start, end = day_window(self._clock.now(), self.limits.reset_hour_utc)
        oldest = start - timedelta(days=days - 1)
        with contextlib.closing(self._connect()) as db:
            # Day k counted from the oldest holds [oldest + k days, oldest + k+1 days);
            # CAST truncates, which is floor here since at >= oldest.
            rows = db.execute(
                "SELECT CAST((at - ?) / ? AS INTEGER) AS day, COUNT(*) FROM requests "
                "WHERE account = ? AND at >= ? AND at < ? GROUP BY day",
                (oldest.timestamp(), DAY_S, self.account, oldest.timestamp(), end.timestamp()),
            ).fetchall()
        counts = dict(rows)
        return [
            ((start - timedelta(days=back)).date(), counts.get(days - 1 - back, 0))
            for back in range(days)
        ]

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; we BEGIN and COMMIT ourselves.
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        # A reservation must survive a power cut once reserve() has returned, or the
        # request it paid for would be forgotten and the budget overspent.
        db.execute("PRAGMA synchronous = FULL")
        return db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection holding the write lock; commit on success, else roll back."""
        with contextlib.closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _create_schema(self) -> None:
        with contextlib.closing(self._connect()) as db:
            # WAL lets `narrate budget` read while a run writes, and makes each commit
            # one append instead of a journal and a rewrite. It needs shared memory
            # between processes, so the ledger must live on a local disk, not NFS/SMB.
            db.execute("PRAGMA journal_mode = WAL")
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                # Not executescript(): it would commit our transaction half-way.
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION:
                raise ConfigError(
                    f"{self.path}: request ledger has schema version {version}; this narrator "
                    f"reads version {SCHEMA_VERSION}",
                    hint="upgrade narrator, or use another ledger file",
                )

    def _count(self, db: sqlite3.Connection, start: datetime, end: datetime) -> int:
        """Reservations of this account in ``[start, end)``."""
        return db.execute(
            "SELECT COUNT(*) FROM requests WHERE account = ? AND at >= ? AND at < ?",
            (self.account, start.timestamp(), end.timestamp()),
        ).fetchone()[0]

    def _pacing_wait(self, db: sqlite3.Connection, now: datetime) -> float | None:
        """Seconds to wait for a free per-minute slot, or None if one is free now."""
        limit = self.limits.per_minute
        if limit is None:
            return None
        # The limit-th newest request in the last minute is the one whose ageing out frees a slot.
        row = db.execute(
            "SELECT at FROM requests WHERE account = ? AND at > ? "
            "ORDER BY at DESC LIMIT 1 OFFSET ?",
            (self.account, now.timestamp() - MINUTE_S, limit - 1),
        ).fetchone()
        if row is None:
            return None
        # At most a minute per wait, then look again: a clock set back must not strand us.
        return min(max(row[0] + MINUTE_S - now.timestamp(), 0.0), MINUTE_S) + PACING_EPSILON_S

    def _exhausted(self, used: int, limit: int, resets_at: datetime) -> BudgetExhausted:
        return BudgetExhausted(
            f"request budget for {self.account} is spent: {used} of {limit} requests used "
            f"today; it resets at {resets_at:%Y-%m-%d %H:%M} UTC",
            used=used,
            limit=limit,
            resets_at=resets_at,
            hint="run again after the reset (completed chunks are kept), or raise the limit "
            "with --budget",
        )
