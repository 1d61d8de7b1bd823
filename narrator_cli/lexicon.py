"""``narrate lexicon suggest``: the words to check before paying for synthesis."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from narrator_cli.options import (
    AltTextOpt,
    IncludeAllOpt,
    JsonOpt,
    LanguageOpt,
    LexiconOpt,
    ManuscriptArg,
    out,
    reading_params,
)

lexicon_app = typer.Typer(
    help='The book\'s pronunciation lexicon (TOML: word = "respelling").',
    no_args_is_help=True,
)


@lexicon_app.command("suggest")
def suggest(
    ctx: typer.Context,
    manuscript: ManuscriptArg,
    top: Annotated[int, typer.Option(min=1, help="How many words to list.")] = 30,
    lexicon: LexiconOpt = None,
    include_all: IncludeAllOpt = False,
    read_alt_text: AltTextOpt = False,
    language: LanguageOpt = None,
    json_: JsonOpt = False,
) -> None:
    """List the words most likely to be mispronounced, most frequent first.

    Suggested: words absent from the CMU Pronouncing Dictionary, names (capitalised in
    mid-sentence, never lower case), unusual spellings and words with digits inside.
    Put the ones the engine gets wrong in the lexicon, each with a respelling.

    Examples:

      narrate lexicon suggest inputs/the-keeper-of-tern-rock.md

      narrate lexicon suggest book.epub --top 50 --json
    """
    from narrator.text import load_book
    from narrator.text.lexicon import load_lexicon
    from narrator.text.suggest import suggest as suggest_words
    from narrator.text.suggest import word_list_note

    params = reading_params(
        manuscript,
        ctx=ctx,
        max_input_chars=None,
        title=None,
        titles=True,
        include_all=include_all,
        read_alt_text=read_alt_text,
        lexicon=lexicon,
        language=language,
    )
    book = load_book(
        params.manuscript,
        announce_titles=params.announce_titles,
        include_all=params.include_all,
        read_alt_text=params.read_alt_text,
        language=params.language,
    )
    known = load_lexicon(params.lexicon) if params.lexicon is not None else None
    words = suggest_words(book, known)[:top]
    note = word_list_note(book.language)
    if note is not None:
        typer.echo(note, err=True)
    if json_:
        print(json.dumps([w.model_dump() for w in words], ensure_ascii=False, indent=2))
        return
    if not words:
        out.print("No word looks likely to be mispronounced.")
        return
    out.print(f"[bold]{book.title}[/bold]: {len(words)} words to check (count, word, why)")
    for w in words:
        out.print(f"  {w.count:5d}  [cyan]{w.word}[/cyan]  {'; '.join(w.reasons)}", highlight=False)
    out.print(
        '\nFix a word with a respelling in the lexicon, e.g. Maren = "MAR-en"',
        highlight=False,
    )
