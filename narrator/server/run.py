"""The server's lifecycle on uvicorn: in a thread (tests, flows) or in the foreground (CLI).

The listening socket is bound before uvicorn starts, so a taken port fails at once with a
ConfigError and port 0 has its real number straight away. Stopping refuses new model work,
cuts injected waits short, and waits for the model work in flight: a thread still inside
onnxruntime or CTranslate2 when the interpreter exits aborts the whole process
("terminate called without an active exception").
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from http import HTTPStatus
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from narrator.errors import ConfigError
from narrator.server.app import create_app
from narrator.server.config import Counters, ServeConfig, ServerStats
from narrator.server.errors import ApiError
from narrator.server.faults import FaultConfig, FaultInjector, FaultLayer
from narrator.server.gate import TRANSPORT, Gate

log = logging.getLogger("narrator.server")

_STOP_WAIT_S = 60
"""Longest time stopping waits for requests in flight (model work) to finish, seconds."""

_START_POLL_S = 0.05
"""How often ``start`` checks that the serving thread is still alive while it starts, seconds."""


def _protocol(gate: Gate) -> type[H11Protocol]:
    """uvicorn's HTTP/1.1 protocol with the socket-level hooks the gate needs."""

    class Protocol(H11Protocol):
        """Puts the connection's transport in each request's scope (to drop connections),
        and answers requests too malformed to reach the app in OpenAI's error shape."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.app = self._with_transport

        async def _with_transport(self, scope: Any, receive: Any, send: Any) -> None:
            scope["extensions"] = {**scope.get("extensions", {}), TRANSPORT: self.transport}
            await gate(scope, receive, send)

        def send_400_response(self, msg: str) -> None:
            gate.malformed()
            error = ApiError(HTTPStatus.BAD_REQUEST, f"{msg} Send an HTTP/1.1 request.")
            body = bytes(error.response().body)
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ]
            for event in (
                h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                h11.Data(data=body),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event) or b"")
            self.transport.close()

    return Protocol


class _Uvicorn(uvicorn.Server):
    """uvicorn's server, telling when it listens (the log shows the real port) and
    when it begins to stop."""

    def __init__(self, config: uvicorn.Config, stopping: asyncio.Event, url: str) -> None:
        super().__init__(config)
        self.listening = threading.Event()
        self._stopping = stopping
        self._url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        log.info("narrator speech server listening on %s", self._url)
        self.listening.set()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        log.info("narrator speech server stopping")
        self._stopping.set()
        await super().shutdown(sockets)


class SpeechServer:
    """The OpenAI-compatible speech server; ``start``/``stop`` it, or use it as a context."""

    def __init__(
        self, config: ServeConfig | None = None, faults: FaultConfig | None = None
    ) -> None:
        self.config = config or ServeConfig()
        self._injector = FaultInjector(faults) if faults is not None else None
        self._counters = Counters()
        self._server: _Uvicorn | None = None
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Serve in a daemon thread; returns the base URL, e.g. ``http://127.0.0.1:8000/v1``."""
        server, sock = self._prepare()
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="narrator-server", daemon=True
        )
        self._thread = thread
        thread.start()
        while not server.listening.wait(_START_POLL_S):
            if not thread.is_alive():
                self._server = self._thread = self._socket = None
                sock.close()
                raise RuntimeError("the speech server stopped while starting")
        return self.url

    def stop(self) -> None:
        """Stop a server begun with :meth:`start`, after the model work in flight."""
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is None:
            return
        server.should_exit = True
        if thread is not None:
            thread.join()
        if sock is not None:
            sock.close()

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C; the base URL is logged at INFO when listening."""
        server, sock = self._prepare()
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass  # uvicorn re-raises the Ctrl-C it caught, after a clean shutdown
        finally:
            self._server = self._socket = None
            sock.close()

    def __enter__(self) -> SpeechServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL clients use (``http://HOST:PORT/v1``); the server must be running."""
        if self._socket is None:
            raise RuntimeError("the speech server is not running")
        host, port = self._socket.getsockname()[:2]
        # A wildcard address is where the server listens, not one a client can connect to.
        shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        if ":" in shown:
            shown = f"[{shown}]"  # an IPv6 address in a URL
        return f"http://{shown}:{port}/v1"

    @property
    def stats(self) -> ServerStats:
        """A consistent snapshot of the counters."""
        return self._counters.snapshot()

    def _prepare(self) -> tuple[_Uvicorn, socket.socket]:
        """Bind the socket and build the app and uvicorn server around it."""
        if self._server is not None:
            raise RuntimeError("the speech server is already running")
        host, port = self.config.host, self.config.port
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc}",
                hint="choose another port (0 picks a free one) or stop the program using it",
            ) from exc
        # One event per run: an asyncio.Event binds to the loop that first waits on it.
        stopping = asyncio.Event()
        faults = FaultLayer(self._injector, self._counters, stopping)
        app = create_app(self.config, self._counters, faults, stopping)
        gate = Gate(app, self.config, self._counters, stopping)
        config = uvicorn.Config(
            gate,
            http=_protocol(gate),
            ws="none",
            lifespan="off",
            # narrator.server logs one line per request; uvicorn only reports problems.
            log_config=None,
            log_level=logging.WARNING,
            access_log=False,
            proxy_headers=False,
            server_header=False,
            headers=[("server", "narrator")],
            timeout_graceful_shutdown=_STOP_WAIT_S,
        )
        self._socket = sock
        self._server = _Uvicorn(config, stopping, self.url)
        return self._server, sock
