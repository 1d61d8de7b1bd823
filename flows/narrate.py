"""``narrate_book``: manuscript in, verified chapter MP3s and an M4B out."""

# No `from __future__ import annotations` here: a deployment's runner rebuilds the
# flow's parameter model from these annotations, and string annotations left it
# "not fully defined" (`NarrationParams`), failing every run by deployment.

import time
from uuid import UUID

from prefect import flow, unmapped
from prefect.futures import PrefectFuture, as_completed, wait
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from prefect.states import Completed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from narrator.config import NarrationParams, Settings
from narrator.engines import transcriber_capabilities
from narrator.errors import BudgetExhausted
from narrator.lock import book_lock, remove_stale_temporaries
from narrator.models import AWAITING_BUDGET, Book, BookResult, ChapterAudio, Chunk, ChunkResult
from narrator.parse import in_book_language
from narrator.plan import Part, verification_batches
from narrator.publish import book_info, flagged_chunks
from narrator.qc import ChapterCheck
from narrator.render import ChapterJob
from narrator.resume import budget_markdown, budget_wait, ensure_budget, finished, unfinished
from narrator.review.fixes import load_fixes, reviewed
from narrator.store import BookPaths
from narrator.tally import TallyStart, finish_tally, start_tally
from narrator.text.account import WordAccount
from tasks import events
from tasks.artifacts import publish_book, publish_wait, report_progress, start_progress
from tasks.audio import (
    build_audiobook_task,
    check_chapters_task,
    export_book_task,
    render_chapter_task,
)
from tasks.review import review_book_task
from tasks.secrets import engines
from tasks.speech import check_rates_task, narrate_chunks_task
from tasks.text import parse_manuscript

# Seconds between updates of the progress artifact; a chapter's end is always shown.
# Each update is an API call of 40-70 ms. A first run finishes a chunk every second or
# two anyway, but a re-run finds every chunk cached at once: one update per chunk cost
# the sample's re-run 0.65-1.0 s (15 calls), one per chapter 0.1 s (3 calls).
PROGRESS_INTERVAL_S = 1.0


@flow(name="narrate-chapter", flow_run_name="{title}")
def narrate_chapter(
    *,
    title: str,
    chunks: tuple[Chunk, ...],
    params: NarrationParams,
    paths: BookPaths,
    progress: UUID,
    done_before: int,
    total_chunks: int,
) -> tuple[ChunkResult, ...]:
    """Synthesize and verify one chapter's chunks, in batches, on the worker pool."""
    batches = verification_batches(chunks, transcriber_capabilities(params), speed=params.speed)
    futures = narrate_chunks_task.map(batches, unmapped(params), unmapped(paths))
    done = shown = done_before
    last = time.monotonic()
    for future in as_completed(futures):
        done += len(future.result())
        if time.monotonic() - last >= PROGRESS_INTERVAL_S:
            report_progress(progress, done, total_chunks)
            shown, last = done, time.monotonic()
    if done != shown:
        report_progress(progress, done, total_chunks)
    # Batches run longest first; the chapter is stitched in reading order.
    results = (result for future in futures for result in future.result())
    return tuple(sorted(results, key=lambda result: result.chunk.index))


# Rendering and checking chapter N overlap the synthesis of chapter N+1 instead of
# stalling it. Two threads: one renders, one checks the chapter rendered before or,
# at the end, builds the M4B while the last chapter is checked.
@flow(
    name="narrate-book",
    flow_run_name="{params.manuscript}",
    task_runner=ThreadPoolTaskRunner(max_workers=2),
)
def narrate_book(params: NarrationParams) -> BookResult | State:
    """Narrate a manuscript into a verified, chapterized audiobook.

    When the request budget runs out, the run ends Completed, named
    ``AwaitingBudget``, with a :class:`BudgetWait` saying what is done and when the
    budget resets; the next run continues where this one stopped.
    """
    book, parts, account = parse_manuscript(params)
    params = in_book_language(params, book)
    paths = BookPaths.for_book(params.out_dir, book.slug)
    run_engines = engines(params)
    if run_engines.provider is not None:
        run_engines.provider.forget_refusal()  # this run may follow a fixed key or plan
    all_chunks = [c for part in parts for c in part.chunks]
    # One run per book; a killed run's half-written files are cleared first.
    with book_lock(paths):
        remove_stale_temporaries(paths)
        try:
            # A scheduled run that finds the budget spent ends here, in a second.
            ensure_budget(run_engines, len(all_chunks) - finished(paths, all_chunks, run_engines))
            pending = unfinished(paths, [part.chunks for part in parts], run_engines)
            tally = start_tally(run_engines, pending, speed=params.speed)
            result = _narrate(params, book, account, parts, paths, tally)
            review_book_task(params, paths)
        except BudgetExhausted as exc:
            waiting = budget_wait(exc, book.title, all_chunks, paths, run_engines)
            pending = unfinished(paths, [part.chunks for part in parts], run_engines)
            budget = budget_markdown(run_engines, pending, speed=params.speed)
            publish_wait(book.slug, waiting, budget)
            events.budget_exhausted(book.slug, waiting)
            return Completed(name=AWAITING_BUDGET, message=waiting.message, data=waiting)
    publish_book(book.slug, result, budget_markdown(run_engines, (), speed=params.speed))
    events.book_completed(book.slug, result)
    events.chunks_flagged(book.slug, result.title, flagged_chunks(result))
    return result


def _chunk_runner(settings: Settings) -> TaskRunner:
    """Where chunk tasks run: this process's threads, or a Dask cluster's workers."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=settings.dask_address)
    return ThreadPoolTaskRunner(max_workers=settings.workers)


def _narrate(
    params: NarrationParams,
    book: Book,
    account: WordAccount,
    parts: tuple[Part, ...],
    paths: BookPaths,
    tally: TallyStart | None,
) -> BookResult:
    """Chapters (or parts of long ones) as subflows, each rendered while the next one
    synthesizes, then the book, with the requests made since ``tally``."""
    progress = start_progress(book.slug)
    total = sum(len(part.chunks) for part in parts)
    chapter_flow = narrate_chapter.with_options(task_runner=_chunk_runner(Settings()))
    fixes = load_fixes(paths)

    renders: list[PrefectFuture[ChapterAudio]] = []
    checks: list[PrefectFuture[tuple[ChapterCheck, ...]]] = []
    results: list[tuple[ChunkResult, ...]] = []
    done = 0
    for part in parts:
        try:
            # A chapter subflow runs in this flow's process and thread, whose own
            # heartbeat already tells the server that they are alive. Its own heartbeat
            # thread sleeps in 1-s steps and is joined when the subflow ends: 0.6 s of
            # idle workers per chapter (2.4 s of an 8.4-s re-run of the sample).
            with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
                chapter_results = chapter_flow(
                    title=part.title,
                    chunks=part.chunks,
                    params=params,
                    paths=paths,
                    progress=progress,
                    done_before=done,
                    total_chunks=total,
                )
        except BudgetExhausted:
            # Chapters whose chunks are all paid for still get their files.
            wait([*renders, *checks])
            raise
        done += len(part.chunks)
        # Flagged chunks a person accepted by ear (`narrate accept`) count as good.
        chapter_results = reviewed(chapter_results, fixes)
        results.append(chapter_results)
        # One render at a time: rendering streams, but each render keeps about 1.9 GB of
        # scratch files per 2-hour chapter and competes with the chunk workers for the CPU.
        renders.append(
            render_chapter_task.submit(
                ChapterJob.of(part, chapter_results, len(parts), book, params), paths,
                wait_for=renders[-1:],
            )
        )  # fmt: skip
        # Each chapter is checked as soon as it is rendered, on the runner's other
        # thread: decoding and measuring an MP3 costs about 1 % of its duration in CPU
        # (0.44 s for 45 s of audio), 11 s for an 18-minute book if left to the end.
        checks.append(check_chapters_task.submit([renders[-1]], paths, params.master.check_preset))
    chapters = [render.result() for render in renders]
    run_engines = engines(params)
    info = book_info(params, book, account, run_engines, paths, finish_tally(run_engines, tally))
    # The M4B needs only the masters: it is encoded while the last chapter is checked
    # and the speaking rate measured, which the end of a run otherwise waits for in turn.
    audiobook = build_audiobook_task.submit(info, paths, chapters)
    # The speaking rate is judged against the whole book, so only now.
    chapters, results, rate = check_rates_task(
        chapters, results, known_chars_per_s=run_engines.speech.capabilities.chars_per_s,
        speed=params.speed, language=params.book_language,
    )  # fmt: skip
    chapter_checks = [check for future in checks for check in future.result()]
    audiobook.result()  # raises what stopped the M4B
    return export_book_task(info, paths, chapters, results, chapter_checks, params.formats, rate)
