"""Time for the request budget: the real clock, or a fake one that tests move by hand.

The ledger asks a :class:`Clock` for the time and sleeps through it, so a test can
pace a day's worth of requests, or step into tomorrow, without waiting.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the ledger reads the time and waits."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (>= 0)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class FakeClock:
    """A clock that only moves when told to; :meth:`sleep` advances it at once.

    Safe to share between threads: several paced threads may sleep on it together.
    """

    def __init__(self, start: datetime) -> None:
        self._now = _utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Advance by ``seconds`` instantly, as if they had been slept."""
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds`` (>= 0; time never runs backwards on its own)."""
        if seconds < 0:
            raise ValueError(f"cannot advance a clock by a negative time ({seconds} s)")
        with self._lock:
            self._now += timedelta(seconds=seconds)

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (timezone-aware), forwards or backwards."""
        when = _utc(when)
        with self._lock:
            self._now = when


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError(f"a naive datetime is ambiguous; give a timezone-aware one: {when}")
    return when.astimezone(UTC)


SYSTEM_CLOCK = SystemClock()
