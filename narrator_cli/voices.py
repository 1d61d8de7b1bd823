"""The ``voices`` command: every voice narrator can speak with, and samples of them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from narrator_cli.options import err, out

PREVIEW_TEXTS = {
    "en": "This is {name}. The keeper climbed the lighthouse stairs at dusk, "
    "and the storm came in from the sea.",
    "es": "Soy {name}. El farero subió las escaleras al anochecer, "
    "y la tormenta llegó desde el mar.",
    "fr": "Je suis {name}. Le gardien monta l'escalier du phare à la tombée de la nuit, "
    "et la tempête arriva de la mer.",
    "it": "Sono {name}. Il guardiano salì le scale del faro al tramonto, "
    "e la tempesta arrivò dal mare.",
    "pt": "Eu sou {name}. O faroleiro subiu as escadas ao anoitecer, e a tempestade chegou do mar.",
    "hi": "मैं {name} हूँ। शाम ढलते ही रखवाला प्रकाशस्तंभ की सीढ़ियाँ चढ़ गया, और समुद्र से तूफ़ान आ पहुँचा।",
    "zh": "灯塔看守人在黄昏时爬上了楼梯，风暴从海上袭来。他点亮了灯。",
    "ja": "灯台守は夕暮れに階段を上り、嵐が海からやって来た。彼は灯をともした。",
}
"""What each preview says, in the voice's language: about 6 s of speech. The Mandarin and
Japanese G2Ps would spell a Latin voice name out letter by letter, so those omit it."""

_REMOTE = {"kokoro": "kokoro-82m"}
"""The remote models that take an engine's voice names (Oxlo's Kokoro-82M)."""


def voices(
    language: Annotated[
        str | None,
        typer.Option(help="List only the voices that speak this language (BCP 47: fr, pt-BR)."),
    ] = None,
    preview: Annotated[
        Path | None,
        typer.Option(help="Write one short sample per voice into this folder (<voice>.flac)."),
    ] = None,
) -> None:
    """List every voice with its engine, language, gender and licence.

    `--voice NAME` picks the engine offline; the Kokoro names work remotely too
    (Oxlo's kokoro-82m), so a book previewed offline sounds as it will when produced.
    A language no voice here speaks (German, for one) is narrated with `--engine remote`.

    Examples:

      narrate voices

      narrate voices --language fr

      narrate voices --language ja --preview previews/
    """
    from narrator.engines import embedded_voices
    from narrator.errors import ConfigError
    from narrator.speech.voices import voices_for
    from narrator.text.language import normalize_tag, primary

    every = embedded_voices()
    if language is not None:
        try:
            tag = normalize_tag(language)
        except ValueError as exc:
            raise ConfigError(str(exc), hint="for example: --language fr") from None
        every = voices_for(tag, every)
    table = Table(title="voices")
    for column in ("voice", "engine", "language", "gender", "licence", "remote model"):
        table.add_column(column)
    for v in every:
        engine = "piper" if v.engine == "embedded" else v.engine
        table.add_row(v.name, engine, v.language, v.gender, v.licence, _REMOTE.get(v.engine, ""))
    out.print(table)
    if preview is None:
        return
    from narrator.audio.io import write_flac
    from narrator.engines import voice_engine

    for v in every:
        text = PREVIEW_TEXTS[primary(v.language)].format(name=v.name)
        speech = voice_engine(v).synthesize(text, label=v.name)
        path = preview / f"{v.name}.flac"
        write_flac(path, speech.samples, speech.sample_rate)
        err.print(f"[dim]{path} ({speech.duration_s:.1f} s)[/dim]", highlight=False)
