"""The one retry layer and the budget, through the real openai SDK against a scripted
HTTP server on loopback (no models: the server replies from a script)."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrator.budget import BudgetLimits, FakeClock, RequestLedger
from narrator.errors import (
    BudgetExhausted,
    PermanentProviderError,
    RejectedText,
    TransientProviderError,
)
from narrator.provider import Provider, RetryPolicy
from narrator.speech.openai_compat import RemoteSpeechEngine

KEY = "sk-test-NARRATOR-SECRET-0123456789"
TEXT = "The lamp was lit at dusk, as it had been for forty years."


def _wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    t = np.arange(int(22_050 * seconds)) / 22_050
    sf.write(buffer, 0.3 * np.sin(2 * np.pi * 220 * t), 22_050, format="WAV")
    return buffer.getvalue()


GOOD = (200, {"Content-Type": "audio/wav"}, _wav(3.0))


def _error(status: int, message: str, headers: dict[str, str] | None = None):
    body = json.dumps({"error": {"message": message, "type": "x", "param": None, "code": None}})
    return status, {"Content-Type": "application/json", **(headers or {})}, body.encode()


class Script:
    """Replies in order; the last reply repeats. Counts what it saw."""

    def __init__(self, *replies: tuple[int, dict[str, str], bytes] | str) -> None:
        self.replies = list(replies)
        self.seen = 0
        self.authorizations: list[str] = []
        self.lock = threading.Lock()

    def next(self) -> tuple[int, dict[str, str], bytes] | str:
        with self.lock:
            self.seen += 1
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@pytest.fixture()
def server() -> Iterator[tuple[str, list[Script]]]:
    holder: list[Script] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            script = holder[0]
            script.authorizations.append(self.headers.get("Authorization", ""))
            reply = script.next()
            if reply == "slow":
                time.sleep(1.5)
                reply = GOOD
            status, headers, body = reply  # type: ignore[misc]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", holder
    httpd.shutdown()
    httpd.server_close()


def _engine(
    url: str, tmp_path: Path, *, per_day: int | None = None, attempts: int = 4, timeout: float = 5
) -> tuple[RemoteSpeechEngine, RequestLedger, FakeClock]:
    clock = FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))
    ledger = RequestLedger(
        tmp_path / "ledger.sqlite", BudgetLimits(per_day=per_day), account="test", clock=clock
    )
    provider = Provider(
        base_url=url,
        api_key=KEY,
        timeout_s=timeout,
        ledger=ledger,
        policy=RetryPolicy(max_attempts=attempts, max_total_s=3600),
        clock=clock,
    )
    engine = RemoteSpeechEngine(
        provider, model="m", voice="v", speed=1.0, response_format="wav", max_input_chars=4096
    )
    return engine, ledger, clock


def test_rate_limits_and_server_errors_are_retried_and_every_attempt_is_counted(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    holder.append(
        Script(
            _error(429, "slow down", {"Retry-After": "7"}),
            _error(503, "unavailable"),
            _error(429, "slow down"),
            GOOD,
        )
    )
    engine, ledger, _ = _engine(url, tmp_path)
    speech = engine.synthesize(TEXT, label="c01-0000")
    assert abs(speech.duration_s - 3.0) < 0.01
    assert holder[0].seen == 4
    assert ledger.usage().used == 4  # retries are paid requests too
    assert all(a == f"Bearer {KEY}" for a in holder[0].authorizations)


def test_retry_after_is_honoured(server: tuple[str, list[Script]], tmp_path: Path) -> None:
    url, holder = server
    holder.append(Script(_error(429, "slow down", {"Retry-After": "7"}), GOOD))
    engine, _, clock = _engine(url, tmp_path)
    engine.synthesize(TEXT)
    # Exactly the server's 7 s; our own first backoff would be a random 0-2 s.
    assert (clock.now() - datetime(2026, 11, 28, 12, tzinfo=UTC)).total_seconds() == 7


def test_permanent_errors_fail_at_once_without_the_key(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    # Some providers echo the key they were sent; it must not reach our message.
    holder.append(Script(_error(401, f"Incorrect API key provided: {KEY}")))
    engine, ledger, _ = _engine(url, tmp_path)
    with pytest.raises(PermanentProviderError) as caught:
        engine.synthesize(TEXT, label="c01-0000")
    assert holder[0].seen == 1
    assert ledger.usage().used == 1
    assert KEY not in str(caught.value)
    assert "401" in str(caught.value) and "NARRATOR_API_KEY" in str(caught.value.hint)


@pytest.mark.parametrize("status", [400, 404, 422])
def test_each_permanent_status_is_one_request(
    server: tuple[str, list[Script]], tmp_path: Path, status: int
) -> None:
    url, holder = server
    holder.append(Script(_error(status, "no such thing")))
    engine, _, _ = _engine(url, tmp_path)
    with pytest.raises(PermanentProviderError, match=str(status)):
        engine.synthesize(TEXT)
    assert holder[0].seen == 1


@pytest.mark.parametrize(("status", "only_this_text"), [(400, True), (413, True), (401, False),
                                                       (404, False), (422, False)])  # fmt: skip
def test_a_status_that_rejects_the_text_concerns_only_that_chunk(
    server: tuple[str, list[Script]], tmp_path: Path, status: int, only_this_text: bool
) -> None:
    url, holder = server
    holder.append(Script(_error(status, "rejected")))
    engine, _, _ = _engine(url, tmp_path)
    with pytest.raises(PermanentProviderError) as caught:
        engine.synthesize(TEXT)
    assert isinstance(caught.value, RejectedText) == only_this_text


def test_retries_stop_at_the_attempt_cap(server: tuple[str, list[Script]], tmp_path: Path) -> None:
    url, holder = server
    holder.append(Script(_error(500, "boom")))
    engine, ledger, _ = _engine(url, tmp_path, attempts=3)
    with pytest.raises(TransientProviderError, match="500"):
        engine.synthesize(TEXT)
    assert holder[0].seen == 3
    assert ledger.usage().used == 3


@pytest.mark.parametrize(
    "bad",
    [
        (200, {"Content-Type": "audio/wav"}, b""),  # empty
        (200, {"Content-Type": "audio/wav"}, b"RIFF" + bytes(range(256)) * 4),  # garbage
        (200, {"Content-Type": "audio/wav"}, _wav(0.2)),  # far too short: truncated
        (200, {"Content-Type": "audio/wav"}, _wav(60.0)),  # far too long: babbling
    ],
    ids=["empty", "garbage", "truncated", "too-long"],
)
def test_unusable_200_responses_count_as_failed_attempts(
    server: tuple[str, list[Script]], tmp_path: Path, bad: tuple[int, dict[str, str], bytes]
) -> None:
    url, holder = server
    holder.append(Script(bad, GOOD))
    engine, ledger, _ = _engine(url, tmp_path)
    assert abs(engine.synthesize(TEXT).duration_s - 3.0) < 0.01
    assert holder[0].seen == 2
    assert ledger.usage().used == 2


def test_a_timeout_is_retried(server: tuple[str, list[Script]], tmp_path: Path) -> None:
    url, holder = server
    holder.append(Script("slow", GOOD))
    engine, ledger, _ = _engine(url, tmp_path, timeout=0.5)
    assert engine.synthesize(TEXT).duration_s > 2
    assert ledger.usage().used == 2


def test_the_budget_stops_requests_before_they_are_sent(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    holder.append(Script(_error(500, "boom")))
    engine, ledger, _ = _engine(url, tmp_path, per_day=2, attempts=10)
    with pytest.raises(BudgetExhausted) as caught:
        engine.synthesize(TEXT)
    assert holder[0].seen == 2  # the third attempt was never sent
    assert (caught.value.used, caught.value.limit) == (2, 2)
    assert caught.value.resets_at == datetime(2026, 11, 29, tzinfo=UTC)
    assert ledger.usage().remaining == 0
