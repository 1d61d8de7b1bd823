"""The per-chunk task: synthesize, verify, re-synthesize or flag."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.config import NarrationParams
from narrator.engines import engines_for
from narrator.models import Chunk, ChunkResult
from narrator.store import BookPaths
from narrator.synthesis import narrate_chunk


# The chunk store on disk (narrator.store) is the cache: it is keyed by content and
# survives the loss of Prefect's database, so Prefect's own caching stays off here.
@task(name="narrate-chunk", task_run_name="{chunk.id}", cache_policy=NO_CACHE)
def narrate_chunk_task(chunk: Chunk, params: NarrationParams, paths: BookPaths) -> ChunkResult:
    """Synthesize and verify one chunk (engines load once per worker process)."""
    return narrate_chunk(
        chunk, engines_for(params), paths, max_attempts=params.max_attempts, speed=params.speed
    )
