"""The ``narrate`` command.

Domain errors become clean messages and exit codes here, in one place; no
traceback reaches a user. Exit codes: 0 done, 1 failed, 2 bad input or
settings, 3 request budget exhausted (resume later), 4 finished with flagged
chunks under ``--strict``, 5 another run is narrating the same book.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from narrator.errors import ConfigError, NarratorError
from narrator_cli.fix import accept, redo
from narrator_cli.lexicon import lexicon_app
from narrator_cli.manuscript import clean, plan, split
from narrator_cli.narrate import deploy, run
from narrator_cli.options import err
from narrator_cli.service import budget, check, serve
from narrator_cli.voices import voices

app = typer.Typer(
    name="narrate",
    help="Turn a manuscript into a finished, verified audiobook.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _command in (split, plan, run, redo, accept, clean, check, serve, deploy, budget, voices):
    app.command()(_command)
app.add_typer(lexicon_app, name="lexicon")


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
