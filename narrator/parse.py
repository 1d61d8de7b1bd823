"""The one path from a run's parameters to its parsed book.

The flow's parse task, ``narrate split``, ``plan``, ``clean``, ``deploy`` and the early
lock check of ``narrate run`` all call :func:`parse_book`, so each of them sees the
same title (and so the same book folder), chapters, chunks and word account as the run
itself.
"""

from __future__ import annotations

from pydantic import Field

from narrator.config import NarrationParams
from narrator.engines import packing_for
from narrator.errors import WordsLost
from narrator.models import Book, Chunk, Frozen
from narrator.plan import Part, book_parts, chunk_book
from narrator.review.fixes import corrected, load_fixes
from narrator.store import BookPaths
from narrator.text.account import WordAccount, account_words
from narrator.text.book import read_book
from narrator.text.lexicon import load_lexicon, respell_chunks


class ParsedBook(Frozen):
    """A manuscript read, packed into chunks and cut into chapter files."""

    book: Book
    chunks: tuple[tuple[Chunk, ...], ...] = Field(description="each chapter's chunks, in order")
    parts: tuple[Part, ...] = Field(description="the chapter files the chunks are stitched into")
    max_chars: int = Field(ge=1, description="most characters one chunk (one request) carries")
    account: WordAccount = Field(description="where every word of the manuscript went")


def in_book_language(params: NarrationParams, book: Book) -> NarrationParams:
    """``params`` in the language ``book`` was found to be in (stated or detected), which
    every later step reads: the voice, the hearing, the packing of requests."""
    if params.language == book.language:
        return params
    return params.model_copy(update={"language": book.language})


def parse_book(params: NarrationParams, *, refuse_loss: bool = True) -> ParsedBook:
    """Read ``params.manuscript`` with the run's title, title announcements and front/back
    matter choice, pack each chapter into chunks for the run's engine, and cut the chunks
    into chapter files of at most ``params.max_part_minutes`` minutes. Chunks corrected
    in the book's ``fixes.json`` say their corrected text, and the lexicon,
    when there is one, respells what the engine is sent.

    Every word of the manuscript is accounted for (:mod:`narrator.text.account`). Raises
    WordsLost when words are neither narrated nor skipped with a reason, unless
    ``params.allow_loss`` or not ``refuse_loss`` (``narrate split`` and ``plan`` show the
    account instead).

    Cheap (no model loads). Raises ManuscriptError when the manuscript cannot be read
    or has nothing to narrate.
    """
    book, document = read_book(
        params.manuscript,
        title=params.title,
        announce_titles=params.announce_titles,
        include_all=params.include_all,
        read_alt_text=params.read_alt_text,
        language=params.language,
    )
    max_chars, by_paragraph = packing_for(in_book_language(params, book))
    chunks = chunk_book(
        book, max_chars, by_paragraph=by_paragraph, dialogue_voice=params.dialogue_voice
    )
    # Counted on the manuscript's own text: corrections and respellings change what is
    # said, not what the manuscript holds.
    account = account_words(document, book.chapters, chunks, announced=params.announce_titles)
    if account.losses and refuse_loss and not params.allow_loss:
        raise WordsLost(params.manuscript, account.losses)
    # Chunks corrected with `narrate redo --text/--voice` say their corrected text in
    # their chosen voice.
    fixes = load_fixes(BookPaths.for_book(params.out_dir, book.slug))
    chunks = corrected(chunks, fixes, language=book.language)
    if params.lexicon is not None:
        lexicon = load_lexicon(params.lexicon)
        chunks = tuple(respell_chunks(chapter, lexicon) for chapter in chunks)
    parts = book_parts(book, chunks, max_part_minutes=params.max_part_minutes, speed=params.speed)
    return ParsedBook(book=book, chunks=chunks, parts=parts, max_chars=max_chars, account=account)
