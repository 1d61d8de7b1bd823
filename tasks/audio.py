"""Tasks that stitch chapters and export the book."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.publish import build_audiobook, export_book
from narrator.qc import check_chapters
from narrator.render import render_chapter

render_chapter_task = task(
    render_chapter, name="render-chapter", task_run_name="render {job.title}", cache_policy=NO_CACHE
)
export_book_task = task(
    export_book, name="export-book", task_run_name="export {info.title}", cache_policy=NO_CACHE
)
build_audiobook_task = task(
    build_audiobook, name="build-audiobook", task_run_name="m4b {info.title}",
    cache_policy=NO_CACHE,
)  # fmt: skip
check_chapters_task = task(
    check_chapters,
    name="check-chapters",
    task_run_name="check chapters ({preset})",
    cache_policy=NO_CACHE,
)
