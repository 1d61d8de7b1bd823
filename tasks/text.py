"""Tasks that read and split the manuscript."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.config import NarrationParams
from narrator.engines import packing_for
from narrator.models import Book, Chunk
from narrator.plan import chunk_book
from narrator.text import load_book


@task(name="parse-manuscript", cache_policy=NO_CACHE)
def parse_manuscript(params: NarrationParams) -> tuple[Book, tuple[tuple[Chunk, ...], ...]]:
    """Read the manuscript and pack each chapter into chunks (cheap; never cached)."""
    book = load_book(params.manuscript, title=params.title, announce_titles=params.announce_titles)
    max_chars, by_paragraph = packing_for(params)
    return book, chunk_book(book, max_chars, by_paragraph=by_paragraph)
