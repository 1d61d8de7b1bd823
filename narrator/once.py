"""Build a process-wide object once, on first use, however many threads ask for it.

The embedded engines' models (a Piper voice, Kokoro, Whisper) take hundreds of MB and
most of a second to load, and two chunk workers ask for them at the same moment.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """Turn the zero-argument ``build`` into a function that builds on its first call and
    returns that same object to every later caller (the decorated function keeps
    ``build``'s name and docstring).

    The first caller builds under a lock; callers arriving meanwhile wait for it and get
    the same object. ``functools.cache`` alone does not do this: when two threads call
    before the first build is done, both build (the ``functools.lru_cache`` docs say so),
    which would load a model twice. A build that raises caches nothing (as
    ``functools.cache``), so the next call tries again: a loader's error names the fix,
    and the object is there once the fix is made.
    """
    cached = functools.cache(build)
    lock = threading.Lock()

    @functools.wraps(build)
    def load() -> T:
        with lock:
            return cached()

    return load
