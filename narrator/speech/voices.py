"""The voices of the embedded engines: name, engine, language, gender and licence.

Plain data, so listing and validating voices loads no model. Kokoro's voice names
are the ones Oxlo's ``kokoro-82m`` (Kokoro-82M served remotely) takes, so a book
previewed offline with ``--voice af_heart`` can be produced remotely with the same flag.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    """One voice an embedded engine has."""

    name: str
    engine: str  # the engine family in narrator.engines: "embedded" (Piper) or "kokoro"
    language: str  # BCP 47
    gender: str
    licence: str  # SPDX identifier of the voice's weights


PIPER_VOICES = (Voice("en_US-joe-medium", "embedded", "en-US", "male", "CC0-1.0"),)

KOKORO_NAMES = (
    "af_alloy", "af_aoede", "af_bella", "af_heart", "af_jessica", "af_kore", "af_nicole",
    "af_nova", "af_river", "af_sarah", "af_sky",
    "am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam", "am_michael", "am_onyx",
    "am_puck", "am_santa",
    "bf_alice", "bf_emma", "bf_isabella", "bf_lily",
    "bm_daniel", "bm_fable", "bm_george", "bm_lewis",
)  # fmt: skip
"""Kokoro-82M v1.0's 28 English voices: a/b American or British English, f/m female or
male (kokoro-js 1.2.1 ``voices/``)."""

KOKORO_VOICES = tuple(
    Voice(
        name,
        "kokoro",
        {"a": "en-US", "b": "en-GB"}[name[0]],
        {"f": "female", "m": "male"}[name[1]],
        "Apache-2.0",
    )
    for name in KOKORO_NAMES
)


def names(voices: tuple[Voice, ...]) -> str:
    """The voices' names as one line for an error's hint."""
    return ", ".join(v.name for v in voices)
