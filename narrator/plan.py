"""From a parsed book to its speech requests, and what a run would cost."""

from __future__ import annotations

from pydantic import Field

from narrator.models import Book, Chapter, Chunk, Frozen
from narrator.text.chunking import pack_chunks


class Requests(Frozen):
    """Engine calls a run makes when every chunk passes on its first attempt."""

    synthesis: int = Field(ge=0)
    verification: int = Field(ge=0)
    total: int = Field(ge=0)


class Plan(Frozen):
    """What ``narrate plan`` reports (its JSON keys are a public contract, issue #2)."""

    title: str
    chapters: int = Field(ge=0)
    characters: int = Field(ge=0, description="characters sent to the engine")
    chunks: int = Field(ge=0)
    requests: Requests
    max_input_chars: int = Field(ge=1)


def chunk_book(book: Book, max_chars: int, *, by_paragraph: bool) -> tuple[tuple[Chunk, ...], ...]:
    """Pack every chapter's sentences into chunks of at most ``max_chars`` characters."""
    return tuple(
        pack_chunks(ch, max_chars, by_paragraph=by_paragraph, source=book.source)
        for ch in book.chapters
    )


def chapter_title(book: Book, chapter: Chapter) -> str:
    """The title shown for a chapter: its heading, else the book title or 'Chapter N'."""
    if chapter.title:
        return chapter.title
    return book.title if len(book.chapters) == 1 else f"Chapter {chapter.index}"


def make_plan(book: Book, chunks: tuple[tuple[Chunk, ...], ...], max_chars: int) -> Plan:
    """Count chapters, characters, chunks and engine requests of a chunked book."""
    flat = [c for chapter in chunks for c in chapter]
    # One synthesis and one transcription per chunk (issue #2: for the embedded engine,
    # requests are the engine calls the run would make).
    n = len(flat)
    return Plan(
        title=book.title,
        chapters=len(book.chapters),
        characters=sum(len(c.spoken) for c in flat),
        chunks=n,
        requests=Requests(synthesis=n, verification=n, total=2 * n),
        max_input_chars=max_chars,
    )
