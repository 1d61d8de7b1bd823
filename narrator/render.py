"""Turn a chapter's verified chunks into a mastered chapter file."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import soundfile as sf
from pydantic import Field

from narrator.atomic import atomic_path
from narrator.audio.balance import voice_gains
from narrator.audio.export import encode_chapter
from narrator.audio.io import read_audio
from narrator.audio.master import Premaster
from narrator.audio.stitch import Stitcher
from narrator.config import MasterSettings, NarrationParams, PauseSettings
from narrator.errors import AudioError
from narrator.models import Book, Boundary, ChapterAudio, ChunkPlacement, ChunkResult, Frozen
from narrator.plan import Part
from narrator.store import BookPaths, current_build, fingerprint, save_build

log = logging.getLogger("narrator.progress")

# Bump to re-render every chapter (e.g. after changing how chapters are mastered).
RENDER_VERSION = 1


def _chunk_audio(
    results: Sequence[ChunkResult], index: int, title: str
) -> Iterator[tuple[np.ndarray, int, Boundary, bool]]:
    """Decode each chunk in turn: mono float32 samples, sample rate (Hz), boundary after
    it, and whether it is a stand-in silence (kept whole, not trimmed).

    A chapter spoken in two voices has them level-matched first (``voice_gains``). The
    silence standing in for a chunk no attempt could speak has no rate of its own: it is
    made at the rate of the chapter's other chunks.
    """
    gains = voice_gains(results)
    spoken = [r for r in results if not _stand_in(r)]
    first_rate = sf.info(str(spoken[0].audio.path)).samplerate if spoken else 0
    for result in results:
        if _stand_in(result) and first_rate:
            silence = np.zeros(round(result.audio.duration_s * first_rate), dtype=np.float32)
            yield silence, first_rate, result.chunk.boundary, True
            continue
        samples, rate = read_audio(result.audio.path)
        if result.chunk.voice in gains:
            samples = samples * gains[result.chunk.voice]
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


class ChapterJob(Frozen):
    """Everything one chapter file is made from: its verified chunks and the book's settings."""

    index: int = Field(ge=1, description="1-based file number in the book")
    title: str
    total_chapters: int = Field(ge=1)
    results: tuple[ChunkResult, ...]
    book_title: str
    author: str | None
    pauses: PauseSettings
    mastering: MasterSettings

    @classmethod
    def of(
        cls, part: Part, results: Sequence[ChunkResult], total: int, book: Book,
        params: NarrationParams,
    ) -> ChapterJob:  # fmt: skip
        """The job for ``part`` of ``book``, narrated with ``params``."""
        return cls(
            index=part.index, title=part.title, total_chapters=total, results=tuple(results),
            book_title=book.title, author=params.author, pauses=params.pauses,
            mastering=params.master,
        )  # fmt: skip

    def key(self) -> str:
        """Content hash of the inputs: the render is skipped while it is unchanged."""
        return fingerprint(
            version=RENDER_VERSION,
            # A chunk file's name is its content key; its size changes if it was re-made.
            chunks=[(r.audio.path.name, r.audio.path.stat().st_size, r.chunk.boundary)
                    for r in self.results],
            # Whether each chunk failed verification; accepting one by ear changes no audio.
            flagged=[r.flagged or r.accepted for r in self.results],
            index=self.index, title=self.title, total=self.total_chapters,
            book=self.book_title, author=self.author,
            pauses=self.pauses.model_dump(), mastering=self.mastering.model_dump(),
        )  # fmt: skip


def rendered_chapter(job: ChapterJob, paths: BookPaths) -> ChapterAudio | None:
    """The chapter as last rendered, if ``job`` is unchanged and its files are there."""
    master, mp3 = paths.chapter_master(job.index), paths.chapter_mp3(job.index, job.title)
    stored = current_build(paths.chapter_record(job.index), job.key(), [master, mp3])
    if stored is None:
        return None
    return ChapterAudio.model_validate_json(stored).model_copy(
        update={"file": mp3, "master": master, "flagged": sum(r.flagged for r in job.results)}
    )


def render_chapter(job: ChapterJob, paths: BookPaths) -> ChapterAudio:
    """Stitch, master and encode one chapter; return where it is and how it measures.

    Writes the lossless master (the M4B's source) and the chapter MP3, each atomically.
    A chapter whose inputs are unchanged since its last render is not rendered again,
    so its files keep their bytes.

    The chapter streams: chunks are stitched one at a time into scratch files
    beside the master, then mastered block by block, so memory does not grow with
    the chapter's length.
    """
    stored = rendered_chapter(job, paths)
    if stored is not None:
        log.info("chapter %d %r unchanged, not rendered again", job.index, job.title)
        return stored

    index, title, results = job.index, job.title, job.results
    master_path = paths.chapter_master(index)
    mp3 = paths.chapter_mp3(index, title)
    with _premaster(results, index, title, job.pauses, paths.masters_dir) as (premaster, spans):
        report = premaster.master(job.mastering)
        _write_master(master_path, premaster.mastered(), premaster.sr)
        duration_s = len(premaster) / premaster.sr
    encode_chapter(
        master_path,
        mp3,
        title=title,
        album=job.book_title,
        artist=job.author,
        track=index,
        total=job.total_chapters,
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
    save_build(paths.chapter_record(index), job.key(), chapter.model_dump_json())
    log.info(
        "chapter %d %r rendered: %.1f s, %.1f LUFS", index, title, chapter.duration_s, chapter.lufs
    )
    return chapter
