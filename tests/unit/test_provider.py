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

from narrator.budget import BudgetLimits, FakeClock, RequestLedger, SQLiteLedger
from narrator.errors import (
    BudgetExhausted,
    PermanentProviderError,
    RejectedText,
    TransientProviderError,
)
from narrator.provider import Provider, ProviderRefused, RetryPolicy, Timeouts
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
    ledger = SQLiteLedger(
        tmp_path / "ledger.sqlite", BudgetLimits(per_day=per_day), account="test", clock=clock
    )
    provider = Provider(
        base_url=url,
        api_key=KEY,
        timeouts=Timeouts(cap_s=timeout),
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


def _reply(status: int, content_type: str, body: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": content_type}, body.encode()


@pytest.mark.parametrize(
    ("reply", "shown"),
    [
        (_error(404, "The model 'kokoro' does not exist"), "The model 'kokoro' does not exist"),
        (
            _reply(400, "application/json", '{"detail": "Voice \'af_bela\' not found"}'),
            "Voice 'af_bela' not found",
        ),
        (
            _reply(
                400,
                "application/json",
                '{"detail": {"error": {"message": "unknown model: whisper-1"}}}',
            ),
            "unknown model: whisper-1",
        ),
        (
            _reply(
                422,
                "application/json",
                '{"detail": [{"loc": ["body", "speed"], "msg": "Input should be less than '
                'or equal to 4", "type": "less_than_equal"}]}',
            ),
            "speed: Input should be less than or equal to 4",
        ),
        (_reply(400, "text/plain", "model not loaded\n"), "model not loaded"),
        (
            _reply(
                403,
                "text/html",
                "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1>"
                "<p>" + "nginx " * 200 + "</p></body></html>",
            ),
            "403 Forbidden",
        ),
    ],
    ids=["openai", "fastapi-string", "fastapi-object", "fastapi-validation", "text", "html"],
)
def test_every_error_body_shape_shows_the_servers_message(
    server: tuple[str, list[Script]],
    tmp_path: Path,
    reply: tuple[int, dict[str, str], bytes],
    shown: str,
) -> None:
    url, holder = server
    holder.append(Script(reply))
    engine, _, _ = _engine(url, tmp_path)
    with pytest.raises(PermanentProviderError) as caught:
        engine.synthesize(TEXT, label="c01-0000")
    message = caught.value.message
    assert message.endswith(f"HTTP {reply[0]}: {shown}"), message
    assert "no error message" not in message and "nginx" not in message


def test_a_long_error_body_is_shortened_and_a_key_in_it_redacted(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    holder.append(Script(_reply(401, "text/plain", f"bad key {KEY} " + "x" * 2000)))
    engine, _, _ = _engine(url, tmp_path)
    with pytest.raises(PermanentProviderError) as caught:
        engine.synthesize(TEXT)
    message = caught.value.message
    assert KEY not in message and "bad key [redacted]" in message
    assert len(message) < 500 and message.endswith("…")


def _pcm(seconds: float, rate: int) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes()


def _adts(seconds: float) -> bytes:
    from narrator.audio.export import run_ffmpeg

    return run_ffmpeg(
        ["-f", "wav", "-i", "pipe:0", "-c:a", "aac", "-b:a", "64k", "-f", "adts", "pipe:1"],
        "encode a test tone as aac",
        stdin=_wav(seconds),
    )


@pytest.mark.parametrize(
    ("asked", "sent", "rate"),
    [("pcm", _wav(3.0), 22_050), ("wav", b"aac", 22_050), ("mp3", _wav(3.0), 22_050)],
    ids=["wav-for-pcm", "aac-for-wav", "wav-for-mp3"],
)
def test_responses_decode_by_their_content_not_the_format_asked_for(
    server: tuple[str, list[Script]], tmp_path: Path, asked: str, sent: bytes, rate: int
) -> None:
    url, holder = server
    body = _adts(3.0) if sent == b"aac" else sent
    holder.append(Script((200, {"Content-Type": "application/octet-stream"}, body)))
    engine, _, _ = _engine(url, tmp_path)
    engine = RemoteSpeechEngine(
        engine._provider, model="m", voice="v", speed=1.0, response_format=asked,
        max_input_chars=4096,
    )  # fmt: skip
    speech = engine.synthesize(TEXT)
    assert speech.sample_rate in (rate, 44_100, 48_000)  # aac may come back resampled
    assert abs(speech.duration_s - 3.0) < 0.1
    assert holder[0].seen == 1


def test_pcm_is_read_at_the_configured_rate(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    holder.append(Script((200, {"Content-Type": "audio/pcm"}, _pcm(3.0, 22_050))))
    engine, _, _ = _engine(url, tmp_path)
    piper_like = RemoteSpeechEngine(
        engine._provider, model="m", voice="v", speed=1.0, response_format="pcm",
        max_input_chars=4096, pcm_rate=22_050,
    )  # fmt: skip
    speech = piper_like.synthesize(TEXT)
    assert speech.sample_rate == 22_050 and abs(speech.duration_s - 3.0) < 0.01
    assert "pcm@22050" in piper_like.identity


def test_pcm_at_another_rate_stops_the_run_naming_the_rate(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    # 4 s of speech at 48 kHz, read as OpenAI's 24 kHz, lasts 8 s: far longer than the
    # text needs, though within what a take of another voice might last.
    holder.append(Script((200, {"Content-Type": "audio/pcm"}, _pcm(4.0, 48_000))))
    engine, ledger, _ = _engine(url, tmp_path)
    pcm = RemoteSpeechEngine(
        engine._provider, model="m", voice="v", speed=1.0, response_format="pcm",
        max_input_chars=4096,
    )  # fmt: skip
    with pytest.raises(ProviderRefused) as refused:
        pcm.synthesize(TEXT, label="c01-0000")
    assert "probably at 48000 Hz" in refused.value.message
    assert "--pcm-rate" in str(refused.value.hint)
    with pytest.raises(ProviderRefused):
        pcm.synthesize(TEXT, label="c01-0001")  # refused without asking again
    assert holder[0].seen == 1 and ledger.usage().used == 1


def test_timeouts_scale_with_the_payload_between_floor_and_cap() -> None:
    timeouts = Timeouts(cap_s=600, floor_s=30, per_char_s=0.15, per_audio_s=0.5)
    assert timeouts.for_speech(0) == 30
    assert timeouts.for_speech(4096) == 600  # 30 + 614 s, capped
    assert timeouts.for_speech(400) == pytest.approx(90)
    assert timeouts.for_transcription(15 * 60) == 480  # a 15-minute verification batch
    assert Timeouts(cap_s=10).for_transcription(900) == 10


def test_a_short_request_times_out_sooner_than_the_cap_and_is_retried(
    server: tuple[str, list[Script]], tmp_path: Path
) -> None:
    url, holder = server
    holder.append(Script("slow", GOOD))  # the first answer takes 1.5 s
    engine, ledger, _ = _engine(url, tmp_path, timeout=60)
    provider = Provider(
        base_url=url,
        api_key=KEY,
        ledger=ledger,
        clock=FakeClock(datetime(2026, 11, 28, tzinfo=UTC)),
        timeouts=Timeouts(cap_s=60, floor_s=0.5, per_char_s=0.001),
        policy=RetryPolicy(max_attempts=3, max_total_s=3600),
    )
    short = RemoteSpeechEngine(
        provider, model="m", voice="v", speed=1.0, response_format="wav", max_input_chars=4096
    )
    assert short.synthesize(TEXT).duration_s > 2
    assert holder[0].seen == 2 and provider.requests_made() == {"synthesis": 1, "retries": 1}


@pytest.mark.parametrize("style", ["openai", "fastapi", "text", "html"])
def test_narrate_serve_errors_in_each_style_reach_the_user_with_the_valid_choice(
    tmp_path: Path, style: str
) -> None:
    from narrator.server import SPEECH_MODEL, ServeConfig, SpeechServer

    with SpeechServer(ServeConfig(port=0, error_style=style)) as served:  # type: ignore[arg-type]
        engine, _, _ = _engine(served.url, tmp_path)
        alloy = RemoteSpeechEngine(
            engine._provider, model=SPEECH_MODEL, voice="alloy", speed=1.0,
            response_format="wav", max_input_chars=4096,
        )  # fmt: skip
        with pytest.raises(PermanentProviderError) as caught:
            alloy.synthesize(TEXT, label="c01-0000")
    message = caught.value.message
    assert "HTTP 400: " in message and "'alloy'" in message and "'joe'" in message
    assert "<" not in message and "{" not in message


@pytest.mark.parametrize(
    ("reply", "no_route"),
    [
        (_reply(405, "application/json", '{"detail": "Method Not Allowed"}'), True),
        (_reply(404, "text/html", "<html><title>404 Not Found</title></html>"), True),
        (_reply(501, "text/plain", "Unsupported method ('POST')"), True),
        (_error(404, "The model 'm' does not exist or you do not have access to it."), False),
    ],
    ids=["405", "404-route", "501", "404-model"],
)
def test_a_missing_speech_route_stops_the_run_at_once_naming_the_embedded_engine(
    server: tuple[str, list[Script]],
    tmp_path: Path,
    reply: tuple[int, dict[str, str], bytes],
    no_route: bool,
) -> None:
    url, holder = server
    holder.append(Script(reply))
    engine, _, _ = _engine(url, tmp_path)
    with pytest.raises(ProviderRefused) as caught:
        engine.synthesize(TEXT, label="c01-0000")
    with pytest.raises(ProviderRefused):
        engine.synthesize(TEXT, label="c01-0001")  # refused without asking again
    assert holder[0].seen == 1
    said = str(caught.value)
    assert ("has no speech route: POST " in said) == no_route
    assert ("--engine embedded" in str(caught.value.hint)) == no_route
    assert "check the provider settings" not in said


def test_a_server_without_a_transcription_route_stops_verification_naming_the_fix(
    tmp_path: Path,
) -> None:
    from narrator.server import ServeConfig, SpeechServer
    from narrator.verify.openai_compat import RemoteTranscriber

    batch = tmp_path / "batch.wav"
    batch.write_bytes(_wav(1.0))
    with SpeechServer(ServeConfig(port=0, transcription_route=False)) as speech_only:
        engine, _, _ = _engine(speech_only.url, tmp_path)
        transcriber = RemoteTranscriber(engine._provider, model="faster-whisper-tiny.en")
        with pytest.raises(ProviderRefused) as caught:
            transcriber.transcribe_timed(batch, label="batch-01")
        seen = speech_only.stats.by_path
    assert seen == {"/v1/audio/transcriptions": 1}
    assert caught.value.exit_code == 2
    assert "has no transcription route" in caught.value.message
    assert "HTTP 404" in caught.value.message
    assert str(caught.value.hint).startswith("pass --verify embedded")
    assert KEY not in str(caught.value)
