"""Turn a chapter's verified chunks into a mastered chapter file."""

from __future__ import annotations

from collections.abc import Sequence

from narrator.audio.export import encode_mp3
from narrator.audio.io import read_audio, write_flac
from narrator.audio.loudness import master
from narrator.audio.stitch import stitch
from narrator.config import MasterSettings, PauseSettings
from narrator.errors import AudioError
from narrator.models import ChapterAudio, ChunkPlacement, ChunkResult
from narrator.store import BookPaths


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
    """
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

    master_path = paths.chapter_master(index)
    write_flac(master_path, mastered, sample_rate)
    mp3 = paths.chapter_mp3(index, title)
    encode_mp3(
        master_path,
        mp3,
        title=title,
        album=book_title,
        artist=author,
        track=index,
        total=total_chapters,
    )
    return ChapterAudio(
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
