"""The gate every HTTP request passes before routing (a pure ASGI middleware).

It counts and logs each request, checks the bearer token and the body size before the body
is read, caps streamed bodies, closes the connection after every answer, and never closes
one with unread input: the kernel would reset the connection and the client would see the
reset instead of the answer (a 413 or 401 in particular). So the whole answer goes out
first, then the rest of the body is read and thrown away, for a bounded time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from http import HTTPStatus
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from narrator.server.config import Counters, ServeConfig
from narrator.server.errors import DROPPED, ApiError, ConnectionDropped, too_large

log = logging.getLogger("narrator.server")

TRANSPORT = "narrator.transport"
"""Key of ``scope["extensions"]`` holding the connection's asyncio transport (see run.py)."""

_DRAIN_S = 5.0
"""Longest time spent discarding a request body that will not be used, seconds."""

_IDLE_S = 60.0
"""A client that sends no body data for this many seconds is disconnected."""


def log_request(method: str, path: str, outcome: object, started: float) -> None:
    """One INFO line per request: method, path, status (or why there was none), time.

    Headers are never logged: they carry the bearer token.
    """
    elapsed_ms = (time.monotonic() - started) * 1000
    log.info("%s %s %s %.0f ms", method, path, outcome, elapsed_ms)


class Gate:
    """ASGI middleware in front of the FastAPI app; see the module docstring."""

    def __init__(
        self, app: ASGIApp, config: ServeConfig, counters: Counters, stopping: asyncio.Event
    ) -> None:
        self.app = app
        self.config = config
        self.counters = counters
        self.stopping = stopping

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.counters.request(scope["path"])
        exchange = _Exchange(scope, receive, send, self.config.max_request_bytes, self.stopping)
        try:
            refusal = self._refusal(Headers(scope=scope))
            if refusal is not None:
                answer = refusal.response(self.config.error_style)
                await answer(scope, exchange.receive, exchange.send)
            else:
                await self.app(scope, exchange.receive, exchange.send)
        except Exception:
            # FastAPI has answered 500 in OpenAI's shape already, unless the answer had begun.
            log.exception("%s %s failed", scope["method"], scope["path"])
            if not exchange.started:
                error = ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal error.")
                answer = error.response(self.config.error_style)
                await answer(scope, exchange.receive, exchange.send)

    def malformed(self) -> None:
        """Count and log a request too malformed to have a method or path (answered 400)."""
        self.counters.request("-")
        log_request("-", "-", HTTPStatus.BAD_REQUEST.value, time.monotonic())

    def _refusal(self, headers: Headers) -> ApiError | None:
        token = self.config.token
        if token is not None:
            sent = headers.get("authorization", "")
            if not sent:
                return ApiError(
                    HTTPStatus.UNAUTHORIZED,
                    "Missing bearer token: send 'Authorization: Bearer <token>' with the "
                    "server's token.",
                    code="invalid_api_key",
                )
            expected = f"Bearer {token.get_secret_value()}".encode()
            # Constant-time comparison; the message never repeats what was sent (a secret).
            if not hmac.compare_digest(sent.encode("latin-1"), expected):
                return ApiError(
                    HTTPStatus.UNAUTHORIZED,
                    "Incorrect bearer token: use the token the server was started with.",
                    code="invalid_api_key",
                )
        length = headers.get("content-length", "")
        limit = self.config.max_request_bytes
        if length.isdigit() and int(length) > limit:
            return too_large(f"The request body is {length} bytes; the limit is {limit} bytes.")
        return None


class _Exchange:
    """One request's ``receive`` and ``send``, wrapped for the gate's rules."""

    def __init__(
        self, scope: Scope, receive: Receive, send: Send, limit: int, stopping: asyncio.Event
    ) -> None:
        self._scope = scope
        self._receive = receive
        self._send = send
        self._limit = limit
        self._stopping = stopping
        self._started_at = time.monotonic()
        headers = Headers(scope=scope)
        # HTTP/1.1 framing: without either header the request has no body.
        self.complete = headers.get("content-length", "0") == "0" and (
            "transfer-encoding" not in headers
        )
        self.started = False  # the answer has begun (or was dropped)
        self._received = 0
        self._dropping = False

    async def receive(self) -> Message:
        """The app's ``receive``: counts body bytes against the limit."""
        message = await self._next(_IDLE_S)
        if message["type"] != "http.request":
            self.complete = True
            return message
        self._received += len(message.get("body", b""))
        self.complete = not message.get("more_body", False)
        if self._received > self._limit:
            raise too_large(f"The request body is over the limit of {self._limit} bytes.")
        return message

    async def send(self, message: Message) -> None:
        """The app's ``send``: adds 'Connection: close', drains, or drops the connection."""
        if message["type"] == "http.response.start":
            self.started = True
            dropped = self._scope.get("state", {}).get(DROPPED)
            self.log(dropped or message["status"])
            if dropped:
                self._dropping = True
                return
            # One request per connection: a pooled connection that the server closes while
            # idle would fail the client's next request with an error no retry policy expects.
            headers = [*message.get("headers", []), (b"connection", b"close")]
            await self._send({**message, "headers": headers})
        elif self._dropping:
            if not message.get("more_body", False):
                await self.close()
        elif message.get("more_body", False) or self.complete:
            await self._send(message)
        else:
            await self._send({**message, "more_body": True})  # the client has it all now
            await self._drain()
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})

    def log(self, outcome: object) -> None:
        """Log this request's line (logged before sending, so it exists when the client
        has the answer)."""
        log_request(self._scope["method"], self._scope["path"], outcome, self._started_at)

    async def close(self) -> None:
        """Close the connection without (more of) an answer."""
        self.started = True
        transport: Any = self._scope.get("extensions", {}).get(TRANSPORT)
        if transport is None:
            return
        transport.close()
        # Wait for the server to notice, so it does not answer in the app's place.
        while (await self._receive())["type"] != "http.disconnect":
            pass

    async def _drain(self) -> None:
        deadline = time.monotonic() + _DRAIN_S
        with contextlib.suppress(ConnectionDropped):
            while not self.complete and (left := deadline - time.monotonic()) > 0:
                message = await self._next(left)
                self.complete = message["type"] != "http.request" or not message.get(
                    "more_body", False
                )

    async def _next(self, timeout_s: float) -> Message:
        """The next message from the server, unless the server stops or ``timeout_s`` pass."""
        receiving = asyncio.ensure_future(self._receive())
        stopping = asyncio.ensure_future(self._stopping.wait())
        done, _ = await asyncio.wait(
            {receiving, stopping}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED
        )
        stopping.cancel()
        if receiving in done:
            return receiving.result()
        receiving.cancel()
        if self._stopping.is_set():
            raise ConnectionDropped("server stopping")
        raise ConnectionDropped(f"client sent nothing for {timeout_s:.0f} s")
