"""Commands that fix one chunk of a finished book: ``redo`` it, or ``accept`` it as it is.

Each records the decision in the book's ``fixes.json``, then runs the narrate-book flow
with the book's last run's parameters; the content-addressed store re-makes only the
chunk, its chapter and the M4B.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from narrator_cli.narrate import narrate_now
from narrator_cli.options import err

ManuscriptArg = Annotated[Path, typer.Argument(help="The manuscript the book was narrated from.")]
ChunkOpt = Annotated[
    str, typer.Option("--chunk", help="Chunk id, e.g. c01-0003 (see review.html).")
]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder the book was narrated into.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")]


def redo(
    manuscript: ManuscriptArg,
    chunk: ChunkOpt,
    text: Annotated[
        str | None,
        typer.Option(help="Corrected text to say instead; the manuscript is not changed."),
    ] = None,
    voice: Annotated[
        str | None,
        typer.Option(help="Another voice of the book's engine to say it (`narrate voices`)."),
    ] = None,
    out_dir: OutOpt = Path("outputs"),
    verbose: VerboseOpt = False,
) -> None:
    """Synthesize one chunk again, verify it, and rebuild its chapter and the M4B.

    The correction and the voice are remembered in the book's fixes.json, so later runs
    keep them until the manuscript's text of that chunk changes.

    Examples:

      narrate redo inputs/book.md --chunk c02-0007

      narrate redo inputs/book.md --chunk c02-0007 --text "Mister Hollis rowed home."

      narrate redo inputs/book.md --chunk c02-0007 --voice am_michael
    """
    from narrator.lock import book_lock
    from narrator.review.book import find_book
    from narrator.review.decide import record_redo

    book = find_book(manuscript, out_dir)
    with book_lock(book.paths):  # never change the fixes under a running narration
        record_redo(book, chunk, text, voice)
    _report(narrate_now(book.params, verbose=verbose).manifest, chunk)


def accept(
    manuscript: ManuscriptArg,
    chunk: ChunkOpt,
    out_dir: OutOpt = Path("outputs"),
    verbose: VerboseOpt = False,
) -> None:
    """Mark a flagged chunk as listened to and good.

    It stays accepted until its text or voice changes, and no longer counts as flagged
    (nor for `narrate run --strict`).

    Example:

      narrate accept inputs/book.md --chunk c02-0007
    """
    from narrator.lock import book_lock
    from narrator.review.book import find_book
    from narrator.review.decide import record_accept

    book = find_book(manuscript, out_dir)
    with book_lock(book.paths):
        record_accept(book, chunk)
    _report(narrate_now(book.params, verbose=verbose).manifest, chunk)


def _report(manifest: Path, chunk_id: str) -> None:
    """Say what became of the chunk."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    (c,) = (c for ch in data["chapters"] for c in ch["chunks"] if c["id"] == chunk_id)
    if c["accepted"]:
        state = "[green]accepted[/green]"
    elif c["passed"]:
        state = "[green]passed verification[/green]"
    else:
        state = f"[yellow]still flagged: {c['reason']}[/yellow]"
    err.print(f"{chunk_id}: {state}", highlight=False)
