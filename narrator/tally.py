"""Requests a run planned and made, by kind, for its report and manifest.

The plan is ``count_requests`` over the chunks still to narrate when the run starts
(first attempts only). What was made is tallied by the run's provider per purpose
(:func:`narrator.provider.purpose`), and cross-checked with the request ledger's count for
the budget day, which also sees requests sent from other processes (Dask workers).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field

from narrator.engines import Engines
from narrator.models import Chunk, Frozen
from narrator.plan import count_requests


class RequestTally(Frozen):
    """Paid requests one run planned and made, by kind."""

    planned: dict[str, int] = Field(
        description="synthesis and verification requests of the chunks to narrate, if every "
        "chunk passes first time"
    )
    made: dict[str, int] = Field(
        description="HTTP requests sent by this process: synthesis, verification, re-check "
        "(a chunk heard alone after its batch), re-synthesis and re-verification (chunks "
        "that failed verification), retries (after a transient failure)"
    )
    ledger: int | None = Field(
        description="requests the budget ledger counted during the run, every process "
        "included; None when the budget day changed during the run"
    )


class TallyStart(Frozen):
    """Where the counts stood when a run began."""

    planned: dict[str, int]
    made_before: dict[str, int]
    ledger_before: int
    budget_day_ends: datetime


def start_tally(
    engines: Engines, pending: Sequence[Sequence[Chunk]], *, speed: float
) -> TallyStart | None:
    """Plan the ``pending`` chunks (a group per chapter or part, as the run verifies them)
    and note the counts so far; None when the run's engines are not paid."""
    provider = engines.provider
    if provider is None:
        return None
    requests = count_requests(
        pending, engines.speech.capabilities, engines.transcriber.capabilities, speed=speed
    )
    planned = {
        "synthesis": requests.synthesis if engines.speech.capabilities.paid else 0,
        "verification": requests.verification if engines.transcriber.capabilities.paid else 0,
    }
    usage = provider.ledger.usage()
    return TallyStart(
        planned=planned,
        made_before=provider.requests_made(),
        ledger_before=usage.used,
        budget_day_ends=usage.resets_at,
    )


def finish_tally(engines: Engines, start: TallyStart | None) -> RequestTally | None:
    """The requests made since ``start``, beside what was planned then."""
    provider = engines.provider
    if start is None or provider is None:
        return None
    now = provider.requests_made()
    made = {k: n - start.made_before.get(k, 0) for k, n in now.items()}
    usage = provider.ledger.usage()
    same_day = usage.resets_at == start.budget_day_ends
    return RequestTally(
        planned=start.planned,
        made={k: n for k, n in made.items() if n},
        ledger=usage.used - start.ledger_before if same_day else None,
    )
