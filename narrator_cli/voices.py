"""The ``voices`` command: every voice narrator can speak with, and samples of them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from narrator_cli.options import err, out

PREVIEW_TEXT = (
    "This is {name}. The keeper climbed the lighthouse stairs at dusk, "
    "and the storm came in from the sea."
)
"""What each preview says: about 6 s of speech."""

_REMOTE = {"kokoro": "kokoro-82m"}
"""The remote models that take an engine's voice names (Oxlo's Kokoro-82M)."""


def voices(
    preview: Annotated[
        Path | None,
        typer.Option(help="Write one short sample per voice into this folder (<voice>.flac)."),
    ] = None,
) -> None:
    """List every voice with its engine, language, gender and licence.

    `--voice NAME` picks the engine offline; the Kokoro names work remotely too
    (Oxlo's kokoro-82m), so a book previewed offline sounds as it will when produced.

    Examples:

      narrate voices

      narrate voices --preview previews/
    """
    from narrator.engines import embedded_voices

    table = Table(title="voices")
    for column in ("voice", "engine", "language", "gender", "licence", "remote model"):
        table.add_column(column)
    every = embedded_voices()
    for v in every:
        engine = "piper" if v.engine == "embedded" else v.engine
        table.add_row(v.name, engine, v.language, v.gender, v.licence, _REMOTE.get(v.engine, ""))
    out.print(table)
    if preview is None:
        return
    from narrator.audio.io import write_flac
    from narrator.engines import voice_engine

    for v in every:
        speech = voice_engine(v).synthesize(PREVIEW_TEXT.format(name=v.name), label=v.name)
        path = preview / f"{v.name}.flac"
        write_flac(path, speech.samples, speech.sample_rate)
        err.print(f"[dim]{path} ({speech.duration_s:.1f} s)[/dim]", highlight=False)
