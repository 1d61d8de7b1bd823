"""Prefect events narrator emits, so users can wire automations to them.

``narrator.book.completed``, ``narrator.budget.exhausted`` and ``narrator.chunk.flagged``,
each about the resource ``narrator.book.<slug>``.
"""

from __future__ import annotations

from prefect.events import emit_event

from narrator.models import BookResult, BudgetWait


def _book(slug: str, title: str) -> dict[str, str]:
    return {"prefect.resource.id": f"narrator.book.{slug}", "prefect.resource.name": title}


def book_completed(slug: str, result: BookResult) -> None:
    """The book's files are all written; one ``narrator.chunk.flagged`` per flagged chunk."""
    emit_event(
        "narrator.book.completed",
        resource=_book(slug, result.title),
        payload={
            "m4b": str(result.m4b),
            "chapters": len(result.chapters),
            "chunks": result.chunks,
            "flagged": result.flagged,
            "duration_s": round(result.duration_s, 1),
        },
    )


def chunks_flagged(slug: str, title: str, chunk_ids: list[str]) -> None:
    """One event per chunk kept although every attempt failed verification."""
    for chunk_id in chunk_ids:
        emit_event(
            "narrator.chunk.flagged",
            resource=_book(slug, title),
            payload={"chunk": chunk_id},
        )


def budget_exhausted(slug: str, wait: BudgetWait) -> None:
    """The run stopped for the request budget; ``resets_at`` says when to resume."""
    emit_event(
        "narrator.budget.exhausted",
        resource=_book(slug, wait.title),
        payload={
            "done_chunks": wait.done_chunks,
            "total_chunks": wait.total_chunks,
            "used": wait.used,
            "limit": wait.limit,
            "resets_at": wait.resets_at.isoformat(),
        },
    )
