"""A persistent count of paid requests, shared by every thread, process and host that uses it.

Every HTTP attempt (retries included) is *reserved* here before it is sent and
*recorded* after. A reservation counts against the budget whether or not it is ever
recorded, so a crash between the two can only make a run use less of the budget,
never more.

:class:`RequestLedger` holds the whole accounting, written once in SQL that SQLite
and PostgreSQL both run; a backend only opens connections and transactions:

* :class:`~narrator.budget.sqlite.SQLiteLedger`, a file shared by the processes of
  one machine (the default);
* :class:`~narrator.budget.postgres.PostgresLedger`, a database shared by several
  machines (``NARRATOR_LEDGER=postgresql://...``).

A reservation runs in a transaction that first takes the account's *reservation
lock*; it reads the time, counts the day's reservations and inserts its own under
that lock, and releases it only on commit. Two callers can therefore never both see
"59 of 60 used" and both send.
"""

from __future__ import annotations

import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from pydantic import Field

from narrator.budget.clock import SYSTEM_CLOCK, Clock
from narrator.budget.limits import BudgetLimits, day_window
from narrator.errors import BudgetExhausted, ConfigError
from narrator.models import Frozen

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MINUTE_S = 60.0
# Waiting until a request is exactly 60 s old could wake a hair early (float
# timestamps, timer granularity) and find the minute still full.
PACING_EPSILON_S = 0.01


class Cursor(Protocol):
    """The part of a DB-API cursor the ledger reads."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """A connection that runs the ledger's SQL (``?`` placeholders) and returns a cursor."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...


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


class RequestLedger(ABC):
    """The request budget of one ``account`` (e.g. ``"api.oxlo.ai"``).

    One store may hold several accounts; each has its own budget. Several ledgers
    (in threads, processes or on other hosts) may use the same store at once.

    Tables (times are unix seconds, UTC): ``requests`` (one row per reservation;
    ``status`` is the HTTP status, NULL when no response came or not recorded yet;
    ``ok`` is NULL until recorded) and ``input_limits`` (what an endpoint taught us:
    the longest input a model speaks in full, learned from truncated audio).
    """

    def __init__(
        self, limits: BudgetLimits, *, account: str, where: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        if not account:
            raise ValueError("a request ledger needs an account name")
        self.limits = limits
        self.account = account
        self.where = where
        """Where the ledger lives, for messages (a path, or a URL without its password)."""
        self._clock = clock

    # --- what a backend provides ------------------------------------------------------------

    @abstractmethod
    def _connection(self) -> contextlib.AbstractContextManager[Connection]:
        """A connection for reading; every statement is its own transaction."""

    @abstractmethod
    def _transaction(
        self, *, reserving: bool = False
    ) -> contextlib.AbstractContextManager[Connection]:
        """A transaction, committed on success, else rolled back.

        With ``reserving``, it first takes this account's reservation lock, held until
        it ends, and its statements see every reservation committed before they run.
        """

    @abstractmethod
    def _schema_version(self, db: Connection) -> int:
        """The store's schema version; 0 for an empty store."""

    @abstractmethod
    def _create_tables(self, db: Connection) -> None:
        """Create the tables and mark the store with :data:`SCHEMA_VERSION`."""

    # --- the accounting ---------------------------------------------------------------------

    def reserve(self, kind: str, label: str = "") -> Reservation:
        """Reserve one request of ``kind`` (e.g. ``"speech"``) before sending it.

        ``label`` says what it is for (e.g. a chunk id; never a secret). Waits, via the
        clock, while the per-minute limit is reached; raises :class:`BudgetExhausted`
        when the budget day's requests are spent.
        """
        while True:
            with self._transaction(reserving=True) as db:
                # Read the time under the lock, so rows are written in time order.
                now = self._clock.now()
                start, end = day_window(now, self.limits.reset_hour_utc)
                if self.limits.per_day is not None:
                    used = self._count(db, start, end)
                    if used >= self.limits.per_day:
                        raise self._exhausted(used, self.limits.per_day, end)
                wait_s = self._pacing_wait(db, now)
                if wait_s is None:
                    # fetchall: the INSERT statement is finished before the commit.
                    ((row_id,),) = db.execute(
                        "INSERT INTO requests (account, kind, label, at) VALUES (?, ?, ?, ?) "
                        "RETURNING id",
                        (self.account, kind, label, now.timestamp()),
                    ).fetchall()
                    return Reservation(id=row_id, account=self.account, kind=kind, at=now)
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
                self.where,
                reservation.id,
                reservation.account,
            )

    def usage(self) -> BudgetUsage:
        """This account's use of the current budget day."""
        start, end = day_window(self._clock.now(), self.limits.reset_hour_utc)
        with self._connection() as db:
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
        with self._connection() as db:
            return self._input_limit(db, model)

    def learn_input_limit(self, model: str, max_input_chars: int) -> int:
        """Record that ``model`` truncates inputs longer than ``max_input_chars`` characters.

        Limits only ever go down; returns the limit now in force.
        """
        with self._transaction() as db:
            db.execute(
                "INSERT INTO input_limits (account, model, max_input_chars, learned_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (account, model) DO UPDATE SET "
                "max_input_chars = excluded.max_input_chars, learned_at = excluded.learned_at "
                "WHERE excluded.max_input_chars < input_limits.max_input_chars",
                (self.account, model, max_input_chars, self._clock.now().timestamp()),
            )
            limit = self._input_limit(db, model)
        assert limit is not None  # inserted or kept just above
        return limit

    def history(self, days: int = 7) -> list[tuple[date, int]]:
        """Requests per budget day for the last ``days`` budget days, newest (today) first.

        Days without requests are listed with 0. A budget day is named by the UTC
        date on which it starts.
        """
        if days < 1:
            raise ValueError(f"history needs at least one day, not {days}")
        start, _ = day_window(self._clock.now(), self.limits.reset_hour_utc)
        starts = [start - timedelta(days=back) for back in range(days)]
        with self._connection() as db:
            return [(day.date(), self._count(db, day, day + timedelta(days=1))) for day in starts]

    # --- shared helpers ---------------------------------------------------------------------

    def _create_schema(self) -> None:
        """Create the tables in an empty store; refuse a store of another schema version."""
        with self._transaction() as db:
            version = self._schema_version(db)
            if version == 0:
                self._create_tables(db)
            elif version != SCHEMA_VERSION:
                raise ConfigError(
                    f"{self.where}: request ledger has schema version {version}; this narrator "
                    f"reads version {SCHEMA_VERSION}",
                    hint="upgrade narrator, or use another ledger",
                )

    def _count(self, db: Connection, start: datetime, end: datetime) -> int:
        """Reservations of this account in ``[start, end)``."""
        return int(
            db.execute(
                "SELECT COUNT(*) FROM requests WHERE account = ? AND at >= ? AND at < ?",
                (self.account, start.timestamp(), end.timestamp()),
            ).fetchone()[0]
        )

    def _input_limit(self, db: Connection, model: str) -> int | None:
        row = db.execute(
            "SELECT max_input_chars FROM input_limits WHERE account = ? AND model = ?",
            (self.account, model),
        ).fetchone()
        return None if row is None else int(row[0])

    def _pacing_wait(self, db: Connection, now: datetime) -> float | None:
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
