"""Build the speech engine and transcriber a run asks for, once per worker process.

Tasks receive only small parameter records; each looks its engines up here, so
models load on first use in a process and are shared by every later chunk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from narrator.config import NarrationParams
from narrator.speech.base import SpeechEngine
from narrator.verify.base import Transcriber


@dataclass(frozen=True)
class Engines:
    """The pair of engines one run uses."""

    speech: SpeechEngine
    transcriber: Transcriber


def engines_for(params: NarrationParams) -> Engines:
    """Return the (cached) engines for ``params``."""
    return _build(params.engine, params.speed, params.max_input_chars)


@functools.cache
def _build(engine: str, speed: float, max_input_chars: int | None) -> Engines:
    # Imported here so that `narrate split` / `plan` never pay for loading model runtimes.
    from narrator.speech.piper import DEFAULT_MAX_INPUT_CHARS, PiperEngine
    from narrator.verify.faster_whisper import WhisperTranscriber

    return Engines(
        speech=PiperEngine(speed=speed, max_input_chars=max_input_chars or DEFAULT_MAX_INPUT_CHARS),
        transcriber=WhisperTranscriber(),
    )


def packing_for(params: NarrationParams) -> tuple[int, bool]:
    """Return ``(max_input_chars, by_paragraph)`` for chunk packing, without loading models.

    The embedded engine costs nothing per request, so its chunks end at paragraph
    ends, where the stitcher can place a paragraph pause (issue #2).
    """
    from narrator.speech.piper import DEFAULT_MAX_INPUT_CHARS

    return params.max_input_chars or DEFAULT_MAX_INPUT_CHARS, True
