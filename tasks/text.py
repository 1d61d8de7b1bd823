"""Tasks that read and split the manuscript."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.config import NarrationParams
from narrator.models import Book
from narrator.parse import parse_book
from narrator.plan import Part
from narrator.text.account import WordAccount


@task(name="parse-manuscript", cache_policy=NO_CACHE)
def parse_manuscript(params: NarrationParams) -> tuple[Book, tuple[Part, ...], WordAccount]:
    """The book, its chapter files and its word account (:func:`narrator.parse.parse_book`,
    which refuses a book whose reader lost words unless ``params.allow_loss``; cheap,
    never cached)."""
    parsed = parse_book(params)
    return parsed.book, parsed.parts, parsed.account
