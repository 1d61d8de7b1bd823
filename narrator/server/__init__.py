"""A local OpenAI-compatible speech server over the embedded engines (Piper's joe and
Kokoro-82M's English voices, faster-whisper).

It serves ``GET /v1/models``, ``GET /v1/audio/voices``, ``POST /v1/audio/speech`` and
``POST /v1/audio/transcriptions`` in the shape of OpenAI's API, so the ``openai`` SDK (and
narrator's remote engine) can use one speech box from several machines, and the tests can
exercise the remote path over real HTTP, with the model and voices of narrator's default
remote API too (``kokoro-82m``, ``af_heart``). An optional :class:`FaultConfig` makes it
fail like a real provider.

FastAPI on uvicorn, by concern: ``config`` (what it serves), ``gate`` (token, size limit,
logging, connection handling), ``errors`` (OpenAI's error shape), ``faults``, ``audio`` and
``transcribe`` (the model work), ``app`` (routes), ``run`` (the server's lifecycle). The
models are loaded by the process-wide loaders on first use, so starting is instant and a
server that is never asked for a Kokoro voice never loads Kokoro.
"""

from narrator.server.config import (
    KOKORO_MODEL,
    SPEECH_MODEL,
    SPEECH_VOICES,
    TRANSCRIPTION_MODEL,
    VOICE,
    ServeConfig,
    ServerStats,
)
from narrator.server.faults import FaultConfig, FaultInjector, FaultKind
from narrator.server.run import SpeechServer

__all__ = [
    "KOKORO_MODEL",
    "SPEECH_MODEL",
    "SPEECH_VOICES",
    "TRANSCRIPTION_MODEL",
    "VOICE",
    "FaultConfig",
    "FaultInjector",
    "FaultKind",
    "ServeConfig",
    "ServerStats",
    "SpeechServer",
]
