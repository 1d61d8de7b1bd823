"""Each chapter's loudness over time, for the review page's plot.

Short-term loudness (EBU Tech 3341: 3-s windows) measured on the chapter's lossless
master with the project's streaming BS.1770 meter, so memory stays flat however
long the chapter is. The series is cached beside the master, keyed by the master's
size and modification time, so a re-run decodes no chapter that did not change.
"""

from __future__ import annotations

import json
import math

from pydantic import Field, ValidationError

from narrator.audio.io import open_audio
from narrator.audio.loudness import LoudnessMeter
from narrator.models import Frozen
from narrator.store import BookPaths, current_build, fingerprint, save_build

SHORT_TERM_S = 3.0
"""EBU Tech 3341's short-term loudness window, seconds."""

MAX_POINTS = 600
"""Most points per chapter: a 2-hour chapter gets one every 12 s, which keeps each plot
under 10 KB of SVG while a 4-s silence or a loud burst still shows in a 3-s window."""

LEVELS_VERSION = 1


class LoudnessSeries(Frozen):
    """Short-term loudness of a chapter every ``step_s`` seconds."""

    step_s: float = Field(gt=0, description="seconds between points")
    window_s: float = Field(gt=0, description="each point's window, seconds")
    lufs: tuple[float | None, ...] = Field(
        description="LUFS of the window ending at (i * step_s + window_s); None for silence"
    )


def step_for(duration_s: float) -> float:
    """Seconds between points for a chapter of ``duration_s``: 1 s, or coarser for long ones."""
    return max(1.0, math.ceil(duration_s / MAX_POINTS))


def chapter_loudness(paths: BookPaths, index: int, duration_s: float) -> LoudnessSeries:
    """The loudness series of chapter ``index`` (its master lasts ``duration_s`` seconds)."""
    master = paths.chapter_master(index)
    stat = master.stat()
    key = fingerprint(
        version=LEVELS_VERSION, master=master.name, size=stat.st_size, mtime=stat.st_mtime_ns
    )
    record = paths.chapter_levels(index)
    stored = current_build(record, key, [master])
    if stored is not None:
        try:
            return LoudnessSeries.model_validate_json(stored)
        except ValidationError:
            pass  # measured again below
    step = step_for(duration_s)
    window = max(SHORT_TERM_S, step)  # windows touch, so no stretch goes unmeasured
    with open_audio(master) as decoded:
        meter = LoudnessMeter(decoded.sample_rate)
        for block in decoded.blocks:
            meter.feed(block)
    values = meter.short_term(window, step)
    series = LoudnessSeries(
        step_s=step,
        window_s=window,
        lufs=tuple(round(float(v), 1) if math.isfinite(v) else None for v in values),
    )
    save_build(record, key, json.dumps(series.model_dump()))
    return series
