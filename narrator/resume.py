"""Where a book stands between runs: which chunks are already synthesized and verified in
the store, and what the request budget says about the rest (a run it stopped, a run it
would stop, the summary of what is left to pay for)."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

from narrator.engines import Engines
from narrator.errors import BudgetExhausted
from narrator.models import BudgetWait, Chunk, ChunkResult
from narrator.plan import count_requests
from narrator.store import BookPaths, chunk_key, load_cached_result

log = logging.getLogger(__name__)


def budget_wait(
    exc: BudgetExhausted,
    title: str,
    chunks: Iterable[Chunk],
    paths: BookPaths,
    engines: Engines,
) -> BudgetWait:
    """Describe a run the request budget stopped: what is done and when it can go on."""
    chunks = list(chunks)
    done = finished(paths, chunks, engines)
    wait = BudgetWait(
        title=title,
        done_chunks=done,
        total_chunks=len(chunks),
        used=exc.used,
        limit=exc.limit,
        resets_at=exc.resets_at,
    )
    log.warning("%s", wait.message)
    return wait


def ensure_budget(engines: Engines, pending: int) -> None:
    """Stop before any work when ``pending`` chunks remain but today's budget is spent, so
    a scheduled run that finds nothing to spend ends in a second."""
    if engines.provider is not None and pending:
        engines.provider.ledger.ensure_available()


def budget_markdown(engines: Engines, pending: Sequence[Sequence[Chunk]], *, speed: float) -> str:
    """The request budget as the run's summary shows it: used and left today, when it
    resets, and the paid requests and days the ``pending`` chunks still need (first
    attempts, ``count_requests``), given as groups of consecutive chunks (parts)."""
    if engines.provider is None:
        return "Embedded engine: no paid requests.\n"
    usage = engines.provider.ledger.usage()
    lines = [f"- requests used today at `{usage.account}`: {usage.used}"]
    if usage.limit is not None:
        needed = count_requests(
            pending, engines.speech.capabilities, engines.transcriber.capabilities, speed=speed
        ).paid
        left = usage.remaining or 0
        # Days including today: 0 when nothing is left, 1 when today's budget suffices.
        days = min(needed, 1) if needed <= left else 1 + math.ceil((needed - left) / usage.limit)
        lines += [
            f"- left today: {left} of {usage.limit} (resets {usage.resets_at:%Y-%m-%d %H:%M} UTC)",
            f"- chunks still to narrate: {sum(map(len, pending))}, needing {needed} paid "
            f"requests; estimated days to finish: {days}",
        ]
    return "\n".join(lines) + "\n"


def cached(paths: BookPaths, chunk: Chunk, engines: Engines) -> ChunkResult | None:
    """``chunk``'s intact stored result (synthesized and verified), or None."""
    key = chunk_key(chunk.spoken, engines.speech_for(chunk).identity)
    return load_cached_result(paths, chunk, key, engines.transcriber.identity)


def finished(paths: BookPaths, chunks: Iterable[Chunk], engines: Engines) -> int:
    """How many of ``chunks`` are already synthesized and verified in the store."""
    return sum(cached(paths, c, engines) is not None for c in chunks)


def unfinished(
    paths: BookPaths, groups: Iterable[Sequence[Chunk]], engines: Engines
) -> tuple[tuple[Chunk, ...], ...]:
    """The chunks of each group that are not yet synthesized and verified in the store."""
    return tuple(tuple(c for c in group if not finished(paths, [c], engines)) for group in groups)
