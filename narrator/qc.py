"""Quality control: ``narrate run`` checks its own chapter files against a delivery standard.

The results go into the manifest, the report and the Prefect chapter table.
A chapter's check is cached beside its build record, keyed by the file's size and
modification time, so a re-run of a finished book does not decode every MP3 again.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from narrator.audio.check import PRESETS, Measurement, RuleResult, check, measure
from narrator.models import ChapterAudio, Frozen
from narrator.store import BookPaths, current_build, fingerprint, save_build


class ChapterCheck(Frozen):
    """One chapter file measured against a preset."""

    index: int = Field(ge=1)
    preset: str
    passed: bool
    measurement: Measurement
    rules: tuple[RuleResult, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        """Names of the rules the file breaks."""
        return tuple(r.rule for r in self.rules if not r.passed)


def check_chapters(
    chapters: Sequence[ChapterAudio], paths: BookPaths, preset: str
) -> tuple[ChapterCheck, ...]:
    """Measure every chapter MP3 and judge it by ``preset`` (acx, ebu-r128, podcast)."""
    return tuple(_check_chapter(chapter, paths, preset) for chapter in chapters)


def _check_key(chapter: ChapterAudio, preset: str) -> str:
    stat = chapter.file.stat()
    return fingerprint(
        file=chapter.file.name, size=stat.st_size, mtime=stat.st_mtime_ns, preset=preset
    )


def checked_chapter(chapter: ChapterAudio, paths: BookPaths, preset: str) -> ChapterCheck | None:
    """The chapter file's stored check by ``preset``, if the file is unchanged since."""
    if not chapter.file.is_file():
        return None
    stored = current_build(paths.chapter_check(chapter.index), _check_key(chapter, preset),
                           [chapter.file])  # fmt: skip
    return None if stored is None else ChapterCheck.model_validate_json(stored)


def _check_chapter(chapter: ChapterAudio, paths: BookPaths, preset: str) -> ChapterCheck:
    stored = checked_chapter(chapter, paths, preset)
    if stored is not None:
        return stored
    measurement = measure(chapter.file)
    rules = tuple(check(measurement, PRESETS[preset]))
    result = ChapterCheck(
        index=chapter.index,
        preset=preset,
        passed=all(r.passed for r in rules),
        measurement=measurement,
        rules=rules,
    )
    save_build(paths.chapter_check(chapter.index), _check_key(chapter, preset),
               result.model_dump_json())  # fmt: skip
    return result
