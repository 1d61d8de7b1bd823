"""Commands around the books: ``check`` audio files, ``serve`` the speech API, show the
``budget``."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from narrator_cli.options import (
    REMOTE_DEFAULTS,
    BaseUrlOpt,
    BudgetOpt,
    JsonOpt,
    ProgressHandler,
    out,
    remote_settings,
)


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
    transcription_detail: Annotated[
        str,
        typer.Option(help="verbose_json timings: words (as asked), segments only, or text only."),
    ] = "words",
    error_style: Annotated[
        str, typer.Option(help="Error bodies as openai, fastapi, text or html (testing).")
    ] = "openai",
    pcm_rate: Annotated[int, typer.Option(help="Sample rate of pcm speech, Hz.")] = 24_000,
) -> None:
    """Serve the embedded engines as an OpenAI-compatible speech API.

    POST /v1/audio/speech, POST /v1/audio/transcriptions, GET /v1/models and
    GET /v1/audio/voices. Set NARRATOR_SERVE_TOKEN to require "Authorization: Bearer <token>".
    --transcription-detail, --error-style and --pcm-rate imitate other servers, to test
    clients against them.

    Speech models: piper-en_US-joe-medium speaks the voice joe; kokoro-82m,
    the default remote model, speaks Kokoro's 28 English voices (af_heart,
    bm_george ...; `narrate voices` lists them), loaded by its first request.
    Transcription model: faster-whisper-tiny.en.

    Examples:

      narrate serve --port 8000

      narrate run book.md --engine remote --base-url http://127.0.0.1:8000/v1 \\
        --tts-model piper-en_US-joe-medium --voice joe --budget unlimited

      narrate run book.md --engine remote --base-url http://127.0.0.1:8000/v1 \\
        --tts-model kokoro-82m --voice af_heart --budget unlimited
    """
    from narrator.server import FaultConfig, ServeConfig, SpeechServer

    token = os.environ.get("NARRATOR_SERVE_TOKEN") or None
    config = ServeConfig(
        host=host,
        port=port,
        token=token,
        max_request_bytes=int(max_request_mb * 1024 * 1024),
        transcription_detail=transcription_detail,  # type: ignore[arg-type]
        error_style=error_style,  # type: ignore[arg-type]
        pcm_rate=pcm_rate,
    )
    faults = FaultConfig(rate=fault_rate, seed=fault_seed) if fault_rate > 0 else None
    server = SpeechServer(config, faults=faults)
    logging.getLogger("narrator.server").addHandler(ProgressHandler())
    logging.getLogger("narrator.server").setLevel(logging.INFO)
    server.serve_forever()  # logs the URL it listens on (the real port when --port 0)


def budget(
    base_url: BaseUrlOpt = REMOTE_DEFAULTS.base_url,
    budget: BudgetOpt = REMOTE_DEFAULTS.budget,
    json_: JsonOpt = False,
) -> None:
    """Show today's request use for an endpoint, what remains and when it resets.

    Examples:

      narrate budget --budget pro

      narrate budget --base-url http://127.0.0.1:8000/v1 --json
    """
    from narrator.engines import ledger_for

    ledger = ledger_for(remote_settings(base_url, budget))
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
