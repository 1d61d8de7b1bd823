"""Finish a book: the M4B with chapter markers, ``manifest.json`` and ``report.md``."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import Field

from narrator.atomic import atomic_path, write_text_atomic
from narrator.audio.export import BookTags, build_m4b, encode_chapter, find_cover
from narrator.audio.language import iso639_2
from narrator.config import NarrationParams
from narrator.engines import Engines, engine_notes
from narrator.models import Book, BookResult, ChapterAudio, ChunkResult, Frozen
from narrator.qc import ChapterCheck
from narrator.report import report_markdown
from narrator.store import BookPaths, current_build, fingerprint, save_build
from narrator.tally import RequestTally
from narrator.text.account import WordAccount
from narrator.text.formats.epub import read_cover
from narrator.verify.rate import BookRate

log = logging.getLogger(__name__)

# What an MP4 "covr" atom can hold (mutagen's MP4Cover: JPEG or PNG).
_COVER_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}

# Bump to rebuild every M4B (e.g. after changing its encoding or tags).
M4B_VERSION = 1


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


class BookInfo(Frozen):
    """What a finished book says about itself: tags and the engines that made it."""

    title: str
    author: str | None
    engine: str = Field(description="identity of the speech engine")
    verifier: str = Field(description="identity of the transcriber that verified it")
    notes: tuple[str, ...] = Field(
        default=(), description="what the run learned, e.g. a lowered input limit"
    )
    narrator: str | None = Field(default=None, description="the voice credited as narrator")
    voice: str | None = Field(default=None, description="the main voice, e.g. 'af_heart'")
    year: int | None = None
    genre: str = "Audiobook"
    cover: Path | None = Field(default=None, description="cover image (JPEG or PNG)")
    language: str | None = Field(default=None, description="BCP 47 tag, e.g. 'en-GB'")
    requests: RequestTally | None = Field(
        default=None, description="paid requests planned and made (remote engines only)"
    )
    account: WordAccount = Field(description="where every word of the manuscript went")

    @property
    def tags(self) -> BookTags:
        """The M4B's tags."""
        return BookTags(
            title=self.title,
            author=self.author,
            narrator=self.narrator,
            year=self.year,
            genre=self.genre,
            cover=self.cover,
            language=iso639_2(self.language),
        )


def _format_build(
    info: BookInfo, paths: BookPaths, chapter: ChapterAudio, total: int, fmt: str
) -> tuple[Path, Path, str, dict[str, Any]]:
    """Where ``chapter`` as ``fmt`` goes, its build record, its key and its tags."""
    out = chapter.file.with_suffix(f".{fmt}")
    tags = {"title": chapter.title, "album": info.title, "artist": info.author,
            "track": chapter.index, "total": total}  # fmt: skip
    key = fingerprint(master=(chapter.master.name, chapter.master.stat().st_size), **tags)
    return out, paths.masters_dir / f"{chapter.index:02d}.{fmt}.json", key, tags


def _extra_format(
    info: BookInfo, paths: BookPaths, chapter: ChapterAudio, total: int, fmt: str
) -> Path:
    """Encode ``chapter`` as ``fmt`` (flac, opus) beside its MP3, unless it is current."""
    out, record, key, tags = _format_build(info, paths, chapter, total, fmt)
    if current_build(record, key, [out]) is None:
        encode_chapter(chapter.master, out, **tags)
        save_build(record, key, out.name)
    return out


def book_info(
    params: NarrationParams,
    book: Book,
    account: WordAccount,
    engines: Engines,
    paths: BookPaths,
    requests: RequestTally | None = None,
) -> BookInfo:
    """The finished book's tags and provenance.

    Each tag comes from the run's parameters when given, else from the manuscript's
    own metadata (EPUB, DOCX, Project Gutenberg header). The cover is
    ``params.cover``, else the image stored in the manuscript (copied into the
    book's folder), else one found beside the manuscript; the year is this year
    unless given. ``account`` is the manuscript's word account, for the manifest and the
    report.
    """
    return BookInfo(
        title=book.title,
        author=params.author or book.metadata.author,
        engine=engines.speech.identity,
        verifier=engines.transcriber.identity,
        notes=engine_notes(engines),
        narrator=params.narrator or engines.speech.credit,
        voice=engines.speech.voice,
        year=params.year or datetime.now(UTC).year,
        genre=params.genre,
        cover=params.cover or _stored_cover(book, paths) or find_cover(params.manuscript),
        language=book.language,
        requests=requests,
        account=account,
    )


def _stored_cover(book: Book, paths: BookPaths) -> Path | None:
    """The cover image inside the manuscript, as ``cover.jpg|.png`` in the book's folder.

    None when the manuscript has none, or when it is neither JPEG nor PNG (logged).
    The file is rewritten only when the image changed.
    """
    ref = book.metadata.cover
    if ref is None:
        return None
    suffix = _COVER_TYPES.get(ref.media_type)
    if suffix is None:
        log.warning(
            "%s: the cover %s is %s; an M4B cover must be JPEG or PNG, so the book gets "
            "none. Pass --cover IMAGE to give it one.",
            ref.archive,
            ref.member,
            ref.media_type,
        )
        return None
    data = read_cover(ref)
    target = paths.root / f"cover{suffix}"
    if not target.is_file() or target.read_bytes() != data:
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
    return target


_DEFECT_KEYS = {"code", "detail", "start_s", "end_s", "words"}
"""A chunk's defects in the manifest: reason code, one line, where (seconds within the
chunk), and the words concerned."""


def manifest(
    info: BookInfo,
    paths: BookPaths,
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
    checks: Sequence[ChapterCheck],
    rate: BookRate | None = None,
) -> dict[str, Any]:
    """The machine-readable record of a finished book (keys are a public contract).

    File paths are relative to the book's folder. ``speaking_rate`` is the book's rate
    against its engine's (``narrator.verify.rate``), null when it was not checked;
    ``account`` says where every word of the manuscript went (``narrator.text.account``).
    """
    return {
        "title": info.title,
        "author": info.author,
        "engine": info.engine,
        "verifier": info.verifier,
        "narrator": info.narrator,
        "year": info.year,
        "genre": info.genre,
        "language": info.language,
        "cover": info.cover.name if info.cover else None,
        "notes": list(info.notes),
        "requests": info.requests.model_dump() if info.requests else None,
        "account": info.account.model_dump(mode="json"),
        "m4b": _rel(paths.m4b, paths.root),
        "duration_s": round(sum(c.duration_s for c in chapters), 3),
        "speaking_rate": rate.model_dump(mode="json") if rate else None,
        "chapters": [
            {
                "index": chapter.index,
                "title": chapter.title,
                "file": _rel(chapter.file, paths.root),
                "duration_s": round(chapter.duration_s, 3),
                "lufs": round(chapter.lufs, 2),
                "peak_dbfs": round(chapter.peak_dbfs, 2),
                "check": _check_record(check),
                "chunks": [
                    {
                        "id": r.chunk.id,
                        "text": r.chunk.text,
                        "voice": r.chunk.voice or info.voice,
                        "start_s": round(place.start_s, 3),
                        "end_s": round(place.end_s, 3),
                        "attempts": r.attempts,
                        "heard": r.verification.heard,
                        "wer": round(r.verification.wer, 4),
                        "cer": round(r.verification.cer, 4),
                        "passed": r.verification.passed,
                        "flagged": r.flagged,
                        "reason": r.verification.reason,
                        "accepted": r.accepted,
                        "corrected_text": r.chunk.corrected_text,
                        "revoiced": r.chunk.revoiced,
                        "audio": _rel(r.audio.path, paths.root),
                        "defects": [
                            d.model_dump(mode="json", include=_DEFECT_KEYS)
                            for d in r.verification.defects
                        ],
                    }
                    for r, place in zip(chunk_results, chapter.placements, strict=True)
                ],
            }
            for chapter, chunk_results, check in zip(chapters, results, checks, strict=True)
        ],
    }


def _check_record(check: ChapterCheck) -> dict[str, Any]:
    """A chapter file's compliance check as the manifest shows it."""
    m = check.measurement
    return {
        "preset": check.preset,
        "passed": check.passed,
        "failed": list(check.failed),
        "rms_db": round(m.rms_db, 2),
        "peak_dbfs": round(m.peak_dbfs, 2),
        "true_peak_dbtp": round(m.true_peak_dbtp, 2),
        "lufs": round(m.lufs, 2),
        "noise_floor_db": round(m.noise_floor_db, 2),
        "head_s": round(m.head_s, 3),
        "tail_s": round(m.tail_s, 3),
        "sample_rate": m.sample_rate,
        "bitrate": m.bitrate,
        "channels": m.channels,
    }


def _m4b_key(info: BookInfo, chapters: Sequence[ChapterAudio]) -> str:
    cover = info.cover.read_bytes() if info.cover else b""
    return fingerprint(
        version=M4B_VERSION,
        chapters=[(c.master.name, c.master.stat().st_size, c.title) for c in chapters],
        tags=info.tags.model_dump(exclude={"cover"}),
        cover=hashlib.sha256(cover).hexdigest(),
    )


def _book_result(
    info: BookInfo,
    paths: BookPaths,
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
) -> BookResult:
    all_results = [r for chapter in results for r in chapter]
    return BookResult(
        title=info.title,
        out_dir=paths.root,
        m4b=paths.m4b,
        manifest=paths.manifest,
        report=paths.report,
        chapters=tuple(chapters),
        chunks=len(all_results),
        flagged=sum(r.flagged for r in all_results),
        accepted=sum(r.accepted for r in all_results),
        duration_s=sum(c.duration_s for c in chapters),
    )


def _manifest_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def build_audiobook(info: BookInfo, paths: BookPaths, chapters: Sequence[ChapterAudio]) -> Path:
    """Write the M4B from the chapter masters, unless it is current for these chapters and
    tags; return its path.

    Only the masters' files and the tags go into it, so it can be built while the
    chapters' checks and the book's speaking rate are still being measured.
    """
    key = _m4b_key(info, chapters)
    if current_build(paths.m4b_record, key, [paths.m4b]) is None:
        build_m4b([(c.master, c.title) for c in chapters], paths.m4b, info.tags)
        save_build(paths.m4b_record, key, paths.m4b.name)
    return paths.m4b


def export_book(
    info: BookInfo,
    paths: BookPaths,
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
    checks: Sequence[ChapterCheck],
    formats: Sequence[str] = (),
    rate: BookRate | None = None,
) -> BookResult:
    """Write the M4B (:func:`build_audiobook`), the manifest and the report; return the
    finished book's record.

    The M4B is rebuilt only when a chapter or a tag changed. Chapter files
    left over from an earlier version of the book (a renamed or removed chapter, a
    format no longer asked for) are deleted, so the folder always matches the manifest.
    """
    build_audiobook(info, paths, chapters)
    current = {c.file for c in chapters}
    current |= {
        _extra_format(info, paths, c, len(chapters), fmt) for c in chapters for fmt in formats
    }
    for stale in paths.chapters_dir.iterdir():
        if stale not in current:
            stale.unlink()
    data = manifest(info, paths, chapters, results, checks, rate)
    write_text_atomic(paths.manifest, _manifest_json(data))
    write_text_atomic(paths.report, report_markdown(data))
    return _book_result(info, paths, chapters, results)


def exported_book(
    info: BookInfo,
    paths: BookPaths,
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
    checks: Sequence[ChapterCheck],
    formats: Sequence[str] = (),
    rate: BookRate | None = None,
) -> BookResult | None:
    """The finished book, if :func:`export_book` with these arguments would change no file.

    Takes the arguments of :func:`export_book`; None means it must run.
    """
    if current_build(paths.m4b_record, _m4b_key(info, chapters), [paths.m4b]) is None:
        return None
    current = {c.file for c in chapters}
    for chapter in chapters:
        for fmt in formats:
            out, record, key, _ = _format_build(info, paths, chapter, len(chapters), fmt)
            if current_build(record, key, [out]) is None:
                return None
            current.add(out)
    if set(paths.chapters_dir.iterdir()) != current:
        return None
    data = manifest(info, paths, chapters, results, checks, rate)
    try:
        stored, report = (
            paths.manifest.read_text(encoding="utf-8"),
            paths.report.read_text(encoding="utf-8"),
        )
        # The requests a run made are that run's record, not the book's: a run with
        # nothing to do leaves the last one's in place.
        data["requests"] = json.loads(stored).get("requests")
    except (OSError, ValueError, AttributeError):
        return None
    if stored != _manifest_json(data) or report != report_markdown(data):
        return None
    return _book_result(info, paths, chapters, results)


def flagged_chunks(result: BookResult) -> list[str]:
    """Ids of the chunks the finished book kept although they never passed verification."""
    data = json.loads(result.manifest.read_text(encoding="utf-8"))
    return [c["id"] for ch in data["chapters"] for c in ch["chunks"] if c["flagged"]]
