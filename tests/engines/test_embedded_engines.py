"""Round trips through the real embedded engines: Piper joe-medium and Whisper tiny.en."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from narrator.errors import EngineError
from narrator.speech.base import Speech, SpeechEngine
from narrator.speech.piper import PiperEngine, load_voice
from narrator.verify.base import Transcriber
from narrator.verify.faster_whisper import WhisperTranscriber, load_model
from narrator.verify.scoring import score

pytestmark = pytest.mark.slow

TEXT = (
    '"Are you coming?" she asked. Margaret Hale paid $3.50 for the bread in 1984. '
    "It's only a dream, Dr. Wilson said."
)
OTHER_TEXT = "The soldiers marched through the gates of the castle in complete silence."


@pytest.fixture(scope="module")
def engine() -> PiperEngine:
    return PiperEngine()


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    return WhisperTranscriber()


@pytest.fixture(scope="module")
def speech(engine: PiperEngine) -> Speech:
    return engine.synthesize(TEXT)


def write(tmp_path: Path, name: str, samples: np.ndarray, rate: int = 22_050) -> Path:
    path = tmp_path / name
    sf.write(path, samples, rate, subtype="PCM_16")
    return path


def test_engines_implement_the_protocols(
    engine: PiperEngine, transcriber: WhisperTranscriber
) -> None:
    assert isinstance(engine, SpeechEngine)
    assert isinstance(transcriber, Transcriber)
    assert engine.identity == "piper/en_US-joe-medium/speed=1"
    assert transcriber.identity == "faster-whisper/tiny.en/int8/beam=1"


def test_models_are_loaded_once_per_process(engine: PiperEngine) -> None:
    assert load_voice() is load_voice()
    assert load_model() is load_model()
    engine.synthesize("One.")
    PiperEngine(speed=1.2).synthesize("Two.")
    assert load_voice() is load_voice()


def test_speech_format_and_headroom(speech: Speech) -> None:
    assert speech.sample_rate == 22_050
    assert speech.samples.dtype == np.float32
    assert speech.samples.ndim == 1
    peak = float(np.abs(speech.samples).max())
    assert 0.85 < peak <= 10 ** (-1 / 20) + 1e-6  # about -1 dBFS, never full scale


def test_round_trip_passes(tmp_path: Path, speech: Speech, transcriber: WhisperTranscriber) -> None:
    heard = transcriber.transcribe(write(tmp_path, "full.wav", speech.samples))
    result = score(TEXT, heard, speech.duration_s)
    assert result.passed, (heard, result.reason)
    assert result.wer <= 0.2


def test_truncated_audio_fails(
    tmp_path: Path, speech: Speech, transcriber: WhisperTranscriber
) -> None:
    kept = speech.samples[: int(0.4 * len(speech.samples))]
    heard = transcriber.transcribe(write(tmp_path, "cut.wav", kept))
    result = score(TEXT, heard, len(kept) / speech.sample_rate)
    assert not result.passed
    # The transcript alone also betrays the cut, not only the duration.
    assert not score(TEXT, heard, speech.duration_s).passed


def test_silence_fails(tmp_path: Path, transcriber: WhisperTranscriber) -> None:
    heard = transcriber.transcribe(write(tmp_path, "silence.wav", np.zeros(5 * 22_050)))
    result = score(TEXT, heard, 5.0)
    assert not result.passed


def test_audio_of_another_sentence_fails(
    tmp_path: Path, engine: PiperEngine, transcriber: WhisperTranscriber
) -> None:
    other = engine.synthesize(OTHER_TEXT)
    heard = transcriber.transcribe(write(tmp_path, "other.wav", other.samples))
    assert score(OTHER_TEXT, heard, other.duration_s).passed
    assert not score(TEXT, heard, other.duration_s).passed


def test_faster_speed_gives_shorter_audio(engine: PiperEngine) -> None:
    normal = engine.synthesize(OTHER_TEXT).duration_s
    fast = PiperEngine(speed=1.5).synthesize(OTHER_TEXT).duration_s
    assert fast < 0.8 * normal


def test_unspeakable_text_raises(engine: PiperEngine) -> None:
    with pytest.raises(EngineError, match="no audio"):
        engine.synthesize("   ")


def test_missing_audio_file_raises(tmp_path: Path, transcriber: WhisperTranscriber) -> None:
    with pytest.raises(EngineError, match="does not exist"):
        transcriber.transcribe(tmp_path / "missing.wav")
