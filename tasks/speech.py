"""The chunk task: synthesize a batch of chunks, verify, re-synthesize or flag."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext

from narrator.config import NarrationParams
from narrator.models import Chunk, ChunkResult
from narrator.store import BookPaths, chunk_key, fingerprint, load_cached_result
from narrator.synthesis import narrate_batch
from narrator.verify.rate import rated_chapters
from tasks.secrets import engines as engines_for


def chunks_cache_key(_: TaskRunContext, parameters: dict[str, Any]) -> str | None:
    """Prefect's cache key for a batch: the chunk store's content keys.

    The store on disk is the truth. Prefect's cached result is offered only while
    the store still holds every chunk's audio and record; otherwise (None) the task
    runs and the store decides. The key also covers the chunks' ids and positions,
    which the returned records carry, and the output folder their paths point into.
    """
    chunks: tuple[Chunk, ...] = parameters["chunks"]
    params: NarrationParams = parameters["params"]
    paths: BookPaths = parameters["paths"]
    engines = engines_for(params)
    keys = [chunk_key(c.spoken, engines.speech_for(c).identity) for c in chunks]
    verifier = engines.transcriber.identity
    if any(
        load_cached_result(paths, c, k, verifier) is None for c, k in zip(chunks, keys, strict=True)
    ):
        return None
    return fingerprint(
        chunks=[c.model_dump() for c in chunks], content=keys, verifier=verifier, root=paths.root
    )


def _run_name() -> str:
    from prefect.runtime import task_run

    chunks: tuple[Chunk, ...] = task_run.parameters["chunks"]
    return "+".join(c.id for c in chunks)


@task(
    name="narrate-chunks",
    task_run_name=_run_name,
    cache_key_fn=chunks_cache_key,
    persist_result=True,
)
def narrate_chunks_task(
    chunks: tuple[Chunk, ...], params: NarrationParams, paths: BookPaths
) -> tuple[ChunkResult, ...]:
    """Synthesize and verify a batch of a chapter's chunks (``verification_batches``)."""
    return narrate_batch(
        chunks, engines_for(params), paths, max_attempts=params.max_attempts, speed=params.speed
    )


check_rates_task = task(
    rated_chapters,
    name="check-speaking-rate",
    task_run_name="speaking rate",
    cache_policy=NO_CACHE,
)
