"""A local OpenAI-compatible speech server over the embedded engine (Piper + faster-whisper).

It serves ``GET /v1/models``, ``POST /v1/audio/speech`` and ``POST /v1/audio/transcriptions``
in the shape of OpenAI's API, so the ``openai`` SDK (and narrator's remote engine) can use
one speech box from several machines, and the tests can exercise the remote path over real
HTTP. An optional :class:`~narrator.faults.FaultConfig` makes it fail like a real provider.

Standard library only: ``ThreadingHTTPServer`` answers each connection in its own thread;
the models are loaded by the process-wide loaders on first use, so starting is instant.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
import math
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import soundfile as sf
from pydantic import Field, SecretStr

from narrator.audio.export import ffmpeg_exe
from narrator.errors import AudioError, ConfigError, NarratorError, PermanentError
from narrator.faults import AUDIO_FAULTS, FaultConfig, FaultInjector, FaultKind
from narrator.models import Frozen
from narrator.speech.base import Speech

__all__ = [
    "SPEECH_MODEL",
    "TRANSCRIPTION_MODEL",
    "VOICE",
    "ServeConfig",
    "ServerStats",
    "SpeechServer",
]

log = logging.getLogger("narrator.server")

SPEECH_MODEL = "piper-en_US-joe-medium"
TRANSCRIPTION_MODEL = "faster-whisper-tiny.en"
VOICE = "joe"

PCM_RATE_HZ = 24_000
"""Sample rate of ``pcm`` speech, Hz: OpenAI's raw PCM is 16-bit mono at 24 kHz."""

WHISPER_RATE_HZ = 16_000
"""Rate faster-whisper decodes uploads to, Hz."""

TRUNCATED_FRACTION = 0.3
"""Share of the real audio body a 'truncated' fault keeps."""

GARBAGE_BYTES = 4096
"""Size of a 'garbage' fault's body, bytes."""

_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
# Codec, bitrate and container for the formats ffmpeg encodes. Opus only runs at
# 48/24/16/12/8 kHz, so the voice's 22,050 Hz is resampled to 24 kHz like OpenAI's.
_FFMPEG_OUTPUT = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"],
    "opus": ["-c:a", "libopus", "-b:a", "32k", "-ar", str(PCM_RATE_HZ), "-f", "ogg"],
    "aac": ["-c:a", "aac", "-b:a", "64k", "-f", "adts"],
}
_TRANSCRIPTION_FORMATS = ("json", "text", "verbose_json")
_GRANULARITIES = ("segment", "word")
_ROUTES = {
    "/v1/models": "GET",
    "/v1/audio/speech": "POST",
    "/v1/audio/transcriptions": "POST",
}
_HANDLER_TIMEOUT_S = 60.0
"""A client that sends nothing for this many seconds is disconnected (frees its thread)."""

_DRAIN_S = 5.0
"""Longest time spent discarding a request body that will not be used, seconds."""

_STOP_WAIT_S = 60.0
"""Longest time stopping waits for model work in flight to finish, seconds."""

_POLL_S = 0.1
"""How often the serving loop checks for a stop request, seconds (``stop`` waits that long)."""

_STDERR_TAIL_CHARS = 2000


class ServeConfig(Frozen):
    """Where the server listens and what it accepts."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535, description="0 picks a free port")
    token: SecretStr | None = Field(
        default=None,
        description="when set, every request needs 'Authorization: Bearer <token>'",
    )
    max_request_bytes: int = Field(
        default=25 * 1024 * 1024, gt=0, description="larger bodies get 413 (OpenAI's 25 MB)"
    )
    max_input_chars: int = Field(default=4096, gt=0, description="longest speech input")
    speak_at_most_chars: int | None = Field(
        default=None,
        gt=0,
        description="speak only the first N characters of longer inputs (whole words) and "
        "answer 200 anyway, as servers do whose model context is shorter than the input "
        "they accept (Kokoro: 510 phoneme tokens); for testing adaptive chunk sizes",
    )


class ServerStats(Frozen):
    """What the server has seen since it was created."""

    requests: int = Field(description="every HTTP request, faulted and failed ones included")
    by_path: dict[str, int]
    faults: dict[str, int] = Field(description="faults injected, by FaultKind value")
    speech_inputs: tuple[str, ...] = Field(
        description="the input of every speech request answered with real audio, in order"
    )


class _ApiError(Exception):
    """An error answered in OpenAI's shape: ``{"error": {message, type, param, code}}``."""

    def __init__(
        self,
        status: HTTPStatus,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def reply(self) -> _Reply:
        """The response carrying this error."""
        if self.status == HTTPStatus.TOO_MANY_REQUESTS:
            kind = "rate_limit_exceeded"
        elif self.status >= 500:
            kind = "server_error"
        else:
            kind = "invalid_request_error"
        error = {"message": self.message, "type": kind, "param": self.param, "code": self.code}
        return _json_reply(self.status, {"error": error}, self.headers)


class _NoReply(Exception):
    """Close the connection without answering (a 'drop' fault, or the client went away)."""


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str]


def _json_reply(status: int, payload: object, headers: Mapping[str, str] | None = None) -> _Reply:
    return _Reply(status, json.dumps(payload).encode(), "application/json", headers or {})


@dataclass(frozen=True)
class _SpeechRequest:
    text: str
    speed: float
    response_format: str


@dataclass(frozen=True)
class _TranscriptionRequest:
    audio: bytes
    response_format: str
    words: bool


def _model_object(model_id: str) -> dict[str, object]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": "narrator"}


def _check_model(model: str, expected: str, task: str) -> None:
    if model != expected:
        raise _ApiError(
            HTTPStatus.NOT_FOUND,
            f"The model {model!r} does not exist or cannot do {task}; use {expected!r}.",
            param="model",
            code="model_not_found",
        )


def _required_str(payload: Mapping[str, Any], name: str) -> str:
    if name not in payload:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"Missing required parameter: {name!r}.",
            param=name,
            code="missing_required_parameter",
        )
    value = payload[name]
    if not isinstance(value, str):
        raise _ApiError(HTTPStatus.BAD_REQUEST, f"{name!r} must be a string.", param=name)
    return value


def _parse_speech(payload: object, max_input_chars: int) -> _SpeechRequest:
    """Validate a ``/v1/audio/speech`` body; ``instructions`` and unknown fields are ignored."""
    if not isinstance(payload, dict):
        raise _ApiError(HTTPStatus.BAD_REQUEST, "The request body must be a JSON object.")
    _check_model(_required_str(payload, "model"), SPEECH_MODEL, "speech")
    text = _required_str(payload, "input")
    if not text.strip():
        raise _ApiError(HTTPStatus.BAD_REQUEST, "'input' must not be empty.", param="input")
    if len(text) > max_input_chars:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"'input' is {len(text)} characters long; the limit is {max_input_chars} characters.",
            param="input",
            code="string_above_max_length",
        )
    voice = _required_str(payload, "voice")
    if voice != VOICE:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"Voice {voice!r} is not available; the only voice is {VOICE!r}.",
            param="voice",
        )
    speed = payload.get("speed", 1.0)
    # bool is an int subclass, but `"speed": true` is a client bug, not a speed of 1.
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0.25 <= speed <= 4.0:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST, "'speed' must be a number from 0.25 to 4.0.", param="speed"
        )
    response_format = payload.get("response_format", "mp3")
    if response_format not in _CONTENT_TYPES:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"'response_format' must be one of {', '.join(_CONTENT_TYPES)}.",
            param="response_format",
        )
    return _SpeechRequest(text=text, speed=float(speed), response_format=response_format)


def _synthesize(request: _SpeechRequest, config: ServeConfig) -> Speech:
    """Speak the request's text (mono, at the voice's 22,050 Hz)."""
    # Imported here: onnxruntime and Piper take about a second to import.
    from narrator.speech.piper import PiperEngine

    text = request.text
    limit = config.speak_at_most_chars
    if limit is not None and len(text) > limit:
        text = text[: text.rfind(" ", 0, limit + 1)] if " " in text[:limit] else text[:limit]
    engine = PiperEngine(speed=request.speed, max_input_chars=config.max_input_chars)
    return engine.synthesize(text)


def _encode(speech: Speech, response_format: str) -> bytes:
    """Encode ``speech`` as OpenAI's ``response_format``.

    wav and flac are 16-bit at the speech's own rate (Hz); pcm is headerless 16-bit little-endian
    at 24,000 Hz; mp3, opus (in Ogg) and aac (ADTS) are encoded by the bundled ffmpeg.
    """
    if response_format == "pcm":
        # Imported here: scipy.signal takes seconds to import, and only pcm needs it.
        from scipy.signal import resample_poly

        # 22,050 Hz -> 24,000 Hz is 160/147.
        common = math.gcd(PCM_RATE_HZ, speech.sample_rate)
        up, down = PCM_RATE_HZ // common, speech.sample_rate // common
        resampled = resample_poly(speech.samples, up, down)
        return (np.clip(resampled, -1.0, 1.0) * 32767).round().astype("<i2").tobytes()
    lossless = io.BytesIO()
    container = "FLAC" if response_format == "flac" else "WAV"
    sf.write(lossless, speech.samples, speech.sample_rate, subtype="PCM_16", format=container)
    if response_format in ("wav", "flac"):
        return lossless.getvalue()
    return _ffmpeg(lossless.getvalue(), _FFMPEG_OUTPUT[response_format])


def _ffmpeg(wav: bytes, output_args: list[str]) -> bytes:
    # WAV in on stdin, the encoded stream out on stdout: no temporary files to clean up.
    cmd = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error"]
    cmd += ["-f", "wav", "-i", "pipe:0", *output_args, "pipe:1"]
    result = subprocess.run(cmd, input=wav, capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        tail = result.stderr.decode("utf-8", errors="replace").strip()[-_STDERR_TAIL_CHARS:]
        raise AudioError(f"ffmpeg failed to encode speech (exit {result.returncode}): {tail}")
    return result.stdout


def _parse_form(content_type: str | None, body: bytes) -> dict[str, list[bytes]]:
    """Field name -> values of a multipart/form-data body (file fields hold the file's bytes)."""
    if not content_type or not content_type.lower().startswith("multipart/form-data"):
        raise _ApiError(
            HTTPStatus.BAD_REQUEST, "Send the audio as multipart/form-data with a 'file' field."
        )
    # The email package parses MIME multipart; it only needs the Content-Type header in front.
    header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise _ApiError(HTTPStatus.BAD_REQUEST, "The multipart/form-data body has no boundary.")
    form: dict[str, list[bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            form.setdefault(name, []).append(payload if isinstance(payload, bytes) else b"")
    return form


def _form_text(form: Mapping[str, list[bytes]], name: str) -> str | None:
    values = form.get(name)
    return values[-1].decode("utf-8", errors="replace").strip() if values else None


def _parse_transcription(form: Mapping[str, list[bytes]]) -> _TranscriptionRequest:
    """Validate a ``/v1/audio/transcriptions`` form; ``prompt`` and unknown fields are ignored."""
    if not form.get("file"):
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            "Missing required parameter: 'file'.",
            param="file",
            code="missing_required_parameter",
        )
    model = _form_text(form, "model")
    if model is None:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            "Missing required parameter: 'model'.",
            param="model",
            code="missing_required_parameter",
        )
    _check_model(model, TRANSCRIPTION_MODEL, "transcription")
    response_format = _form_text(form, "response_format") or "json"
    if response_format not in _TRANSCRIPTION_FORMATS:
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"response_format {response_format!r} is not supported by this server; "
            f"use one of {', '.join(_TRANSCRIPTION_FORMATS)}.",
            param="response_format",
        )
    language = _form_text(form, "language")
    if language and language.lower() not in ("en", "english"):
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"Language {language!r} is not supported; {TRANSCRIPTION_MODEL} transcribes "
            "English ('en') only.",
            param="language",
        )
    granularities = {
        g.decode("utf-8", errors="replace") for g in form.get("timestamp_granularities[]", [])
    }
    if not granularities <= set(_GRANULARITIES):
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"timestamp_granularities[] must hold {' and/or '.join(_GRANULARITIES)}.",
            param="timestamp_granularities[]",
        )
    return _TranscriptionRequest(
        audio=form["file"][-1],
        response_format=response_format,
        words=response_format == "verbose_json" and "word" in granularities,
    )


def _transcribe(request: _TranscriptionRequest) -> _Reply:
    """Transcribe the upload with faster-whisper, with the options WhisperTranscriber uses."""
    # Imported here: faster-whisper and CTranslate2 take about a second to import.
    from faster_whisper import decode_audio

    from narrator.verify.faster_whisper import DEFAULT_BEAM_SIZE, load_model

    try:
        audio = decode_audio(io.BytesIO(request.audio), sampling_rate=WHISPER_RATE_HZ)
    except Exception as exc:  # PyAV raises many unrelated types for undecodable input
        raise _ApiError(
            HTTPStatus.BAD_REQUEST,
            f"The audio file could not be decoded ({exc}); send FLAC, WAV, MP3, Ogg or M4A.",
            param="file",
        ) from exc
    if audio.size == 0:
        raise _ApiError(HTTPStatus.BAD_REQUEST, "The audio file holds no audio.", param="file")
    segments, _info = load_model().transcribe(
        audio,
        language="en",
        beam_size=DEFAULT_BEAM_SIZE,
        # Each 30-s window on its own, as in WhisperTranscriber: conditioning on the
        # previous window's text lets one mistake repeat itself.
        condition_on_previous_text=False,
        vad_filter=False,
        word_timestamps=request.words,
    )
    segments = list(segments)  # decoding happens while iterating
    text = " ".join(segment.text.strip() for segment in segments).strip()
    if request.response_format == "text":
        return _Reply(200, (text + "\n").encode(), "text/plain; charset=utf-8", {})
    if request.response_format == "json":
        return _json_reply(200, {"text": text})
    verbose: dict[str, object] = {
        "task": "transcribe",
        "language": "english",
        "duration": audio.size / WHISPER_RATE_HZ,
        "text": text,
        "segments": [
            {
                "id": index,
                "seek": segment.seek,
                "start": float(segment.start),
                "end": float(segment.end),
                "text": segment.text,
                "tokens": list(segment.tokens),
                "temperature": float(segment.temperature or 0.0),
                "avg_logprob": float(segment.avg_logprob),
                "compression_ratio": float(segment.compression_ratio),
                "no_speech_prob": float(segment.no_speech_prob),
            }
            for index, segment in enumerate(segments)
        ],
    }
    if request.words:
        verbose["words"] = [
            {"word": word.word.strip(), "start": float(word.start), "end": float(word.end)}
            for segment in segments
            for word in segment.words or ()
        ]
    return _json_reply(200, verbose)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a stalled client must not keep the process alive

    def __init__(self, address: tuple[str, int], app: SpeechServer) -> None:
        self.app = app
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that resets its connection is not a server error; no traceback on stderr.
        log.debug("connection from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "narrator"
    sys_version = ""
    timeout = _HANDLER_TIMEOUT_S
    _length: int | None = None  # the request's Content-Length, None when missing or invalid
    _unread = 0  # bytes of the request body not read yet

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        started = time.monotonic()
        app = self.server.app
        path = urlsplit(self.path).path
        app._count_request(path)
        try:
            reply = self._route(path)
        except _ApiError as exc:
            reply = exc.reply()
        except _NoReply as exc:
            self.close_connection = True
            self._log(path, str(exc), started)
            return
        except PermanentError as exc:
            # Retrying cannot help (nothing speakable in the input): 422, not 500, so
            # clients fail fast instead of retrying.
            log.warning("%s %s rejected: %s", self.command, path, exc)
            reply = _ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, exc.message).reply()
        except NarratorError as exc:
            log.warning("%s %s failed: %s", self.command, path, exc)
            reply = _ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc)).reply()
        except Exception as exc:  # the client gets a message, never a traceback
            log.exception("%s %s failed", self.command, path)
            message = f"Internal error: {type(exc).__name__}: {exc}"
            reply = _ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, message).reply()
        # Logged before sending, so the line exists by the time the client has the answer.
        self._log(path, str(reply.status), started)
        self._send(reply)

    def _route(self, path: str) -> _Reply:
        app = self.server.app
        self._check_token(app.config.token)
        model_id = path.removeprefix("/v1/models/")
        if model_id != path and self.command == "GET":
            if model_id not in (SPEECH_MODEL, TRANSCRIPTION_MODEL):
                raise _ApiError(
                    HTTPStatus.NOT_FOUND,
                    f"The model {model_id!r} does not exist.",
                    param="model",
                    code="model_not_found",
                )
            return _json_reply(200, _model_object(model_id))
        method = _ROUTES.get(path)
        if method is None:
            raise _ApiError(
                HTTPStatus.NOT_FOUND, f"Invalid URL ({self.command} {path}).", code="unknown_url"
            )
        if self.command != method:
            raise _ApiError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"{self.command} is not allowed on {path}; use {method}.",
                code="method_not_allowed",
                headers={"Allow": method},
            )
        if path == "/v1/models":
            models = [_model_object(SPEECH_MODEL), _model_object(TRANSCRIPTION_MODEL)]
            return _json_reply(200, {"object": "list", "data": models})
        body = self._read_body(app.config.max_request_bytes)
        if path == "/v1/audio/speech":
            return self._speech(body)
        return self._transcription(body)

    def _check_token(self, token: SecretStr | None) -> None:
        if token is None:
            return
        sent = self.headers.get("Authorization", "")
        if not sent:
            raise _ApiError(
                HTTPStatus.UNAUTHORIZED,
                "Missing bearer token: send 'Authorization: Bearer <token>' with the "
                "server's token.",
                code="invalid_api_key",
            )
        expected = f"Bearer {token.get_secret_value()}".encode()
        # Constant-time comparison; the message never repeats what was sent (it is a secret).
        if not hmac.compare_digest(sent.encode("utf-8", errors="replace"), expected):
            raise _ApiError(
                HTTPStatus.UNAUTHORIZED,
                "Incorrect bearer token: use the token the server was started with.",
                code="invalid_api_key",
            )

    def _read_body(self, limit: int) -> bytes:
        length = self._length
        if "Transfer-Encoding" in self.headers or length is None:
            raise _ApiError(
                HTTPStatus.LENGTH_REQUIRED, "Send the body with a valid Content-Length."
            )
        if length > limit:
            raise _ApiError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"The request body is {length} bytes; the limit is {limit} bytes.",
                code="request_too_large",
            )
        try:
            body = self.rfile.read(length)
        except OSError as exc:  # includes the handler's socket timeout
            raise _NoReply(f"client went away ({exc})") from exc
        self._unread = 0
        if len(body) < length:
            raise _NoReply("client went away mid-body")
        return body

    def _speech(self, body: bytes) -> _Reply:
        app = self.server.app
        request = _parse_speech(_parse_json(body), app.config.max_input_chars)
        fault = app._fault(audio=True)
        content_type = _CONTENT_TYPES[request.response_format]
        if fault == FaultKind.EMPTY:
            return _Reply(200, b"", content_type, {})
        if fault == FaultKind.GARBAGE:
            return _Reply(200, app._garbage(), content_type, {})
        with app._engine_work():
            speech = _synthesize(request, app.config)
            audio = _encode(speech, request.response_format)
        if fault == FaultKind.TRUNCATED:
            return _Reply(200, audio[: int(len(audio) * TRUNCATED_FRACTION)], content_type, {})
        app._record_speech(request.text)
        return _Reply(200, audio, content_type, {})

    def _transcription(self, body: bytes) -> _Reply:
        request = _parse_transcription(_parse_form(self.headers.get("Content-Type"), body))
        app = self.server.app
        app._fault(audio=False)
        with app._engine_work():
            return _transcribe(request)

    def _send(self, reply: _Reply) -> None:
        self._discard_unread()
        # One request per connection: a pooled connection that the server closes while
        # idle would fail the client's next request with an error no retry policy expects.
        self.close_connection = True
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError as exc:  # the client gave up (a 'slow' fault past its timeout)
            log.debug("could not answer %s: %s", self.client_address, exc)

    def _discard_unread(self) -> None:
        # Closing a socket with unread input makes the kernel reset the connection, and
        # the client then sees the reset instead of the answer (a 413 or 401 in
        # particular), so read the rest of the body and throw it away, for a bounded time.
        deadline = time.monotonic() + _DRAIN_S
        try:
            self.connection.settimeout(_DRAIN_S)
            while self._unread > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read(min(self._unread, 1 << 16))
                if not chunk:
                    break
                self._unread -= len(chunk)
        except OSError:
            pass  # the client is gone; nothing to protect

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        length = self.headers.get("Content-Length", "")
        self._length = int(length) if length.isdigit() else None
        self._unread = self._length or 0
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The standard library rejects malformed requests and unknown methods itself;
        # answer those in OpenAI's error shape too.
        started = time.monotonic()
        path = urlsplit(getattr(self, "path", "")).path
        self.server.app._count_request(path)
        reply = _ApiError(HTTPStatus(code), message or HTTPStatus(code).phrase).reply()
        self._log(path, str(code), started)
        self._send(reply)

    def _log(self, path: str, status: str, started: float) -> None:
        # Method, path and status only: headers carry the bearer token.
        elapsed_ms = (time.monotonic() - started) * 1000
        log.info("%s %s %s %.0f ms", self.command, path, status, elapsed_ms)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: :meth:`_log` writes one line per request instead."""

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s: " + format, self.address_string(), *args)


def _parse_json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _ApiError(HTTPStatus.BAD_REQUEST, f"The body is not valid JSON ({exc}).") from exc


class SpeechServer:
    """The OpenAI-compatible speech server; ``start``/``stop`` it, or use it as a context."""

    def __init__(
        self, config: ServeConfig | None = None, faults: FaultConfig | None = None
    ) -> None:
        self.config = config or ServeConfig()
        self._faults = FaultInjector(faults) if faults is not None else None
        self._lock = threading.Lock()
        self._requests = 0
        self._by_path: Counter[str] = Counter()
        self._fault_counts: Counter[str] = Counter()
        self._speech_inputs: list[str] = []
        self._working = 0  # requests inside model or ffmpeg work
        self._idle = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Serve in a daemon thread; returns the base URL, e.g. ``http://127.0.0.1:8000/v1``."""
        httpd = self._bind()
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(_POLL_S,), name="narrator-server", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop a server begun with :meth:`start`, after the model work in flight."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        self._stopping.set()
        if thread is not None:
            httpd.shutdown()
            thread.join()
        self._wait_for_engine_work()
        httpd.server_close()

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C; the base URL is logged at INFO when listening."""
        httpd = self._bind()
        log.info("narrator speech server listening on %s", self.url)
        try:
            httpd.serve_forever(_POLL_S)
        except KeyboardInterrupt:
            log.info("narrator speech server stopping")
        finally:
            self._httpd = None
            self._stopping.set()
            self._wait_for_engine_work()
            httpd.server_close()

    def __enter__(self) -> SpeechServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL clients use (``http://HOST:PORT/v1``); the server must be running."""
        if self._httpd is None:
            raise RuntimeError("the speech server is not running")
        host, port = self._httpd.server_address[:2]
        # A wildcard address is where the server listens, not one a client can connect to.
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{shown}:{port}/v1"

    @property
    def stats(self) -> ServerStats:
        """A consistent snapshot of the counters."""
        with self._lock:
            return ServerStats(
                requests=self._requests,
                by_path=dict(self._by_path),
                faults=dict(self._fault_counts),
                speech_inputs=tuple(self._speech_inputs),
            )

    def _bind(self) -> _HTTPServer:
        if self._httpd is not None:
            raise RuntimeError("the speech server is already running")
        self._stopping.clear()
        try:
            self._httpd = _HTTPServer((self.config.host, self.config.port), self)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {self.config.host}:{self.config.port}: {exc}",
                hint="choose another port (0 picks a free one) or stop the program using it",
            ) from exc
        return self._httpd

    @contextmanager
    def _engine_work(self) -> Iterator[None]:
        """Bracket model or ffmpeg work, so stopping can wait for it; refused once stopping."""
        with self._lock:
            if self._stopping.is_set():
                raise _ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "The server is shutting down.")
            self._working += 1
        try:
            yield
        finally:
            with self._idle:
                self._working -= 1
                self._idle.notify_all()

    def _wait_for_engine_work(self) -> None:
        # Handler threads are daemons, but one still inside onnxruntime or CTranslate2
        # when the interpreter exits aborts the whole process ("terminate called
        # without an active exception"), so let running work finish first.
        with self._idle:
            if not self._idle.wait_for(lambda: self._working == 0, timeout=_STOP_WAIT_S):
                log.warning("stopped with %d requests still running", self._working)

    def _count_request(self, path: str) -> None:
        with self._lock:
            self._requests += 1
            self._by_path[path] += 1

    def _record_speech(self, text: str) -> None:
        with self._lock:
            self._speech_inputs.append(text)

    def _garbage(self) -> bytes:
        assert self._faults is not None
        return self._faults.garbage(GARBAGE_BYTES)

    def _fault(self, *, audio: bool) -> FaultKind | None:
        """Draw this request's fault and act on it; returns the audio fault left to apply.

        ``audio`` is False for responses without an audio body: an audio fault drawn
        there becomes a 500.
        """
        if self._faults is None:
            return None
        fault = self._faults.draw()
        if fault is None:
            return None
        if fault in AUDIO_FAULTS and not audio:
            fault = FaultKind.SERVER_ERROR
        with self._lock:
            self._fault_counts[fault.value] += 1
        match fault:
            case FaultKind.RATE_LIMIT | FaultKind.RATE_LIMIT_RETRY_AFTER:
                headers = {"Retry-After": "1"} if fault == FaultKind.RATE_LIMIT_RETRY_AFTER else {}
                raise _ApiError(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    "Rate limit reached for requests (injected fault).",
                    code="rate_limit_exceeded",
                    headers=headers,
                )
            case FaultKind.SERVER_ERROR:
                raise _ApiError(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "The server had an error while processing your request (injected fault).",
                )
            case FaultKind.UNAVAILABLE:
                raise _ApiError(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    "The server is overloaded; try again later (injected fault).",
                    code="service_unavailable",
                )
            case FaultKind.DROP:
                raise _NoReply("dropped (injected fault)")
            case FaultKind.SLOW:
                # Waiting on the stop event lets stop() cut the wait short.
                if self._stopping.wait(self._faults.config.slow_s):
                    raise _NoReply("server stopping")
                return None
        return fault
