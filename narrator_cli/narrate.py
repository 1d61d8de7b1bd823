"""Commands that narrate: ``run`` a book now, or ``deploy`` it as a Prefect deployment."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from narrator.config import NarrationParams, master_settings
from narrator.errors import BudgetExhausted
from narrator.models import AWAITING_BUDGET, BookResult
from narrator_cli.options import (
    REMOTE_DEFAULTS,
    AltTextOpt,
    BaseUrlOpt,
    BudgetOpt,
    DialogueVoiceOpt,
    EngineOpt,
    IncludeAllOpt,
    ManuscriptArg,
    MaxCharsOpt,
    ProgressHandler,
    TitleOpt,
    TitlesOpt,
    VerifyOpt,
    VoiceOpt,
    err,
    out,
    reading_params,
    remote_settings,
)

EXIT_FLAGGED = 4
"""Exit code of ``run --strict`` when a chunk was kept flagged."""


def _summary(result: BookResult) -> None:
    table = Table(title=f"{result.title}: {result.duration_s / 60:.1f} min")
    for column in ("#", "chapter", "duration", "LUFS", "peak dBFS", "chunks", "flagged"):
        table.add_column(column)
    for c in result.chapters:
        table.add_row(
            str(c.index),
            c.title,
            f"{c.duration_s:.1f} s",
            f"{c.lufs:.1f}",
            f"{c.peak_dbfs:.1f}",
            str(len(c.placements)),
            str(c.flagged),
        )
    out.print(table)
    out.print(f"audiobook: {result.m4b}\nchapters:  {result.chapters[0].file.parent}")
    out.print(f"manifest:  {result.manifest}\nreport:    {result.report}")
    if result.flagged:
        out.print(
            f"[yellow]{result.flagged} of {result.chunks} chunks did not pass verification and "
            f"were kept as flagged; see {result.report}[/yellow]"
        )
    else:
        out.print(f"[green]all {result.chunks} chunks passed round-trip verification[/green]")


def run(
    manuscript: ManuscriptArg,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("outputs"),
    title: TitleOpt = None,
    author: Annotated[str | None, typer.Option(help="Author, written into the tags.")] = None,
    speed: Annotated[float, typer.Option(help="Speaking rate; 1.0 is normal.")] = 1.0,
    max_input_chars: MaxCharsOpt = None,
    max_attempts: Annotated[int, typer.Option(help="Synthesis attempts per chunk.")] = 3,
    titles: TitlesOpt = True,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    engine: EngineOpt = "auto",
    verify: VerifyOpt = "embedded",
    base_url: BaseUrlOpt = REMOTE_DEFAULTS.base_url,
    tts_model: Annotated[str, typer.Option(help="Remote speech model.")] = (
        REMOTE_DEFAULTS.tts_model
    ),
    voice: VoiceOpt = None,
    dialogue_voice: DialogueVoiceOpt = None,
    asr_model: Annotated[str, typer.Option(help="Remote transcription model.")] = (
        REMOTE_DEFAULTS.asr_model
    ),
    response_format: Annotated[str, typer.Option(help="Remote audio format.")] = (
        REMOTE_DEFAULTS.response_format
    ),
    budget: BudgetOpt = REMOTE_DEFAULTS.budget,
    master: Annotated[
        str, typer.Option(help="Mastering preset: acx, ebu-r128, podcast or none.")
    ] = "acx",
    target_lufs: Annotated[
        float | None, typer.Option(help="Custom integrated loudness target, LUFS.")
    ] = None,
    ceiling_dbfs: Annotated[
        float | None, typer.Option(help="Custom true-peak ceiling, dBTP.")
    ] = None,
    api_key_block: Annotated[
        str | None, typer.Option(help="Prefect Secret block holding the API key.")
    ] = None,
    formats: Annotated[
        list[str] | None, typer.Option("--format", help="Also write chapters as flac or opus.")
    ] = None,
    cover: Annotated[
        Path | None, typer.Option(help="Cover image (default: <manuscript>.jpg/.png).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year tag (default: this year).")] = None,
    genre: Annotated[str, typer.Option(help="Genre tag.")] = "Audiobook",
    max_part_minutes: Annotated[
        float, typer.Option(help="Split longer chapters into parts (ACX: 120).")
    ] = 120.0,
    strict: Annotated[bool, typer.Option(help="Exit 4 if any chunk is flagged.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Narrate a manuscript into chapter MP3s and an M4B, verifying every chunk.

    Runs the narrate-book Prefect flow in this process (a temporary Prefect server
    starts when PREFECT_API_URL is not set).

    Examples:

      narrate run inputs/the-keeper-of-tern-rock.md

      narrate run book.txt --out audiobooks --author "A. Writer" --speed 1.1

      narrate run book.md --voice af_heart --dialogue-voice am_michael

      OXLO_API_KEY=... narrate run book.md --budget pro
    """
    from narrator.parse import parse_book

    params = reading_params(
        manuscript,
        max_input_chars=max_input_chars,
        title=title,
        titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        out_dir=out_dir,
        author=author,
        speed=speed,
        max_attempts=max_attempts,
        engine=engine,
        verify=verify,
        remote=remote_settings(
            base_url,
            budget,
            tts_model,
            asr_model=asr_model,
            response_format=response_format,
            api_key_block=api_key_block,
        ),
        voice=voice,
        dialogue_voice=dialogue_voice,
        master=master_settings(master, target_lufs=target_lufs, ceiling_dbfs=ceiling_dbfs),
        formats=tuple(formats or ()),
        cover=cover,
        year=year,
        genre=genre,
        max_part_minutes=max_part_minutes,
    )
    # Read the manuscript, and check that no other run holds the book, before starting
    # Prefect: bad input fails in a second, with nothing written. (The flow takes the
    # book's lock for real; this is only the early, friendly check.)
    book = parse_book(params).book
    if (out_dir / book.slug).is_dir():
        from narrator.lock import book_lock
        from narrator.store import BookPaths

        with book_lock(BookPaths.for_book(out_dir, book.slug)):
            pass
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    progress = logging.getLogger("narrator.progress")
    progress.addHandler(ProgressHandler())
    progress.setLevel(logging.INFO)

    from flows.narrate import narrate_book

    state = narrate_book(params, return_state=True)
    if state.name == AWAITING_BUDGET:
        err.print(f"[yellow]{state.message}[/yellow]", highlight=False)
        raise typer.Exit(BudgetExhausted.exit_code)
    result = state.result()
    _summary(result)
    if strict and result.flagged:
        raise typer.Exit(EXIT_FLAGGED)


def deploy(
    manuscript: ManuscriptArg,
    name: Annotated[str, typer.Option(help="Deployment name (narrate-book/NAME).")] = "narrate",
    cron: Annotated[
        str | None, typer.Option(help="Schedule, e.g. '5 0 * * *' (UTC), after the budget resets.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("outputs"),
    engine: EngineOpt = "auto",
    base_url: BaseUrlOpt = REMOTE_DEFAULTS.base_url,
    budget: BudgetOpt = REMOTE_DEFAULTS.budget,
) -> None:
    """Serve the narrate-book flow as a deployment from this process (no work pool needed).

    Runs until Ctrl-C, executing runs triggered from the UI, by the schedule or with
    `prefect deployment run 'narrate-book/NAME'`. One run at a time: a run that starts
    while another is going is cancelled, so overlapping schedules never share a budget.

    Examples:

      narrate deploy inputs/book.md --name nightly --cron '5 0 * * *' --budget pro
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from flows.narrate import narrate_book
    from narrator.parse import parse_book

    params = NarrationParams(
        manuscript=manuscript.resolve(),
        out_dir=out_dir.resolve(),
        engine=engine,  # type: ignore[arg-type]
        remote=remote_settings(base_url, budget),
    )
    parse_book(params)  # a bad manuscript fails now, not at 00:05
    narrate_book.serve(
        name=name,
        cron=cron,
        parameters={"params": params.model_dump(mode="json")},
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
    )
