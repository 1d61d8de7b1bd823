"""Turn a chapter's verified chunks into a mastered chapter file."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from narrator.audio.export import encode_mp3
from narrator.audio.io import read_audio, write_flac
from narrator.audio.loudness import master
from narrator.audio.stitch import stitch
from narrator.config import MasterSettings, PauseSettings
from narrator.errors import AudioError
from narrator.models import ChapterAudio, ChunkPlacement, ChunkResult
from narrator.store import BookPaths, current_build, fingerprint, save_build

log = logging.getLogger("narrator.progress")

# Bump to re-render every chapter (e.g. after changing how chapters are mastered).
RENDER_VERSION = 1


def render_chapter(
    *,
    index: int,
    title: str,
    total_chapters: int,
    results: Sequence[ChunkResult],
    paths: BookPaths,
    book_title: str,
    author: str | None,
    pauses: PauseSettings,
    mastering: MasterSettings,
) -> ChapterAudio:
    """Stitch, master and encode one chapter; return where it is and how it measures.

    Writes the lossless master (the M4B's source) and the chapter MP3, each atomically.
    A chapter whose inputs are unchanged since its last render is not rendered again,
    so its files keep their bytes (issue #4).
    """
    master_path = paths.chapter_master(index)
    mp3 = paths.chapter_mp3(index, title)
    key = fingerprint(
        version=RENDER_VERSION,
        # A chunk file's name is its content key; its size changes if it was re-made.
        chunks=[(r.audio.path.name, r.audio.path.stat().st_size, r.chunk.boundary)
                for r in results],
        flagged=[r.flagged for r in results],
        index=index, title=title, total=total_chapters, book=book_title, author=author,
        pauses=pauses.model_dump(), mastering=mastering.model_dump(),
    )  # fmt: skip
    record = paths.chapter_record(index)
    stored = current_build(record, key, [master_path, mp3])
    if stored is not None:
        log.info("chapter %d %r unchanged, not rendered again", index, title)
        return ChapterAudio.model_validate_json(stored).model_copy(
            update={"file": mp3, "master": master_path}
        )

    pieces = []
    sample_rate = 0
    for result in results:
        samples, rate = read_audio(result.audio.path)
        if sample_rate and rate != sample_rate:
            raise AudioError(
                f"chapter {index} ({title!r}): chunk {result.chunk.id} is {rate} Hz "
                f"but earlier chunks are {sample_rate} Hz",
                hint="all chunks of a chapter must come from one engine; re-run with one engine",
            )
        sample_rate = rate
        pieces.append((samples, result.chunk.boundary))

    stitched, spans = stitch(pieces, sample_rate, pauses)
    mastered, report = master(stitched, sample_rate, mastering)
    del stitched

    write_flac(master_path, mastered, sample_rate)
    encode_mp3(
        master_path,
        mp3,
        title=title,
        album=book_title,
        artist=author,
        track=index,
        total=total_chapters,
    )
    chapter = ChapterAudio(
        index=index,
        title=title,
        file=mp3,
        master=master_path,
        duration_s=len(mastered) / sample_rate,
        lufs=report.lufs,
        peak_dbfs=report.peak_dbfs,
        placements=tuple(
            ChunkPlacement(chunk_id=r.chunk.id, start_s=start, end_s=end)
            for r, (start, end) in zip(results, spans, strict=True)
        ),
        flagged=sum(r.flagged for r in results),
    )
    save_build(record, key, chapter.model_dump_json())
    log.info(
        "chapter %d %r rendered: %.1f s, %.1f LUFS", index, title, chapter.duration_s, chapter.lufs
    )
    return chapter
