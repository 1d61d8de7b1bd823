"""Commands that read a manuscript without narrating it: ``split``, ``plan`` and ``clean``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from narrator.plan import make_plan
from narrator.text.account import WordAccount
from narrator.text.language import name as language_name
from narrator_cli.options import (
    AltTextOpt,
    DialogueVoiceOpt,
    EngineOpt,
    IncludeAllOpt,
    JsonOpt,
    LanguageOpt,
    LexiconOpt,
    ManuscriptArg,
    MaxCharsOpt,
    TitleOpt,
    TitlesOpt,
    VerifyOpt,
    VoiceOpt,
    out,
    reading_params,
    settings_in_force,
)


def split(
    ctx: typer.Context,
    manuscript: ManuscriptArg,
    max_input_chars: MaxCharsOpt = None,
    title: TitleOpt = None,
    titles: TitlesOpt = True,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    language: LanguageOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Show the chapters, sentences and chunks a manuscript becomes, and what is not narrated.

    Where a chunk is said differently from how it is written (numbers, abbreviations and
    Roman numerals in words, in the book's language), the words sent to the engine are
    shown under it ("said:"; "spoken" in --json).

    Front and back matter (cover, copyright, contents, notes, a Project Gutenberg
    licence, ...) is listed with the reason it is skipped, and every word of the
    manuscript is accounted for: narrated, skipped by reason, or lost (a reader bug,
    which `narrate run` refuses unless --allow-loss).

    Examples:

      narrate split inputs/the-keeper-of-tern-rock.md

      narrate split book.epub --include-all

      cat notes.txt | narrate split - --json
    """
    from narrator.parse import parse_book

    parsed = parse_book(
        reading_params(
            manuscript,
            ctx=ctx,
            max_input_chars=max_input_chars,
            title=title,
            titles=titles,
            include_all=include_all,
            read_alt_text=read_alt_text,
            language=language,
        ),
        refuse_loss=False,
    )
    book, chunks = parsed.book, parsed.chunks
    data = {
        "title": book.title,
        "author": book.metadata.author,
        "language": book.language,
        "chapters": [
            {
                "title": chapter.title,
                "sentences": [s.text for s in chapter.sentences],
                "chunks": [
                    {"id": c.id, "text": c.text, "spoken": c.spoken} for c in chapter_chunks
                ],
            }
            for chapter, chapter_chunks in zip(book.chapters, chunks, strict=True)
        ],
        "skipped": [part.model_dump() for part in book.skipped],
        "account": parsed.account.model_dump(mode="json"),
    }
    if json_:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    byline = ", ".join(
        f"{label} {value}"
        for label, value in (("by", book.metadata.author), ("language", book.language))
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
            if c["spoken"] != c["text"]:  # what the engine is sent, where it differs
                out.print(f"    [dim]said:[/dim] {c['spoken']}", highlight=False)
    if book.skipped:
        out.print(f"\n[bold]Not narrated[/bold] ({len(book.skipped)}; --include-all keeps them)")
        for part in book.skipped:
            out.print(f"  [dim]{part.name}[/dim]: {part.reason}", highlight=False)
    out.print()
    show_account(parsed.account)


def show_account(account: WordAccount) -> None:
    """Print where the manuscript's words went, and every loss in red with what to do."""
    out.print(f"[bold]Word account[/bold]: {account.summary()}", highlight=False)
    for loss in account.losses:
        out.print(f"[red]LOST: {loss.sentence()}[/red]", highlight=False)
    if account.losses:
        out.print(
            "[red]This looks like a reader bug: `narrate run` refuses this book unless "
            "--allow-loss is given. Please report the file.[/red]",
            highlight=False,
        )


def plan(
    ctx: typer.Context,
    manuscript: ManuscriptArg,
    max_input_chars: MaxCharsOpt = None,
    title: TitleOpt = None,
    titles: TitlesOpt = True,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    engine: EngineOpt = "auto",
    verify: VerifyOpt = "embedded",
    lexicon: LexiconOpt = None,
    voice: VoiceOpt = None,
    dialogue_voice: DialogueVoiceOpt = None,
    language: LanguageOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Estimate the work (chapters, chunks, requests, days of budget) without synthesizing.

    A dialogue voice costs requests: quoted speech and narration go in separate ones.

    Examples:

      narrate plan inputs/the-keeper-of-tern-rock.md

      narrate plan book.txt --engine remote --verify remote --json

      narrate plan book.txt --engine remote --dialogue-voice am_michael
    """
    from narrator.parse import in_book_language, parse_book

    params = reading_params(
        manuscript,
        ctx=ctx,
        max_input_chars=max_input_chars,
        title=title,
        titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        engine=engine,
        verify=verify,
        lexicon=lexicon,
        voice=voice,
        dialogue_voice=dialogue_voice,
        language=language,
    )
    parsed = parse_book(params, refuse_loss=False)
    params = in_book_language(params, parsed.book)
    result = make_plan(parsed.book, parsed.chunks, params)
    settings = settings_in_force(params, ctx, title=title, engine=engine, lexicon=lexicon)
    if json_:
        data = json.loads(result.model_dump_json())
        data["settings"] = {
            key: {"value": None if value is None else str(value), "source": source}
            for key, (value, source) in settings.items()
        }
        data["account"] = parsed.account.model_dump(mode="json")
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    r = result.requests
    out.print(
        f"[bold]{result.title}[/bold] ({language_name(parsed.book.language)}): "
        f"{result.chapters} chapters, "
        f"{result.characters:,} characters, {result.sentences:,} sentences, "
        f"{result.chunks} chunks of at most {result.max_input_chars} characters\n"
        f"{result.engine} engine, {verify} verification\n"
        f"requests: {r.synthesis} synthesis + {r.verification} verification = {r.total} "
        f"(first attempts; one request per sentence would be {result.per_sentence_requests})\n"
        f"paid requests: {result.paid_requests}"
    )
    if dialogue_voice:
        out.print(
            f"dialogue voice {dialogue_voice}: {result.dialogue_chunks} chunks of quoted "
            f"speech, {result.dialogue_extra_paid} more paid requests than one voice"
        )
    if result.days:
        out.print(
            "days on each plan: "
            + ", ".join(f"{name} {days}" for name, days in result.days.items())
        )
    show_account(parsed.account)
    unset = {"narrator": "the voice", "cover": "beside the manuscript, if any", "lexicon": "none"}
    out.print("settings (value, from):")
    for key, (value, source) in settings.items():
        shown = value if value is not None else unset.get(key, "from the manuscript")
        out.print(f"  {key:9s} {shown}  [dim]({source})[/dim]", highlight=False)


def clean(
    ctx: typer.Context,
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
    lexicon: LexiconOpt = None,
    voice: VoiceOpt = None,
    dialogue_voice: DialogueVoiceOpt = None,
    language: LanguageOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would go.")] = False,
) -> None:
    """Delete cached chunk audio that no chunk of the current manuscript uses.

    Give the same settings as the runs whose audio you want to keep: audio made
    at another speed, or in another voice, counts as unused.

    Examples:

      narrate clean inputs/the-keeper-of-tern-rock.md --dry-run

      narrate clean book.txt --out audiobooks --title "The Book"
    """
    from narrator.clean import clean_book

    params = reading_params(
        manuscript,
        ctx=ctx,
        max_input_chars=max_input_chars,
        title=title,
        titles=titles,
        include_all=include_all,
        read_alt_text=read_alt_text,
        out_dir=out_dir,
        speed=speed,
        lexicon=lexicon,
        voice=voice,
        dialogue_voice=dialogue_voice,
        language=language,
    )
    report = clean_book(params, dry_run=dry_run)
    verb = "would free" if dry_run else "freed"
    out.print(
        f"{report.files} unused cached files, {verb} {report.bytes / 1e6:.1f} MB; "
        f"{report.kept} chunk audio files in use kept"
    )
