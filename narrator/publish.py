"""Finish a book: the M4B with chapter markers, ``manifest.json`` and ``report.md``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import Field

from narrator.atomic import write_text_atomic
from narrator.audio.export import build_m4b
from narrator.models import BookResult, ChapterAudio, ChunkResult, Frozen
from narrator.store import BookPaths, current_build, fingerprint, save_build

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


def manifest(
    info: BookInfo,
    paths: BookPaths,
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
) -> dict[str, Any]:
    """The machine-readable record of a finished book (keys are a public contract, issue #2).

    File paths are relative to the book's folder.
    """
    return {
        "title": info.title,
        "author": info.author,
        "engine": info.engine,
        "verifier": info.verifier,
        "notes": list(info.notes),
        "m4b": _rel(paths.m4b, paths.root),
        "duration_s": round(sum(c.duration_s for c in chapters), 3),
        "chapters": [
            {
                "index": chapter.index,
                "title": chapter.title,
                "file": _rel(chapter.file, paths.root),
                "duration_s": round(chapter.duration_s, 3),
                "lufs": round(chapter.lufs, 2),
                "peak_dbfs": round(chapter.peak_dbfs, 2),
                "chunks": [
                    {
                        "id": r.chunk.id,
                        "text": r.chunk.text,
                        "start_s": round(place.start_s, 3),
                        "end_s": round(place.end_s, 3),
                        "attempts": r.attempts,
                        "heard": r.verification.heard,
                        "wer": round(r.verification.wer, 4),
                        "cer": round(r.verification.cer, 4),
                        "passed": r.verification.passed,
                        "flagged": r.flagged,
                        "reason": r.verification.reason,
                    }
                    for r, place in zip(chunk_results, chapter.placements, strict=True)
                ],
            }
            for chapter, chunk_results in zip(chapters, results, strict=True)
        ],
    }


def report_markdown(data: dict[str, Any]) -> str:
    """A short human-readable report of a manifest: chapters, then every flagged chunk."""
    chapters = data["chapters"]
    lines = [
        f"# {data['title']}",
        "",
        f"Audiobook: `{data['m4b']}`, {data['duration_s'] / 60:.1f} min "
        f"(engine `{data['engine']}`, verified with `{data['verifier']}`).",
        "",
        "| # | chapter | file | duration (s) | LUFS | peak (dBFS) | chunks | flagged |",
        "|---|---|---|---|---|---|---|---|",
    ]
    flagged: list[str] = []
    for ch in chapters:
        bad = [c for c in ch["chunks"] if c["flagged"]]
        lines.append(
            f"| {ch['index']} | {ch['title']} | `{ch['file']}` | {ch['duration_s']:.1f} "
            f"| {ch['lufs']:.1f} | {ch['peak_dbfs']:.1f} | {len(ch['chunks'])} | {len(bad)} |"
        )
        flagged += [
            f"- `{c['id']}` ({c['start_s']:.1f}-{c['end_s']:.1f} s in `{ch['file']}`): "
            f"{c['reason']}\n  - text: {c['text']}\n  - heard: {c['heard']}"
            for c in bad
        ]
    if data.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in data["notes"]]
    lines += ["", "## Flagged chunks", ""]
    lines += flagged or ["None: every chunk passed round-trip verification."]
    return "\n".join(lines) + "\n"


def export_book(
    info: BookInfo,
    paths: BookPaths,
    chapters: Sequence[ChapterAudio],
    results: Sequence[Sequence[ChunkResult]],
) -> BookResult:
    """Write the M4B, the manifest and the report; return the finished book's record.

    The M4B is rebuilt only when a chapter or a tag changed (issue #4). Chapter MP3s
    left over from an earlier version of the book (a renamed or removed chapter) are
    deleted, so the folder always matches the manifest.
    """
    key = fingerprint(
        version=M4B_VERSION,
        chapters=[(c.master.name, c.master.stat().st_size, c.title) for c in chapters],
        title=info.title,
        author=info.author,
    )
    if current_build(paths.m4b_record, key, [paths.m4b]) is None:
        build_m4b(
            [(c.master, c.title) for c in chapters], paths.m4b, title=info.title, author=info.author
        )
        save_build(paths.m4b_record, key, paths.m4b.name)
    current = {c.file for c in chapters}
    for stale in paths.chapters_dir.glob("*.mp3"):
        if stale not in current:
            stale.unlink()
    data = manifest(info, paths, chapters, results)
    write_text_atomic(paths.manifest, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(paths.report, report_markdown(data))
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
        duration_s=sum(c.duration_s for c in chapters),
    )
