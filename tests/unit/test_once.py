"""A load-once function builds one object for all threads, and retries a failed build."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from narrator.once import once

THREADS = 8


def test_threads_calling_at_once_share_one_build() -> None:
    builds: list[object] = []
    start = threading.Barrier(THREADS)

    @once
    def load() -> object:
        built = object()
        builds.append(built)
        # Slow enough that every other thread arrives while the first is still building.
        time.sleep(0.05)
        return built

    def call() -> object:
        start.wait()
        return load()

    with ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(lambda _: call(), range(THREADS)))

    assert len(builds) == 1
    assert all(obj is builds[0] for obj in got)
    assert load() is builds[0]


def test_a_build_that_raises_is_tried_again_on_the_next_call() -> None:
    calls: list[int] = []

    @once
    def load() -> list[int]:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("model file missing")
        return calls

    with pytest.raises(RuntimeError, match="model file missing"):
        load()
    assert load() is calls
    assert load() is calls
    assert calls == [0, 1]


def test_the_loader_keeps_the_builders_name_and_docstring() -> None:
    @once
    def load_thing() -> int:
        """Return the thing."""
        return 1

    assert load_thing.__name__ == "load_thing"
    assert load_thing.__doc__ == "Return the thing."
