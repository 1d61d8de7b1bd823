"""Where a book's files live, content hashes of chunks, and the cached chunk records.

Layout under ``OUT_DIR/<book-slug>/``::

    chapters/NN-<title-slug>.mp3   one MP3 per chapter
    <book-slug>.m4b                the whole book with chapter markers
    manifest.json                  machine-readable record of the run
    report.md                      human-readable summary and flagged chunks
    review.html                    the page to listen to flagged chunks and fix them
    fixes.json                     corrections and acceptances (``narrate redo``/``accept``)
    cache/chunks/<key>.flac        synthesized chunk audio, addressed by content
    cache/chunks/<key>.<verifier>.json  its verification record
    cache/masters/NN.flac          lossless mastered chapters (the M4B's source)
    cache/masters/NN.json          what each chapter was rendered from (its build key)
    cache/m4b.json                 what the M4B was built from
    cache/run.json                 the parameters of the last finished run

The cache is what makes re-runs cheap: a chunk whose record exists is not
synthesized again, and a chapter or M4B whose inputs have not changed is not
rebuilt, so its files keep their bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf
from pydantic import ValidationError

from narrator.atomic import write_text_atomic
from narrator.models import Chunk, ChunkAudio, ChunkResult
from narrator.text.slug import slugify

log = logging.getLogger(__name__)

# Bump to force every chunk to be synthesized again (e.g. after changing how text
# is prepared for speech). Unrelated code changes must not invalidate paid audio.
SYNTHESIS_VERSION = 1


# Chunk audio is stored as FLAC: lossless, about half the size of WAV.
CHUNK_FORMAT = "flac"


def fingerprint(**parts: object) -> str:
    """SHA-256 of ``parts`` as canonical JSON (paths and enums as strings)."""
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chunk_key(spoken: str, engine_identity: str) -> str:
    """Content hash of everything that determines a chunk's audio.

    ``engine_identity`` names the engine, endpoint, model, voice and speed; nothing
    else (in particular no source code) is part of the key, so unrelated changes
    never invalidate paid audio.
    """
    return fingerprint(
        spoken=spoken, engine=engine_identity, format=CHUNK_FORMAT, version=SYNTHESIS_VERSION
    )


@dataclass(frozen=True)
class BookPaths:
    """Paths of one book's outputs."""

    root: Path
    slug: str

    @classmethod
    def for_book(cls, out_dir: Path, slug: str) -> BookPaths:
        return cls(root=out_dir / slug, slug=slug)

    @property
    def chapters_dir(self) -> Path:
        return self.root / "chapters"

    @property
    def chunks_dir(self) -> Path:
        return self.root / "cache" / "chunks"

    @property
    def masters_dir(self) -> Path:
        return self.root / "cache" / "masters"

    @property
    def m4b(self) -> Path:
        return self.root / f"{self.slug}.m4b"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def report(self) -> Path:
        return self.root / "report.md"

    @property
    def review(self) -> Path:
        return self.root / "review.html"

    @property
    def fixes(self) -> Path:
        return self.root / "fixes.json"

    @property
    def run_record(self) -> Path:
        return self.root / "cache" / "run.json"

    def chapter_levels(self, index: int) -> Path:
        return self.masters_dir / f"{index:02d}.levels.json"

    def chapter_mp3(self, index: int, title: str) -> Path:
        return self.chapters_dir / f"{index:02d}-{slugify(title)}.mp3"

    def chapter_master(self, index: int) -> Path:
        return self.masters_dir / f"{index:02d}.flac"

    def chapter_record(self, index: int) -> Path:
        return self.masters_dir / f"{index:02d}.json"

    def chapter_check(self, index: int) -> Path:
        return self.masters_dir / f"{index:02d}.check.json"

    @property
    def m4b_record(self) -> Path:
        return self.root / "cache" / "m4b.json"

    def chunk_audio(self, key: str) -> Path:
        return self.chunks_dir / f"{key}.flac"

    def chunk_record(self, key: str, verifier_identity: str) -> Path:
        verifier = hashlib.sha256(verifier_identity.encode("utf-8")).hexdigest()[:12]
        return self.chunks_dir / f"{key}.{verifier}.json"


def load_cached_result(
    paths: BookPaths, chunk: Chunk, key: str, verifier_identity: str
) -> ChunkResult | None:
    """Return the stored result of ``chunk`` if its record and audio are intact, else None.

    A record that does not parse, or audio that does not decode, counts as missing:
    the chunk is synthesized again rather than trusted.
    """
    record = paths.chunk_record(key, verifier_identity)
    audio = paths.chunk_audio(key)
    if not (record.is_file() and audio.is_file()):
        return None
    try:
        result = ChunkResult.model_validate_json(record.read_text(encoding="utf-8"))
        info = sf.info(str(audio))
    except (ValidationError, ValueError, RuntimeError, OSError) as exc:
        log.warning("ignoring damaged cache entry for chunk %s: %s", chunk.id, exc)
        return None
    # The record stores the chunk as it was when synthesized; the id and position
    # may have moved since (an edit earlier in the chapter), the audio (and its text's
    # timing) has not.
    return result.model_copy(
        update={
            "chunk": chunk,
            "audio": ChunkAudio(
                chunk_id=chunk.id,
                path=audio,
                sample_rate=info.samplerate,
                duration_s=info.frames / info.samplerate,
                reference_s=result.audio.reference_s,
            ),
        }
    )


def save_result(paths: BookPaths, key: str, verifier_identity: str, result: ChunkResult) -> None:
    """Store ``result``'s record atomically (its audio is already in place)."""
    write_text_atomic(paths.chunk_record(key, verifier_identity), result.model_dump_json(indent=1))


def current_build(record: Path, key: str, outputs: Sequence[Path]) -> str | None:
    """The stored payload of ``record`` if it was built with ``key`` and every output exists.

    Anything else (no record, another key, a damaged record, a missing output) means
    the build must run again.
    """
    try:
        stored = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    if not all(path.is_file() for path in outputs):
        return None
    payload = stored.get("payload")
    return payload if isinstance(payload, str) else None


def save_build(record: Path, key: str, payload: str) -> None:
    """Record that ``payload`` was built from ``key`` (write it after the outputs)."""
    write_text_atomic(record, json.dumps({"key": key, "payload": payload}))
