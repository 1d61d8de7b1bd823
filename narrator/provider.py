"""Calling an OpenAI-compatible speech API: the client, the one retry layer, the budget.

Oxlo (and any pay-per-request provider) charges every HTTP request, retries
included, so every attempt goes through :meth:`Provider.call`, which

1. reserves the attempt in the request ledger *before* it is sent (the budget is
   never exceeded, even by a crash between sending and recording),
2. sends it through an SDK client built with ``max_retries=0`` (the SDK's own
   retries would multiply ours and bypass the ledger),
3. maps the SDK's exceptions onto narrator's transient/permanent split, and
4. retries transient failures with tenacity: exponential backoff with full jitter,
   ``Retry-After`` honoured, attempts and total time both capped.

The API key lives only in the SDK client; it is never part of a message, a log
line, a record or an identity string.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from narrator.budget import Clock, RequestLedger
from narrator.errors import (
    ConfigError,
    NarratorError,
    PermanentProviderError,
    RejectedText,
    TransientProviderError,
)
from narrator.http_errors import error_message, redact

log = logging.getLogger("narrator.provider")

T = TypeVar("T")

KEY_VARIABLES = ("NARRATOR_API_KEY", "OXLO_API_KEY", "OPENAI_API_KEY")
"""Environment variables searched for the API key, in this order."""

TRANSIENT_STATUSES = frozenset({408, 409, 429}) | frozenset(range(500, 600)) - {501}
"""HTTP statuses worth retrying: timeouts, conflicts, rate limits, server errors; not 501
Not Implemented, which says the server lacks the function asked for (RFC 9110, 15.6.2)."""

ROUTES = {"speech": "audio/speech", "transcription": "audio/transcriptions"}
"""Where each kind of request is sent (``POST <base-url>/<route>``, OpenAI's API)."""

NO_ROUTE_STATUSES = frozenset({404, 405, 501})
"""Statuses with which a server says it has no such route: no path (404), a path taking
other methods (405), or the function not implemented (501)."""

INSTEAD = {
    "speech": "pass --engine embedded to speak with narrator's own voices (free, on this "
    "machine), or the --base-url of a server that speaks",
    "transcription": "pass --verify embedded to verify with narrator's own Whisper (free, on "
    "this machine), or the --base-url of a server that transcribes",
}
"""How to do without a server that cannot do a kind of request."""

REFUSING_STATUSES = frozenset({401, 403, 404})
"""Statuses that refuse the run's settings, not one request: a bad key, a plan without
this model, an unknown model or route. Every later request would get the same answer."""

SETTING_PARAMS = frozenset(
    {"model", "voice", "response_format", "speed", "language", "timestamp_granularities"}
)
"""Request fields that come from the run's settings, not from a chunk: a 400 or 422 naming
one of them (OpenAI's ``param``, FastAPI's ``loc``) refuses every request alike."""

TEXT_STATUSES = frozenset({400, 413})
"""HTTP statuses that reject one request's text (its characters, its length), not the
key, model or endpoint that every request shares: the chunk is flagged, the run goes on."""

MAX_RETRY_AFTER_S = 120.0
"""Longest ``Retry-After`` we sleep for, seconds; a larger value ends the attempts
instead of stalling a worker for minutes (the run can resume later)."""


_PURPOSE: ContextVar[str | None] = ContextVar("narrator_request_purpose", default=None)

FIRST_PURPOSE = {"speech": "synthesis", "transcription": "verification"}
"""What a request of each kind is for, unless the caller says otherwise (:func:`purpose`)."""

RETRIES = "retries"
"""The tally of HTTP attempts after a transient failure, whatever their purpose."""


@contextmanager
def purpose(name: str) -> Iterator[None]:
    """Tally the requests sent inside this block (in this thread) as ``name``, e.g.
    "re-check"; the innermost block wins."""
    token = _PURPOSE.set(name)
    try:
        yield
    finally:
        _PURPOSE.reset(token)


def api_key_from_env() -> str | None:
    """Return the first non-empty key among :data:`KEY_VARIABLES`, or ``None``."""
    for name in KEY_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def account_of(base_url: str) -> str:
    """The budget account for an endpoint: its host and port (never the key)."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"base URL {base_url!r} is not an http(s) URL",
            hint="pass the API root, e.g. https://api.oxlo.ai/v1 or http://127.0.0.1:8000/v1",
        )
    return parts.netloc.rsplit("@", 1)[-1]  # drop any user:password@ from the account name


class BadResponse(TransientProviderError):
    """A 200 response whose body is unusable (empty, undecodable, implausible audio).

    It counts as a failed attempt and is retried like a 5xx.
    """


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long one request is retried.

    ``max_attempts`` counts every HTTP attempt (the first included); ``max_total_s``
    caps the time from the first attempt to the last retry's start, seconds;
    backoff waits are random in [0, min(max_backoff_s, base_s * 2**n)] seconds
    ("full jitter", so concurrent workers do not retry in lockstep).
    """

    max_attempts: int = 6
    max_total_s: float = 600.0
    base_s: float = 1.0
    max_backoff_s: float = 60.0


@dataclass(frozen=True)
class Timeouts:
    """How long one HTTP attempt may take, seconds, scaled by what it carries.

    A fixed timeout is either too short for a 15-minute verification batch on a loaded
    CPU server (one took 85 s) or far too patient with a one-line request. The timeout is
    ``floor_s`` plus time in proportion to the payload, never more than ``cap_s``.
    """

    cap_s: float = 600.0
    """Longest wait for any one request (``--timeout``), seconds; the default equals the
    retry policy's time cap, so one slow attempt cannot outlast all its retries."""
    floor_s: float = 30.0
    """Wait for the smallest request, seconds: connection, queueing and model start-up."""
    per_char_s: float = 0.15
    """Per character of speech input, seconds: about three times its speaking time
    (0.049 s per character, ``narrator.speech.timing``), for CPU servers slower than
    real time."""
    per_audio_s: float = 0.5
    """Per second of audio uploaded for transcription, seconds: Whisper large on a CPU
    runs at about 2x real time or slower."""

    def for_speech(self, chars: int) -> float:
        """The timeout of a speech request carrying ``chars`` characters, seconds."""
        return min(self.cap_s, self.floor_s + self.per_char_s * chars)

    def for_transcription(self, audio_s: float) -> float:
        """The timeout of a transcription of ``audio_s`` seconds of audio, seconds."""
        return min(self.cap_s, self.floor_s + self.per_audio_s * audio_s)


class ProviderRefused(PermanentProviderError):
    """The provider refused the run's settings (key, model, voice, format), so every
    request of the run would fail alike: the run stops at the first one."""

    exit_code = 2


class ServerBusy(TransientProviderError):
    """A retryable HTTP status (408, 409, 429, 5xx), with the server's ``Retry-After``."""

    def __init__(self, message: str, *, retry_after_s: float | None) -> None:
        super().__init__(
            message, hint="the provider is busy or failing; narrator retries with backoff"
        )
        self.retry_after_s = retry_after_s


class _RetryAfterWait:
    """Tenacity wait: the server's ``Retry-After`` when it sent one, else jittered backoff."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._backoff = wait_random_exponential(multiplier=policy.base_s, max=policy.max_backoff_s)

    def __call__(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, ServerBusy) and exc.retry_after_s is not None:
            return exc.retry_after_s
        return self._backoff(state)


def _retry_after_s(response: httpx.Response) -> float | None:
    """``Retry-After`` (or ``retry-after-ms``) in seconds, when the server sent a usable one."""
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            value = float(headers["retry-after-ms"]) / 1000
        elif "retry-after" in headers:
            value = float(headers["retry-after"])
        else:
            return None
    except ValueError:  # an HTTP date: rare for APIs; fall back to our own backoff
        return None
    return value if 0 <= value <= MAX_RETRY_AFTER_S else None


def _named_param(body: object) -> str | None:
    """The request field an error body blames: OpenAI's ``param``, or the last part of the
    ``loc`` of FastAPI's first validation error."""
    if isinstance(body, dict):
        if isinstance(body.get("param"), str):
            return body["param"]
        return _named_param(body.get("detail", body.get("error")))
    if isinstance(body, list) and body and isinstance(body[0], dict):
        loc = body[0].get("loc")
        return str(loc[-1]) if isinstance(loc, list) and loc else None
    return None


def _refuses_settings(exc: openai.APIStatusError) -> bool:
    """True when ``exc`` would answer every request of the run alike (see
    :data:`REFUSING_STATUSES` and :data:`SETTING_PARAMS`)."""
    if exc.status_code in REFUSING_STATUSES:
        return True
    return exc.status_code in (400, 422) and _named_param(exc.body) in SETTING_PARAMS


def _lacks_route(exc: openai.APIStatusError) -> bool:
    """True when ``exc`` says the server has no route for the request
    (:data:`NO_ROUTE_STATUSES`), not that it refused the request's model: OpenAI answers
    an unknown model with a 404 too, one that speaks of the model ("The model ... does not
    exist", code ``model_not_found``), where a missing route's 404 says "Not Found" or
    "Invalid URL"."""
    if exc.status_code != 404:
        return exc.status_code in NO_ROUTE_STATUSES
    said = f"{exc.code} {_named_param(exc.body)} {_server_message(exc)}"
    return "model" not in said.lower()


def _server_message(exc: openai.APIStatusError) -> str:
    """What the server said, whatever the shape of its error body (``narrator.http_errors``)."""
    response = exc.response
    said = None
    # A response closed before its body was read has no text to show (the SDK's own test).
    if not (response.is_closed and not response.is_stream_consumed):
        said = error_message(response.text, response.headers.get("content-type", ""))
    if said is None and exc.body is not None:
        body = exc.body if isinstance(exc.body, str) else json.dumps(exc.body)
        said = error_message(body, "application/json")
    return said or f"no error message (an empty {exc.status_code} response)"


_PERMANENT_HINTS = {
    400: "the request was rejected: check the model, voice, response format and speed settings",
    401: "the API key was refused: set NARRATOR_API_KEY (or OXLO_API_KEY / OPENAI_API_KEY) "
    "to a valid key",
    403: "the API key may not use this model or endpoint: check your plan",
    404: "unknown model: check the model names (GET <base-url>/models lists them) and --base-url",
    413: "the request is too large: lower max_input_chars, or verify on the embedded transcriber",
    422: "the server could not process the input: lower max_input_chars, or check the text "
    "of this chunk",
}


class Provider:
    """One OpenAI-compatible endpoint: an SDK client, its request ledger and retry policy.

    Thread-safe: the SDK client and the ledger may be shared by worker threads.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeouts: Timeouts,
        ledger: RequestLedger,
        policy: RetryPolicy,
        clock: Clock,
    ) -> None:
        """``timeouts`` bound each HTTP attempt by its payload (:meth:`call`)."""
        self.base_url = base_url.rstrip("/")
        self.account = account_of(base_url)
        self.ledger = ledger
        self.policy = policy
        self._clock = clock
        self._api_key = api_key
        self._refused: ProviderRefused | None = None
        self._made: Counter[str] = Counter()
        self._made_lock = threading.Lock()
        # max_retries=0: tenacity below is the only retry layer.
        self.client = openai.OpenAI(
            base_url=self.base_url, api_key=api_key, max_retries=0, timeout=timeouts.cap_s
        )
        self.timeouts = timeouts

    def call(
        self,
        kind: str,
        label: str,
        send: Callable[[openai.OpenAI], T],
        *,
        timeout_s: float | None = None,
    ) -> T:
        """Run ``send(client)`` as one budgeted, retried request and return its result.

        ``kind`` ("speech", "transcription") and ``label`` (a chunk id) name the request
        in the ledger and in messages; ``timeout_s`` bounds each attempt (default: the
        cap of :attr:`timeouts`), and an attempt that runs out is retried. ``send`` may
        raise :class:`BadResponse` to reject a 200 response. Raises
        :class:`PermanentProviderError` at once, :class:`TransientProviderError` when the
        retries are spent, and
        :class:`~narrator.errors.BudgetExhausted` when the day's budget is.
        """
        if self._refused is not None:
            # The settings were refused already: asking again would only pay to hear it again.
            raise ProviderRefused(self._refused.message, hint=self._refused.hint)
        retrying = Retrying(
            retry=retry_if_exception_type(TransientProviderError),
            stop=stop_after_attempt(self.policy.max_attempts)
            | stop_after_delay(self.policy.max_total_s),
            wait=_RetryAfterWait(self.policy),
            sleep=self._clock.sleep,
            before_sleep=lambda state: log.warning(
                "%s %s attempt %d failed, retrying: %s",
                kind,
                label,
                state.attempt_number,
                state.outcome.exception() if state.outcome else "",
            ),
            reraise=True,
        )
        tally = _PURPOSE.get() or FIRST_PURPOSE.get(kind, kind)
        sent: list[str] = []  # one entry per attempt sent, for the tally

        client = self.client if timeout_s is None else self.client.with_options(timeout=timeout_s)

        def attempt() -> T:
            return self._attempt(client, kind, label, send, RETRIES if sent else tally, sent)

        return retrying(attempt)

    def requests_made(self) -> dict[str, int]:
        """HTTP requests sent through this provider so far, by purpose ("synthesis",
        "verification", "re-check", ..., and "retries")."""
        with self._made_lock:
            return dict(self._made)

    def _attempt(
        self,
        client: openai.OpenAI,
        kind: str,
        label: str,
        send: Callable[[openai.OpenAI], T],
        tally: str,
        sent: list[str],
    ) -> T:
        reservation = self.ledger.reserve(kind, label)
        sent.append(tally)
        with self._made_lock:
            self._made[tally] += 1
        status: int | None = None
        try:
            result = send(client)
            status = 200
        except openai.APIStatusError as exc:
            status = exc.status_code
            self.ledger.record(reservation, status=status, ok=False)
            raise self._status_error(kind, label, exc) from None
        except (openai.APITimeoutError, openai.APIConnectionError) as exc:
            self.ledger.record(reservation, status=None, ok=False)
            what = "timed out" if isinstance(exc, openai.APITimeoutError) else "lost its connection"
            raise TransientProviderError(
                f"{kind} request for {label} to {self.account} {what}",
                hint="the server is slow or unreachable; narrator retries, and a later run resumes",
            ) from None
        except NarratorError as exc:
            self.ledger.record(reservation, status=status or 200, ok=False)
            if isinstance(exc, ProviderRefused):
                self._refused = exc  # a 200 that refutes the settings (pcm at another rate)
            raise
        self.ledger.record(reservation, status=status, ok=True)
        return result

    def _status_error(
        self, kind: str, label: str, exc: openai.APIStatusError
    ) -> ServerBusy | PermanentProviderError:
        # Some providers echo the key they were sent in a 401 message: never pass it on.
        said = redact(_server_message(exc), self._api_key)
        message = f"{kind} request for {label} to {self.account} failed with HTTP "
        message += f"{exc.status_code}: {said}"
        if exc.status_code in TRANSIENT_STATUSES:
            return ServerBusy(message, retry_after_s=_retry_after_s(exc.response))
        if kind in ROUTES and _lacks_route(exc):
            # Every later request of this kind would meet the same missing route.
            self._refused = ProviderRefused(
                f"{self.account} has no {kind} route: POST {self.base_url}/{ROUTES[kind]} "
                f"answered HTTP {exc.status_code}: {said}",
                hint=INSTEAD[kind],
            )
            return self._refused
        hint = _PERMANENT_HINTS.get(exc.status_code, "check the provider settings")
        if _refuses_settings(exc):
            self._refused = ProviderRefused(message, hint=hint)
            return self._refused
        if exc.status_code in TEXT_STATUSES:
            return RejectedText(message, hint=hint)
        return PermanentProviderError(message, hint=hint)

    def forget_refusal(self) -> None:
        """Try the settings again: a new run may follow a fixed key or plan."""
        self._refused = None
