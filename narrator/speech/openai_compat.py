"""The remote speech engine: any OpenAI-compatible ``POST /audio/speech`` (Oxlo by default).

Requests go through :class:`~narrator.provider.Provider`, so each one is budgeted
and retried there. A 200 response is accepted only when it decodes to audio of a
plausible length for its text; otherwise it counts as a failed attempt.
"""

from __future__ import annotations

import math

import numpy as np
import openai

from narrator.audio.io import PCM_RATE, decode_audio
from narrator.errors import AudioError, ConfigError
from narrator.provider import BadResponse, Provider, ProviderRefused
from narrator.speech.base import Speech, SpeechCapabilities
from narrator.speech.timing import expected_duration_s
from narrator.text.chunking import split_text
from narrator.text.language import ENGLISH
from narrator.verify.scoring import duration_bounds_s

MIN_PLAUSIBLE_FACTOR = 0.3
MAX_PLAUSIBLE_FACTOR = 3.0
MAX_PLAUSIBLE_SLACK_S = 3.0
"""A response shorter than 0.3x or longer than 3x + 3 s of the predicted speaking time
is not speech of this text (truncated, empty, babbling). The bounds are deliberately
looser than verification's (0.6x-1.6x): remote voices speak at their own rates, and
verification makes the fine decision after transcribing."""


MIN_INPUT_CHARS = 100
LEARNED_LIMIT_MARGIN = 0.9
"""A learned input limit is 90 % of what the endpoint was heard to speak (the position
is estimated from words, so leave a margin), and never below 100 characters."""

COMMON_RATES_HZ = (8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000)
"""Sample rates speech servers send, Hz; the likely one is named when pcm contradicts its
text."""

PIECE_GAP_S = 0.3
"""Silence between the pieces of a chunk spoken in several requests, seconds: about a
sentence pause, as the pieces end at sentences where they can."""


def capabilities(max_input_chars: int) -> SpeechCapabilities:
    """Every request to a remote API counts against the request budget."""
    return SpeechCapabilities(paid=True, max_input_chars=max_input_chars)


class RemoteSpeechEngine:
    """Speech over an OpenAI-compatible API: text in, the decoded response out."""

    def __init__(
        self,
        provider: Provider,
        *,
        model: str,
        voice: str,
        speed: float,
        response_format: str,
        max_input_chars: int,
        pcm_rate: int = PCM_RATE,
        language: str = ENGLISH,
    ) -> None:
        """``speed`` is the speaking rate (0.25-4.0, 1.0 = the voice's own); ``pcm_rate`` is
        the sample rate (Hz) of headerless ``pcm`` responses; ``language`` (BCP 47) is the
        text's, for cutting a text too long for the endpoint into sentences."""
        if not 0.25 <= speed <= 4.0:
            raise ConfigError(
                f"speed {speed} is out of range", hint="choose a speed between 0.25 and 4.0"
            )
        self._provider = provider
        self.model = model
        self.voice = voice
        self.speed = speed
        self.response_format = response_format
        self.pcm_rate = pcm_rate
        self.language = language
        self.capabilities = capabilities(max_input_chars)
        self.credit = f"{model} ({voice})"
        # Everything besides the text that shapes the audio; the key is not part of it.
        audio = (
            f"pcm@{pcm_rate}"
            if response_format == "pcm" and pcm_rate != PCM_RATE
            else (response_format)
        )
        self.identity = f"openai-compat/{provider.account}/{model}/{voice}/speed={speed:g}/{audio}"

    @property
    def max_input_chars(self) -> int:
        """The longest text sent in one request: the configured limit, or the lower one
        learned from this endpoint truncating longer inputs (characters)."""
        configured = self.capabilities.max_input_chars
        return min(configured, self._provider.ledger.input_limit(self.model) or configured)

    def learn_truncation(self, chars_spoken: int) -> int | None:
        """The endpoint spoke only about ``chars_spoken`` characters of a longer input:
        lower this endpoint's and model's limit for every later request (recorded in the
        ledger, so other runs and processes use it too). Returns the new limit, or None
        when it is not lower than the one in force."""
        limit = max(MIN_INPUT_CHARS, int(chars_spoken * LEARNED_LIMIT_MARGIN))
        if limit >= self.max_input_chars:
            return None
        return self._provider.ledger.learn_input_limit(self.model, limit)

    def synthesize(self, text: str, *, label: str = "") -> Speech:
        """Speak ``text``: in one request, or in sentence-aligned pieces, one request each,
        when it is longer than the limit learned for this endpoint."""
        limit = self.max_input_chars
        if len(text) <= limit:
            return self._request(text, label)
        pieces = [
            self._request(piece, f"{label}/{n}")
            for n, piece in enumerate(
                split_text(text, limit, source=label or "chunk", language=self.language), 1
            )
        ]
        rate = pieces[0].sample_rate
        gap = np.zeros(round(PIECE_GAP_S * rate), dtype=np.float32)
        joined = [part for piece in pieces for part in (gap, piece.samples)][1:]
        return Speech(samples=np.concatenate(joined), sample_rate=rate)

    def _request(self, text: str, label: str) -> Speech:
        def send(client: openai.OpenAI) -> Speech:
            response = client.audio.speech.create(
                model=self.model,
                voice=self.voice,
                input=text,
                response_format=self.response_format,  # type: ignore[arg-type]
                speed=self.speed,
            )
            return self._accept(response.content, text, label)

        timeout_s = self._provider.timeouts.for_speech(len(text))
        return self._provider.call("speech", label or text[:40], send, timeout_s=timeout_s)

    def _accept(self, data: bytes, text: str, label: str) -> Speech:
        try:
            samples, rate = decode_audio(data, self.response_format, pcm_rate=self.pcm_rate)
        except AudioError as exc:
            raise BadResponse(
                f"speech for {label}: {exc.message} ({len(data)} bytes)",
                hint="the server returned unusable audio; narrator retries",
            ) from None
        speech = Speech(samples=samples, sample_rate=rate)
        if self.response_format == "pcm" and rate == self.pcm_rate:
            self._check_pcm_rate(speech, text, label)
        expected = expected_duration_s(text, speed=self.speed)
        low = MIN_PLAUSIBLE_FACTOR * expected
        high = MAX_PLAUSIBLE_FACTOR * expected + MAX_PLAUSIBLE_SLACK_S
        if not low <= speech.duration_s <= high:
            raise BadResponse(
                f"speech for {label} lasts {speech.duration_s:.1f} s, implausible for "
                f"{len(text)} characters (expected {low:.1f}-{high:.1f} s)",
                hint="the server truncated or padded the audio; narrator retries",
            )
        return speech

    def _check_pcm_rate(self, speech: Speech, text: str, label: str) -> None:
        """Refuse headerless audio whose length contradicts its text beyond verification's
        duration rule: its rate is not ``pcm_rate``, so every chunk would play at the wrong
        speed and pitch (a server at 48 kHz read as 24 kHz lasts twice as long)."""
        shortest, longest = duration_bounds_s(text, speed=self.speed)
        if shortest <= speech.duration_s <= longest:
            return
        implied = self.pcm_rate * speech.duration_s / expected_duration_s(text, speed=self.speed)
        likely = min(COMMON_RATES_HZ, key=lambda rate: abs(math.log(rate / implied)))
        raise ProviderRefused(
            f"speech for {label}: the pcm response lasts {speech.duration_s:.1f} s at "
            f"{self.pcm_rate} Hz, but its {len(text)} characters need {shortest:.1f}-"
            f"{longest:.1f} s: the server's pcm is probably at {likely} Hz",
            hint="pass --pcm-rate with the server's rate (OpenAI: 24000; Piper-based servers: "
            "22050), or better --response-format wav, whose header carries the rate",
        )
