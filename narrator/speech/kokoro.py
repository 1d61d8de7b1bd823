"""The embedded Kokoro-82M engine (kokoro-onnx 0.6.1, int8 weights) with 54 voices in nine
languages: American and British English, Spanish, French, Italian, Brazilian Portuguese,
Hindi, Mandarin and Japanese (``narrator.speech.voices``).

A voice speaks its own language: its text is phonemized by espeak-ng through kokoro-onnx
(:data:`ESPEAK_LANGUAGES`), or for Mandarin and Japanese by misaki
(``narrator.speech.kokoro_g2p``) and handed to kokoro-onnx as phonemes.

The model (about 0.7 s to load) is loaded once per process by :func:`load_model` and
shared by every :class:`KokoroEngine` (one per voice) and every worker thread:
``InferenceSession.run`` is thread-safe, kokoro-onnx serializes its espeak-ng
phonemizer behind its own lock, and misaki's behind ours. Output is 24,000 Hz mono.
"""

from __future__ import annotations

import logging

import numpy as np
import onnxruntime
from kokoro_onnx import Kokoro

from narrator.errors import ConfigError, EngineError
from narrator.once import once
from narrator.speech import kokoro_g2p
from narrator.speech.base import Speech, SpeechCapabilities, check_input_length
from narrator.speech.kokoro_files import MODEL_NAME, model_path, voices_path
from narrator.speech.piper import ORT_INTRA_OP_THREADS, PEAK_DBFS
from narrator.speech.voices import KOKORO_DEFAULT, KOKORO_VOICES, names
from narrator.text.language import primary
from narrator.verify.unheard import unheard_limit_s

# phonemizer warns "words count mismatch" whenever espeak-ng merges or splits words
# (a quote mark, a number); kokoro-onnx uses no word alignment, so it is only noise.
logging.getLogger("phonemizer").setLevel(logging.ERROR)

DEFAULT_VOICE = KOKORO_DEFAULT
"""Kokoro's best-rated voice, and Oxlo's default for ``kokoro-82m``; for a book in another
language, ``narrator.speech.voices.kokoro_default`` names that language's."""

ESPEAK_LANGUAGES = {
    "en-US": "en-us", "en-GB": "en-gb", "es": "es", "fr": "fr-fr", "it": "it",
    "pt-BR": "pt-br", "hi": "hi",
}  # fmt: skip
"""espeak-ng's voice for each Kokoro voice language (BCP 47) it phonemizes, as Kokoro's
own ``KPipeline`` picks them."""

DEFAULT_MAX_INPUT_CHARS = 450
"""Longest chunk sent in one request, in characters: as Piper's, so a full chunk stays
inside Whisper's 30-s window (see ``narrator.speech.piper``). af_heart spoke 17.3
characters per second at speed 1.0 in ``bench/bench_voices.py``, so 450 characters last
about 26 s. Kokoro's own context is 510 phoneme tokens; kokoro-onnx cuts longer input at
sentence ends itself."""

SENTENCE_PAUSE_S = 0.3
"""Silence kokoro-onnx puts between the pieces it synthesizes apart, seconds: as Piper's
``SENTENCE_GAP_S``. kokoro-onnx speaks a text in one piece up to Kokoro's 510 phoneme
tokens (a full 450-character chunk is one), so within a chunk the voice makes its own
pauses; this one only joins the pieces of a longer text."""

SPEED_RANGE = (0.5, 2.0)
"""The speaking rates kokoro-onnx accepts."""


UNHEARD_S = unheard_limit_s(median_s=0.453, spread_s=0.181)
"""Kokoro's limit of voiced seconds no heard word accounts for (1.1 s), one for all its
voices: that of am_michael, the widest of the three measured.

Kokoro's pauses inside a sentence (at dashes, exclamations, quotes) are not digital
silence, and it draws out the words before them. Clean chunks of five fit novels
(``bench/bench_false_alarms.py``, tiny.en's word timestamps), median and robust SD of
each chunk's most unaccounted stretch: am_michael 0.45 s and 0.18 s (51 chunks, at most
0.91 s), af_heart 0.44 s and 0.17 s (50, at most 0.81 s: "saw--and if he"), bf_emma
0.37 s and 0.14 s (52, at most 0.66 s); Piper's 0.30 s and 0.11 s."""


MAX_INPUT_CHARS = {"pt": 420, "hi": 320, "zh": 110, "ja": 150}
"""Each language's longest chunk, characters, where ``DEFAULT_MAX_INPUT_CHARS`` would not
keep within Kokoro's 510 phoneme tokens (kokoro-onnx would speak it in two pieces) or
within Whisper's 30-s window.

Phoneme tokens per character and characters per second at speed 1.0, one paragraph of
the same story in each language, each language's first female voice: English 1.03 and
17.6 (af_heart), Spanish 1.11 and 18.3, French 0.95 and 19.1, Italian 1.09 and 18.8,
Portuguese 1.21 and 17.5, Hindi 1.51 and 13.5 (Devanagari), Mandarin 4.13 and 5.1,
Japanese 2.47 and 5.7. Mandarin and Japanese also sentence by sentence (with dates,
numbers and kanji compounds): Mandarin 3.56-4.35 (8 sentences, mean 4.01), Japanese
2.31-3.15 (11, mean 2.60). So Portuguese 420 (508 tokens), Hindi 320 (483 tokens, 24 s),
Mandarin 110 (479 tokens at the most dense, 22 s), Japanese 150 (473 tokens, 26 s)."""


def default_max_input_chars(language: str) -> int:
    """The longest chunk a voice of ``language`` (BCP 47) takes by default, characters."""
    return MAX_INPUT_CHARS.get(primary(language), DEFAULT_MAX_INPUT_CHARS)


def capabilities(max_input_chars: int = DEFAULT_MAX_INPUT_CHARS) -> SpeechCapabilities:
    """Kokoro runs on this machine, so no request costs budget, and each take is its
    voice's own timing of its text."""
    return SpeechCapabilities(
        paid=False, max_input_chars=max_input_chars, unheard_s=UNHEARD_S, timed_takes=True
    )


@once
def load_model() -> Kokoro:
    """Return the process-wide Kokoro model and voices, loading them on first use."""
    voices = voices_path()  # ConfigError with the set-up command when missing
    try:
        options = onnxruntime.SessionOptions()
        # One thread per session, as Piper's: the two chunk workers share two cores.
        options.intra_op_num_threads = ORT_INTRA_OP_THREADS
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return Kokoro.from_session(session, str(voices))
    except (OSError, ValueError, RuntimeError) as exc:
        raise EngineError(
            f"could not load Kokoro ({MODEL_NAME}, {voices}): {exc}",
            hint="run ./scripts/bootstrap.sh again; it re-checks the weights and voices",
        ) from exc


class KokoroEngine:
    """Speech engine over one Kokoro voice: text in its language, 24,000 Hz mono float32 out."""

    def __init__(
        self,
        voice: str = DEFAULT_VOICE,
        speed: float = 1.0,
        max_input_chars: int | None = None,
    ) -> None:
        """``speed`` is the speaking rate (1.0 = the voice's own, 0.5-2.0);
        ``max_input_chars`` None is the voice language's default."""
        known = {v.name: v for v in KOKORO_VOICES}
        if voice not in known:
            raise ConfigError(
                f"Kokoro has no voice {voice!r}", hint=f"choose one of: {names(KOKORO_VOICES)}"
            )
        low, high = SPEED_RANGE
        if not low <= speed <= high:
            raise ConfigError(
                f"Kokoro speed {speed} is out of range",
                hint=f"choose a speed between {low} and {high}, or a Piper voice",
            )
        self.voice = voice
        self.language = known[voice].language
        self.speed = speed
        self.max_input_chars = max_input_chars or default_max_input_chars(self.language)
        self.capabilities = capabilities(self.max_input_chars)
        self.identity = f"kokoro/{MODEL_NAME}/{voice}/speed={speed:g}"
        self.credit = f"Kokoro-82M ({voice})"

    def learn_truncation(self, chars_spoken: int) -> None:
        """kokoro-onnx speaks any input in full; a short transcript is a bad take."""
        return None

    def synthesize(self, text: str, *, label: str = "") -> Speech:
        """Speak ``text``; the peak is brought down to ``PEAK_DBFS`` when it is higher.

        Raises ``EngineError`` when the text is longer than ``max_input_chars`` or
        contains nothing Kokoro can speak.
        """
        check_input_length(text, self.max_input_chars)
        if kokoro_g2p.has_g2p(self.language):
            source, lang, is_phonemes = kokoro_g2p.phonemize(text, self.language), "", True
        else:
            source, lang, is_phonemes = text, ESPEAK_LANGUAGES[self.language], False
        try:
            samples, rate = load_model().create(
                source,
                self.voice,
                speed=self.speed,
                lang=lang,
                is_phonemes=is_phonemes,
                sentence_pause=SENTENCE_PAUSE_S,
            )
        except ValueError as exc:  # kokoro-onnx: no phonemes, nothing to synthesize
            raise EngineError(
                f"Kokoro produced no audio for {label or 'the text'} ({text[:60]!r}): {exc}",
                hint="the text has nothing speakable (only punctuation or symbols); "
                "remove it from the manuscript or spell it out in words",
            ) from exc
        samples = np.asarray(samples, dtype=np.float32)
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        if peak == 0.0:
            raise EngineError(
                f"Kokoro produced silence for {label or 'the text'} ({text[:60]!r})",
                hint="spell the text out in words",
            )
        ceiling = 10 ** (PEAK_DBFS / 20)
        if peak > ceiling:
            samples *= ceiling / peak
        return Speech(samples=samples, sample_rate=rate)
