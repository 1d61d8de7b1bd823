"""Build the speech engine and transcriber a run asks for, once per worker process.

Tasks receive only small parameter records; each looks its engines up here, so
models load on first use in a process and are shared by every later chunk, and
every remote request of the process shares one SDK client and one ledger.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from narrator.budget import SYSTEM_CLOCK, Clock, RequestLedger, parse_budget
from narrator.config import NarrationParams, RemoteSettings, Settings
from narrator.errors import ConfigError
from narrator.provider import Provider, RetryPolicy, account_of, api_key_from_env
from narrator.speech.base import SpeechEngine
from narrator.verify.base import Transcriber

CLOCK: Clock = SYSTEM_CLOCK
"""The clock budgets are kept by; see :func:`use_clock`."""

_build_lock = threading.Lock()
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Engines:
    """The pair of engines one run uses, and the remote provider when there is one."""

    speech: SpeechEngine
    transcriber: Transcriber
    provider: Provider | None


def use_clock(clock: Clock) -> None:
    """Keep budgets by ``clock`` from now on (tests live through several "days" this way)."""
    global CLOCK
    with _build_lock:
        CLOCK = clock
        _build.cache_clear()


def engine_kind(params: NarrationParams) -> Literal["embedded", "remote"]:
    """The speech engine ``params`` select; ``auto`` is remote when an API key is set."""
    if params.engine != "auto":
        return params.engine
    has_key = api_key_from_env() is not None or params.remote.api_key_block is not None
    return "remote" if has_key else "embedded"


def engines_for(params: NarrationParams, api_key: str | None = None) -> Engines:
    """Return the (cached) engines for ``params``.

    ``api_key`` is the key from a Prefect Secret block, when the caller resolved
    one; otherwise the environment's key is used.
    """
    kind = engine_kind(params)
    remote = params.remote if "remote" in (kind, params.verify) else None
    # Worker threads ask at the same moment; build each set of engines once.
    with _build_lock:
        return _build(kind, params.verify, params.speed, params.max_input_chars, remote, api_key)


@functools.cache
def _build(
    kind: str,
    verify: str,
    speed: float,
    max_input_chars: int | None,
    remote: RemoteSettings | None,
    api_key: str | None,
) -> Engines:
    provider = _provider(remote, api_key) if remote is not None else None
    # Imported here so that `narrate split` / `plan` never pay for loading model runtimes.
    if provider is not None and remote is not None and kind == "remote":
        from narrator.speech.openai_compat import RemoteSpeechEngine

        speech: SpeechEngine = RemoteSpeechEngine(
            provider,
            model=remote.tts_model,
            voice=remote.voice,
            speed=speed,
            response_format=remote.response_format,
            max_input_chars=max_input_chars or remote.max_input_chars,
        )
    else:
        from narrator.speech.piper import DEFAULT_MAX_INPUT_CHARS, PiperEngine

        speech = PiperEngine(
            speed=speed, max_input_chars=max_input_chars or DEFAULT_MAX_INPUT_CHARS
        )
    if provider is not None and remote is not None and verify == "remote":
        from narrator.verify.openai_compat import RemoteTranscriber

        transcriber: Transcriber = RemoteTranscriber(provider, model=remote.asr_model)
    else:
        from narrator.verify.faster_whisper import WhisperTranscriber

        transcriber = WhisperTranscriber()
    return Engines(speech=speech, transcriber=transcriber, provider=provider)


def _provider(remote: RemoteSettings, api_key: str | None) -> Provider:
    key = api_key or api_key_from_env()
    if key is None:
        if urlsplit(remote.base_url).hostname not in _LOOPBACK:
            raise ConfigError(
                f"no API key for {account_of(remote.base_url)}",
                hint="set NARRATOR_API_KEY (or OXLO_API_KEY / OPENAI_API_KEY), name a Prefect "
                "Secret block with --api-key-block, or use --engine embedded",
            )
        key = "no-key"  # a local `narrate serve` without --token accepts any key
    settings = Settings()
    return Provider(
        base_url=remote.base_url,
        api_key=key,
        timeout_s=remote.timeout_s,
        ledger=ledger_for(remote, settings),
        policy=RetryPolicy(max_attempts=settings.retry_attempts, max_total_s=settings.retry_max_s),
        clock=CLOCK,
    )


def ledger_for(remote: RemoteSettings, settings: Settings | None = None) -> RequestLedger:
    """The machine's request ledger for ``remote``'s endpoint, under its budget."""
    path = Path((settings or Settings()).ledger).expanduser()
    return RequestLedger(
        path, parse_budget(remote.budget), account=account_of(remote.base_url), clock=CLOCK
    )


def packing_for(params: NarrationParams) -> tuple[int, bool]:
    """Return ``(max_input_chars, by_paragraph)`` for chunk packing, without loading models.

    The embedded engine costs nothing per request, so its chunks end at paragraph
    ends, where the stitcher can place a paragraph pause (issue #2). A remote engine
    is paid per request, so its chunks fill up to its input limit (issue #3).
    """
    if engine_kind(params) == "remote":
        return params.max_input_chars or params.remote.max_input_chars, False
    from narrator.speech.piper import DEFAULT_MAX_INPUT_CHARS

    return params.max_input_chars or DEFAULT_MAX_INPUT_CHARS, True


def engine_notes(engines: Engines) -> tuple[str, ...]:
    """What a run should tell its reader about its engines (for the report)."""
    from narrator.speech.openai_compat import RemoteSpeechEngine

    speech = engines.speech
    if isinstance(speech, RemoteSpeechEngine) and (
        speech.max_input_chars < speech.configured_input_chars
    ):
        return (
            f"{speech.identity} truncated long inputs, so narrator lowered its input limit "
            f"from {speech.configured_input_chars} to {speech.max_input_chars} characters "
            "and spoke longer chunks in pieces.",
        )
    return ()
