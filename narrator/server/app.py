"""The OpenAI-compatible routes and their request models.

``GET /v1/models``, ``GET /v1/audio/voices`` (as Kokoro-style servers list theirs: every
model's voices in one list), ``POST /v1/audio/speech`` (JSON: a model and one of its
voices) and ``POST /v1/audio/transcriptions`` (multipart form; absent when
:class:`ServeConfig` imitates a speech-only server). Model work runs in sync
endpoints, so in FastAPI's threadpool, never on the event loop; the engines are built
once per voice and speed (``narrator.engines.voice_engine``), and each model is loaded
once per process, by the first request that needs it.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations at runtime,
# and they name dependencies local to create_app.
import asyncio
from collections.abc import AsyncIterator, Collection, Mapping
from http import HTTPStatus
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from narrator.server.audio import CONTENT_TYPES, encode, synthesize
from narrator.server.config import (
    SPEECH_MODEL,
    SPEECH_VOICES,
    TRANSCRIPTION_MODEL,
    Counters,
    ServeConfig,
)
from narrator.server.errors import ApiError, install_handlers
from narrator.server.faults import AudioFault, FaultLayer
from narrator.server.transcribe import transcribe
from narrator.speech.voices import Voice

_GRANULARITIES_FIELD = "timestamp_granularities[]"


class SpeechRequest(BaseModel):
    """Body of ``POST /v1/audio/speech``; ``instructions`` and unknown fields are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    model: str
    input: str
    voice: str
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] = "mp3"
    # Strict: `"speed": true` is a client bug, not a speed of 1.
    speed: float = Field(default=1.0, ge=0.25, le=4.0, strict=True)

    @field_validator("input")
    @classmethod
    def _speakable(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class TranscriptionForm(BaseModel):
    """Fields of ``POST /v1/audio/transcriptions``; ``prompt``, ``temperature`` and unknown
    fields are accepted and ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    file: UploadFile
    model: str
    response_format: Literal["json", "text", "verbose_json"] = "json"
    timestamp_granularities: list[Literal["segment", "word"]] = Field(
        default=[], alias=_GRANULARITIES_FIELD
    )
    language: str | None = None
    prompt: str | None = None
    temperature: float | None = None

    @field_validator("language")
    @classmethod
    def _heard(cls, value: str | None) -> str | None:
        """An ISO 639-1 code Whisper hears (English by tiny.en, the others by base), or
        'english'; None (not given) is English."""
        from narrator.verify.faster_whisper import hears  # imports faster-whisper (~1 s)

        if not value or value.lower() == "english":
            return None
        if not hears(value):
            raise ValueError(
                f"language {value!r} is not supported; {TRANSCRIPTION_MODEL} hears English "
                "('en') and Whisper base the other languages Whisper knows, by ISO 639-1 "
                "code ('fr', 'zh', 'hi', ...)"
            )
        return value.lower()


def _invalid(exc: ValidationError) -> RequestValidationError:
    """pydantic's errors located in the body, as FastAPI reports its own."""
    return RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])


def _listed(names: Collection[str]) -> str:
    return " or ".join(repr(name) for name in names)


def _check_model(model: str, expected: Collection[str], task: str) -> None:
    if model not in expected:
        raise ApiError(
            HTTPStatus.NOT_FOUND,
            f"The model {model!r} does not exist or cannot do {task}; use {_listed(expected)}.",
            param="model",
            code="model_not_found",
        )


def _voices_of(model: str) -> Mapping[str, Voice]:
    """The voices ``model`` speaks: a name the server imitates ('tts-1' of a Piper
    server that takes OpenAI's names) speaks with Piper's."""
    return SPEECH_VOICES.get(model, SPEECH_VOICES[SPEECH_MODEL])


def _check_voice(model: str, voice: str) -> None:
    """A 400 naming ``model``'s voices unless ``voice`` is one of them, and the model to
    ask for when ``voice`` belongs to another."""
    voices = _voices_of(model)
    if voice in voices:
        return
    listed = ", ".join(repr(name) for name in voices)
    message = f"Voice {voice!r} is not a voice of {model!r}; " + (
        f"its only voice is {listed}." if len(voices) == 1 else f"its voices are {listed}."
    )
    owner = next((other for other, theirs in SPEECH_VOICES.items() if voice in theirs), None)
    if owner is not None:
        message += f" {voice!r} is a voice of {owner!r}."
    raise ApiError(HTTPStatus.BAD_REQUEST, message, param="voice")


def _model_object(model_id: str) -> dict[str, object]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": "narrator"}


def create_app(
    config: ServeConfig, counters: Counters, faults: FaultLayer, stopping: asyncio.Event
) -> FastAPI:
    """The FastAPI app; ``stopping`` is set when the server begins to shut down."""
    app = FastAPI(title="narrator speech server", openapi_url=None, docs_url=None, redoc_url=None)
    install_handlers(app, config.error_style)
    models = [*config.speech_models, *config.transcription_models]

    def refuse_if_stopping() -> None:
        if stopping.is_set():
            raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "The server is shutting down.")

    async def speech_request(request: Request) -> SpeechRequest:
        # Parsed here rather than by FastAPI: the body is JSON whatever its Content-Type says.
        try:
            body = SpeechRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            raise _invalid(exc) from exc
        _check_model(body.model, config.speech_models, "speech")
        if len(body.input) > config.max_input_chars:
            raise ApiError(
                HTTPStatus.BAD_REQUEST,
                f"'input' is {len(body.input)} characters long; the limit is "
                f"{config.max_input_chars} characters.",
                param="input",
                code="string_above_max_length",
            )
        _check_voice(body.model, body.voice)
        return body

    async def transcription_form(request: Request) -> AsyncIterator[TranscriptionForm]:
        form = await request.form()
        try:
            fields: dict[str, object] = {_GRANULARITIES_FIELD: form.getlist(_GRANULARITIES_FIELD)}
            fields |= {k: v for k, v in form.multi_items() if k != _GRANULARITIES_FIELD}
            try:
                parsed = TranscriptionForm.model_validate(fields)
            except ValidationError as exc:
                raise _invalid(exc) from exc
            _check_model(parsed.model, config.transcription_models, "transcription")
            yield parsed
        finally:
            await form.close()

    @app.get("/v1/models")
    async def list_models() -> dict[str, object]:
        return {"object": "list", "data": [_model_object(model) for model in models]}

    @app.get("/v1/audio/voices")
    async def list_voices() -> dict[str, object]:
        spoken = dict.fromkeys(v for model in config.speech_models for v in _voices_of(model))
        return {"voices": list(spoken)}

    @app.get("/v1/models/{model_id}")
    async def retrieve_model(model_id: str) -> dict[str, object]:
        if model_id not in models:
            raise ApiError(
                HTTPStatus.NOT_FOUND,
                f"The model {model_id!r} does not exist.",
                param="model",
                code="model_not_found",
            )
        return _model_object(model_id)

    @app.post("/v1/audio/speech")
    def speech(
        body: Annotated[SpeechRequest, Depends(speech_request)],
        fault: Annotated[AudioFault | None, Depends(faults.speech)],
    ) -> Response:
        def render() -> bytes:
            refuse_if_stopping()
            spoken = synthesize(
                body.input,
                voice=_voices_of(body.model)[body.voice],
                speed=body.speed,
                max_input_chars=config.max_input_chars,
                speak_at_most_chars=config.speak_at_most_chars,
            )
            return encode(spoken, body.response_format, pcm_rate=config.pcm_rate)

        media_type = CONTENT_TYPES[body.response_format]
        if fault is not None:
            return Response(fault.corrupt(render), media_type=media_type)
        audio = render()
        counters.speech(body.input)
        return Response(audio, media_type=media_type)

    def transcription(
        form: Annotated[TranscriptionForm, Depends(transcription_form)],
        _fault: Annotated[None, Depends(faults.transcription)],
    ) -> Response:
        refuse_if_stopping()
        return transcribe(
            form.file.file.read(),
            response_format=form.response_format,
            granularities=form.timestamp_granularities,
            detail=config.transcription_detail,
            language=form.language,
        )

    if config.transcription_route:
        app.post("/v1/audio/transcriptions")(transcription)

    return app
