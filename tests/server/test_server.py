"""The local OpenAI-compatible speech server, over real HTTP on loopback, through the real
``openai`` SDK and the real models (loaded once, by the first model-using test).

One module on purpose: every test shares one running server (its models take seconds
to load), so splitting it would start and load it again per module.
"""

from __future__ import annotations

import io
import json
import logging
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import openai
import pytest
import soundfile as sf
from pydantic import SecretStr

from narrator.audio.io import read_audio
from narrator.errors import ConfigError
from narrator.server import (
    KOKORO_MODEL,
    SPEECH_MODEL,
    SPEECH_VOICES,
    TRANSCRIPTION_MODEL,
    VOICE,
    FaultConfig,
    FaultInjector,
    FaultKind,
    ServeConfig,
    SpeechServer,
)
from narrator.speech.voices import KOKORO_NAMES

TEXT = "The keeper lit the lamp at dusk, and the light stayed on all night."
CHARS_PER_S = 16.5  # joe-medium at speed 1.0, measured (narrator.speech.piper)
VOICE_RATE_HZ = 22_050
KOKORO_VOICE = "af_heart"
KOKORO_CHARS_PER_S = 17.3  # af_heart at speed 1.0, measured (narrator.speech.kokoro)
KOKORO_RATE_HZ = 24_000
MODELS = [SPEECH_MODEL, KOKORO_MODEL, TRANSCRIPTION_MODEL]


def _client(url: str, *, api_key: str = "x", timeout: float = 60.0) -> openai.OpenAI:
    return openai.OpenAI(base_url=url, api_key=api_key, max_retries=0, timeout=timeout)


def _speak(client: openai.OpenAI, text: str = TEXT, **options: object) -> bytes:
    options = {"model": SPEECH_MODEL, "voice": VOICE, "response_format": "wav", **options}
    return client.audio.speech.create(input=text, **options).content  # type: ignore[arg-type]


def _recall(heard: str) -> float:
    """Share of TEXT's distinct words found in ``heard``.

    Piper's output varies from run to run and tiny.en mishears a word now and then
    (once "The keeper" as "but keep her"), so tests ask for most words, not all.
    """

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z']+", text.lower()))

    return len(words(TEXT) & words(heard)) / len(words(TEXT))


def _raw(
    url: str, method: str = "GET", body: bytes | None = None, content_type: str | None = None
) -> tuple[int, Mapping[str, str], bytes]:
    """One request without the SDK, so without an Authorization header."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    headers = {"Content-Type": content_type} if content_type else {}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _address(url: str) -> tuple[str, int]:
    """(host, port) of a base URL like http://127.0.0.1:8000/v1."""
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def _tone_wav(seconds: float = 0.5) -> bytes:
    """A 440-Hz tone as 16-bit WAV: decodable audio that needs no speech model."""
    t = np.arange(round(seconds * VOICE_RATE_HZ)) / VOICE_RATE_HZ
    wav = io.BytesIO()
    sf.write(wav, 0.5 * np.sin(2 * np.pi * 440 * t), VOICE_RATE_HZ, format="WAV")
    return wav.getvalue()


def _multipart(boundary: str, **fields: bytes) -> bytes:
    """A multipart/form-data body; the field named 'file' gets a file name."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
        + (b'; filename="f.wav"' if name == "file" else b"")
        + b"\r\n\r\n"
        + value
        + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def _error(body: bytes) -> dict[str, object]:
    """The OpenAI error object of a response body, checking its shape."""
    error = json.loads(body)["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert isinstance(error["message"], str) and error["message"]
    return error


def _status_and_error(answer: bytes) -> tuple[int, dict[str, object]]:
    """Status code and OpenAI error object of a raw HTTP/1.1 answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), _error(body)


def _read_answer(sock: socket.socket) -> bytes:
    """One HTTP answer, read by its Content-Length (the connection may stay open)."""
    answer = b""
    while True:
        head, separator, body = answer.partition(b"\r\n\r\n")
        if separator:
            length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
            assert length, head
            if len(body) >= int(length[1]):
                return answer
        chunk = sock.recv(65536)
        assert chunk, f"closed after {answer!r}"
        answer += chunk


def _read_all(sock: socket.socket) -> bytes:
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer


@pytest.fixture(scope="module")
def server() -> Iterator[SpeechServer]:
    with SpeechServer(ServeConfig(port=0)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: SpeechServer) -> openai.OpenAI:
    return _client(server.url)


@pytest.fixture(scope="module")
def spoken_wav(client: openai.OpenAI) -> bytes:
    """TEXT spoken by the server as WAV (loads the Piper voice)."""
    return _speak(client)


@pytest.fixture(scope="module")
def kokoro_wav(client: openai.OpenAI) -> bytes:
    """TEXT spoken by the server in a Kokoro voice as WAV (loads Kokoro)."""
    return _speak(client, model=KOKORO_MODEL, voice=KOKORO_VOICE)


# --- models and lifecycle ---------------------------------------------------------------


def test_models_lists_exactly_the_speech_and_transcription_models(client: openai.OpenAI) -> None:
    models = list(client.models.list())
    assert [m.id for m in models] == MODELS
    assert {(m.object, m.owned_by, m.created) for m in models} == {("model", "narrator", 0)}
    assert client.models.retrieve(TRANSCRIPTION_MODEL).id == TRANSCRIPTION_MODEL
    assert client.models.retrieve(KOKORO_MODEL).id == KOKORO_MODEL
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("whisper-1")
    assert caught.value.code == "model_not_found"


def test_start_is_instant_on_a_free_port_and_stop_closes_it() -> None:
    started = time.monotonic()
    speech_server = SpeechServer(ServeConfig(port=0))
    url = speech_server.start()
    try:
        assert time.monotonic() - started < 1.0  # no model is loaded to start
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", url)
        assert url == speech_server.url
        with pytest.raises(RuntimeError, match="already running"):
            speech_server.start()
        with pytest.raises(ConfigError, match="cannot listen"):
            SpeechServer(ServeConfig(port=_address(url)[1])).start()
        assert len(_client(url).models.list().data) == len(MODELS)
    finally:
        speech_server.stop()
    with pytest.raises(openai.APIConnectionError):
        _client(url, timeout=5).models.list()
    speech_server.stop()  # stopping twice is harmless


@pytest.mark.slow
def test_stop_finishes_the_speech_in_flight(spoken_wav: bytes) -> None:
    # Interrupting Piper in a daemon thread at interpreter exit would abort the process.
    text = " ".join([TEXT] * 3)  # about 12 s of audio, about 1 s to synthesize
    speech_server = SpeechServer(ServeConfig(port=0))
    url = speech_server.start()
    with pytest.raises(openai.APITimeoutError):
        _speak(_client(url, timeout=0.3), text)
    speech_server.stop()
    assert speech_server.stats.speech_inputs == (text,)


def test_a_stalled_client_does_not_block_other_requests(server: SpeechServer) -> None:
    with socket.create_connection(_address(server.url)) as stalled:
        # Headers promise a body that never comes; its handler thread waits for it.
        stalled.sendall(b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        started = time.monotonic()
        assert len(_client(server.url, timeout=10).models.list().data) == len(MODELS)
        assert time.monotonic() - started < 5.0


# --- speech -----------------------------------------------------------------------------


def _decode(
    audio: bytes, response_format: str, tmp_path: Path, voice_rate_hz: int = VOICE_RATE_HZ
) -> tuple[np.ndarray, int]:
    """Samples and rate of ``audio``; wav and flac must be at ``voice_rate_hz``."""
    if response_format == "pcm":
        return np.frombuffer(audio, dtype="<i2").astype(np.float32) / 32768, 24_000
    if response_format in ("wav", "flac"):
        info = sf.info(io.BytesIO(audio))
        assert (info.samplerate, info.subtype, info.channels) == (voice_rate_hz, "PCM_16", 1)
        samples, rate = sf.read(io.BytesIO(audio), dtype="float32")
        return samples, rate
    suffix = {"mp3": ".mp3", "opus": ".ogg", "aac": ".aac"}[response_format]
    path = tmp_path / f"speech{suffix}"
    path.write_bytes(audio)
    return read_audio(path)  # PyAV


@pytest.mark.slow
@pytest.mark.parametrize(
    ("response_format", "content_type"),
    [
        ("wav", "audio/wav"),
        ("flac", "audio/flac"),
        ("mp3", "audio/mpeg"),
        ("opus", "audio/ogg"),
        ("aac", "audio/aac"),
        ("pcm", "audio/pcm"),
    ],
)
def test_speech_decodes_to_a_plausible_duration(
    client: openai.OpenAI, tmp_path: Path, response_format: str, content_type: str
) -> None:
    response = client.audio.speech.with_raw_response.create(
        model=SPEECH_MODEL, voice=VOICE, input=TEXT, response_format=response_format
    )
    assert response.headers["content-type"] == content_type
    samples, rate = _decode(response.content, response_format, tmp_path)
    expected_s = len(TEXT) / CHARS_PER_S
    assert 0.6 * expected_s < len(samples) / rate < 1.6 * expected_s
    assert np.sqrt(np.mean(samples**2)) > 0.01  # speech, not silence


@pytest.mark.slow
def test_speed_two_speaks_faster(client: openai.OpenAI, spoken_wav: bytes) -> None:
    fast = _speak(client, speed=2.0)
    ratio = sf.info(io.BytesIO(fast)).duration / sf.info(io.BytesIO(spoken_wav)).duration
    # Not 0.5: Piper's lead and tail silence do not scale with speed (measured 0.64-0.68).
    assert 0.5 < ratio < 0.8


@pytest.mark.slow
@pytest.mark.parametrize("response_format", ["wav", "pcm", "opus"])
def test_a_kokoro_voice_speaks_at_24_khz_for_a_plausible_time(
    client: openai.OpenAI, tmp_path: Path, response_format: str
) -> None:
    audio = _speak(client, model=KOKORO_MODEL, voice=KOKORO_VOICE, response_format=response_format)
    samples, rate = _decode(audio, response_format, tmp_path, voice_rate_hz=KOKORO_RATE_HZ)
    expected_s = len(TEXT) / KOKORO_CHARS_PER_S
    assert 0.6 * expected_s < len(samples) / rate < 1.6 * expected_s
    assert np.sqrt(np.mean(samples**2)) > 0.01  # speech, not silence


@pytest.mark.slow
def test_kokoro_speech_is_heard_and_its_pcm_is_its_own_rate(
    client: openai.OpenAI, kokoro_wav: bytes
) -> None:
    heard = client.audio.transcriptions.create(
        model=TRANSCRIPTION_MODEL, file=("speech.wav", kokoro_wav, "audio/wav")
    )
    assert _recall(heard.text) >= 0.75
    # Kokoro speaks alike every time, at 24,000 Hz, the default --pcm-rate: the same samples.
    pcm = _speak(client, model=KOKORO_MODEL, voice=KOKORO_VOICE, response_format="pcm")
    assert len(pcm) // 2 == sf.info(io.BytesIO(kokoro_wav)).frames


@pytest.mark.slow
def test_kokoro_speed_two_speaks_faster(client: openai.OpenAI, kokoro_wav: bytes) -> None:
    fast = _speak(client, model=KOKORO_MODEL, voice=KOKORO_VOICE, speed=2.0)
    ratio = sf.info(io.BytesIO(fast)).duration / sf.info(io.BytesIO(kokoro_wav)).duration
    # Not 0.5: the sentence's lead and tail do not scale with speed (measured 0.61).
    assert 0.5 < ratio < 0.75


def test_a_speed_kokoro_cannot_take_is_rejected_naming_its_range(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        _speak(client, model=KOKORO_MODEL, voice=KOKORO_VOICE, speed=3.0)
    assert caught.value.param == "speed"
    assert "0.5" in caught.value.message and "2.0" in caught.value.message


@pytest.mark.parametrize(
    ("model", "voice", "owner"),
    [(SPEECH_MODEL, KOKORO_VOICE, KOKORO_MODEL), (KOKORO_MODEL, VOICE, SPEECH_MODEL)],
)
def test_a_voice_of_the_other_model_is_rejected_naming_the_models_voices(
    client: openai.OpenAI, model: str, voice: str, owner: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.audio.speech.create(model=model, voice=voice, input=TEXT)
    assert (caught.value.status_code, caught.value.param) == (400, "voice")
    message = caught.value.message
    listed = message.split("; ", 1)[1].split(".", 1)[0]  # "its voices are 'a', 'b'"
    assert re.findall(r"'(\w+)'", listed) == list(SPEECH_VOICES[model])
    assert f"{voice!r} is a voice of {owner!r}" in message


@pytest.mark.slow
def test_a_server_that_speaks_only_piper_never_loads_kokoro() -> None:
    # Its own process: this one may have loaded Kokoro for other tests.
    script = f"""
import sys, openai
from narrator.server import ServeConfig, SpeechServer
with SpeechServer(ServeConfig(port=0)) as server:
    client = openai.OpenAI(base_url=server.url, api_key="x", max_retries=0)
    client.models.list()
    client.audio.speech.create(model={SPEECH_MODEL!r}, voice={VOICE!r}, input="Hello.")
    print("kokoro_onnx" in sys.modules)
    spoken = client.audio.speech.create(
        model={KOKORO_MODEL!r}, voice={KOKORO_VOICE!r}, input="Hello.", response_format="wav"
    )
    print("kokoro_onnx" in sys.modules, len(spoken.content) > 10_000)
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "True", "True"]


@pytest.mark.slow
def test_served_speech_is_counted_in_stats() -> None:
    with SpeechServer(ServeConfig(port=0)) as fresh:
        fresh_client = _client(fresh.url)
        fresh_client.models.list()
        _speak(fresh_client, "First.")
        with pytest.raises(openai.BadRequestError):
            fresh_client.audio.speech.create(model=SPEECH_MODEL, voice="alloy", input="Second.")
        _raw(fresh.url + "/nowhere")
        stats = fresh.stats
    assert stats.requests == 4
    assert stats.by_path == {"/v1/models": 1, "/v1/audio/speech": 2, "/v1/nowhere": 1}
    assert stats.speech_inputs == ("First.",)
    assert stats.faults == {}


@pytest.mark.slow
def test_unspeakable_input_is_unprocessable_not_a_server_error(client: openai.OpenAI) -> None:
    # Retrying cannot help, so it must not look like a 5xx that clients retry.
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        _speak(client, "... --- ...")
    assert caught.value.status_code == 422
    assert "no audio" in caught.value.message


@pytest.mark.slow
def test_a_truncating_server_speaks_only_the_first_words(spoken_wav: bytes) -> None:
    config = ServeConfig(port=0, speak_at_most_chars=len(TEXT) // 3)
    with SpeechServer(config) as short:
        cut = _speak(_client(short.url))
    ratio = sf.info(io.BytesIO(cut)).duration / sf.info(io.BytesIO(spoken_wav)).duration
    assert ratio < 0.6  # answered 200 with a third of the text spoken


def test_too_long_input_is_rejected_naming_the_limit(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        _speak(client, "word " * 820)  # 4,100 characters
    assert caught.value.status_code == 400
    assert caught.value.param == "input"
    assert "4096" in caught.value.message


def test_unknown_voice_is_rejected_naming_the_valid_one(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.audio.speech.create(model=SPEECH_MODEL, voice="alloy", input=TEXT)
    assert caught.value.param == "voice"
    assert "'joe'" in caught.value.message and "alloy" in caught.value.message


def test_unknown_model_is_not_found(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.audio.speech.create(model="tts-1", voice=VOICE, input=TEXT)
    assert caught.value.status_code == 404
    assert caught.value.code == "model_not_found"
    assert caught.value.type == "invalid_request_error"
    assert f"{SPEECH_MODEL!r} or {KOKORO_MODEL!r}" in caught.value.message


@pytest.mark.parametrize(
    ("payload", "param"),
    [
        ({}, "model"),
        ({"model": SPEECH_MODEL, "voice": VOICE}, "input"),
        ({"model": SPEECH_MODEL, "input": TEXT}, "voice"),
        ({"model": SPEECH_MODEL, "voice": VOICE, "input": "   "}, "input"),
        ({"model": SPEECH_MODEL, "voice": VOICE, "input": TEXT, "speed": 5}, "speed"),
        ({"model": SPEECH_MODEL, "voice": VOICE, "input": TEXT, "speed": True}, "speed"),
        (
            {"model": SPEECH_MODEL, "voice": VOICE, "input": TEXT, "response_format": "ogg"},
            "response_format",
        ),
    ],
)
def test_invalid_speech_requests_name_the_parameter(
    server: SpeechServer, payload: dict[str, object], param: str
) -> None:
    status, _headers, body = _raw(
        server.url + "/audio/speech", "POST", json.dumps(payload).encode()
    )
    assert status == 400
    error = _error(body)
    assert (error["type"], error["param"]) == ("invalid_request_error", param)


def test_validation_errors_are_answered_in_openai_shape(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        _speak(client, speed=9.0)
    assert caught.value.status_code == 400
    assert (caught.value.param, caught.value.type) == ("speed", "invalid_request_error")
    assert "'speed'" in caught.value.message and "4" in caught.value.message
    assert isinstance(caught.value.body, dict)  # the SDK unwraps {"error": ...}
    assert set(caught.value.body) == {"message", "type", "param", "code"}
    with pytest.raises(openai.BadRequestError) as caught:
        client.audio.transcriptions.create(
            model=TRANSCRIPTION_MODEL,
            file=("s.wav", _tone_wav()),
            response_format="verbose_json",
            timestamp_granularities=["minute"],  # type: ignore[list-item]
        )
    assert caught.value.param == "timestamp_granularities[]"


def test_unknown_paths_wrong_methods_and_bad_json_get_openai_errors(
    server: SpeechServer,
) -> None:
    status, _headers, body = _raw(server.url + "/chat/completions", "POST", b"{}")
    assert status == 404 and _error(body)["code"] == "unknown_url"
    status, headers, body = _raw(server.url + "/audio/speech")
    assert status == 405 and headers["Allow"] == "POST"
    assert _error(body)["type"] == "invalid_request_error"
    status, _headers, body = _raw(server.url + "/audio/speech", "POST", b"{not json")
    assert status == 400 and "JSON" in str(_error(body)["message"])
    status, headers, body = _raw(server.url + "/models", "OPTIONS")
    assert status == 405 and headers["Allow"] == "GET"
    # A malformed request line is rejected by the standard library, in OpenAI's shape too.
    with socket.create_connection(_address(server.url)) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
    # Without a valid request line the client counts as HTTP/0.9: a body and no headers.
    assert _error(answer.split(b"\r\n\r\n")[-1])["type"] == "invalid_request_error"


def test_oversized_body_gets_413_before_it_is_read(
    server: SpeechServer, client: openai.OpenAI
) -> None:
    upload = bytes(26 * 1024 * 1024)  # over OpenAI's 25 MB
    with pytest.raises(openai.APIStatusError) as caught:
        client.audio.transcriptions.create(model=TRANSCRIPTION_MODEL, file=("big.wav", upload))
    assert caught.value.status_code == 413
    assert caught.value.code == "request_too_large"
    # httpx reads the answer even when its upload is cut short; a plain client only
    # sees it when the server has read (and thrown away) the whole body first.
    status, _headers, body = _raw(server.url + "/audio/speech", "POST", upload)
    assert status == 413 and "26214400" in str(_error(body)["message"])
    with SpeechServer(ServeConfig(port=0, max_request_bytes=1000)) as small:
        with pytest.raises(openai.APIStatusError) as caught:
            _speak(_client(small.url), "word " * 300)
        assert caught.value.status_code == 413
        assert small.stats.speech_inputs == ()


def test_a_declared_oversized_body_gets_413_before_it_arrives(server: SpeechServer) -> None:
    gib = 1 << 30
    with socket.create_connection(_address(server.url), timeout=30) as upload:
        upload.sendall(
            b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {gib}\r\n\r\n".encode()
            + bytes(65536)
        )
        # Only 64 KiB of the promised GiB were sent: the answer cannot have waited for it.
        answer = _read_answer(upload)
    status, error = _status_and_error(answer)
    assert status == 413 and error["code"] == "request_too_large"
    assert str(gib) in str(error["message"])


def test_a_streamed_body_over_the_limit_gets_413() -> None:
    with SpeechServer(ServeConfig(port=0, max_request_bytes=1000)) as small:
        with socket.create_connection(_address(small.url), timeout=30) as upload:
            # No Content-Length: chunked, so only counting the bytes read can catch it.
            upload.sendall(
                b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Type: application/json\r\n\r\n"
                + b"".join(b"258\r\n" + b" " * 600 + b"\r\n" for _ in range(3))
                + b"0\r\n\r\n"
            )
            status, error = _status_and_error(_read_all(upload))
        assert small.stats.speech_inputs == ()
    assert status == 413 and error["code"] == "request_too_large"
    assert "1000" in str(error["message"])


def test_stopping_closes_a_stalled_upload(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="narrator.server")
    speech_server = SpeechServer(ServeConfig(port=0))
    url = speech_server.start()
    with socket.create_connection(_address(url), timeout=30) as stalled:
        stalled.sendall(
            b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"
        )
        assert len(_client(url, timeout=10).models.list().data) == len(MODELS)  # the request is in
        speech_server.stop()
        assert _read_all(stalled) == b""  # closed, not answered
    lines = [r.getMessage() for r in caplog.records if r.name == "narrator.server"]
    assert any(line.startswith("POST /v1/audio/speech server stopping") for line in lines)


# --- transcription ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("response_format", ["json", "text"])
def test_transcription_hears_the_spoken_words(
    client: openai.OpenAI, spoken_wav: bytes, response_format: str
) -> None:
    result = client.audio.transcriptions.create(
        model=TRANSCRIPTION_MODEL,
        file=("speech.wav", spoken_wav, "audio/wav"),
        response_format=response_format,
        language="en",
    )
    text = result if isinstance(result, str) else result.text
    assert _recall(text) >= 0.75


@pytest.mark.slow
def test_verbose_json_has_segments_and_words_timed_in_seconds(
    client: openai.OpenAI, spoken_wav: bytes
) -> None:
    duration_s = sf.info(io.BytesIO(spoken_wav)).duration
    result = client.audio.transcriptions.create(
        model=TRANSCRIPTION_MODEL,
        file=("speech.wav", spoken_wav, "audio/wav"),
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )
    assert result.language == "english"
    assert result.duration == pytest.approx(duration_s, abs=0.05)
    assert _recall(result.text) >= 0.75
    assert result.segments
    assert [s.id for s in result.segments] == list(range(len(result.segments)))
    for segment in result.segments:
        assert 0 <= segment.start < segment.end <= duration_s + 0.05
        assert segment.tokens and segment.no_speech_prob < 0.5
    assert result.words is not None
    assert _recall(" ".join(w.word for w in result.words)) >= 0.75
    starts = [w.start for w in result.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= duration_s + 0.05 for w in result.words)


@pytest.mark.slow
def test_verbose_json_has_no_words_unless_asked(client: openai.OpenAI, spoken_wav: bytes) -> None:
    result = client.audio.transcriptions.create(
        model=TRANSCRIPTION_MODEL,
        file=("speech.wav", spoken_wav),
        response_format="verbose_json",
    )
    assert result.segments and result.words is None


@pytest.mark.parametrize(
    ("options", "error", "param"),
    [
        ({"file": ("x.wav", b"not audio at all" * 64)}, openai.BadRequestError, "file"),
        ({"response_format": "srt"}, openai.BadRequestError, "response_format"),
        # Klingon: no Whisper model hears it.
        ({"language": "tlh"}, openai.BadRequestError, "language"),
        ({"model": "whisper-1"}, openai.NotFoundError, "model"),
    ],
)
def test_bad_transcription_requests_are_rejected(
    client: openai.OpenAI,
    options: dict[str, object],
    error: type[openai.APIStatusError],
    param: str,
) -> None:
    arguments = {"model": TRANSCRIPTION_MODEL, "file": ("s.wav", _tone_wav()), **options}
    with pytest.raises(error) as caught:
        client.audio.transcriptions.create(**arguments)
    assert caught.value.param == param


# --- bearer token and logging -----------------------------------------------------------


def test_token_is_required_and_never_echoed_or_logged(caplog: pytest.LogCaptureFixture) -> None:
    token, wrong = "s3cret-token-4711", "wrong-token-0815"
    caplog.set_level(logging.DEBUG, logger="narrator.server")
    with SpeechServer(ServeConfig(port=0, token=SecretStr(token))) as guarded:
        assert len(_client(guarded.url, api_key=token).models.list().data) == len(MODELS)
        with pytest.raises(openai.AuthenticationError) as caught:
            _client(guarded.url, api_key=wrong).models.list()
        status, _headers, body = _raw(guarded.url + "/models")
        requests = guarded.stats.requests
    assert caught.value.status_code == 401
    assert wrong not in caught.value.message and wrong not in str(caught.value.body)
    assert status == 401 and "Bearer" in str(_error(body)["message"])
    assert requests == 3
    lines = [r.getMessage() for r in caplog.records if r.name == "narrator.server"]
    assert [line.rsplit(" ", 2)[0] for line in lines if " ms" in line] == [
        "GET /v1/models 200",
        "GET /v1/models 401",
        "GET /v1/models 401",
    ]
    assert not any(token in line or wrong in line for line in lines)


# --- faults -----------------------------------------------------------------------------


def _faulty(kind: FaultKind, slow_s: float = 5.0) -> SpeechServer:
    """A server whose every audio request gets the fault ``kind``."""
    return SpeechServer(ServeConfig(port=0), FaultConfig(rate=1, kinds=(kind,), slow_s=slow_s))


@pytest.mark.parametrize(
    ("kind", "error", "status", "retry_after"),
    [
        (FaultKind.RATE_LIMIT, openai.RateLimitError, 429, None),
        (FaultKind.RATE_LIMIT_RETRY_AFTER, openai.RateLimitError, 429, "1"),
        (FaultKind.SERVER_ERROR, openai.InternalServerError, 500, None),
        (FaultKind.UNAVAILABLE, openai.InternalServerError, 503, None),
    ],
)
def test_status_faults_reach_the_sdk_as_status_errors(
    kind: FaultKind, error: type[openai.APIStatusError], status: int, retry_after: str | None
) -> None:
    with _faulty(kind) as faulty:
        with pytest.raises(error) as caught:
            _speak(_client(faulty.url))
        stats = faulty.stats
    assert caught.value.status_code == status
    assert caught.value.response.headers.get("retry-after") == retry_after
    assert stats.faults == {kind.value: 1}
    assert stats.requests == 1 and stats.speech_inputs == ()


@pytest.mark.slow
def test_slow_fault_times_the_client_out() -> None:
    with _faulty(FaultKind.SLOW, slow_s=3.0) as faulty:
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            _speak(_client(faulty.url, timeout=1.0), "Slow.")
        assert time.monotonic() - started < 2.5
        assert faulty.stats.faults == {"slow": 1}


def test_drop_fault_is_a_connection_error() -> None:
    with _faulty(FaultKind.DROP) as faulty:
        with pytest.raises(openai.APIConnectionError) as caught:
            _speak(_client(faulty.url))
        assert faulty.stats.faults == {"drop": 1}
    assert not isinstance(caught.value, openai.APITimeoutError)


def test_drop_fault_closes_the_connection_without_a_byte() -> None:
    with _faulty(FaultKind.DROP) as faulty:
        body = json.dumps({"model": SPEECH_MODEL, "voice": VOICE, "input": TEXT}).encode()
        with socket.create_connection(_address(faulty.url), timeout=30) as raw:
            raw.sendall(
                b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            assert _read_all(raw) == b""
        assert faulty.stats.faults == {"drop": 1}


@pytest.mark.slow
def test_truncated_fault_returns_the_first_30_percent(spoken_wav: bytes) -> None:
    with _faulty(FaultKind.TRUNCATED) as faulty:
        response = _client(faulty.url).audio.speech.with_raw_response.create(
            model=SPEECH_MODEL, voice=VOICE, input=TEXT, response_format="wav"
        )
        stats = faulty.stats
    assert response.http_response.status_code == 200
    assert response.content[:4] == b"RIFF"  # the real audio's start
    assert 0.25 < len(response.content) / len(spoken_wav) < 0.35  # Piper varies a little
    assert stats.faults == {"truncated": 1} and stats.speech_inputs == ()


@pytest.mark.parametrize(("kind", "size"), [(FaultKind.EMPTY, 0), (FaultKind.GARBAGE, 4096)])
def test_empty_and_garbage_faults_are_200s_that_do_not_decode(kind: FaultKind, size: int) -> None:
    with _faulty(kind) as faulty:
        response = _client(faulty.url).audio.speech.with_raw_response.create(
            model=SPEECH_MODEL, voice=VOICE, input=TEXT, response_format="flac"
        )
    assert response.http_response.status_code == 200
    assert response.headers["content-type"] == "audio/flac"
    assert len(response.content) == size
    with pytest.raises(sf.LibsndfileError):
        sf.read(io.BytesIO(response.content))


def test_a_transcription_that_draws_an_audio_fault_gets_a_500() -> None:
    with _faulty(FaultKind.TRUNCATED) as faulty:
        with pytest.raises(openai.InternalServerError) as caught:
            _client(faulty.url).audio.transcriptions.create(
                model=TRANSCRIPTION_MODEL, file=("s.wav", _tone_wav())
            )
        assert faulty.stats.faults == {"500": 1}
    assert caught.value.status_code == 500 and caught.value.type == "server_error"


def test_the_fault_sequence_repeats_for_a_seed() -> None:
    config = FaultConfig(rate=0.5, seed=3, kinds=(FaultKind.RATE_LIMIT, FaultKind.SERVER_ERROR))
    outcomes = []
    for _ in range(2):
        statuses = []
        with SpeechServer(ServeConfig(port=0), config) as faulty:
            for _ in range(12):
                # Undecodable audio: a request that draws no fault gets a 400, model-free.
                status, _headers, _body = _raw(
                    faulty.url + "/audio/transcriptions",
                    "POST",
                    _multipart("XyZ", file=b"not audio", model=TRANSCRIPTION_MODEL.encode()),
                    "multipart/form-data; boundary=XyZ",
                )
                statuses.append(status)
            assert sum(faulty.stats.faults.values()) == sum(s != 400 for s in statuses)
        outcomes.append(statuses)
    assert outcomes[0] == outcomes[1]
    assert {400, 429, 500} == set(outcomes[0])


def test_fault_injector_draws_at_the_configured_rate() -> None:
    def draws(config: FaultConfig, count: int) -> list[FaultKind | None]:
        injector = FaultInjector(config)
        return [injector.draw() for _ in range(count)]

    sample = draws(FaultConfig(rate=0.3, seed=1), 2000)
    assert 0.26 < sum(d is not None for d in sample) / len(sample) < 0.34
    assert set(sample) == {None, *FaultKind}
    assert draws(FaultConfig(rate=0.3, seed=1), 50) == sample[:50]
    assert draws(FaultConfig(rate=0.3, seed=2), 50) != sample[:50]
    assert set(draws(FaultConfig(rate=0), 100)) == {None}
    with pytest.raises(ValueError):
        FaultConfig(rate=1.5)


# --- imitating other servers ------------------------------------------------------------


def test_voices_are_listed_as_kokoro_style_servers_list_them(server: SpeechServer) -> None:
    status, _, body = _raw(server.url + "/audio/voices")
    assert status == 200 and json.loads(body) == {"voices": [VOICE, *KOKORO_NAMES]}


def test_a_speech_only_imitation_lists_its_names_and_has_no_transcription_route() -> None:
    piper_like = ServeConfig(
        port=0, speech_models=("tts-1", "tts-1-hd"), transcription_models=(),
        transcription_route=False,
    )  # fmt: skip
    speech = {"model": SPEECH_MODEL, "voice": VOICE, "input": TEXT}
    with SpeechServer(piper_like) as imitation:
        listed = [model.id for model in _client(imitation.url).models.list()]
        form = {"model": TRANSCRIPTION_MODEL}
        heard = _raw(imitation.url + "/audio/transcriptions", "POST",
                     urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")
        spoken = _raw(imitation.url + "/audio/speech", "POST", json.dumps(speech).encode())
    assert listed == ["tts-1", "tts-1-hd"]
    assert heard[0] == 404 and _error(heard[2])["code"] == "unknown_url"
    # The speech route takes the listed names only (refused before any model work).
    assert spoken[0] == 404 and "'tts-1' or 'tts-1-hd'" in str(_error(spoken[2])["message"])


@pytest.mark.parametrize(
    ("style", "content_type", "message_of"),
    [
        ("openai", "application/json", lambda body: json.loads(body)["error"]["message"]),
        ("fastapi", "application/json", lambda b: json.loads(b)["detail"]["error"]["message"]),
        ("text", "text/plain", lambda body: body.decode()),
        ("html", "text/html", lambda body: re.search(rb"<title>(.*)</title>", body)[1].decode()),
    ],
)
def test_error_style_shapes_every_error_body(
    style: str, content_type: str, message_of: object
) -> None:
    with SpeechServer(ServeConfig(port=0, error_style=style)) as styled:  # type: ignore[arg-type]
        body = json.dumps({"model": SPEECH_MODEL, "voice": "alloy", "input": TEXT}).encode()
        status, headers, answer = _raw(
            styled.url + "/audio/speech", "POST", body, "application/json"
        )
    assert status == 400 and headers["content-type"].startswith(content_type)
    message = message_of(answer)  # type: ignore[operator]
    assert "'alloy'" in message and f"'{VOICE}'" in message  # names the valid choice


@pytest.mark.slow
@pytest.mark.parametrize("detail", ["segments", "text"])
def test_transcription_detail_imitates_servers_with_fewer_timings(
    spoken_wav: bytes, detail: str
) -> None:
    with SpeechServer(ServeConfig(port=0, transcription_detail=detail)) as imitation:  # type: ignore[arg-type]
        result = _client(imitation.url).audio.transcriptions.create(
            model=TRANSCRIPTION_MODEL,
            file=("speech.wav", spoken_wav),
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
        )
    assert _recall(result.text) >= 0.75
    assert getattr(result, "words", None) is None
    assert bool(getattr(result, "segments", None)) == (detail == "segments")


@pytest.mark.slow
def test_pcm_rate_sets_the_rate_of_headerless_speech(spoken_wav: bytes) -> None:
    with SpeechServer(ServeConfig(port=0, pcm_rate=VOICE_RATE_HZ)) as piper_like:
        pcm = _speak(_client(piper_like.url), response_format="pcm")
    # Same speech, 16-bit mono at the voice's own rate: as many samples as the WAV has.
    assert len(pcm) // 2 == pytest.approx(sf.info(io.BytesIO(spoken_wav)).frames, rel=0.1)
