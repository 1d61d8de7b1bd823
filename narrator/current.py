"""Is a finished book current? A re-run that would rebuild nothing need not run at all.

A re-run of a finished, unchanged book rebuilds no file: every chunk, chapter, check
and the M4B is found by its content key. The work that remains is fixed overhead, most
of it starting Prefect: measured on the 2-core machine, a re-run of the finished sample
took 26 s of wall time and 17 CPU-seconds through the flow, of which reading the
manuscript and comparing the keys below is about 3 CPU-seconds.
"""

from __future__ import annotations

from narrator.config import NarrationParams
from narrator.engines import Engines
from narrator.models import BookResult, ChapterAudio, ChunkResult
from narrator.parse import ParsedBook
from narrator.publish import book_info, exported_book
from narrator.qc import ChapterCheck, checked_chapter
from narrator.render import ChapterJob, rendered_chapter
from narrator.resume import cached
from narrator.review.fixes import load_fixes, reviewed
from narrator.store import BookPaths
from narrator.verify.rate import rated_chapters


def current_book(
    params: NarrationParams, parsed: ParsedBook, engines: Engines
) -> BookResult | None:
    """The finished book, if narrating it with ``params`` would change no file; else None.

    Every output is checked by the same keys the flow builds it with: each chunk's
    stored result (with the chunks accepted by ear), each chapter's render and check, the
    speaking-rate check,
    the M4B and any extra formats, and the manifest and report must be exactly what the
    flow would write, beside the review page. Anything
    missing, changed or never finished means the flow must run. Cheap: nothing is
    decoded or synthesized, no model is loaded.
    """
    paths = BookPaths.for_book(params.out_dir, parsed.book.slug)
    if not (paths.manifest.is_file() and paths.review.is_file()):
        return None
    fixes = load_fixes(paths)
    chapters: list[ChapterAudio] = []
    results: list[tuple[ChunkResult, ...]] = []
    checks: list[ChapterCheck] = []
    for part in parsed.parts:
        stored = [cached(paths, chunk, engines) for chunk in part.chunks]
        part_results = reviewed([r for r in stored if r is not None], fixes)
        if len(part_results) != len(stored):
            return None
        job = ChapterJob.of(part, part_results, len(parsed.parts), parsed.book, params)
        chapter = rendered_chapter(job, paths)
        check = chapter and checked_chapter(chapter, paths, params.master.check_preset)
        if chapter is None or check is None:
            return None
        chapters.append(chapter)
        results.append(part_results)
        checks.append(check)
    rated, results_rated, rate = rated_chapters(
        chapters, results, known_chars_per_s=engines.speech.capabilities.chars_per_s,
        speed=params.speed, language=params.book_language,
    )  # fmt: skip
    info = book_info(params, parsed.book, parsed.account, engines, paths)
    return exported_book(info, paths, rated, results_rated, checks, params.formats, rate)
