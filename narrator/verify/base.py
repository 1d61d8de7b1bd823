"""The interface every transcriber implements (embedded faster-whisper, remote Whisper)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from narrator.models import Frozen


@dataclass(frozen=True)
class TranscriberCapabilities:
    """What planning, budgeting and verification need to know about a transcriber."""

    paid: bool
    """Every transcription request counts against the request budget (a remote API)."""

    batch_s: float | None
    """Most seconds of audio (chunks and the gaps between them) heard in one request:
    a chapter's chunks are joined and the timed segments are attributed back to each
    chunk (``narrator.verify.batching``). None: one chunk per request."""

    @property
    def batches(self) -> bool:
        """Several chunks may be heard in one request."""
        return self.batch_s is not None


class HeardSegment(Frozen):
    """One timestamped segment (or word) of a transcription, seconds from the start of
    the audio file."""

    start_s: float
    end_s: float
    text: str


@runtime_checkable
class Transcriber(Protocol):
    """Turns an audio file into text.

    ``identity`` names the model, so verification results can be cached by it.
    """

    identity: str
    capabilities: TranscriberCapabilities

    def transcribe(self, audio_path: Path, *, label: str = "") -> str:
        """Return what is heard in the audio file (any format ffmpeg/PyAV decodes).

        ``label`` (a chunk id) names the request in logs, the ledger and errors.
        """
        ...

    def transcribe_timed(self, audio_path: Path, *, label: str = "") -> tuple[HeardSegment, ...]:
        """The segments heard in the audio file, timed in seconds, from one request."""
        ...
