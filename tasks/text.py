"""Tasks that read and split the manuscript."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.config import NarrationParams
from narrator.models import Book
from narrator.parse import parse_book
from narrator.plan import Part


@task(name="parse-manuscript", cache_policy=NO_CACHE)
def parse_manuscript(params: NarrationParams) -> tuple[Book, tuple[Part, ...]]:
    """The book and its chapter files (:func:`narrator.parse.parse_book`; cheap, never
    cached)."""
    parsed = parse_book(params)
    return parsed.book, parsed.parts
