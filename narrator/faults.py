"""Fault injection for the local speech server (``narrator.server``).

A seeded, thread-safe draw decides which requests fail and how, so tests of the remote
path (retries, timeouts, audio validation) see every kind of failure a real provider
produces, in a sequence that repeats for the same seed and request order.
"""

from __future__ import annotations

import random
import threading
from enum import StrEnum

from pydantic import Field

from narrator.models import Frozen


class FaultKind(StrEnum):
    """How a faulted request fails."""

    RATE_LIMIT = "429"  # no Retry-After header: the client picks its own backoff
    RATE_LIMIT_RETRY_AFTER = "429-retry-after"  # Retry-After: 1 (seconds)
    SERVER_ERROR = "500"
    UNAVAILABLE = "503"
    SLOW = "slow"  # answers only after FaultConfig.slow_s seconds
    DROP = "drop"  # closes the connection without any response
    TRUNCATED = "truncated"  # 200 with the real audio cut to its first 30 %
    EMPTY = "empty"  # 200 with a zero-byte body
    GARBAGE = "garbage"  # 200 with random bytes under the audio content type


AUDIO_FAULTS = frozenset({FaultKind.TRUNCATED, FaultKind.EMPTY, FaultKind.GARBAGE})
"""Faults that corrupt a successful audio body; only speech responses have one."""


class FaultConfig(Frozen):
    """Which requests fail, and how; ``rate=1`` with one kind faults every request alike."""

    rate: float = Field(ge=0, le=1, description="probability that a request gets a fault")
    seed: int = Field(default=0, description="seed of the fault sequence")
    kinds: tuple[FaultKind, ...] = Field(default=tuple(FaultKind), min_length=1)
    slow_s: float = Field(
        default=5.0, gt=0, description="seconds a 'slow' response waits before answering"
    )


class FaultInjector:
    """Draws the fault (or none) for each request from one seeded generator, thread-safely."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self._lock = threading.Lock()

    def draw(self) -> FaultKind | None:
        """The fault for the next request, or None when it should be served normally."""
        with self._lock:
            if self._rng.random() >= self.config.rate:
                return None
            return self._rng.choice(self.config.kinds)

    def garbage(self, size: int) -> bytes:
        """``size`` random bytes from the seeded generator (a 'garbage' audio body)."""
        with self._lock:
            return self._rng.randbytes(size)
