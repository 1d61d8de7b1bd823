"""The remote transcriber: any OpenAI-compatible ``POST /audio/transcriptions``.

Each call is one budgeted, retried request through
:class:`~narrator.provider.Provider`. :meth:`RemoteTranscriber.transcribe_timed`
asks for ``verbose_json`` so that a batch of several chunks can be attributed back
to each chunk by its segment timestamps.
"""

from __future__ import annotations

from pathlib import Path

import openai

from narrator.errors import EngineError
from narrator.provider import BadResponse, Provider
from narrator.verify.base import HeardSegment, TranscriberCapabilities


class RemoteTranscriber:
    """Transcriber over an OpenAI-compatible API (English, no prompt)."""

    # The 25 MB upload limit allows about 13 min of 16-kHz FLAC (``plan_batches`` applies
    # it); 15 min only caps batches on servers with a larger limit, keeping each request
    # well inside the default 120-s timeout of a GPU Whisper.
    capabilities = TranscriberCapabilities(paid=True, batch_s=15 * 60.0)

    def __init__(self, provider: Provider, *, model: str) -> None:
        self._provider = provider
        self.model = model
        self.identity = f"openai-compat/{provider.account}/{model}"

    def transcribe(self, audio_path: Path, *, label: str = "") -> str:
        """Return the text heard in ``audio_path``, in one request."""
        return self._send(audio_path, label, "json").text

    def transcribe_timed(self, audio_path: Path, *, label: str = "") -> tuple[HeardSegment, ...]:
        """The segments heard in ``audio_path``, timed in seconds, from one request."""
        result = self._send(audio_path, label, "verbose_json")
        segments = getattr(result, "segments", None)
        if segments is None:
            raise BadResponse(
                f"transcription of {label} has no segments",
                hint="the server ignored response_format=verbose_json; "
                "verify on the embedded transcriber instead (--verify embedded)",
            )
        return tuple(
            HeardSegment(start_s=float(s.start), end_s=float(s.end), text=s.text.strip())
            for s in segments
        )

    def _send(self, audio_path: Path, label: str, response_format: str):  # noqa: ANN202 - SDK type
        if not Path(audio_path).is_file():
            raise EngineError(
                f"audio file {audio_path} of {label} does not exist",
                hint="synthesize the chunk again; its audio file was removed or never written",
            )
        data = Path(audio_path).read_bytes()

        def send(client: openai.OpenAI):  # noqa: ANN202 - SDK type
            # No prompt: a prompt holding the expected text would bias the transcript
            # towards it and hide real errors.
            return client.audio.transcriptions.create(
                model=self.model,
                file=(Path(audio_path).name, data),
                language="en",
                response_format=response_format,  # type: ignore[arg-type]
            )

        return self._provider.call("transcription", label or Path(audio_path).name, send)
