"""How many requests a provider allows: per budget day and per rolling minute.

Oxlo sells plans of 60 (free), 1,000 (pro) and 5,000 (premium) requests a day, so
the budget counts HTTP requests, not characters or seconds of audio.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from pydantic import Field

from narrator.errors import ConfigError
from narrator.models import Frozen


class BudgetLimits(Frozen):
    """Request limits of one account. ``None`` means no limit."""

    per_day: int | None = Field(
        default=None, ge=1, description="requests per budget day (a UTC day window)"
    )
    per_minute: int | None = Field(
        default=None,
        ge=1,
        description="requests per rolling 60 seconds; requests wait for a free slot, never fail",
    )
    reset_hour_utc: int = Field(
        default=0, ge=0, le=23, description="hour (UTC) at which the budget day starts"
    )


PRESETS: dict[str, BudgetLimits] = {
    "free": BudgetLimits(per_day=60),
    "pro": BudgetLimits(per_day=1000),
    "premium": BudgetLimits(per_day=5000),
    "unlimited": BudgetLimits(),
}

_RATE = re.compile(r"(\d+)\s*/\s*(day|min)")
_FORMS = (
    "use a plan (free, pro, premium, unlimited), N/day, M/min, or a daily part and a rate "
    "joined by a comma, e.g. 500/day,20/min or pro,30/min"
)


def parse_budget(spec: str) -> BudgetLimits:
    """Parse a budget such as ``"pro"``, ``"500/day"``, ``"500/day,20/min"`` or ``"pro,30/min"``.

    Case and spaces around the parts do not matter. Raises :class:`ConfigError`
    naming ``spec`` when it is not one of those forms.
    """
    per_day: int | None = None
    per_minute: int | None = None
    seen_day = seen_minute = False
    for raw in spec.split(","):
        part = raw.strip().lower()
        rate = _RATE.fullmatch(part)
        if part in PRESETS:
            is_daily, value = True, PRESETS[part].per_day
        elif rate:
            is_daily, value = rate[2] == "day", int(rate[1])
            if value < 1:
                raise _bad(spec, f"{raw.strip()!r} allows no request at all")
        else:
            raise _bad(spec, f"{raw.strip()!r} is not a plan or a rate" if part else "empty part")
        if is_daily:
            if seen_day:
                raise _bad(spec, "it gives the daily limit twice")
            seen_day, per_day = True, value
        else:
            if seen_minute:
                raise _bad(spec, "it gives the per-minute limit twice")
            seen_minute, per_minute = True, value
    return BudgetLimits(per_day=per_day, per_minute=per_minute)


def _bad(spec: str, reason: str) -> ConfigError:
    return ConfigError(f"invalid request budget {spec!r}: {reason}", hint=_FORMS)


def day_window(now: datetime, reset_hour_utc: int) -> tuple[datetime, datetime]:
    """The budget day ``[start, end)`` containing ``now`` (timezone-aware), in UTC.

    A budget day starts at ``reset_hour_utc``:00 UTC and lasts 24 hours (UTC has no
    daylight saving, so every budget day is exactly 86,400 seconds).
    """
    if now.tzinfo is None:
        raise ValueError(f"a naive datetime is ambiguous; give a timezone-aware one: {now}")
    if not 0 <= reset_hour_utc <= 23:
        raise ValueError(f"reset_hour_utc must be 0-23, not {reset_hour_utc}")
    now = now.astimezone(UTC)
    start = now.replace(hour=reset_hour_utc, minute=0, second=0, microsecond=0)
    if start > now:
        start -= timedelta(days=1)
    return start, start + timedelta(days=1)
