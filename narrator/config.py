"""Settings (from the environment, ``NARRATOR_`` prefix) and the run's parameter model.

``NarrationParams`` is the one parameter of the ``narrate_book`` flow: the CLI,
the Prefect UI's run form and ``prefect deployment run --param`` all validate
through it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from narrator.models import Frozen


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
    """Loudness targets for each chapter.

    The default (-20 LUFS integrated, -3 dBFS ceiling) is common for spoken-word TTS
    and sits inside ACX's RMS window of -23 to -18 dB (issue #2).
    """

    target_lufs: float = Field(default=-20.0, ge=-40, le=-5, description="LUFS")
    ceiling_dbfs: float = Field(default=-3.0, ge=-20, le=0, description="dBFS")


class NarrationParams(Frozen):
    """Everything that defines one narration run."""

    manuscript: Path = Field(description="path to a .txt or .md manuscript")
    out_dir: Path = Field(default=Path("outputs"), description="outputs go to OUT_DIR/<book-slug>/")
    title: str | None = Field(
        default=None, description="book title; default: first H1 or file name"
    )
    author: str | None = None
    engine: Literal["embedded"] = "embedded"
    speed: float = Field(default=1.0, gt=0.25, le=4.0, description="speaking rate, 1.0 = normal")
    max_input_chars: int | None = Field(
        default=None, ge=40, le=100_000, description="characters per request; None: engine default"
    )
    max_attempts: int = Field(
        default=3, ge=1, le=10, description="synthesis attempts per chunk before it is flagged"
    )
    announce_titles: bool = Field(default=True, description="speak each chapter's title")
    pauses: PauseSettings = PauseSettings()
    master: MasterSettings = MasterSettings()


class Settings(BaseSettings):
    """Machine-level settings, read from ``NARRATOR_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="NARRATOR_", frozen=True)

    workers: int = Field(default=2, ge=1, le=64, description="chunks processed at once")
