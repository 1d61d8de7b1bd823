"""One error hierarchy for narrator.

Callers branch on the class, never on the text. Every error splits into
*transient* (retrying the same call later may succeed: rate limits, 5xx,
timeouts) or *permanent* (retrying cannot help: bad input, bad key, unknown
model). Messages say what went wrong *and how to fix it*, and never contain
an API key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from narrator.text.account import Loss


class NarratorError(Exception):
    """Base class of every error narrator raises on purpose.

    ``exit_code`` is what the CLI exits with when this error reaches it.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message}\n  hint: {hint}" if hint else message)


class PermanentError(NarratorError):
    """Retrying the same operation cannot succeed; the input or setup must change."""


class TransientError(NarratorError):
    """The operation may succeed if retried later (rate limit, 5xx, timeout)."""


class ConfigError(PermanentError):
    """A setting or parameter is invalid."""

    exit_code = 2


class ManuscriptError(PermanentError):
    """The manuscript cannot be read or contains nothing speakable.

    The message names the file and, where known, the line and chapter.
    """

    exit_code = 2

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        chapter: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.chapter = chapter
        where = self.path + (f":{line}" if line is not None else "")
        if chapter:
            where += f" (chapter {chapter!r})"
        super().__init__(f"{where}: {message}", hint=hint)


class WordsLost(ManuscriptError):
    """Words of the manuscript are neither narrated nor skipped with a reason: its reader
    lost them (``narrator.text.account``), and the audiobook would silently lack them.

    ``losses`` are :class:`narrator.text.account.Loss` records: where, how many words,
    and the first of them.
    """

    def __init__(self, path: Path | str, losses: Sequence[Loss]) -> None:
        self.losses = tuple(losses)
        more = sum(loss.words for loss in self.losses[1:])
        others = f" (and {more:,} more in {len(self.losses) - 1} other places)" if more else ""
        super().__init__(
            path,
            self.losses[0].sentence() + others,
            hint="This looks like a reader bug: re-run with --allow-loss to narrate anyway, "
            "and report the file (`narrate split` shows where every word went).",
        )

    def __reduce__(self) -> tuple[Callable[[], WordsLost], tuple[()]]:
        # Prefect pickles a failed task's exception; cls(*args) would not rebuild this one.
        return partial(type(self), self.path, self.losses), ()


class EngineError(PermanentError):
    """A speech engine or transcriber failed in a way that retrying will not fix."""


class UnspeakableText(EngineError):
    """The engine cannot speak one chunk's text (it produced no audio for it); other
    chunks are unaffected, so the chunk is flagged and the run goes on."""


class TransientProviderError(TransientError):
    """A remote provider failed transiently (429, 5xx, timeout, dropped connection)."""


class PermanentProviderError(EngineError):
    """A remote provider rejected the request (400, 401, 403, 404, 422)."""


class RejectedText(PermanentProviderError):
    """A remote provider rejected one request for its text (400, 413): other chunks are
    unaffected, so the chunk is flagged and the run goes on."""


class BudgetExhausted(NarratorError):
    """The request budget for the current window is spent; resume after it resets.

    ``used`` and ``limit`` count requests in the current budget day; ``resets_at``
    (timezone-aware, UTC) is when the next one starts.
    """

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        used: int,
        limit: int,
        resets_at: datetime,
        hint: str | None = None,
    ) -> None:
        self.used = used
        self.limit = limit
        self.resets_at = resets_at
        super().__init__(message, hint=hint)

    def __reduce__(self) -> tuple[Callable[[], BudgetExhausted], tuple[()]]:
        # Exceptions unpickle as cls(*args), which would drop the keyword-only
        # attributes (and fail); Prefect pickles a failed task's exception.
        rebuild = partial(
            type(self),
            self.message,
            used=self.used,
            limit=self.limit,
            resets_at=self.resets_at,
            hint=self.hint,
        )
        return rebuild, ()


class BookBusy(TransientError):
    """Another run holds the book's lock; try again when it has finished."""

    exit_code = 5


class AudioError(PermanentError):
    """Audio could not be decoded, stitched, measured or encoded."""
