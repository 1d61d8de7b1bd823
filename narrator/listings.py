"""What a server's listings say: the names in them, and what each listed model does.

OpenAI-compatible servers list their models at ``GET /models`` and (Kokoro-style servers)
their voices at ``GET /audio/voices``, in shapes that differ: plain strings, or objects
naming the item under ``id``, ``name`` or ``voice_id``. A model object may also say what
the model does (Speaches: ``"task": "automatic-speech-recognition"``; others ``type`` or
``capabilities``), but OpenAI's says nothing beyond ``"object": "model"``, so most of the
time only the name tells: ``whisper-1`` and ``gpt-4o-transcribe`` transcribe, ``tts-1`` and
``kokoro-82m`` speak. Pure functions: no network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Task = Literal["speech", "transcription"]
"""What a model does: speak text (``POST /audio/speech``) or transcribe audio
(``POST /audio/transcriptions``)."""

_TRANSCRIBES = re.compile(
    r"whisper|transcri|speech.?to.?text|speech.?recognition|(?<![a-z])(?:asr|stt)(?![a-z])"
)
"""Words that mark a transcription model or task: Whisper and its kin, OpenAI's
``*-transcribe``, Hugging Face's ``automatic-speech-recognition``, the abbreviations ASR
and STT (as whole words: "stt" inside another word says nothing)."""

_SPEAKS = re.compile(r"tts|text.?to.?speech|speech|kokoro|piper|voice")
"""Words that mark a speech model or task, looked for once the transcription words are
taken out (so "speech-to-text" does not count as speech): TTS, ``text-to-speech``,
"speech", and the offline voices narrator knows."""

_TASK_FIELDS = ("task", "type", "capabilities", "object")
"""Fields of a model object that may say what the model does; they win over its name."""


def names(items: object, keys: Sequence[str]) -> list[str]:
    """Names in a listing: plain strings, or objects carrying one of ``keys``."""
    if not isinstance(items, list):
        return []
    found = []
    for item in items:
        name = _name(item, keys)
        if name:
            found.append(name)
    return found


def listed_models(items: object) -> dict[str, Task | None]:
    """The models in the ``data`` of a ``GET /models`` answer, each with what it does
    (:func:`task_of`), in the listing's order."""
    if not isinstance(items, list):
        return {}
    return {name: task_of(item) for item in items if (name := _name(item, ("id", "name")))}


def task_of(item: object) -> Task | None:
    """What a listed model does: what its fields say (:data:`_TASK_FIELDS`) when they say
    it, else what its name says; None when neither tells, or both tasks are named."""
    if isinstance(item, dict):
        said = _tasks(" ".join(_words(item.get(field)) for field in _TASK_FIELDS))
        if said:
            return said.pop() if len(said) == 1 else None
    name = _name(item, ("id", "name")) or ""
    said = _tasks(name)
    return said.pop() if len(said) == 1 else None


def _name(item: object, keys: Sequence[str]) -> str | None:
    if isinstance(item, str):
        return item or None
    if isinstance(item, dict):
        return next((item[k] for k in keys if isinstance(item.get(k), str) and item[k]), None)
    return None


def _words(value: object) -> str:
    """The text of a field: a string, the strings of a list, or the keys of an object
    whose values are true (``{"transcription": true, "tts": false}``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(v for v in value if isinstance(v, str))
    if isinstance(value, dict):
        return " ".join(str(k) for k, v in value.items() if v)
    return ""


def _tasks(text: str) -> set[Task]:
    """The tasks ``text`` names (:data:`_TRANSCRIBES`, :data:`_SPEAKS`)."""
    text = text.lower()
    found: set[Task] = set()
    if _TRANSCRIBES.search(text):
        found.add("transcription")
    if _SPEAKS.search(_TRANSCRIBES.sub(" ", text)):
        found.add("speech")
    return found
