"""Commands that narrate: ``run`` a book now, or ``deploy`` it as a Prefect deployment."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from narrator.config import NarrationParams, master_settings
from narrator.errors import BudgetExhausted, NarratorError
from narrator.lock import book_lock
from narrator.models import AWAITING_BUDGET, BookResult
from narrator.store import BookPaths
from narrator_cli.options import (
    REMOTE_DEFAULTS,
    AllowLossOpt,
    AltTextOpt,
    BaseUrlOpt,
    BudgetOpt,
    DialogueVoiceOpt,
    EngineOpt,
    IncludeAllOpt,
    LanguageOpt,
    LexiconOpt,
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

if TYPE_CHECKING:
    from narrator.parse import ParsedBook

EXIT_FLAGGED = 4
"""Exit code of ``run --strict`` when a chunk was kept flagged."""


def _error_names(cls: type[NarratorError] = NarratorError) -> set[str]:
    """The class names of narrator's errors, subclasses included."""
    return {cls.__name__}.union(*(_error_names(sub) for sub in cls.__subclasses__()))


class _ExplainedErrors(logging.Filter):
    """Keeps Prefect's console from repeating a narrator error with a traceback per task,
    subflow and flow: ``main`` prints it once, with its hint. The records still reach
    Prefect's API (its UI shows the tracebacks), and ``-v`` keeps them on the console."""

    def __init__(self) -> None:
        super().__init__()
        self._names = _error_names()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], NarratorError):
            return False
        if record.levelno < logging.ERROR:
            return True
        text = record.getMessage()
        return not any(f"exception {n}" in text or f"{n}(" in text for n in self._names)


_CONSOLE_LEVEL = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"


@contextlib.contextmanager
def _console_at_warning() -> Iterator[None]:
    """Prefect's console handler at WARNING, unless the environment sets its level, while
    the flow runs: chunk progress comes from :class:`ProgressHandler` instead. The
    variable is put back on exit, so a caller in the same process (a notebook, a test
    session) and the processes it starts later keep their own setting."""
    before = os.environ.get(_CONSOLE_LEVEL)
    os.environ.setdefault(_CONSOLE_LEVEL, "WARNING")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(_CONSOLE_LEVEL, None)


def _quiet_explained_errors() -> None:
    """Add :class:`_ExplainedErrors` to the console handlers Prefect configured."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler):
            handler.addFilter(_ExplainedErrors())


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
    out.print(f"review:    {result.out_dir / 'review.html'}")
    if result.flagged:
        out.print(
            f"[yellow]{result.flagged} of {result.chunks} chunks did not pass verification and "
            f"were kept as flagged; see {result.report}[/yellow]"
        )
    else:
        accepted = f" or were accepted ({result.accepted})" if result.accepted else ""
        out.print(
            f"[green]all {result.chunks} chunks passed round-trip verification{accepted}[/green]"
        )


def run(
    ctx: typer.Context,
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
    language: LanguageOpt = None,
    asr_model: Annotated[str, typer.Option(help="Remote transcription model.")] = (
        REMOTE_DEFAULTS.asr_model
    ),
    response_format: Annotated[str, typer.Option(help="Remote audio format.")] = (
        REMOTE_DEFAULTS.response_format
    ),
    pcm_rate: Annotated[
        int, typer.Option(help="Sample rate of pcm responses, Hz (wav is safer).")
    ] = REMOTE_DEFAULTS.pcm_rate,
    timeout: Annotated[
        float, typer.Option(help="Longest wait for one remote request, seconds.")
    ] = REMOTE_DEFAULTS.timeout_s,
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
    lexicon: LexiconOpt = None,
    narrator: Annotated[
        str | None, typer.Option(help="Narrator credit in the tags (default: the voice).")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Exit 4 if any chunk is flagged.")] = False,
    allow_loss: AllowLossOpt = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Narrate a manuscript into chapter MP3s and an M4B, verifying every chunk.

    Runs the narrate-book Prefect flow in this process (a temporary Prefect server
    starts when PREFECT_API_URL is not set). A manuscript whose reader loses words
    (neither narrated nor skipped with a reason) is refused first, exit 2, unless
    --allow-loss.

    Examples:

      narrate run inputs/the-keeper-of-tern-rock.md

      narrate run book.txt --out audiobooks --author "A. Writer" --speed 1.1

      narrate run book.md --voice af_heart --dialogue-voice am_michael

      OXLO_API_KEY=... narrate run book.md --budget pro
    """
    params = reading_params(
        manuscript,
        ctx=ctx,
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
            timeout_s=timeout,
            pcm_rate=pcm_rate,
        ),
        voice=voice,
        dialogue_voice=dialogue_voice,
        language=language,
        master=master_settings(master, target_lufs=target_lufs, ceiling_dbfs=ceiling_dbfs),
        formats=tuple(formats or ()),
        cover=cover,
        year=year,
        genre=genre,
        max_part_minutes=max_part_minutes,
        lexicon=lexicon,
        narrator=narrator,
        allow_loss=allow_loss,
    )
    result = narrate_now(params, verbose=verbose)
    if strict and result.flagged:
        raise typer.Exit(EXIT_FLAGGED)


def narrate_now(params: NarrationParams, *, verbose: bool) -> BookResult:
    """Run the narrate-book flow on ``params`` in this process and print its summary.

    Exits with the budget's code when the request budget stops the run.
    """
    from narrator.parse import in_book_language, parse_book

    # Read the manuscript (every word accounted for), and check that no other run holds
    # the book, before starting Prefect: bad input fails in a second, with nothing
    # written. (The flow takes the book's lock for real; this is only the early, friendly
    # check.) A finished book that this run would not change is reported without
    # starting Prefect at all.
    parsed = parse_book(params)
    params = in_book_language(params, parsed.book)
    paths = BookPaths.for_book(params.out_dir, parsed.book.slug)
    if paths.root.is_dir():
        with book_lock(paths):
            finished = _current(params, parsed)
        if finished is not None:
            out.print("[green]nothing to do: every file of this book is current[/green]")
            _summary(finished)
            return finished
    # Likewise the remote settings (key, server, models, voice), with requests that cost
    # nothing, before any paid one.
    from narrator.preflight import check_remote

    for warning in check_remote(params):
        err.print(f"[yellow]warning: {warning}[/yellow]", highlight=False)
    progress = logging.getLogger("narrator.progress")
    if not any(isinstance(h, ProgressHandler) for h in progress.handlers):
        progress.addHandler(ProgressHandler())
    progress.setLevel(logging.INFO)

    with contextlib.nullcontext() if verbose else _console_at_warning():
        from flows.narrate import narrate_book

        if not verbose:
            _quiet_explained_errors()
        state = narrate_book(params, return_state=True)
    if state.name == AWAITING_BUDGET:
        err.print(f"[yellow]{state.message}[/yellow]", highlight=False)
        raise typer.Exit(BudgetExhausted.exit_code)
    result: BookResult = state.result()
    _summary(result)
    return result


def _current(params: NarrationParams, parsed: ParsedBook) -> BookResult | None:
    """The finished book if running the flow would change nothing (see narrator.current).

    A key kept in a Prefect Secret block is only readable through Prefect: such a run
    always goes through the flow.
    """
    from narrator.current import current_book
    from narrator.engines import engines_for

    if params.remote.api_key_block:
        return None
    return current_book(params, parsed, engines_for(params))


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
    language: LanguageOpt = None,
    allow_loss: AllowLossOpt = False,
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
        language=language,
        allow_loss=allow_loss,
    )
    parse_book(params)  # a bad manuscript, or one whose reader loses words, fails now
    narrate_book.serve(
        name=name,
        cron=cron,
        parameters={"params": params.model_dump(mode="json")},
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
    )
