"""A local OpenAI-compatible speech server over the embedded engine (Piper + faster-whisper).

It serves ``GET /v1/models``, ``POST /v1/audio/speech`` and ``POST /v1/audio/transcriptions``
in the shape of OpenAI's API, so the ``openai`` SDK (and narrator's remote engine) can use
one speech box from several machines, and the tests can exercise the remote path over real
HTTP. An optional :class:`FaultConfig` makes it fail like a real provider.

FastAPI on uvicorn, by concern: ``config`` (what it serves), ``gate`` (token, size limit,
logging, connection handling), ``errors`` (OpenAI's error shape), ``faults``, ``audio`` and
``transcribe`` (the model work), ``app`` (routes), ``run`` (the server's lifecycle). The
models are loaded by the process-wide loaders on first use, so starting is instant.
"""

from narrator.server.config import (
    SPEECH_MODEL,
    TRANSCRIPTION_MODEL,
    VOICE,
    ServeConfig,
    ServerStats,
)
from narrator.server.faults import FaultConfig, FaultInjector, FaultKind
from narrator.server.run import SpeechServer

__all__ = [
    "SPEECH_MODEL",
    "TRANSCRIPTION_MODEL",
    "VOICE",
    "FaultConfig",
    "FaultInjector",
    "FaultKind",
    "ServeConfig",
    "ServerStats",
    "SpeechServer",
]
