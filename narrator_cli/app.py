"""The ``narrate`` command.

Domain errors become clean messages and exit codes here, in one place; no
traceback reaches a user. Exit codes: 0 done, 1 failed, 2 bad input or
settings, 3 request budget exhausted (resume later), 4 finished with flagged
chunks under ``--strict``, 5 another run is narrating the same book.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from narrator.config import NarrationParams, RemoteSettings, master_settings
from narrator.errors import BudgetExhausted, ConfigError, NarratorError
from narrator.models import AWAITING_BUDGET, BookResult
from narrator.plan import make_plan
from narrator.text.formats import readable_formats

app = typer.Typer(
    name="narrate",
    help="Turn a manuscript into a finished, verified audiobook.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
BudgetOpt = Annotated[
    str, typer.Option(help="Requests allowed: free, pro, premium, unlimited, or '800/day,30/min'.")
]
EXIT_FLAGGED = 4
_REMOTE_DEFAULTS = RemoteSettings()


def _remote(
    base_url: str,
    budget: str,
    tts_model: str = _REMOTE_DEFAULTS.tts_model,
    voice: str = _REMOTE_DEFAULTS.voice,
    asr_model: str = _REMOTE_DEFAULTS.asr_model,
    response_format: str = _REMOTE_DEFAULTS.response_format,
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


@app.command()
def split(
    manuscript: ManuscriptArg,
    max_input_chars: MaxCharsOpt = None,
    title: TitleOpt = None,
    titles: TitlesOpt = True,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Show the chapters, sentences and chunks a manuscript becomes, and what is not narrated.

    Front and back matter (cover, copyright, contents, notes, a Project Gutenberg
    licence, ...) is listed with the reason it is skipped.

    Examples:

      narrate split inputs/the-keeper-of-tern-rock.md

      narrate split book.epub --include-all

      cat notes.txt | narrate split - --json
    """
    from narrator.parse import parse_book

    parsed = parse_book(
        NarrationParams(
            manuscript=manuscript,
            max_input_chars=max_input_chars,
            title=title,
            announce_titles=titles,
            include_all=include_all,
            read_alt_text=read_alt_text,
        )
    )
    book, chunks = parsed.book, parsed.chunks
    data = {
        "title": book.title,
        "author": book.metadata.author,
        "language": book.metadata.language,
        "chapters": [
            {
                "title": chapter.title,
                "sentences": [s.text for s in chapter.sentences],
                "chunks": [{"id": c.id, "text": c.text} for c in chapter_chunks],
            }
            for chapter, chapter_chunks in zip(book.chapters, chunks, strict=True)
        ],
        "skipped": [part.model_dump() for part in book.skipped],
    }
    if json_:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    byline = ", ".join(
        f"{label} {value}"
        for label, value in (("by", book.metadata.author), ("language", book.metadata.language))
        if value
    )
    out.print(
        f"[bold]{book.title}[/bold]{f' ({byline})' if byline else ''}: "
        f"{len(book.chapters)} chapters",
        highlight=False,
    )
    for chapter in data["chapters"]:
        out.print(f"\n[bold]{chapter['title'] or '(untitled)'}[/bold]", highlight=False)
        for c in chapter["chunks"]:
            out.print(
                f"  [cyan]{c['id']}[/cyan] ({len(c['text'])} chars) {c['text']}", highlight=False
            )
    if book.skipped:
        out.print(f"\n[bold]Not narrated[/bold] ({len(book.skipped)}; --include-all keeps them)")
        for part in book.skipped:
            out.print(f"  [dim]{part.name}[/dim]: {part.reason}", highlight=False)


@app.command()
def plan(
    manuscript: ManuscriptArg,
    max_input_chars: MaxCharsOpt = None,
    title: TitleOpt = None,
    titles: TitlesOpt = True,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    engine: EngineOpt = "auto",
    verify: VerifyOpt = "embedded",
    json_: JsonOpt = False,
) -> None:
    """Estimate the work (chapters, chunks, requests, days of budget) without synthesizing.

    Examples:

      narrate plan inputs/the-keeper-of-tern-rock.md

      narrate plan book.txt --engine remote --verify remote --json
    """
    from narrator.parse import parse_book

    params = NarrationParams(
        manuscript=manuscript,
        max_input_chars=max_input_chars,
        title=title,
        announce_titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        engine=engine,  # type: ignore[arg-type]
        verify=verify,  # type: ignore[arg-type]
    )
    parsed = parse_book(params)
    result = make_plan(parsed.book, parsed.chunks, params)
    if json_:
        print(result.model_dump_json(indent=2))
        return
    r = result.requests
    out.print(
        f"[bold]{result.title}[/bold]: {result.chapters} chapters, "
        f"{result.characters:,} characters, {result.sentences:,} sentences, "
        f"{result.chunks} chunks of at most {result.max_input_chars} characters\n"
        f"{result.engine} engine, {verify} verification\n"
        f"requests: {r.synthesis} synthesis + {r.verification} verification = {r.total} "
        f"(first attempts; one request per sentence would be {result.per_sentence_requests})\n"
        f"paid requests: {result.paid_requests}"
    )
    if result.days:
        out.print(
            "days on each plan: "
            + ", ".join(f"{name} {days}" for name, days in result.days.items())
        )


class _ProgressHandler(logging.Handler):
    """Prints narrator's progress log lines (chapter and chunk) on the terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        style = "yellow" if record.levelno >= logging.WARNING else "dim"
        err.print(f"[{style}]{record.getMessage()}[/{style}]", highlight=False)


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


@app.command()
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
    base_url: BaseUrlOpt = _REMOTE_DEFAULTS.base_url,
    tts_model: Annotated[str, typer.Option(help="Remote speech model.")] = (
        _REMOTE_DEFAULTS.tts_model
    ),
    voice: Annotated[str, typer.Option(help="Remote voice.")] = _REMOTE_DEFAULTS.voice,
    asr_model: Annotated[str, typer.Option(help="Remote transcription model.")] = (
        _REMOTE_DEFAULTS.asr_model
    ),
    response_format: Annotated[str, typer.Option(help="Remote audio format.")] = (
        _REMOTE_DEFAULTS.response_format
    ),
    budget: BudgetOpt = _REMOTE_DEFAULTS.budget,
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

      OXLO_API_KEY=... narrate run book.md --budget pro
    """
    from narrator.parse import parse_book

    params = NarrationParams(
        manuscript=manuscript,
        out_dir=out_dir,
        title=title,
        author=author,
        speed=speed,
        max_input_chars=max_input_chars,
        max_attempts=max_attempts,
        announce_titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        engine=engine,  # type: ignore[arg-type]
        verify=verify,  # type: ignore[arg-type]
        remote=_remote(
            base_url, budget, tts_model, voice, asr_model, response_format, api_key_block
        ),
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
    progress.addHandler(_ProgressHandler())
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


@app.command()
def clean(
    manuscript: ManuscriptArg,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder of the run.")] = Path(
        "outputs"
    ),
    title: TitleOpt = None,
    titles: TitlesOpt = True,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    speed: Annotated[float, typer.Option(help="Speed the book is narrated at.")] = 1.0,
    max_input_chars: MaxCharsOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would go.")] = False,
) -> None:
    """Delete cached chunk audio that no chunk of the current manuscript uses.

    Give the same settings as the runs whose audio you want to keep: audio made
    at another speed counts as unused.

    Examples:

      narrate clean inputs/the-keeper-of-tern-rock.md --dry-run

      narrate clean book.txt --out audiobooks --title "The Book"
    """
    from narrator.clean import clean_book

    params = NarrationParams(
        manuscript=manuscript,
        out_dir=out_dir,
        title=title,
        announce_titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        speed=speed,
        max_input_chars=max_input_chars,
    )
    report = clean_book(params, dry_run=dry_run)
    verb = "would free" if dry_run else "freed"
    out.print(
        f"{report.files} unused cached files, {verb} {report.bytes / 1e6:.1f} MB; "
        f"{report.kept} chunk audio files in use kept"
    )


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Audio files or folders of them.")],
    preset: Annotated[str, typer.Option(help="acx, ebu-r128 or podcast.")] = "acx",
    json_: JsonOpt = False,
) -> None:
    """Check audio files against a delivery standard; exit 1 if any rule fails.

    Measures RMS, peak, true peak, integrated loudness (ITU-R BS.1770), noise floor,
    head and tail room tone, sample rate, bitrate and channels.

    Examples:

      narrate check outputs/the-keeper-of-tern-rock/chapters --preset acx

      narrate check book.m4b --preset ebu-r128 --json
    """
    from narrator.audio.check import check_paths

    results = check_paths(files, preset)
    failed = sum(1 for _, _, rules in results if not all(r.passed for r in rules))
    if json_:
        print(json.dumps(
            [{"file": str(path), "passed": all(r.passed for r in rules),
              "measurement": measurement.model_dump(),
              "rules": [r.model_dump() for r in rules]}
             for path, measurement, rules in results],
            indent=2,
        ))  # fmt: skip
    else:
        for path, _, rules in results:
            table = Table(title=f"{path} ({preset})", title_justify="left")
            for column in ("rule", "measured", "limit", "result"):
                table.add_column(column)
            for r in rules:
                verdict = "[green]pass[/green]" if r.passed else "[red]FAIL[/red]"
                table.add_row(r.rule, r.measured, r.limit, verdict)
            out.print(table)
        out.print(f"{len(results) - failed} of {len(results)} files pass {preset}")
    if failed:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; keep 127.0.0.1 unless shared.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port (0 picks a free one).")] = 8000,
    max_request_mb: Annotated[float, typer.Option(help="Largest request body, MB.")] = 25.0,
    fault_rate: Annotated[
        float, typer.Option(help="Fail this fraction of requests on purpose (testing).")
    ] = 0.0,
    fault_seed: Annotated[int, typer.Option(help="Seed of the injected faults.")] = 0,
) -> None:
    """Serve the embedded engine as an OpenAI-compatible speech API.

    POST /v1/audio/speech, POST /v1/audio/transcriptions and GET /v1/models. Set
    NARRATOR_SERVE_TOKEN to require "Authorization: Bearer <token>".

    Examples:

      narrate serve --port 8000

      narrate run book.md --engine remote --base-url http://127.0.0.1:8000/v1 \\
        --tts-model piper-en_US-joe-medium --voice joe --budget unlimited
    """
    from narrator.server import FaultConfig, ServeConfig, SpeechServer

    token = os.environ.get("NARRATOR_SERVE_TOKEN") or None
    config = ServeConfig(
        host=host,
        port=port,
        token=token,
        max_request_bytes=int(max_request_mb * 1024 * 1024),
    )
    faults = FaultConfig(rate=fault_rate, seed=fault_seed) if fault_rate > 0 else None
    server = SpeechServer(config, faults=faults)
    logging.getLogger("narrator.server").addHandler(_ProgressHandler())
    logging.getLogger("narrator.server").setLevel(logging.INFO)
    server.serve_forever()  # logs the URL it listens on (the real port when --port 0)


@app.command()
def deploy(
    manuscript: ManuscriptArg,
    name: Annotated[str, typer.Option(help="Deployment name (narrate-book/NAME).")] = "narrate",
    cron: Annotated[
        str | None, typer.Option(help="Schedule, e.g. '5 0 * * *' (UTC), after the budget resets.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("outputs"),
    engine: EngineOpt = "auto",
    base_url: BaseUrlOpt = _REMOTE_DEFAULTS.base_url,
    budget: BudgetOpt = _REMOTE_DEFAULTS.budget,
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
        remote=_remote(base_url, budget),
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


@app.command()
def budget(
    base_url: BaseUrlOpt = _REMOTE_DEFAULTS.base_url,
    budget: BudgetOpt = _REMOTE_DEFAULTS.budget,
    json_: JsonOpt = False,
) -> None:
    """Show today's request use for an endpoint, what remains and when it resets.

    Examples:

      narrate budget --budget pro

      narrate budget --base-url http://127.0.0.1:8000/v1 --json
    """
    from narrator.engines import ledger_for

    ledger = ledger_for(_remote(base_url, budget))
    usage = ledger.usage()
    if json_:
        print(usage.model_dump_json(indent=2))
        return
    limit = "unlimited" if usage.limit is None else str(usage.limit)
    remaining = "unlimited" if usage.remaining is None else str(usage.remaining)
    out.print(
        f"{usage.account}: {usage.used} requests used today of {limit}; {remaining} remain; "
        f"resets at {usage.resets_at:%Y-%m-%d %H:%M} UTC"
    )
    for day, count in ledger.history():
        out.print(f"  {day}: {count} requests")


def main() -> None:
    """Console-script entry point: run the CLI, turning narrator's errors into exit codes."""
    try:
        app()
    except NarratorError as exc:
        err.print(f"[red]error:[/red] {exc.message}", highlight=False)
        if exc.hint:
            err.print(f"  [bold]how to fix:[/bold] {exc.hint}", highlight=False)
        sys.exit(exc.exit_code)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        err.print(f"[red]error:[/red] invalid setting: {problems}", highlight=False)
        sys.exit(ConfigError.exit_code)
