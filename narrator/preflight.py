"""Check a run's remote settings before anything is paid for.

A mistyped model, a missing key or a base URL where nothing listens would otherwise
surface only once the run is under way, as one failure per chunk. The preflight finds
them with requests that cost nothing: ``GET /models`` (OpenAI lists its models there)
and ``GET /audio/voices`` (Kokoro-style servers list their voices there). A server that
offers neither is not held against the settings: the checks it cannot answer are skipped.
Pure domain code: httpx only, no Prefect.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Sequence

import httpx

from narrator.config import NarrationParams, RemoteSettings
from narrator.engines import engine_kind, remote_api_key
from narrator.errors import ConfigError
from narrator.http_errors import error_message, redact
from narrator.provider import account_of

log = logging.getLogger("narrator.preflight")

PREFLIGHT_TIMEOUT_S = 3.0
"""Longest wait for each preflight request, seconds: listing models and voices is instant
on any server, and a user who mistyped a setting should hear about it within seconds."""

_SHOWN_NAMES = 12
"""Most available names listed in a message; a provider may offer hundreds of models."""


def _names(items: object, keys: Sequence[str]) -> list[str]:
    """Names in a listing: plain strings, or objects carrying one of ``keys``."""
    if not isinstance(items, list):
        return []
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = next((item[k] for k in keys if isinstance(item.get(k), str)), None)
            if name:
                names.append(name)
    return names


def _unknown(what: str, name: str, available: Iterable[str], option: str) -> ConfigError:
    """The error for a ``name`` the server does not offer: the nearest name, and the list."""
    available = sorted(set(available))
    near = difflib.get_close_matches(name, available, n=1, cutoff=0.5)
    listed = ", ".join(available[:_SHOWN_NAMES])
    if len(available) > _SHOWN_NAMES:
        listed += f" and {len(available) - _SHOWN_NAMES} more"
    guess = f"did you mean {near[0]!r}? " if near else ""
    return ConfigError(
        f"the server does not offer the {what} {name!r}",
        hint=f"{guess}pass {option} with one of: {listed}",
    )


class _Server:
    """GET requests to one API root, with the errors a user can act on."""

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


def check_remote(params: NarrationParams, api_key: str | None = None) -> tuple[str, ...]:
    """Check the remote settings ``params`` use, at no cost; raise :class:`ConfigError`
    naming the setting and how to fix it, and return warnings about risky settings.

    Checked: an API key is present (unless the server is this machine, or the key comes
    from a Prefect Secret block, which only the flow can read), the server answers, it
    accepts the key, the models exist when it lists models, and the voice exists when it
    lists voices. Does nothing when no engine of the run is remote.
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
            models = _names(listing.get("data"), ("id", "name"))
            wanted = [(remote.tts_model, "--tts-model")] if speaks else []
            wanted += [(remote.asr_model, "--asr-model")] if hears else []
            for model, option in wanted:
                if models and model not in models:
                    raise _unknown("model", model, models, option)
        if speaks:
            listing = server.get("audio/voices")
            voices = _names(
                listing.get("voices") if isinstance(listing, dict) else listing,
                ("id", "name", "voice_id"),
            )
            wanted = [(params.voice or remote.voice, "--voice")]
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
