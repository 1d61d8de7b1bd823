"""The remote transcriber: any OpenAI-compatible ``POST /audio/transcriptions``.

Each call is one budgeted, retried request through
:class:`~narrator.provider.Provider`. :meth:`RemoteTranscriber.transcribe_timed`
asks for ``verbose_json`` with word timestamps, and takes what the server gives: words,
segments only (servers that ignore ``timestamp_granularities``), or the text alone.
"""

from __future__ import annotations

from pathlib import Path

import openai
import soundfile as sf

from narrator.errors import EngineError
from narrator.provider import Provider
from narrator.text.language import ENGLISH, primary
from narrator.verify.attribution import untimed
from narrator.verify.base import HeardSegment, TranscriberCapabilities
from narrator.verify.batching import BATCH_SAMPLE_RATE


class RemoteTranscriber:
    """Transcriber over an OpenAI-compatible API, told the speech's language, no prompt."""

    # The 25 MB upload limit allows about 13 min of 16-kHz FLAC (``plan_batches`` applies
    # it); 15 min only caps batches on servers with a larger limit, keeping each request
    # well inside the default 120-s timeout of a GPU Whisper.
    capabilities = TranscriberCapabilities(paid=True, batch_s=15 * 60.0)

    def __init__(self, provider: Provider, *, model: str, language: str = ENGLISH) -> None:
        """``language`` is the BCP 47 tag of the speech; the API is sent its primary
        subtag (ISO 639-1, as OpenAI's ``language`` field takes)."""
        self._provider = provider
        self.model = model
        self.language = primary(language)
        self.identity = f"openai-compat/{provider.account}/{model}"
        if self.language != ENGLISH:
            # The transcript depends on the language the server is told.
            self.identity += f"/{self.language}"

    def transcribe(self, audio_path: Path, *, label: str = "") -> str:
        """Return the text heard in ``audio_path``, in one request."""
        return self._send(audio_path, label, "json").text

    def transcribe_timed(self, audio_path: Path, *, label: str = "") -> tuple[HeardSegment, ...]:
        """What is heard in ``audio_path``, from one request: its words timed in seconds when
        the server returns them, else its segments, else one untimed segment
        (:func:`~narrator.verify.attribution.untimed`)."""
        result = self._send(audio_path, label, "verbose_json", granularities=["word", "segment"])
        if isinstance(result, str):  # a server that answers every format with text
            return (untimed(result.strip()),) if result.strip() else ()
        for units, key in (
            (getattr(result, "words", None), "word"),
            (getattr(result, "segments", None), "text"),
        ):
            if units:
                return tuple(
                    HeardSegment(
                        start_s=float(u.start), end_s=float(u.end), text=getattr(u, key).strip()
                    )
                    for u in units
                )
        text = (getattr(result, "text", None) or "").strip()
        return (untimed(text),) if text else ()

    def _send(  # noqa: ANN202 - SDK type
        self,
        audio_path: Path,
        label: str,
        response_format: str,
        granularities: list[str] | None = None,
    ):
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
                language=self.language,
                response_format=response_format,  # type: ignore[arg-type]
                **({"timestamp_granularities": granularities} if granularities else {}),
            )

        timeout_s = self._provider.timeouts.for_transcription(_audio_seconds(audio_path, data))
        return self._provider.call(
            "transcription", label or Path(audio_path).name, send, timeout_s=timeout_s
        )


def _audio_seconds(path: Path, data: bytes) -> float:
    """How long the audio in ``path`` lasts, seconds; for a file soundfile cannot read,
    an upper bound from its size as 16-bit mono at 16 kHz (what batches are written as)."""
    try:
        return float(sf.info(path).duration)
    except (sf.LibsndfileError, RuntimeError):
        return len(data) / (2 * BATCH_SAMPLE_RATE)
