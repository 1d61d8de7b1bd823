"""Transcription for the server: faster-whisper (tiny.en for English, base for the other
languages), answered in OpenAI's shapes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from http import HTTPStatus

from fastapi.responses import JSONResponse, PlainTextResponse, Response

from narrator.server.config import TranscriptionDetail
from narrator.server.errors import ApiError


def transcribe(
    audio: bytes,
    *,
    response_format: str,
    granularities: Sequence[str] = (),
    detail: TranscriptionDetail = "words",
    language: str | None = None,
) -> Response:
    """Transcribe an uploaded audio file in ``language`` (an ISO 639-1 code Whisper hears;
    None: English) with the verifier's model and decode options for it.

    ``response_format`` is json, text or verbose_json. verbose_json has segments, and word
    timestamps (seconds) when ``granularities`` ask for them, as OpenAI answers; ``detail``
    imitates servers that give segments only (``segments``) or the text only (``text``).
    """
    words = response_format == "verbose_json" and "word" in granularities and detail == "words"
    # Imported here: faster-whisper and CTranslate2 take about a second to import.
    from faster_whisper import decode_audio

    from narrator.text.language import ENGLISH, NAMES, primary
    from narrator.verify.faster_whisper import WHISPER_RATE, decode_options, model_for

    language = language or ENGLISH

    try:
        samples = decode_audio(io.BytesIO(audio), sampling_rate=WHISPER_RATE)
    except Exception as exc:  # PyAV raises many unrelated types for undecodable input
        raise ApiError(
            HTTPStatus.BAD_REQUEST,
            f"The audio file could not be decoded ({exc}); send FLAC, WAV, MP3, Ogg or M4A.",
            param="file",
        ) from exc
    if samples.size == 0:
        raise ApiError(HTTPStatus.BAD_REQUEST, "The audio file holds no audio.", param="file")
    # Each model is loaded once per process (narrator.verify.faster_whisper.model_for),
    # base only by the first request in another language than English.
    segments, _info = model_for(language).transcribe(
        samples, **decode_options(language=language), word_timestamps=words
    )
    segments = list(segments)  # decoding happens while iterating
    text = " ".join(segment.text.strip() for segment in segments).strip()
    if response_format == "text":
        return PlainTextResponse(text + "\n")
    if response_format == "json" or detail == "text":
        return JSONResponse({"text": text})
    verbose: dict[str, object] = {
        "task": "transcribe",
        # OpenAI names the language in lower-case English words.
        "language": NAMES.get(primary(language), language).lower(),
        "duration": samples.size / WHISPER_RATE,
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
    if words:
        verbose["words"] = [
            {"word": word.word.strip(), "start": float(word.start), "end": float(word.end)}
            for segment in segments
            for word in segment.words or ()
        ]
    return JSONResponse(verbose)
