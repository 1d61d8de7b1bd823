"""The voices of the embedded engines: name, engine, language, gender and licence.

Plain data, so listing and validating voices loads no model. Kokoro's voice names
are the ones Oxlo's ``kokoro-82m`` (Kokoro-82M served remotely) takes, so a book
previewed offline with ``--voice af_heart`` can be produced remotely with the same flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrator.errors import ConfigError
from narrator.text.language import ENGLISH, name, primary


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
    "ef_dora", "em_alex", "em_santa",
    "ff_siwis",
    "if_sara", "im_nicola",
    "pf_dora", "pm_alex", "pm_santa",
    "hf_alpha", "hf_beta", "hm_omega", "hm_psi",
    "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi",
    "zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang",
    "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo",
)  # fmt: skip
"""Kokoro-82M v1.0's 54 voices (kokoro-js 1.2.1 ``voices/``): the first letter is the
language (:data:`KOKORO_LANGUAGES`), the second f/m female or male."""

KOKORO_LANGUAGES = {
    "a": "en-US", "b": "en-GB", "e": "es", "f": "fr", "i": "it", "p": "pt-BR", "h": "hi",
    "z": "zh", "j": "ja",
}  # fmt: skip
"""The language (BCP 47) of a Kokoro voice, by its name's first letter, as Kokoro's own
``KPipeline`` language codes."""

KOKORO_VOICES = tuple(
    Voice(
        name,
        "kokoro",
        KOKORO_LANGUAGES[name[0]],
        {"f": "female", "m": "male"}[name[1]],
        "Apache-2.0",
    )
    for name in KOKORO_NAMES
)

KOKORO_DEFAULT = "af_heart"
"""Kokoro's best-rated voice, and Oxlo's default for ``kokoro-82m``: its English default."""


def names(voices: tuple[Voice, ...]) -> str:
    """The voices' names as one line for an error's hint."""
    return ", ".join(v.name for v in voices)


def speaks(voice: Voice, language: str) -> bool:
    """Whether ``voice`` reads a book in ``language`` (BCP 47): the primary subtags
    agree, so an en-GB voice reads an "en" or "en-US" book."""
    return primary(voice.language) == primary(language)


def voices_for(language: str, voices: tuple[Voice, ...]) -> tuple[Voice, ...]:
    """The ``voices`` that speak ``language``; ``ConfigError`` when none of them does."""
    fit = tuple(v for v in voices if speaks(v, language))
    if not fit:
        raise ConfigError(
            f"no voice on this machine speaks {name(language)} ({language})",
            hint="narrate it with --engine remote and a server whose voices speak "
            f"{name(language)}; offline narrator speaks "
            + ", ".join(sorted({name(v.language) for v in voices})),
        )
    return fit


def kokoro_default(language: str = ENGLISH) -> Voice:
    """Kokoro's voice for a book in ``language`` when none is chosen: af_heart for
    English, else the language's first female voice (ff_siwis for French);
    ``ConfigError`` for a language Kokoro has no voice for."""
    fit = voices_for(language, KOKORO_VOICES)
    chosen = [v for v in fit if v.name == KOKORO_DEFAULT] or [
        v for v in fit if v.gender == "female"
    ]
    return (chosen or list(fit))[0]
