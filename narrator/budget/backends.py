"""Open the request ledger a setting names: an SQLite file, or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from narrator.budget.clock import SYSTEM_CLOCK, Clock
from narrator.budget.ledger import RequestLedger
from narrator.budget.limits import BudgetLimits

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_ledger(
    location: str, limits: BudgetLimits, *, account: str, clock: Clock = SYSTEM_CLOCK
) -> RequestLedger:
    """The ledger at ``location``: a ``postgresql://`` URL, else an SQLite file path (``~`` ok).

    PostgreSQL's driver is imported only when a URL asks for it.
    """
    if location.startswith(POSTGRES_SCHEMES):
        from narrator.budget.postgres import PostgresLedger

        return PostgresLedger(location, limits, account=account, clock=clock)
    from narrator.budget.sqlite import SQLiteLedger

    return SQLiteLedger(Path(location).expanduser(), limits, account=account, clock=clock)
