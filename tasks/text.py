"""Tasks that read and split the manuscript."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.config import NarrationParams
from narrator.engines import packing_for
from narrator.models import Book
from narrator.plan import Part, book_parts, chunk_book
from narrator.text import load_book


@task(name="parse-manuscript", cache_policy=NO_CACHE)
def parse_manuscript(params: NarrationParams) -> tuple[Book, tuple[Part, ...]]:
    """Read the manuscript, pack each chapter into chunks and the chunks into chapter
    files (cheap; never cached)."""
    book = load_book(
        params.manuscript,
        title=params.title,
        announce_titles=params.announce_titles,
        include_all=params.include_all,
    )
    max_chars, by_paragraph = packing_for(params)
    chunks = chunk_book(book, max_chars, by_paragraph=by_paragraph)
    return book, book_parts(
        book, chunks, max_part_minutes=params.max_part_minutes, speed=params.speed
    )
