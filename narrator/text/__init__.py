"""Text: manuscripts to chapters, sentences and chunks."""

from narrator.text.book import load_book
from narrator.text.chunking import pack_chunks
from narrator.text.slug import slugify

__all__ = ["load_book", "pack_chunks", "slugify"]
