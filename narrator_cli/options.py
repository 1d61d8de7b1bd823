"""What the commands share: consoles, option types, remote settings and progress output."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from narrator.config import NarrationParams, RemoteSettings
from narrator.text.formats import readable_formats

out = Console()
err = Console(stderr=True)

ManuscriptArg = Annotated[
    Path,
    typer.Argument(
        help=f"The manuscript: {readable_formats()}; '-' reads plain text from standard input."
    ),
]
MaxCharsOpt = Annotated[
    int | None,
    typer.Option("--max-input-chars", min=40, help="Characters per request (default: engine's)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
# The options that change the book itself: its folder (from the title), chapters and chunks.
TitleOpt = Annotated[
    str | None, typer.Option(help="Book title, and so its folder (default: from the text).")
]
TitlesOpt = Annotated[bool, typer.Option(help="Speak chapter titles.")]
IncludeAllOpt = Annotated[
    bool,
    typer.Option(help="Narrate front and back matter too (cover, copyright, contents, index)."),
]
AltTextOpt = Annotated[
    bool, typer.Option(help="Read images' alt text where the images stand (EPUB, HTML).")
]
EngineOpt = Annotated[
    str, typer.Option(help="auto (remote when an API key is set), embedded or remote.")
]
VerifyOpt = Annotated[
    str, typer.Option(help="Transcriber for verification: embedded (free) or remote.")
]
BaseUrlOpt = Annotated[str, typer.Option(help="OpenAI-compatible API root.")]
VoiceOpt = Annotated[
    str | None,
    typer.Option(
        help="Narration voice; offline it picks the engine: af_heart etc. Kokoro, "
        "en_US-joe-medium Piper (default; remotely: af_heart). See `narrate voices`."
    ),
]
DialogueVoiceOpt = Annotated[
    str | None,
    typer.Option(help="A second voice, of the same engine, for quoted speech."),
]
BudgetOpt = Annotated[
    str, typer.Option(help="Requests allowed: free, pro, premium, unlimited, or '800/day,30/min'.")
]
REMOTE_DEFAULTS = RemoteSettings()


def remote_settings(
    base_url: str,
    budget: str,
    tts_model: str = REMOTE_DEFAULTS.tts_model,
    voice: str = REMOTE_DEFAULTS.voice,
    asr_model: str = REMOTE_DEFAULTS.asr_model,
    response_format: str = REMOTE_DEFAULTS.response_format,
    api_key_block: str | None = None,
) -> RemoteSettings:
    return RemoteSettings(
        base_url=base_url,
        budget=budget,
        tts_model=tts_model,
        voice=voice,
        asr_model=asr_model,
        response_format=response_format,  # type: ignore[arg-type]
        api_key_block=api_key_block,
    )


class ProgressHandler(logging.Handler):
    """Prints narrator's progress log lines (chapter and chunk) on the terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        style = "yellow" if record.levelno >= logging.WARNING else "dim"
        err.print(f"[{style}]{record.getMessage()}[/{style}]", highlight=False)


def reading_params(
    manuscript: Path,
    *,
    max_input_chars: int | None,
    title: str | None,
    titles: bool,
    include_all: bool,
    read_alt_text: bool,
    **settings: Any,
) -> NarrationParams:
    """Run parameters with the options that decide how a manuscript is read and cut into
    chunks (and so its book folder and chunk keys), plus any other ``settings``.

    Every command that reads a manuscript builds its parameters here, so ``split``,
    ``plan``, ``clean`` and ``run`` never disagree about the book.
    """
    return NarrationParams(
        manuscript=manuscript,
        max_input_chars=max_input_chars,
        title=title,
        announce_titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        **settings,
    )
