"""The per-chunk task: synthesize, verify, re-synthesize or flag."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.context import TaskRunContext

from narrator.config import NarrationParams
from narrator.engines import engines_for
from narrator.models import Chunk, ChunkResult
from narrator.store import BookPaths, chunk_key, fingerprint, load_cached_result
from narrator.synthesis import narrate_chunk


def chunk_cache_key(_: TaskRunContext, parameters: dict[str, Any]) -> str | None:
    """Prefect's cache key for a chunk: the same content key as the chunk store (issue #4).

    The store on disk is the truth. Prefect's cached result is offered only while
    the store still holds the chunk's audio and record; otherwise (None) the task
    runs and the store decides. The key also covers the chunk's id and position,
    which the returned record carries, and the output folder its paths point into.
    """
    chunk: Chunk = parameters["chunk"]
    params: NarrationParams = parameters["params"]
    paths: BookPaths = parameters["paths"]
    engines = engines_for(params)
    key = chunk_key(chunk.spoken, engines.speech.identity)
    if load_cached_result(paths, chunk, key, engines.transcriber.identity) is None:
        return None
    return fingerprint(
        chunk=chunk.model_dump(), content=key, verifier=engines.transcriber.identity,
        root=paths.root,
    )  # fmt: skip


@task(
    name="narrate-chunk",
    task_run_name="{chunk.id}",
    cache_key_fn=chunk_cache_key,
    persist_result=True,
)
def narrate_chunk_task(chunk: Chunk, params: NarrationParams, paths: BookPaths) -> ChunkResult:
    """Synthesize and verify one chunk (engines load once per worker process)."""
    return narrate_chunk(
        chunk, engines_for(params), paths, max_attempts=params.max_attempts, speed=params.speed
    )
