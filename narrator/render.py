"""Turn a chapter's verified chunks into a mastered chapter file."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

from narrator.atomic import atomic_path
from narrator.audio.export import encode_chapter
from narrator.audio.io import read_audio
from narrator.audio.master import Premaster
from narrator.audio.stitch import Stitcher
from narrator.config import MasterSettings, PauseSettings
from narrator.errors import AudioError
from narrator.models import Boundary, ChapterAudio, ChunkPlacement, ChunkResult
from narrator.store import BookPaths, current_build, fingerprint, save_build

log = logging.getLogger("narrator.progress")

# Bump to re-render every chapter (e.g. after changing how chapters are mastered).
RENDER_VERSION = 1


def _chunk_audio(
    results: Sequence[ChunkResult], index: int, title: str
) -> Iterator[tuple[np.ndarray, int, Boundary, bool]]:
    """Decode each chunk in turn: mono float32 samples, sample rate (Hz), boundary after
    it, and whether it is a stand-in silence (kept whole, not trimmed).

    The silence standing in for a chunk no attempt could speak has no rate of its own: it
    is made at the rate of the chapter's other chunks.
    """
    spoken = [r for r in results if not _stand_in(r)]
    first_rate = sf.info(str(spoken[0].audio.path)).samplerate if spoken else 0
    for result in results:
        if _stand_in(result) and first_rate:
            silence = np.zeros(round(result.audio.duration_s * first_rate), dtype=np.float32)
            yield silence, first_rate, result.chunk.boundary, True
            continue
        samples, rate = read_audio(result.audio.path)
        if first_rate and rate != first_rate:
            raise AudioError(
                f"chapter {index} ({title!r}): chunk {result.chunk.id} is {rate} Hz "
                f"but earlier chunks are {first_rate} Hz",
                hint="all chunks of a chapter must come from one engine; re-run with one engine",
            )
        first_rate = rate
        yield samples, rate, result.chunk.boundary, _stand_in(result)


def _stand_in(result: ChunkResult) -> bool:
    """Whether the chunk's audio is silence standing in for speech no attempt produced
    (``narrator.synthesis``): nothing was ever heard from it."""
    return result.flagged and result.verification.duration_s == 0


@contextlib.contextmanager
def _premaster(
    results: Sequence[ChunkResult],
    index: int,
    title: str,
    pauses: PauseSettings,
    scratch: Path,
) -> Iterator[tuple[Premaster, list[tuple[float, float]]]]:
    """Stitch the chapter's chunks into a :class:`Premaster` whose scratch files are in ``scratch``.

    Yields it with each chunk's ``(start_s, end_s)`` (seconds) in input order; one
    chunk is decoded at a time. The scratch files are gone when the block exits.
    """
    chunks = _chunk_audio(results, index, title)
    first = next(chunks, None)
    if first is None:
        raise AudioError(f"chapter {index} ({title!r}) has no audio chunks to stitch")
    samples, sr, boundary, stand_in = first
    scratch.mkdir(parents=True, exist_ok=True)
    with Premaster(sr, scratch) as premaster:
        stitcher = Stitcher(sr, pauses, premaster.write)
        spans = [stitcher.add(samples, boundary, trim=not stand_in)]
        del samples, first
        spans += [
            stitcher.add(samples, boundary, trim=not stand_in)
            for samples, _, boundary, stand_in in chunks
        ]
        stitcher.finish()
        yield premaster, spans


def _write_master(path: Path, blocks: Iterable[np.ndarray], sr: int) -> None:
    """Write mono float ``blocks`` (full scale = 1.0) at ``sr`` Hz as 16-bit FLAC, atomically.

    Values outside [-1, 1] are clipped rather than wrapped.
    """
    with (
        atomic_path(path) as tmp,
        sf.SoundFile(tmp, "w", samplerate=sr, channels=1, subtype="PCM_16", format="FLAC") as fh,
    ):
        for block in blocks:
            fh.write(np.clip(block, -1.0, 1.0))


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
    so its files keep their bytes.

    The chapter streams: chunks are stitched one at a time into scratch files
    beside the master, then mastered block by block, so memory does not grow with
    the chapter's length.
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

    with _premaster(results, index, title, pauses, paths.masters_dir) as (premaster, spans):
        report = premaster.master(mastering)
        _write_master(master_path, premaster.mastered(), premaster.sr)
        duration_s = len(premaster) / premaster.sr
    encode_chapter(
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
        duration_s=duration_s,
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
