"""Build the speech engine and transcriber a run asks for, once per worker process.

Engine families are registered by name (``embedded`` for Piper, ``kokoro``, ``remote``),
each declaring its voices; ``NarrationParams`` names one for speech (``engine``; offline,
its ``voice`` picks between Piper and Kokoro) and one for verification (``verify``). A
run with a dialogue voice gets a second speech engine of the same family. Tasks receive
only small parameter records; each looks its engines up here, so models load on first
use in a process and are shared by every later chunk, and every paid request of the
process shares one SDK client and one ledger.
"""

from __future__ import annotations

import functools
import ipaddress
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from narrator.budget import SYSTEM_CLOCK, Clock, RequestLedger, open_ledger, parse_budget
from narrator.config import NarrationParams, RemoteSettings, Settings
from narrator.errors import ConfigError
from narrator.models import Chunk, Frozen
from narrator.provider import Provider, RetryPolicy, Timeouts, account_of, api_key_from_env
from narrator.speech.base import SpeechCapabilities, SpeechEngine
from narrator.speech.voices import (
    KOKORO_VOICES,
    PIPER_VOICES,
    Voice,
    kokoro_default,
    names,
    speaks,
    voices_for,
)
from narrator.text.language import ENGLISH, name
from narrator.verify.base import Transcriber, TranscriberCapabilities

CLOCK: Clock = SYSTEM_CLOCK
"""The clock budgets are kept by; see :func:`use_clock`."""

VOICE_ENGINES = 64
"""Most engines :func:`voice_engine` keeps: bounded, because the speech server's clients
choose the speed, and each new speed is a new engine. An engine holds no model (each
family loads its model once per process), so one dropped is rebuilt in about 6 µs (a
Kokoro engine through its factory, mean of 10,000 builds)."""

_build_lock = threading.Lock()


class EngineOptions(Frozen):
    """What a run's engines are built from: the part of ``NarrationParams`` they read."""

    speed: float
    max_input_chars: int | None  # None: each engine's default
    remote: RemoteSettings
    voice: str | None = None  # None: the engine's default voice
    dialogue_voice: str | None = None
    language: str = ENGLISH  # the book's, BCP 47; picks a Kokoro default voice

    @classmethod
    def of(cls, params: NarrationParams) -> EngineOptions:
        return cls(
            speed=params.speed,
            max_input_chars=params.max_input_chars,
            remote=params.remote,
            voice=params.voice,
            dialogue_voice=params.dialogue_voice,
            language=params.book_language,
        )


class EngineFactory(Protocol):
    """A family of engines: a speech engine and a transcriber, built on demand.

    The capability methods load no model and need no API key (``narrate plan`` asks
    them); the build methods receive the remote API's client when a paid engine of the
    run needs one. Each imports its engine's module only when called, so commands that
    never synthesize do not import model runtimes.
    """

    def speech_capabilities(self, options: EngineOptions) -> SpeechCapabilities: ...

    def voices(self) -> tuple[Voice, ...]:
        """The voices this family's speech engine has; empty when it takes any name (a
        remote API, which answers for its own voices)."""
        ...

    def transcriber_capabilities(self) -> TranscriberCapabilities: ...

    def speech(self, options: EngineOptions, provider: Provider | None) -> SpeechEngine: ...

    def transcriber(self, options: EngineOptions, provider: Provider | None) -> Transcriber: ...


class _Embedded:
    """Piper's joe-medium voice and faster-whisper tiny.en, on this machine."""

    def speech_capabilities(self, options: EngineOptions) -> SpeechCapabilities:
        from narrator.speech import piper

        return piper.capabilities(options.max_input_chars or piper.DEFAULT_MAX_INPUT_CHARS)

    def voices(self) -> tuple[Voice, ...]:
        return PIPER_VOICES

    def transcriber_capabilities(self) -> TranscriberCapabilities:
        from narrator.verify.faster_whisper import WhisperTranscriber

        return WhisperTranscriber.capabilities

    def speech(self, options: EngineOptions, provider: Provider | None) -> SpeechEngine:
        from narrator.speech.piper import PiperEngine

        max_input_chars = self.speech_capabilities(options).max_input_chars
        return PiperEngine(speed=options.speed, max_input_chars=max_input_chars)

    def transcriber(self, options: EngineOptions, provider: Provider | None) -> Transcriber:
        from narrator.verify.faster_whisper import WhisperTranscriber

        return WhisperTranscriber(language=options.language)


class _Kokoro(_Embedded):
    """Kokoro-82M's voices in nine languages and faster-whisper tiny.en, on this machine."""

    def speech_capabilities(self, options: EngineOptions) -> SpeechCapabilities:
        from narrator.speech import kokoro

        default = kokoro.default_max_input_chars(self._language(options))
        return kokoro.capabilities(options.max_input_chars or default)

    def voices(self) -> tuple[Voice, ...]:
        return KOKORO_VOICES

    def speech(self, options: EngineOptions, provider: Provider | None) -> SpeechEngine:
        from narrator.speech.kokoro import KokoroEngine

        return KokoroEngine(
            voice=options.voice or kokoro_default(options.language).name,
            speed=options.speed,
            max_input_chars=self.speech_capabilities(options).max_input_chars,
        )

    @staticmethod
    def _language(options: EngineOptions) -> str:
        """The language the run's voice speaks; with none chosen, Kokoro's default voice
        for the book's language (``ConfigError`` when Kokoro speaks no such language)."""
        if options.voice is None:
            return kokoro_default(options.language).language
        return next((v.language for v in KOKORO_VOICES if v.name == options.voice), ENGLISH)


class _Remote:
    """An OpenAI-compatible speech and transcription API (Oxlo by default)."""

    def speech_capabilities(self, options: EngineOptions) -> SpeechCapabilities:
        from narrator.speech import openai_compat

        return openai_compat.capabilities(options.max_input_chars or options.remote.max_input_chars)

    def voices(self) -> tuple[Voice, ...]:
        return ()

    def transcriber_capabilities(self) -> TranscriberCapabilities:
        from narrator.verify.openai_compat import RemoteTranscriber

        return RemoteTranscriber.capabilities

    def speech(self, options: EngineOptions, provider: Provider | None) -> SpeechEngine:
        from narrator.speech.openai_compat import RemoteSpeechEngine

        return RemoteSpeechEngine(
            _required(provider),
            model=options.remote.tts_model,
            voice=options.voice or remote_voice(options.remote, options.language),
            speed=options.speed,
            response_format=options.remote.response_format,
            max_input_chars=self.speech_capabilities(options).max_input_chars,
            pcm_rate=options.remote.pcm_rate,
            language=options.language,
        )

    def transcriber(self, options: EngineOptions, provider: Provider | None) -> Transcriber:
        from narrator.verify.openai_compat import RemoteTranscriber

        return RemoteTranscriber(
            _required(provider), model=options.remote.asr_model, language=options.language
        )


def _required(provider: Provider | None) -> Provider:
    if provider is None:
        raise ConfigError(
            "a remote engine was built without its API client",
            hint="declare the engine paid in its capabilities: only runs with a paid engine "
            "get the budgeted API client",
        )
    return provider


_REGISTRY: dict[str, EngineFactory] = {
    "embedded": _Embedded(),
    "kokoro": _Kokoro(),
    "remote": _Remote(),
}


def register(name: str, factory: EngineFactory) -> None:
    """Make the engine family ``factory`` available under ``name`` (replacing any)."""
    with _build_lock:
        _REGISTRY[name] = factory
        _build.cache_clear()
        _voice_engine.cache_clear()


def engine_factory(name: str) -> EngineFactory:
    """The engine family registered as ``name``; ``ConfigError`` naming the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(f"unknown engine {name!r}", hint=f"choose one of: {known}") from None


@dataclass(frozen=True)
class Engines:
    """The pair of engines one run uses, and the remote provider when there is one.

    ``voices`` builds the run's speech engine family in another voice: the dialogue
    voice's for quoted speech, or one a person chose for a chunk (``narrate redo
    --voice``). None: the run speaks in one voice. ``language`` is the book's (BCP 47):
    the transcriber was told it, and what is heard is judged in it.
    """

    speech: SpeechEngine
    transcriber: Transcriber
    provider: Provider | None
    voices: Callable[[str], SpeechEngine] | None = None
    language: str = ENGLISH

    def speech_for(self, chunk: Chunk) -> SpeechEngine:
        """The engine that speaks ``chunk``: its own voice's, if it has one."""
        if chunk.voice is None or self.voices is None:
            return self.speech
        return self.voices(chunk.voice)


def embedded_voices() -> tuple[Voice, ...]:
    """Every voice of every engine family on this machine, in registry order."""
    return tuple(v for family in _REGISTRY.values() for v in family.voices())


def voice_engine(
    voice: Voice, speed: float = 1.0, max_input_chars: int | None = None
) -> SpeechEngine:
    """The (cached) speech engine speaking ``voice`` (an embedded one: no API client) at
    ``speed``; ``max_input_chars`` None is the engine's default. A family's module is
    imported when one of its voices is first asked for, and its model loaded when that
    engine first speaks."""
    # The speech server's requests ask at the same moment; build each engine once.
    with _build_lock:
        return _voice_engine(voice, speed, max_input_chars)


@functools.lru_cache(maxsize=VOICE_ENGINES)
def _voice_engine(voice: Voice, speed: float, max_input_chars: int | None) -> SpeechEngine:
    options = EngineOptions(
        speed=speed, max_input_chars=max_input_chars, remote=RemoteSettings(), voice=voice.name
    )
    return engine_factory(voice.engine).speech(options, None)


def use_clock(clock: Clock) -> None:
    """Keep budgets by ``clock`` from now on (tests live through several "days" this way)."""
    global CLOCK
    with _build_lock:
        CLOCK = clock
        _build.cache_clear()


def engine_kind(params: NarrationParams) -> str:
    """The speech engine ``params`` select; ``auto`` is remote when an API key is set.

    On this machine (``embedded``) the voice picks the engine: ``af_heart`` is
    Kokoro's, ``en_US-joe-medium`` Piper's. Raises ``ConfigError``, listing the voices
    the engine has, when it lacks the voice or the dialogue voice.
    """
    kind = params.engine
    if kind == "auto":
        has_key = api_key_from_env() is not None or params.remote.api_key_block is not None
        kind = "remote" if has_key else "embedded"
    chosen = params.voice or params.dialogue_voice
    if kind == "embedded":
        kind = _embedded_engine_of(chosen, params.book_language)
    _check_voices(kind, params)
    return kind


def _embedded_engine_of(voice: str | None, language: str = ENGLISH) -> str:
    """The engine family on this machine that has ``voice``; with none chosen, the one
    whose default voice reads a book in ``language``: Piper's for English, else Kokoro's
    (``ConfigError`` naming the remote engine for a language no voice here speaks)."""
    if voice is None:
        voices_for(language, embedded_voices())  # ConfigError when no voice here speaks it
        return "embedded" if speaks(PIPER_VOICES[0], language) else "kokoro"
    every = embedded_voices()
    for known in every:
        if known.name == voice:
            return known.engine
    raise ConfigError(
        f"no engine on this machine has the voice {voice!r}",
        hint=f"choose one of: {names(every)} (`narrate voices` lists them)",
    )


def _check_voices(kind: str, params: NarrationParams) -> None:
    for role, voice in (("voice", params.voice), ("dialogue voice", params.dialogue_voice)):
        if voice is not None:
            _check_voice(kind, params, voice, role)


def remote_voice(remote: RemoteSettings, language: str) -> str:
    """The remote voice when no ``--voice`` is given: ``remote.voice``, unless it is a
    Kokoro voice of another language than the book's (the default ``af_heart`` for a
    French book); then Kokoro's voice for the book's language, which Kokoro servers (Oxlo's
    ``kokoro-82m``, ``narrate serve``) speak. Raises ``ConfigError`` for a language
    Kokoro does not speak, asking for a voice of the server's that does."""
    known = next((v for v in KOKORO_VOICES if v.name == remote.voice), None)
    if known is None or speaks(known, language):
        return remote.voice
    try:
        return kokoro_default(language).name
    except ConfigError:
        raise ConfigError(
            f"the remote voice {remote.voice!r} speaks {name(known.language)}, "
            f"but the book is in {name(language)} ({language})",
            hint=f"pass --voice with a {name(language)} voice of your server (most servers "
            "list theirs at GET /audio/voices)",
        ) from None


def check_voice(params: NarrationParams, voice: str, role: str = "voice") -> None:
    """Raise ``ConfigError``, listing the voices it has, unless the speech engine
    ``params`` select can also speak in ``voice`` (a remote API may take any name)."""
    _check_voice(engine_kind(params), params, voice, role)


def _check_voice(kind: str, params: NarrationParams, voice: str, role: str) -> None:
    voices = engine_factory(kind).voices()
    if not voices:
        return  # a remote API answers for its own voices and their languages
    if voice not in {v.name for v in voices}:
        raise ConfigError(
            f"the {kind} engine (chosen by the voice {params.voice or voices[0].name!r}) "
            f"has no {role} {voice!r}; a run speaks with one engine",
            hint=f"choose the {role} among its voices: {names(voices)}",
        )
    language = EngineOptions.of(params).language
    chosen = next(v for v in voices if v.name == voice)
    if not speaks(chosen, language):
        # The engine's own voices that fit, else any here (ConfigError when none does).
        fit = tuple(v for v in voices if speaks(v, language)) or voices_for(
            language, embedded_voices()
        )
        raise ConfigError(
            f"the {role} {voice!r} speaks {name(chosen.language)}, "
            f"but the book is in {name(language)} ({language})",
            hint=f"choose a {name(language)} voice: {names(fit)} (`narrate voices "
            f"--language {language}` lists them), or state the book's language with --language",
        )


def speech_capabilities(params: NarrationParams) -> SpeechCapabilities:
    """What the speech engine ``params`` select can do, without building it."""
    return engine_factory(engine_kind(params)).speech_capabilities(EngineOptions.of(params))


def transcriber_capabilities(params: NarrationParams) -> TranscriberCapabilities:
    """What the transcriber ``params`` select can do, without building it."""
    return engine_factory(params.verify).transcriber_capabilities()


def packing_for(params: NarrationParams) -> tuple[int, bool]:
    """Return ``(max_input_chars, by_paragraph)`` for chunk packing, without loading models."""
    capabilities = speech_capabilities(params)
    return capabilities.max_input_chars, capabilities.packs_by_paragraph


def engines_for(params: NarrationParams, api_key: str | None = None) -> Engines:
    """Return the (cached) engines for ``params``.

    ``api_key`` is the key from a Prefect Secret block, when the caller resolved
    one; otherwise the environment's key is used.
    """
    kind = engine_kind(params)
    # Worker threads ask at the same moment; build each set of engines once.
    with _build_lock:
        return _build(kind, params.verify, EngineOptions.of(params), api_key)


@functools.cache
def _build(kind: str, verify: str, options: EngineOptions, api_key: str | None) -> Engines:
    speech_family, verify_family = engine_factory(kind), engine_factory(verify)
    paid = (
        speech_family.speech_capabilities(options).paid
        or verify_family.transcriber_capabilities().paid
    )
    provider = _provider(options.remote, api_key) if paid else None

    # Built on first use, once per voice; each loads its model once per process anyway.
    @functools.cache
    def in_voice(voice: str) -> SpeechEngine:
        return speech_family.speech(options.model_copy(update={"voice": voice}), provider)

    return Engines(
        speech=speech_family.speech(options, provider),
        transcriber=verify_family.transcriber(options, provider),
        provider=provider,
        voices=in_voice,
        language=options.language,
    )


def on_this_machine(base_url: str) -> bool:
    """True when ``base_url`` names this machine (``localhost`` or a loopback address), so
    no one bills its requests and it needs no key."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name
        return False


def remote_api_key(remote: RemoteSettings, api_key: str | None = None) -> str:
    """The key for ``remote``: ``api_key`` (from a Secret block), else the environment's.

    A server on this machine needs none (a local ``narrate serve`` without a token accepts
    any key); any other raises :class:`ConfigError` saying where to put one.
    """
    key = api_key or api_key_from_env()
    if key is None:
        if not on_this_machine(remote.base_url):
            raise ConfigError(
                f"no API key for {account_of(remote.base_url)}",
                hint="set NARRATOR_API_KEY (or OXLO_API_KEY / OPENAI_API_KEY), name a Prefect "
                "Secret block with --api-key-block, or use --engine embedded",
            )
        key = "no-key"
    return key


def _provider(remote: RemoteSettings, api_key: str | None) -> Provider:
    key = remote_api_key(remote, api_key)
    settings = Settings()
    return Provider(
        base_url=remote.base_url,
        api_key=key,
        timeouts=Timeouts(cap_s=remote.timeout_s),
        ledger=ledger_for(remote, settings),
        policy=RetryPolicy(max_attempts=settings.retry_attempts, max_total_s=settings.retry_max_s),
        clock=CLOCK,
    )


def ledger_for(remote: RemoteSettings, settings: Settings | None = None) -> RequestLedger:
    """The request ledger (``NARRATOR_LEDGER``) for ``remote``'s endpoint, under its budget."""
    return open_ledger(
        (settings or Settings()).ledger,
        parse_budget(remote.budget),
        account=account_of(remote.base_url),
        clock=CLOCK,
    )


def engine_notes(engines: Engines) -> tuple[str, ...]:
    """What a run should tell its reader about its engines (for the report)."""
    speech = engines.speech
    configured = speech.capabilities.max_input_chars
    if speech.max_input_chars < configured:
        return (
            f"{speech.identity} truncated long inputs, so narrator lowered its input limit "
            f"from {configured} to {speech.max_input_chars} characters "
            "and spoke longer chunks in pieces.",
        )
    return ()
