"""Check a run's remote settings before anything is paid for.

A mistyped model, a missing key, a base URL where nothing listens or a server that cannot
transcribe would otherwise surface only once the run is under way, after paid requests.
The preflight finds them with requests that cost nothing: ``GET /models`` (OpenAI lists
its models there), ``GET /audio/voices`` (Kokoro-style servers list their voices there)
and, on this machine only, an empty ``POST /audio/transcriptions`` (:func:`_may_probe`).
A speech model is never offered for ``--asr-model``, nor a transcription model for
``--tts-model`` (:mod:`narrator.listings` tells them apart). A server that lists nothing
is not held against the settings: the checks it cannot answer are skipped.
Pure domain code: httpx only, no Prefect.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable

import httpx

from narrator.config import NarrationParams, RemoteSettings
from narrator.engines import engine_kind, on_this_machine, remote_api_key, remote_voice
from narrator.errors import ConfigError
from narrator.http_errors import error_message, redact
from narrator.listings import Task, listed_models, names
from narrator.provider import INSTEAD, NO_ROUTE_STATUSES, ROUTES, account_of

log = logging.getLogger("narrator.preflight")

PREFLIGHT_TIMEOUT_S = 3.0
"""Longest wait for each preflight request, seconds: listing models and voices is instant
on any server, and a user who mistyped a setting should hear about it within seconds."""

_SHOWN_NAMES = 12
"""Most available names listed in a message; a provider may offer hundreds of models."""


# The option that names the model of each task, and what a server without one cannot do.
_OPTIONS: dict[Task, str] = {"speech": "--tts-model", "transcription": "--asr-model"}
_CANNOT: dict[Task, str] = {"speech": "cannot speak", "transcription": "cannot transcribe"}


def _listed(available: Iterable[str]) -> str:
    """``available``, sorted, at most :data:`_SHOWN_NAMES` of them."""
    available = sorted(set(available))
    listed = ", ".join(available[:_SHOWN_NAMES])
    if len(available) > _SHOWN_NAMES:
        listed += f" and {len(available) - _SHOWN_NAMES} more"
    return listed


def _unknown(what: str, name: str, available: Iterable[str], option: str) -> ConfigError:
    """The error for a ``name`` the server does not offer: the nearest name, and the list."""
    near = difflib.get_close_matches(name, sorted(set(available)), n=1, cutoff=0.5)
    guess = f"did you mean {near[0]!r}? " if near else ""
    return ConfigError(
        f"the server does not offer the {what} {name!r}",
        hint=f"{guess}pass {option} with one of: {_listed(available)}",
    )


def _check_model(models: dict[str, Task | None], name: str, task: Task, account: str) -> None:
    """Raise unless the listing ``models`` offers ``name`` for ``task``: suggest only the
    models that do ``task``, or, when none does, say the server cannot do it and what to
    do instead. A model whose task the listing does not tell is taken at its word."""
    if not models or (name in models and models[name] in (task, None)):
        return
    fitting = [model for model, does in models.items() if does == task]
    if not fitting:
        raise ConfigError(
            f"{account} {_CANNOT[task]}: it lists no {task} model, only {_listed(models)}",
            hint=INSTEAD[task],
        )
    if name in models:
        other = "speech" if task == "transcription" else "transcription"
        raise ConfigError(
            f"{name!r} is a {other} model, not a {task} model",
            hint=f"pass {_OPTIONS[task]} with one of: {_listed(fitting)}",
        )
    raise _unknown(f"{task} model", name, fitting, _OPTIONS[task])


def _may_probe(remote: RemoteSettings) -> bool:
    """Whether the preflight may ask the server, with an empty ``POST``, if it has a route.

    Any real server rejects a request with no body before doing any work: 404, 405 or 501
    when it has no such route, 400 or 422 when it has. That costs the server nothing, but
    whether it costs the *user* something is the provider's rule: Oxlo prices each
    request, and narrator cannot know whether it bills a rejected one (narrator's own ledger
    counts every attempt it sends, rejected ones included; the free plan has 60 a day). So
    the probe goes only to a server on this machine, which bills no one. Elsewhere the model listing
    is all the preflight learns: a server that lists no transcription model is found
    without a probe, and one that lists one but has no route is found by the run's first
    transcription request, which stops the run with the same advice
    (:mod:`narrator.provider`).
    """
    return on_this_machine(remote.base_url)


class _Server:
    """Free requests to one API root, with the errors a user can act on."""

    def __init__(self, remote: RemoteSettings, api_key: str | None) -> None:
        self.base_url = remote.base_url.rstrip("/")
        self.account = account_of(remote.base_url)
        self._key = api_key
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(headers=headers, timeout=PREFLIGHT_TIMEOUT_S)

    def close(self) -> None:
        self._client.close()

    def get(self, path: str) -> object | None:
        """The decoded JSON of ``GET <base>/<path>``; None when the server does not offer it."""
        url = f"{self.base_url}/{path}"
        try:
            response = self._client.get(url)
        except httpx.TimeoutException:
            raise ConfigError(
                f"{self.account} did not answer GET {url} within {PREFLIGHT_TIMEOUT_S:g} s",
                hint="check --base-url (the API root, e.g. https://api.oxlo.ai/v1) and that "
                "the server is up",
            ) from None
        except httpx.TransportError as exc:
            raise ConfigError(
                f"nothing answers at {self.base_url}: {type(exc).__name__}: {exc}",
                hint="check --base-url (the API root, e.g. https://api.oxlo.ai/v1) and that "
                "the server is running",
            ) from None
        if response.status_code in (401, 403) and self._key is not None:
            said = error_message(response.text, response.headers.get("content-type", ""))
            raise ConfigError(
                f"{self.account} refused the API key (HTTP {response.status_code}: "
                f"{redact(said or 'no message', self._key)})",
                hint="set NARRATOR_API_KEY (or OXLO_API_KEY / OPENAI_API_KEY) to a valid key "
                "for this server",
            )
        if response.status_code != 200:
            log.info("preflight: GET %s answered %d; not checked", url, response.status_code)
            return None
        try:
            return response.json()
        except ValueError:
            return None

    def lacks_route(self, task: Task) -> ConfigError | None:
        """The error saying the server has no route for ``task``, found with an empty
        ``POST`` (see :func:`_may_probe`); None when it has the route or does not say."""
        url = f"{self.base_url}/{ROUTES[task]}"
        try:
            response = self._client.post(url, content=b"")
        except httpx.TransportError:
            return None  # it answered GET a moment ago: the run will find out
        log.info("preflight: empty POST %s answered %d", url, response.status_code)
        if response.status_code not in NO_ROUTE_STATUSES:
            return None
        said = error_message(response.text, response.headers.get("content-type", ""))
        return ConfigError(
            f"{self.account} has no {task} route: POST {url} answered HTTP "
            f"{response.status_code}: {redact(said or 'no message', self._key or '')}",
            hint=INSTEAD[task],
        )


def check_remote(params: NarrationParams, api_key: str | None = None) -> tuple[str, ...]:
    """Check the remote settings ``params`` use, at no cost; raise :class:`ConfigError`
    naming the setting and how to fix it, and return warnings about risky settings.

    Checked: an API key is present (unless the server is this machine, or the key comes
    from a Prefect Secret block, which only the flow can read), the server answers, it
    accepts the key, the models exist and do their task when it lists models, the voice
    exists when it lists voices, and, for remote verification by a server on this machine,
    that it has a transcription route. Does nothing when no engine of the run is remote.
    """
    speaks, hears = engine_kind(params) == "remote", params.verify == "remote"
    if not (speaks or hears):
        return ()
    remote = params.remote
    key = api_key or (None if remote.api_key_block else remote_api_key(remote))
    server = _Server(remote, key)
    try:
        listing = server.get("models")
        if isinstance(listing, dict):
            models = listed_models(listing.get("data"))
            if speaks:
                _check_model(models, remote.tts_model, "speech", server.account)
            if hears:
                _check_model(models, remote.asr_model, "transcription", server.account)
        if hears and _may_probe(remote):
            lacking = server.lacks_route("transcription")
            if lacking is not None:
                raise lacking
        if speaks:
            listing = server.get("audio/voices")
            voices = names(
                listing.get("voices") if isinstance(listing, dict) else listing,
                ("id", "name", "voice_id"),
            )
            voice = params.voice or remote_voice(remote, params.book_language)
            wanted = [(voice, "--voice")]
            wanted += [(params.dialogue_voice, "--dialogue-voice")] if params.dialogue_voice else []
            for voice, option in wanted:
                if voices and voice not in voices:
                    raise _unknown("voice", voice, voices, option)
    finally:
        server.close()
    if speaks and remote.response_format == "pcm":
        return (
            f"pcm has no header: narrator takes it as {remote.pcm_rate} Hz (--pcm-rate); a "
            "server at another rate makes a book too fast or too slow and pitched. "
            "--response-format wav is safer.",
        )
    return ()
