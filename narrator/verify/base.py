"""The interface every transcriber implements (embedded faster-whisper, remote Whisper)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class Transcriber(Protocol):
    """Turns an audio file into text.

    ``identity`` names the model, so verification results can be cached by it.
    """

    identity: str

    def transcribe(self, audio_path: Path, *, label: str = "") -> str:
        """Return what is heard in the audio file (any format ffmpeg/PyAV decodes).

        ``label`` (a chunk id) names the request in logs, the ledger and errors.
        """
        ...
