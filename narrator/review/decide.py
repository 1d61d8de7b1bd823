"""Record a person's decision about one chunk of a finished book, before the run that
applies it: ``narrate redo`` (again, optionally from corrected text) and ``narrate accept``.

Each checks everything first and raises ConfigError naming the book and the chunk
when the decision cannot apply; then nothing has been written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrator.engines import check_voice
from narrator.errors import ConfigError
from narrator.models import Chunk
from narrator.parse import parse_book
from narrator.review.book import FinishedBook
from narrator.review.fixes import load_fixes, save_fixes


def _current(book: FinishedBook, chunk_id: str) -> tuple[dict[str, Any], Chunk]:
    """The manifest's record of ``chunk_id`` and the chunk as the manuscript has it now."""
    record = book.chunk(chunk_id)
    chunks = parse_book(book.params).chunks
    for chunk in (c for chapter in chunks for c in chapter):
        if chunk.id == chunk_id:
            return record, chunk
    raise ConfigError(
        f"{book.params.manuscript} has no chunk {chunk_id!r} any more: it changed since "
        f"the book in {book.paths.root} was narrated",
        hint=f"narrate it again first (narrate run {book.params.manuscript}), then review it",
    )


def _unchanged(record: dict[str, Any], chunk: Chunk) -> bool:
    """True when the manifest's chunk is ``chunk``: same text, same correction."""
    return record["text"] == chunk.text and record.get("corrected_text") == chunk.corrected_text


def record_redo(
    book: FinishedBook, chunk_id: str, text: str | None, voice: str | None = None
) -> None:
    """Have the next run synthesize ``chunk_id`` again, saying ``text`` instead of the
    manuscript's words and in ``voice``, each when given (an earlier correction or voice
    stays otherwise).

    Any acceptance of the chunk is dropped: new audio must be listened to again.
    """
    if text is not None and not text.split():
        raise ConfigError(
            f"chunk {chunk_id}: --text is empty", hint="give the words the chunk should say"
        )
    if voice is not None:
        check_voice(book.params, voice)
    record, chunk = _current(book, chunk_id)
    fixes = load_fixes(book.paths)
    said = " ".join(text.split()) if text is not None else chunk.corrected_text
    correction = None if said == chunk.text else said
    earlier = fixes.for_chunk(chunk)
    chosen = voice if voice is not None else earlier.voice if earlier else None
    same_voice = voice is None or voice == (record.get("voice") or chunk.voice)
    if correction == chunk.corrected_text and same_voice and _unchanged(record, chunk):
        # The same words in the same voice again: forget the verdict of the audio the
        # book has, so the run synthesizes it anew instead of finding it in the store.
        key = Path(record["audio"]).stem
        book.paths.chunk_record(key, book.manifest["verifier"]).unlink(missing_ok=True)
    save_fixes(book.paths, fixes.with_fix(chunk, corrected_text=correction, voice=chosen))


def record_accept(book: FinishedBook, chunk_id: str) -> None:
    """Mark the flagged chunk ``chunk_id`` as listened to and good, as its audio is now."""
    record, chunk = _current(book, chunk_id)
    if not record["flagged"]:
        state = "already accepted" if record.get("accepted") else "not flagged: it passed"
        raise ConfigError(
            f"{book.paths.manifest}: chunk {chunk_id} is {state}",
            hint=f"only flagged chunks can be accepted; {book.paths.review} lists them",
        )
    if not _unchanged(record, chunk):
        raise ConfigError(
            f"chunk {chunk_id} of {book.params.manuscript} changed since the book in "
            f"{book.paths.root} was narrated, so its audio is not what you heard",
            hint=f"narrate it again first (narrate run {book.params.manuscript}), listen, "
            "then accept it",
        )
    fixes = load_fixes(book.paths)
    earlier = fixes.for_chunk(chunk)
    fix = fixes.with_fix(
        chunk,
        corrected_text=chunk.corrected_text,
        voice=earlier.voice if earlier else None,
        accepted_audio=Path(record["audio"]).name,
    )
    save_fixes(book.paths, fix)
