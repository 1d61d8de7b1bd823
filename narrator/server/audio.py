"""Speech for the server: Piper or Kokoro synthesis, encoded as OpenAI's ``response_format``."""

from __future__ import annotations

import io
from http import HTTPStatus

import numpy as np
import soundfile as sf

from narrator.audio.export import run_ffmpeg
from narrator.audio.resample import resample
from narrator.errors import AudioError, ConfigError
from narrator.server.errors import ApiError
from narrator.speech.base import Speech
from narrator.speech.voices import Voice

OPUS_RATE_HZ = 24_000
"""Sample rate of ``opus`` speech, Hz: Opus runs only at 48/24/16/12/8 kHz."""

CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
"""Content type of each speech ``response_format``."""

# Codec, bitrate and container for the formats ffmpeg encodes. Opus only runs at
# 48/24/16/12/8 kHz, so Piper's 22,050 Hz is resampled to 24 kHz like OpenAI's (and
# Kokoro's native rate).
_FFMPEG_OUTPUT = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"],
    "opus": ["-c:a", "libopus", "-b:a", "32k", "-ar", str(OPUS_RATE_HZ), "-f", "ogg"],
    "aac": ["-c:a", "aac", "-b:a", "64k", "-f", "adts"],
}


def synthesize(
    text: str,
    *,
    voice: Voice,
    speed: float,
    max_input_chars: int,
    speak_at_most_chars: int | None,
) -> Speech:
    """Speak ``text`` in ``voice`` (mono, at the voice's rate: 22,050 Hz for Piper's,
    24,000 Hz for Kokoro's); with ``speak_at_most_chars``, only its first whole words up
    to that many characters. A ``speed`` the voice's engine does not take is a 400."""
    # Imported here: narrator.engines imports the openai SDK (about 0.5 s), and it imports
    # an engine family's module (onnxruntime, kokoro-onnx) only for that family's voices.
    from narrator.engines import voice_engine

    limit = speak_at_most_chars
    if limit is not None and len(text) > limit:
        text = text[: text.rfind(" ", 0, limit + 1)] if " " in text[:limit] else text[:limit]
    try:
        engine = voice_engine(voice, speed, max_input_chars)
    except ConfigError as exc:
        # The request's speed is within OpenAI's 0.25-4.0, but Kokoro takes 0.5-2.0; the
        # voice and the limit were checked already, so the speed is what the engine refused.
        raise ApiError(
            HTTPStatus.BAD_REQUEST, f"{exc.message}: {exc.hint}.", param="speed"
        ) from exc
    return engine.synthesize(text)


def encode(speech: Speech, response_format: str, *, pcm_rate: int = 24_000) -> bytes:
    """Encode ``speech`` as OpenAI's ``response_format``.

    wav and flac are 16-bit at the speech's own rate (Hz); pcm is headerless 16-bit little-endian
    at ``pcm_rate`` Hz (OpenAI's is 24,000); mp3, opus (in Ogg) and aac (ADTS) are encoded by
    the bundled ffmpeg.
    """
    if response_format == "pcm":
        samples = resample(speech.samples, speech.sample_rate, pcm_rate)
        return (np.clip(samples, -1.0, 1.0) * 32767).round().astype("<i2").tobytes()
    lossless = io.BytesIO()
    container = "FLAC" if response_format == "flac" else "WAV"
    sf.write(lossless, speech.samples, speech.sample_rate, subtype="PCM_16", format=container)
    if response_format in ("wav", "flac"):
        return lossless.getvalue()
    # WAV in on stdin, the encoded stream out on stdout: no temporary files to clean up.
    encoded = run_ffmpeg(
        ["-f", "wav", "-i", "pipe:0", *_FFMPEG_OUTPUT[response_format], "pipe:1"],
        f"encode speech as {response_format}",
        stdin=lossless.getvalue(),
        hint="the bundled ffmpeg lacks this encoder; ask for wav, flac or pcm instead",
    )
    if not encoded:
        raise AudioError(f"ffmpeg wrote no {response_format} audio for the speech")
    return encoded
