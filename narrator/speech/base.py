"""The interface every speech engine implements (embedded Piper, remote OpenAI-compatible)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from narrator.errors import EngineError


@dataclass(frozen=True)
class Speech:
    """Synthesized audio: mono float32 samples in [-1, 1] at ``sample_rate`` Hz."""

    samples: NDArray[np.float32]
    sample_rate: int

    @property
    def duration_s(self) -> float:
        """Duration in seconds."""
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class SpeechCapabilities:
    """What chunk packing, planning and budgeting need to know about a speech engine.

    An engine's registry entry (``narrator.engines``) gives them without loading a model
    or needing an API key, so ``narrate plan`` can use them.
    """

    paid: bool
    """Every synthesis request counts against the request budget (a remote API)."""

    max_input_chars: int
    """The longest text one request may carry as configured, characters: the engine's
    default unless the run sets one. The engine's ``max_input_chars`` may be lower once
    it learned that its endpoint truncates longer inputs."""

    chars_per_s: float | None = None
    """The voice's known speaking rate at speed 1.0: characters of normalized text per
    second of voiced audio (``narrator.verify.rate``); None when unknown. A book far
    from it fails verification."""

    unheard_s: float | None = None
    """Voiced seconds no heard word accounts for that fail a chunk in this voice
    (``narrator.verify.unheard``): its clean chunks' spread on real prose, measured
    (``unheard_limit_s``); None: not measured (the widest measured voice's limit)."""

    timed_takes: bool = False
    """Each take is its voice's own timing of its text, made in this process and stored
    as it came: its length is the yardstick the speaking-rate check holds the stored
    chunk against (``narrator.verify.rate``), so any change of tempo or sample rate
    between the voice and the book is found, while the rhythm the voice chose is not
    held against it. False for a remote API, whose audio comes from elsewhere."""

    @property
    def packs_by_paragraph(self) -> bool:
        """Whether chunks end at paragraph ends, where the stitcher places a paragraph
        pause. Only a free engine's do: a paid engine's chunks fill up to its input
        limit, for the fewest requests."""
        return not self.paid


@runtime_checkable
class SpeechEngine(Protocol):
    """Turns text into speech.

    ``identity`` names everything that determines the audio besides the text
    (engine, model, voice, speed), so it can be part of a content hash.
    ``max_input_chars`` is the longest text one request may carry now (at most
    ``capabilities.max_input_chars``).
    """

    identity: str
    voice: str  # the voice's name, e.g. "af_heart"
    credit: str  # the voice credited as narrator in the tags, e.g. "kokoro-82m (af_heart)"
    capabilities: SpeechCapabilities
    max_input_chars: int

    def learn_truncation(self, chars_spoken: int) -> int | None:
        """Verification heard only the first ``chars_spoken`` characters of a longer input.

        An engine whose endpoint truncates long inputs lowers its ``max_input_chars``
        and returns the new limit; one that never truncates returns None.
        """
        ...

    def synthesize(self, text: str, *, label: str = "") -> Speech:
        """Speak ``text`` and return the audio; raises a ``NarratorError`` subclass.

        ``label`` (a chunk id) names the request in logs, the ledger and errors.
        """
        ...


def check_input_length(text: str, max_input_chars: int) -> None:
    """Raise ``EngineError`` when ``text`` is longer than an engine takes in one request."""
    if len(text) > max_input_chars:
        raise EngineError(
            f"text of {len(text)} characters exceeds this engine's limit of {max_input_chars}",
            hint="pack chunks with the engine's max_input_chars",
        )
