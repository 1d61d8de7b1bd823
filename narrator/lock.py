"""One run per book at a time, and a clean start after a crash.

Two runs of the same book (a scheduled one and a manual one, say) would otherwise
synthesize the same chunks twice and race on the same files.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator

from narrator.atomic import TMP_PREFIX
from narrator.errors import BookBusy
from narrator.store import BookPaths

log = logging.getLogger(__name__)


@contextlib.contextmanager
def book_lock(paths: BookPaths) -> Iterator[None]:
    """Hold the book's lock for the duration of a run; fail at once if another run holds it.

    An advisory ``flock`` on ``<book>/.lock``: the kernel releases it when the holder
    exits, even on SIGKILL, so a crashed run never leaves the book locked.
    """
    paths.root.mkdir(parents=True, exist_ok=True)
    lock_file = paths.root / ".lock"
    with open(lock_file, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BookBusy(
                f"{paths.root}: another run is narrating this book (pid {holder})",
                hint="wait for it to finish (its finished chunks will be reused), "
                "or stop it and run again",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale_temporaries(paths: BookPaths) -> int:
    """Delete half-written files a killed run left behind; return how many.

    Call only while holding :func:`book_lock`, or a live run's files would go too.
    """
    # Only temporaries: an attempt's audio (<key>.<chunk>.tryN.flac) is whole, since it
    # was written atomically, and paid for, so the next run verifies it instead.
    stale = list(paths.root.rglob(f"{TMP_PREFIX}*"))
    for path in stale:
        path.unlink(missing_ok=True)
    if stale:
        log.info("removed %d half-written files left by an interrupted run", len(stale))
    return len(stale)
