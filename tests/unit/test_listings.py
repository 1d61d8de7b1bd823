"""Telling speech models from transcription models in a server's listing, on names that
real servers list (OpenAI, Groq, Oxlo, Speaches, Kokoro-FastAPI, `narrate serve`)."""

from __future__ import annotations

import pytest

from narrator.listings import listed_models, names, task_of


@pytest.mark.parametrize(
    ("name", "task"),
    [
        ("whisper-1", "transcription"),
        ("whisper-large-v3", "transcription"),
        ("distil-whisper-large-v3-en", "transcription"),
        ("Systran/faster-distil-whisper-small.en", "transcription"),
        ("faster-whisper-tiny.en", "transcription"),
        ("gpt-4o-mini-transcribe", "transcription"),
        ("tts-1", "speech"),
        ("tts-1-hd", "speech"),
        ("gpt-4o-mini-tts", "speech"),
        ("kokoro-82m", "speech"),
        ("speaches-ai/Kokoro-82M-v1.0-ONNX", "speech"),
        ("piper-en_US-joe-medium", "speech"),
        ("gpt-4o", None),
        ("llama-3.1-8b-instant", None),
        ("kasr-7b", None),  # "asr" counts only as a word of its own
    ],
)
def test_a_model_name_tells_its_task(name: str, task: str | None) -> None:
    assert task_of(name) == task
    assert task_of({"id": name, "object": "model", "owned_by": "someone"}) == task


@pytest.mark.parametrize(
    ("entry", "task"),
    [
        ({"id": "large-v3", "task": "automatic-speech-recognition"}, "transcription"),
        ({"id": "whisper-voice", "task": "text-to-speech"}, "speech"),  # the field wins
        ({"id": "m", "type": "stt"}, "transcription"),
        ({"id": "m", "capabilities": {"transcription": True, "tts": False}}, "transcription"),
        ({"id": "whisper-1", "capabilities": ["tts", "speech-to-text"]}, None),  # both: unknown
        ({"name": "kokoro"}, "speech"),
        ({"object": "model"}, None),
    ],
)
def test_a_field_that_says_the_task_wins_over_the_name(entry: dict, task: str | None) -> None:
    assert task_of(entry) == task


def test_listings_keep_their_order_and_skip_what_has_no_name() -> None:
    data = [{"id": "tts-1"}, {"id": ""}, {"object": "model"}, "whisper-1", 7, {"name": "gpt-4o"}]
    assert listed_models(data) == {"tts-1": "speech", "whisper-1": "transcription", "gpt-4o": None}
    assert listed_models({"data": []}) == {}
    voices = ["af_heart", {"voice_id": "am_adam"}, {"name": "bf_emma", "id": 3}]
    assert names(voices, ("id", "name", "voice_id")) == ["af_heart", "am_adam", "bf_emma"]
