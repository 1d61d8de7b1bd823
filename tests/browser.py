"""A headless Chromium driven over the Chrome DevTools Protocol (test support).

Debian's ``chromium`` (installed by ``scripts/system-packages.sh``) runs with an empty
profile, no network services and a DevTools port the browser picks itself; the client
speaks the protocol over the locked ``websockets`` package, one command at a time.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from websockets.sync.client import connect

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Lets a test play a muted chunk without a click, to see that it decodes.
    "--autoplay-policy=no-user-gesture-required",
    "--remote-debugging-port=0",
)
START_TIMEOUT_S = 60.0  # a cold start on a busy 2-core machine took up to 4 s


class Browser:
    """One headless Chromium with one page; use it as a context manager.

    ``requests`` lists the URL of every request the page made (``Network.enable``).
    """

    def __init__(self, profile: Path) -> None:
        executable = shutil.which("chromium")
        if executable is None:
            raise RuntimeError("chromium is not installed: scripts/system-packages.sh installs it")
        profile.mkdir(parents=True, exist_ok=False)  # an empty profile every time
        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self.requests: list[str] = []
        self._socket = connect(self._browser_url(profile), max_size=None, open_timeout=30)
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Network.enable", session=True)
        self.send("Page.enable", session=True)

    def _browser_url(self, profile: Path) -> str:
        """The browser's DevTools WebSocket, from the port file Chromium writes at start."""
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self._process.returncode}")
            lines = port_file.read_text().split() if port_file.is_file() else []
            if len(lines) == 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise RuntimeError(f"chromium wrote no {port_file} in {START_TIMEOUT_S:.0f} s")

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._socket.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def send(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command (to the page when ``session``) and return its result."""
        message: dict[str, Any] = {"id": next(self._ids), "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        self._socket.send(json.dumps(message))
        while True:
            reply = self._receive(timeout=60)
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _receive(self, timeout: float) -> dict[str, Any]:
        reply = json.loads(self._socket.recv(timeout=timeout))
        if "method" in reply:
            if reply["method"] == "Network.requestWillBeSent":
                self.requests.append(reply["params"]["request"]["url"])
            self._events.append(reply)
        return reply

    def open(self, url: str) -> None:
        """Load ``url`` in the page and wait for its load event."""
        self._events.clear()
        self.send("Page.navigate", session=True, url=url)
        while not any(e["method"] == "Page.loadEventFired" for e in self._events):
            self._receive(timeout=60)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        result = self.send(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}...: {result['exceptionDetails']}")
        return result["result"].get("value")
