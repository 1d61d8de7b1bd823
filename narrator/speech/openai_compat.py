"""The remote speech engine: any OpenAI-compatible ``POST /audio/speech`` (Oxlo by default).

Requests go through :class:`~narrator.provider.Provider`, so each one is budgeted
and retried there. A 200 response is accepted only when it decodes to audio of a
plausible length for its text; otherwise it counts as a failed attempt (issue #3).
"""

from __future__ import annotations

import openai

from narrator.audio.io import decode_audio
from narrator.errors import AudioError, ConfigError
from narrator.provider import BadResponse, Provider
from narrator.speech.base import Speech
from narrator.verify.scoring import expected_duration_s

MIN_PLAUSIBLE_FACTOR = 0.3
MAX_PLAUSIBLE_FACTOR = 3.0
MAX_PLAUSIBLE_SLACK_S = 3.0
"""A response shorter than 0.3x or longer than 3x + 3 s of the predicted speaking time
is not speech of this text (truncated, empty, babbling). The bounds are deliberately
looser than verification's (0.6x-1.6x): remote voices speak at their own rates, and
verification makes the fine decision after transcribing."""


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
    ) -> None:
        """``speed`` is the speaking rate (0.25-4.0, 1.0 = the voice's own)."""
        if not 0.25 <= speed <= 4.0:
            raise ConfigError(
                f"speed {speed} is out of range", hint="choose a speed between 0.25 and 4.0"
            )
        self._provider = provider
        self.model = model
        self.voice = voice
        self.speed = speed
        self.response_format = response_format
        self.max_input_chars = max_input_chars
        # Everything besides the text that shapes the audio; the key is not part of it.
        self.identity = (
            f"openai-compat/{provider.account}/{model}/{voice}/speed={speed:g}/{response_format}"
        )

    def synthesize(self, text: str, *, label: str = "") -> Speech:
        """Speak ``text`` in one request (retried and budgeted by the provider)."""

        def send(client: openai.OpenAI) -> Speech:
            response = client.audio.speech.create(
                model=self.model,
                voice=self.voice,
                input=text,
                response_format=self.response_format,  # type: ignore[arg-type]
                speed=self.speed,
            )
            return self._accept(response.content, text, label)

        return self._provider.call("speech", label or text[:40], send)

    def _accept(self, data: bytes, text: str, label: str) -> Speech:
        try:
            samples, rate = decode_audio(data, self.response_format)
        except AudioError as exc:
            raise BadResponse(
                f"speech for {label}: {exc.message} ({len(data)} bytes)",
                hint="the server returned unusable audio; narrator retries",
            ) from None
        speech = Speech(samples=samples, sample_rate=rate)
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
