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
AllowLossOpt = Annotated[
    bool,
    typer.Option(
        "--allow-loss",
        help="Narrate even when words of the manuscript are neither narrated nor skipped "
        "with a reason (a reader bug; `narrate split` shows where).",
    ),
]
LexiconOpt = Annotated[
    Path | None,
    typer.Option(help='Pronunciation lexicon, TOML: word = "respelling" (default: book.toml).'),
]
EngineOpt = Annotated[
    str, typer.Option(help="auto (remote when an API key is set), embedded or remote.")
]
VerifyOpt = Annotated[
    str, typer.Option(help="Transcriber for verification: embedded (free) or remote.")
]
BaseUrlOpt = Annotated[str, typer.Option(help="OpenAI-compatible API root.")]
LanguageOpt = Annotated[
    str | None,
    typer.Option(
        help="The book's language, a BCP 47 tag: en, es, fr, it, pt-BR, hi, zh, ja, ... "
        "(default: what the manuscript states, else detected from its text).",
    ),
]
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
    timeout_s: float = REMOTE_DEFAULTS.timeout_s,
    pcm_rate: int = REMOTE_DEFAULTS.pcm_rate,
) -> RemoteSettings:
    return RemoteSettings(
        base_url=base_url,
        budget=budget,
        tts_model=tts_model,
        voice=voice,
        asr_model=asr_model,
        response_format=response_format,  # type: ignore[arg-type]
        api_key_block=api_key_block,
        timeout_s=timeout_s,
        pcm_rate=pcm_rate,
    )


class ProgressHandler(logging.Handler):
    """Prints narrator's progress log lines (chapter and chunk) on the terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        style = "yellow" if record.levelno >= logging.WARNING else "dim"
        err.print(f"[{style}]{record.getMessage()}[/{style}]", highlight=False)


def reading_params(
    manuscript: Path,
    *,
    ctx: typer.Context | None = None,
    max_input_chars: int | None,
    title: str | None,
    titles: bool,
    include_all: bool,
    read_alt_text: bool,
    **settings: Any,
) -> NarrationParams:
    """Run parameters with the options that decide how a manuscript is read and cut into
    chunks (and so its book folder and chunk keys), plus any other ``settings``, under
    the book's ``book.toml`` where there is one: a flag given on the command line of the
    command ``ctx`` wins.

    Every command that reads a manuscript builds its parameters here, so ``split``,
    ``plan``, ``clean`` and ``run`` never disagree about the book.
    """
    from narrator.book_settings import apply_book_settings, find_book_file, load_book_file

    params = NarrationParams(
        manuscript=manuscript,
        max_input_chars=max_input_chars,
        title=title,
        announce_titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        **settings,
    )
    book_file = find_book_file(manuscript)
    if book_file is None:
        return params
    given = given_flags(ctx, {"title": title, **settings})
    return apply_book_settings(params, load_book_file(book_file), book_file, given)


def settings_in_force(
    params: NarrationParams, ctx: typer.Context, **settings: Any
) -> dict[str, tuple[Any, str]]:
    """The book settings in ``params`` (built by ``reading_params`` from ``settings``) and
    where each came from: "flag", "book.toml" or "default"."""
    from narrator.book_settings import find_book_file, load_book_file
    from narrator.book_settings import settings_in_force as in_force

    book_file = find_book_file(params.manuscript)
    book = load_book_file(book_file) if book_file is not None else {}
    return in_force(params, book, given_flags(ctx, settings))


# Flags that set a book.toml key besides the key's own name.
_FLAGS_OF = {"master": ("master", "target_lufs", "ceiling_dbfs")}


def given_flags(ctx: typer.Context | None, settings: dict[str, Any]) -> set[str]:
    """The book.toml keys that a flag on the command line of ``ctx`` set (a default
    value is not a flag given).

    Without a command (a direct call) a setting counts as given when it is not None.
    """
    from narrator.book_settings import BOOK_KEYS

    if ctx is None:
        return {key for key in BOOK_KEYS if settings.get(key) is not None}
    sources = {flag: ctx.get_parameter_source(flag) for flag in ctx.params}
    return {
        key
        for key in BOOK_KEYS
        for flag in _FLAGS_OF.get(key, (key,))
        if (source := sources.get(flag)) is not None and source.name == "COMMANDLINE"
    }
