"""What a person decided about single chunks, kept in the book's ``fixes.json``.

Three decisions exist: a corrected text (``narrate redo --text``), said instead of the
manuscript's text while the manuscript itself stays as it is; another voice for the
chunk (``narrate redo --voice``); and an acceptance (``narrate accept``): a flagged
chunk listened to and judged good.

A decision is keyed by the chunk's id and the SHA-256 of the chunk's text as the
manuscript has it, so an edit that changes or moves the chunk never applies a stale
decision to other words. An acceptance also names the audio file that was listened
to; that name is the content key of the spoken text and the voice
(:func:`narrator.store.chunk_key`), so the acceptance lapses when either changes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from pydantic import Field, ValidationError

from narrator.atomic import write_text_atomic
from narrator.errors import ConfigError
from narrator.models import Chunk, ChunkResult, Frozen
from narrator.store import BookPaths
from narrator.text.language import ENGLISH
from narrator.text.spoken import to_spoken

log = logging.getLogger(__name__)


class ChunkFix(Frozen):
    """The decisions about one chunk."""

    source_sha256: str = Field(description="SHA-256 of the chunk's text in the manuscript")
    corrected_text: str | None = Field(default=None, description="said instead of the text")
    voice: str | None = Field(default=None, description="the voice that says it instead")
    accepted_audio: str | None = Field(
        default=None, description="name of the chunk audio file a person accepted by ear"
    )


class Fixes(Frozen):
    """Every chunk's decisions, by chunk id."""

    chunks: dict[str, ChunkFix] = {}

    def for_chunk(self, chunk: Chunk) -> ChunkFix | None:
        """The decisions about ``chunk``, unless they were made for another text."""
        fix = self.chunks.get(chunk.id)
        if fix is None or fix.source_sha256 == text_sha256(chunk.text):
            return fix
        log.warning(
            "%s: its text changed in the manuscript since it was corrected or accepted, "
            "so that decision no longer applies; run `narrate redo` or `narrate accept` again",
            chunk.id,
        )
        return None

    def with_fix(self, chunk: Chunk, **decisions: str | None) -> Fixes:
        """These fixes with ``chunk``'s decisions replaced by ``decisions``."""
        fix = ChunkFix(source_sha256=text_sha256(chunk.text), **decisions)  # type: ignore[arg-type]
        return Fixes(chunks={**self.chunks, chunk.id: fix})


def text_sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_fixes(paths: BookPaths) -> Fixes:
    """The book's fixes; none when it has no ``fixes.json``.

    Raises ConfigError naming the file when it is damaged.
    """
    try:
        raw = paths.fixes.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Fixes()
    try:
        return Fixes.model_validate_json(raw)
    except ValidationError as exc:
        raise ConfigError(
            f"{paths.fixes} is damaged: {exc.errors()[0]['msg']}",
            hint="restore it, or delete it to drop every correction and acceptance",
        ) from None


def save_fixes(paths: BookPaths, fixes: Fixes) -> None:
    """Write ``fixes`` to the book's ``fixes.json`` atomically."""
    paths.root.mkdir(parents=True, exist_ok=True)
    write_text_atomic(paths.fixes, fixes.model_dump_json(indent=1, exclude_defaults=True) + "\n")


def corrected(
    chunks: Sequence[Sequence[Chunk]], fixes: Fixes, *, language: str = ENGLISH
) -> tuple[tuple[Chunk, ...], ...]:
    """Each chapter's chunks, with the corrected ones saying their corrected text (spoken
    as ``language`` speaks it) in their chosen voice."""
    return tuple(tuple(_corrected(c, fixes, language) for c in chapter) for chapter in chunks)


def _corrected(chunk: Chunk, fixes: Fixes, language: str) -> Chunk:
    fix = fixes.for_chunk(chunk)
    if fix is None:
        return chunk
    if fix.voice is not None:
        chunk = chunk.model_copy(update={"voice": fix.voice, "revoiced": True})
    if fix.corrected_text is not None:
        text = fix.corrected_text
        chunk = chunk.model_copy(
            update={"corrected_text": text, "spoken": to_spoken(text, language=language)}
        )
    return chunk


def reviewed(results: Sequence[ChunkResult], fixes: Fixes) -> tuple[ChunkResult, ...]:
    """``results`` with each flagged chunk whose very audio a person accepted marked so."""
    return tuple(_reviewed(r, fixes) for r in results)


def _reviewed(result: ChunkResult, fixes: Fixes) -> ChunkResult:
    fix = fixes.for_chunk(result.chunk)
    if not result.flagged or fix is None or fix.accepted_audio != result.audio.path.name:
        return result
    return result.model_copy(update={"flagged": False, "accepted": True})
