"""Settings (from the environment, ``NARRATOR_`` prefix) and the run's parameter model.

``NarrationParams`` is the one parameter of the ``narrate_book`` flow: the CLI,
the Prefect UI's run form and ``prefect deployment run --param`` all validate
through it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from narrator.budget import parse_budget
from narrator.errors import ConfigError
from narrator.models import Frozen
from narrator.text.language import ENGLISH, normalize_tag


class PauseSettings(Frozen):
    """Silence inserted between stitched chunks, in seconds.

    Head and tail follow ACX's room-tone rule (0.5-1 s at the head of a chapter,
    1-5 s at the tail).
    """

    clause: float = Field(default=0.25, ge=0, le=5)
    sentence: float = Field(default=0.45, ge=0, le=5)
    paragraph: float = Field(default=0.9, ge=0, le=10)
    scene: float = Field(default=2.0, ge=0, le=10)
    head: float = Field(default=0.75, ge=0.5, le=1.0)
    tail: float = Field(default=2.0, ge=1.0, le=5.0)


class MasterSettings(Frozen):
    """Loudness targets for each chapter, and the delivery standard its files are checked by.

    The default is the ``acx`` preset: -19 LUFS integrated with a -3 dBTP true-peak
    ceiling. ACX judges unweighted RMS over the whole file, -23 to -18 dB, and room
    tone and pauses pull RMS below LUFS: -20 LUFS gave -20.9 dB on the sample's
    chapters but -23.03 dB on a 9-s chapter with a scene break, so the target sits
    1 dB higher (the sample then measures about -19.9 dB RMS). Every
    chapter gets its own gain to the same target, so the chapters of a book land
    within 1 LU of each other.
    """

    preset: Literal["acx", "ebu-r128", "podcast", "none", "custom"] = Field(
        default="acx", description="what the targets come from"
    )
    target_lufs: float | None = Field(
        default=-19.0, ge=-40, le=-5, description="LUFS; None keeps the engine's loudness"
    )
    ceiling_dbfs: float = Field(
        default=-3.0, ge=-20, le=0, description="true-peak ceiling, dBTP (4x oversampled)"
    )

    @property
    def check_preset(self) -> str:
        """The standard ``narrate run`` checks its chapter files against."""
        return "acx" if self.preset in ("custom", "none") else self.preset


MASTER_PRESETS: dict[str, MasterSettings] = {
    "acx": MasterSettings(),
    # EBU R 128: -23 LUFS, true peak at most -1 dBTP. The master's ceiling is 0.5 dB
    # lower because the delivered files are lossy: MP3 and AAC decoders overshoot the
    # master's peaks by up to about 0.5 dB (EBU Tech 3343 advises the same margin).
    "ebu-r128": MasterSettings(preset="ebu-r128", target_lufs=-23.0, ceiling_dbfs=-1.5),
    # AES TD1004: -16 LUFS stereo, -19 LUFS for mono (narrator's chapters are mono),
    # at most -1 dBTP (the same 0.5 dB margin for lossy files).
    "podcast": MasterSettings(preset="podcast", target_lufs=-19.0, ceiling_dbfs=-1.5),
    # No loudness change; the true-peak limiter still keeps the files from clipping.
    "none": MasterSettings(preset="none", target_lufs=None, ceiling_dbfs=-1.0),
}


def master_settings(
    preset: str, *, target_lufs: float | None = None, ceiling_dbfs: float | None = None
) -> MasterSettings:
    """A preset by name, with optional custom target (LUFS) and ceiling (dBTP) on top."""
    if preset not in MASTER_PRESETS:
        raise ConfigError(
            f"unknown mastering preset {preset!r}",
            hint=f"use one of {', '.join(MASTER_PRESETS)}, optionally with --target-lufs "
            "and --ceiling-dbfs",
        )
    settings = MASTER_PRESETS[preset]
    custom = {
        name: value
        for name, value in (("target_lufs", target_lufs), ("ceiling_dbfs", ceiling_dbfs))
        if value is not None
    }
    if not custom:
        return settings
    return MasterSettings.model_validate({**settings.model_dump(), **custom, "preset": "custom"})


class RemoteSettings(Frozen):
    """An OpenAI-compatible speech API; Oxlo.ai by default.

    The API key is deliberately not a field: parameters are stored by Prefect and
    shown in its UI. It comes from ``NARRATOR_API_KEY`` / ``OXLO_API_KEY`` /
    ``OPENAI_API_KEY`` or from the Prefect Secret block named by ``api_key_block``.
    """

    base_url: str = Field(default="https://api.oxlo.ai/v1", description="API root URL")
    tts_model: str = Field(default="kokoro-82m", description="speech model")
    voice: str = Field(default="af_heart", description="voice of the speech model")
    response_format: Literal["wav", "flac", "mp3", "opus", "aac", "pcm"] = Field(
        default="wav", description="audio format requested; lossless keeps mastering clean"
    )
    asr_model: str = Field(default="whisper-large-v3", description="transcription model")
    max_input_chars: int = Field(
        default=4096, ge=40, le=100_000, description="characters one speech request may carry"
    )
    timeout_s: float = Field(
        default=600.0,
        gt=0,
        le=3600,
        description="longest wait for one request, seconds; smaller requests get less, "
        "scaled by the characters or seconds of audio they carry",
    )
    pcm_rate: int = Field(
        default=24_000,
        ge=8_000,
        le=48_000,
        description="sample rate of 'pcm' responses, Hz (OpenAI: 24000; Piper-based "
        "servers: 22050); wav is safer, its header carries the rate",
    )
    budget: str = Field(
        default="free",
        description="request budget: free (60/day), pro (1000/day), premium (5000/day), "
        "unlimited, or e.g. '800/day,30/min'",
    )
    api_key_block: str | None = Field(
        default=None, description="name of a Prefect Secret block holding the API key"
    )

    @field_validator("budget")
    @classmethod
    def _valid_budget(cls, value: str) -> str:
        parse_budget(value)  # raises ConfigError naming the accepted forms
        return value


class NarrationParams(Frozen):
    """Everything that defines one narration run."""

    manuscript: Path = Field(description="path to the manuscript (.md, .txt, .epub, .docx, .html)")
    out_dir: Path = Field(default=Path("outputs"), description="outputs go to OUT_DIR/<book-slug>/")
    title: str | None = Field(
        default=None, description="book title; default: first H1 or file name"
    )
    author: str | None = None
    narrator: str | None = Field(
        default=None, description="narrator credit in the tags; default: the engine's voice"
    )
    engine: Literal["auto", "embedded", "remote"] = Field(
        default="auto",
        description="speech engine; auto: remote when an API key is set, else embedded",
    )
    verify: Literal["embedded", "remote"] = Field(
        default="embedded",
        description="transcriber for verification; embedded costs no requests",
    )
    remote: RemoteSettings = RemoteSettings()
    voice: str | None = Field(
        default=None,
        description="narration voice; it picks the embedded engine (af_heart: Kokoro, "
        "en_US-joe-medium: Piper). None: Piper's joe offline, remote.voice remotely",
    )
    dialogue_voice: str | None = Field(
        default=None, description="a second voice for quoted speech, of the same engine"
    )
    language: str | None = Field(
        default=None,
        description="BCP 47 tag of the book's language (en, fr, pt-BR, ...); None: the one "
        "the manuscript states (EPUB, DOCX, HTML, Gutenberg header), else detected",
    )
    speed: float = Field(default=1.0, gt=0.25, le=4.0, description="speaking rate, 1.0 = normal")
    max_input_chars: int | None = Field(
        default=None, ge=40, le=100_000, description="characters per request; None: engine default"
    )
    max_attempts: int = Field(
        default=3, ge=1, le=10, description="synthesis attempts per chunk before it is flagged"
    )
    announce_titles: bool = Field(default=True, description="speak each chapter's title")
    include_all: bool = Field(
        default=False,
        description="narrate front and back matter too (cover, copyright, contents, index)",
    )
    read_alt_text: bool = Field(
        default=False, description="read images' alt text where they stand (EPUB, HTML)"
    )
    allow_loss: bool = Field(
        default=False,
        description="narrate even when words of the manuscript are neither narrated nor "
        "skipped with a reason (a reader bug); the report records them",
    )
    year: int | None = Field(
        default=None, ge=1000, le=9999, description="year tag; default: the current year"
    )
    genre: str = Field(default="Audiobook", min_length=1, description="genre tag")
    max_part_minutes: float = Field(
        default=120.0,
        gt=0,
        le=24 * 60,
        description="a chapter longer than this is split into parts (ACX: 120 min per file)",
    )
    formats: tuple[Literal["flac", "opus"], ...] = Field(
        default=(), description="chapter files to write besides the MP3s"
    )
    cover: Path | None = Field(
        default=None,
        description="cover image (JPEG or PNG); default: <manuscript>.jpg/.png or "
        "<manuscript folder>/<name>/cover.jpg/.png when there is one",
    )
    lexicon: Path | None = Field(
        default=None,
        description='pronunciation lexicon (TOML: word = "respelling") applied to what '
        "the engine is sent",
    )
    pauses: PauseSettings = PauseSettings()
    master: MasterSettings = MasterSettings()

    @field_validator("language")
    @classmethod
    def _valid_language(cls, value: str | None) -> str | None:
        return None if value is None else normalize_tag(value)  # ValueError names the tag

    @property
    def book_language(self) -> str:
        """The book's language once the manuscript is read (``narrator.parse`` sets it);
        English before."""
        return self.language or ENGLISH


class Settings(BaseSettings):
    """Machine-level settings, read from ``NARRATOR_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="NARRATOR_", frozen=True)

    workers: int = Field(default=2, ge=1, le=64, description="chunks processed at once")
    dask_address: str | None = Field(
        default=None,
        description="a Dask scheduler (tcp://host:8786): chunk tasks run on its workers",
    )
    ledger: str = Field(
        default="~/.local/state/narrator/requests.sqlite",
        description="request ledger: an SQLite file shared by every run on this machine, or "
        "postgresql://user:password@host:5432/dbname shared by several machines",
    )
    retry_attempts: int = Field(default=6, ge=1, le=50, description="HTTP attempts per request")
    retry_max_s: float = Field(
        default=600.0, gt=0, description="longest time spent retrying one request, seconds"
    )
