"""``narrate clean``: delete cached chunk audio that the current book no longer uses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from narrator.config import NarrationParams
from narrator.engines import engines_for
from narrator.errors import ConfigError
from narrator.lock import book_lock
from narrator.models import Frozen
from narrator.parse import in_book_language, parse_book
from narrator.store import BookPaths, chunk_key


class CleanReport(Frozen):
    """What a clean removed (or would remove, in a dry run)."""

    files: int
    bytes: int
    kept: int  # chunk audio files that stay


def orphans(paths: BookPaths, keys: Iterable[str], chapters: int) -> list[Path]:
    """Cached files no current chunk or chapter references.

    A chunk's files (``<key>.flac`` and ``<key>.<verifier>.json``) are orphans when
    ``key`` is not among ``keys``; a chapter's master and record when its number is
    above ``chapters``.
    """
    wanted = set(keys)
    found = [
        path
        for path in paths.chunks_dir.glob("*")
        if path.is_file() and path.name.split(".", 1)[0] not in wanted
    ]
    found += [
        path
        for path in paths.masters_dir.glob("*")
        if path.is_file()
        and not ((n := path.name.split(".", 1)[0]).isdigit() and int(n) <= chapters)
    ]
    return sorted(found)


def clean(paths: BookPaths, keys: Iterable[str], chapters: int, *, dry_run: bool) -> CleanReport:
    """Delete (unless ``dry_run``) the orphans of :func:`orphans` and say what was freed."""
    doomed = orphans(paths, keys, chapters)
    size = sum(path.stat().st_size for path in doomed)
    if not dry_run:
        for path in doomed:
            path.unlink(missing_ok=True)
    audio = set(paths.chunks_dir.glob("*.flac"))
    return CleanReport(files=len(doomed), bytes=size, kept=len(audio - set(doomed)))


def clean_book(params: NarrationParams, *, dry_run: bool) -> CleanReport:
    """Clean the cache of the book ``params`` narrate, keeping what their run would use.

    The book, its folder and its chunks come from :func:`narrator.parse.parse_book`, as
    in the run; audio made with other settings (another speed, say) counts as unused.
    Holds the book's lock while deleting. Raises ConfigError when the book has no folder
    under ``params.out_dir``. Words a reader lost do not stop it: they change no chunk.
    """
    parsed = parse_book(params, refuse_loss=False)
    params = in_book_language(params, parsed.book)  # the voice that spoke it, and its keys
    paths = BookPaths.for_book(params.out_dir, parsed.book.slug)
    if not paths.root.is_dir():
        raise ConfigError(
            f"{paths.root} does not exist: nothing to clean",
            hint="pass the --out folder the book was narrated into, and the same --title",
        )
    engines = engines_for(params)
    keys = [
        chunk_key(c.spoken, engines.speech_for(c).identity)
        for chapter in parsed.chunks
        for c in chapter
    ]
    with book_lock(paths):
        return clean(paths, keys, len(parsed.parts), dry_run=dry_run)
