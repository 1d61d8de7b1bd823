"""What the speech server serves and accepts, and the counters behind its statistics."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from typing import Literal

from pydantic import Field, SecretStr

from narrator.models import Frozen
from narrator.server.errors import ErrorStyle
from narrator.speech.voices import KOKORO_VOICES, PIPER_VOICES, Voice

SPEECH_MODEL = "piper-en_US-joe-medium"
"""Piper's model, whose one voice is :data:`VOICE`; the default of tests and examples."""
KOKORO_MODEL = "kokoro-82m"
"""Kokoro-82M by the name Oxlo serves it under (narrator's default remote model), with its
voices of every language by their own names (``af_heart``, ``ff_siwis``), as Oxlo takes
them; each speaks its own language."""
TRANSCRIPTION_MODEL = "faster-whisper-tiny.en"
VOICE = "joe"

SPEECH_VOICES: Mapping[str, Mapping[str, Voice]] = {
    SPEECH_MODEL: {VOICE: PIPER_VOICES[0]},
    KOKORO_MODEL: {voice.name: voice for voice in KOKORO_VOICES},
}
"""Each speech model's voices: the name a request gives, and the embedded voice that
speaks it. A request names a model and one of that model's voices."""

TranscriptionDetail = Literal["words", "segments", "text"]
"""What ``verbose_json`` transcriptions hold: word timestamps when asked for (as OpenAI),
segments only whatever is asked (servers that ignore ``timestamp_granularities``), or the
text only, with no timings at all (servers that answer every format with ``{"text"}``)."""


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
    # Imitations of other servers, for testing clients against their behaviour.
    transcription_detail: TranscriptionDetail = Field(
        default="words", description="timings in verbose_json transcriptions"
    )
    error_style: ErrorStyle = Field(default="openai", description="shape of error bodies")
    pcm_rate: int = Field(
        default=24_000,
        ge=8_000,
        le=48_000,
        description="sample rate of 'pcm' speech, Hz: OpenAI's is 24,000; Piper-based "
        "servers send their voice's 22,050",
    )
    speech_models: tuple[str, ...] = Field(
        default=tuple(SPEECH_VOICES),
        description="model names GET /v1/models lists for speech and the speech route "
        "accepts: Piper's and Kokoro's; a name neither has speaks with Piper's voice, as "
        "Piper servers that take OpenAI's names ('tts-1', 'tts-1-hd')",
    )
    transcription_models: tuple[str, ...] = Field(
        default=(TRANSCRIPTION_MODEL,),
        description="model names GET /v1/models lists for transcription and the "
        "transcription route accepts; () lists none",
    )
    transcription_route: bool = Field(
        default=True,
        description="False: no POST /v1/audio/transcriptions (404), as speech-only servers, "
        "whatever the listing says",
    )


class ServerStats(Frozen):
    """What the server has seen since it was created."""

    requests: int = Field(description="every HTTP request, faulted and failed ones included")
    by_path: dict[str, int]
    faults: dict[str, int] = Field(description="faults injected, by FaultKind value")
    speech_inputs: tuple[str, ...] = Field(
        description="the input of every speech request answered with real audio, in order"
    )


class Counters:
    """Thread-safe tallies behind :class:`ServerStats` (the event loop and the model
    threads both write them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_path: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._speech_inputs: list[str] = []

    def request(self, path: str) -> None:
        """Count one HTTP request to ``path``."""
        with self._lock:
            self._by_path[path] += 1

    def fault(self, kind: str) -> None:
        """Count one injected fault of ``kind`` (a FaultKind value)."""
        with self._lock:
            self._faults[kind] += 1

    def speech(self, text: str) -> None:
        """Record the input of a speech request answered with real audio."""
        with self._lock:
            self._speech_inputs.append(text)

    def snapshot(self) -> ServerStats:
        """A consistent copy of every counter."""
        with self._lock:
            return ServerStats(
                requests=self._by_path.total(),
                by_path=dict(self._by_path),
                faults=dict(self._faults),
                speech_inputs=tuple(self._speech_inputs),
            )
