"""The paid-request budget: limits, and a ledger that every task and process shares."""

from narrator.budget.backends import open_ledger
from narrator.budget.clock import SYSTEM_CLOCK, Clock, FakeClock, SystemClock
from narrator.budget.ledger import BudgetUsage, RequestLedger, Reservation
from narrator.budget.limits import PRESETS, BudgetLimits, day_window, parse_budget
from narrator.budget.sqlite import SQLiteLedger

__all__ = [
    "PRESETS",
    "SYSTEM_CLOCK",
    "BudgetLimits",
    "BudgetUsage",
    "Clock",
    "FakeClock",
    "RequestLedger",
    "Reservation",
    "SQLiteLedger",
    "SystemClock",
    "day_window",
    "open_ledger",
    "parse_budget",
]
