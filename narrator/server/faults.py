"""Fault injection: the speech server failing like a real provider, on purpose.

A seeded, thread-safe draw decides which requests fail and how, so tests of the remote
path (retries, timeouts, audio validation) see every kind of failure a real provider
produces, in a sequence that repeats for the same seed and request order.

:class:`FaultLayer` applies the draw as a FastAPI dependency of the two audio routes, after
the request has been validated: status faults raise an :class:`ApiError`, a dropped
connection raises :class:`ConnectionDropped` (the gate closes the socket), a slow answer
waits, and an audio fault comes back as an :class:`AudioFault` that corrupts the body.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus

from pydantic import Field

from narrator.models import Frozen
from narrator.server.config import Counters
from narrator.server.errors import ApiError, ConnectionDropped

TRUNCATED_FRACTION = 0.3
"""Share of the real audio body a 'truncated' fault keeps."""

GARBAGE_BYTES = 4096
"""Size of a 'garbage' fault's body, bytes."""


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


@dataclass(frozen=True)
class AudioFault:
    """An audio fault drawn for a speech request: a 200 whose body will not decode."""

    kind: FaultKind
    injector: FaultInjector

    def corrupt(self, render: Callable[[], bytes]) -> bytes:
        """The faulty body; ``render`` makes the real audio, called only when it is cut."""
        if self.kind == FaultKind.EMPTY:
            return b""
        if self.kind == FaultKind.GARBAGE:
            return self.injector.garbage(GARBAGE_BYTES)
        audio = render()
        return audio[: int(len(audio) * TRUNCATED_FRACTION)]


class FaultLayer:
    """The FastAPI dependencies that inject faults into the audio routes."""

    def __init__(
        self, injector: FaultInjector | None, counters: Counters, stopping: asyncio.Event
    ) -> None:
        self._injector = injector
        self._counters = counters
        self._stopping = stopping

    async def speech(self) -> AudioFault | None:
        """Dependency of the speech route: raises a drawn fault, or returns an audio fault."""
        return await self._apply(audio=True)

    async def transcription(self) -> None:
        """Dependency of the transcription route; an audio fault drawn there is a 500."""
        await self._apply(audio=False)

    async def _apply(self, *, audio: bool) -> AudioFault | None:
        if self._injector is None:
            return None
        fault = self._injector.draw()
        if fault is None:
            return None
        if fault in AUDIO_FAULTS and not audio:
            fault = FaultKind.SERVER_ERROR
        self._counters.fault(fault.value)
        match fault:
            case FaultKind.RATE_LIMIT | FaultKind.RATE_LIMIT_RETRY_AFTER:
                headers = {"Retry-After": "1"} if fault == FaultKind.RATE_LIMIT_RETRY_AFTER else {}
                raise ApiError(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    "Rate limit reached for requests (injected fault).",
                    code="rate_limit_exceeded",
                    headers=headers,
                )
            case FaultKind.SERVER_ERROR:
                raise ApiError(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "The server had an error while processing your request (injected fault).",
                )
            case FaultKind.UNAVAILABLE:
                raise ApiError(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    "The server is overloaded; try again later (injected fault).",
                    code="service_unavailable",
                )
            case FaultKind.DROP:
                raise ConnectionDropped("dropped (injected fault)")
            case FaultKind.SLOW:
                # Waiting on the stop event lets stopping the server cut the wait short.
                try:
                    await asyncio.wait_for(self._stopping.wait(), self._injector.config.slow_s)
                except TimeoutError:
                    return None
                raise ConnectionDropped("server stopping")
        return AudioFault(fault, self._injector)
