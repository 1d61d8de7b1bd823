"""Benchmark: request-ledger reservations per second, on each backend, from 8 processes.

Run by hand (results are quoted in the README, "Scale-out"):

    .venv/bin/python -m bench.bench_ledger                 # 8 processes x 400 reservations
    .venv/bin/python -m bench.bench_ledger --processes 1 --each 1000

Each backend gets a fresh store: an SQLite file on the local disk, and a database on a
throwaway PostgreSQL cluster on loopback (the fixture the tests use, with the server's
durable defaults: fsync and synchronous_commit on). The processes open their ledgers,
meet at a barrier, then each reserves ``--each`` requests as fast as it can: with
``reserve()`` alone, then (under another account) with ``reserve()`` followed by
``record()``, as a real request does. Throughput is all reservations over the time from
the first start to the last finish; the store must then hold exactly that many.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path
from typing import Any


def _hammer(location: str, account: str, each: int, start: Any, results: Any) -> None:
    """Runs in a spawned process: reserve ``each`` requests after ``start`` (and record
    each one when ``account`` says so)."""
    from narrator.budget import BudgetLimits, open_ledger

    ledger = open_ledger(location, BudgetLimits(per_day=10_000_000), account=account)
    start.wait(timeout=120)
    began = time.perf_counter()
    for i in range(each):
        reservation = ledger.reserve("speech", f"c01-{i:04d}")
        if account == "record":
            ledger.record(reservation, status=200, ok=True)
    results.put((began, time.perf_counter()))


def run(location: str, account: str, processes: int, each: int) -> float:
    """Reservations per second of ``processes`` processes on the ledger at ``location``."""
    from narrator.budget import BudgetLimits, open_ledger

    ledger = open_ledger(location, BudgetLimits(), account=account)  # create the store first
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(target=_hammer, args=(location, account, each, start, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    spans = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0, worker.exitcode
    used = ledger.usage().used
    assert used == processes * each, f"{used} reservations stored, {processes * each} made"
    wall_s = max(end for _, end in spans) - min(began for began, _ in spans)
    return processes * each / wall_s


MODES = ("reserve", "record")  # account names: reserve() alone, or reserve() and record()


def main() -> None:
    from tests.fixtures_postgres import PostgresCluster

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--each", type=int, default=400, help="reservations per process")
    args = parser.parse_args()
    cluster = PostgresCluster().start()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ledger-") as folder:
            stores = {
                "SQLite (WAL, synchronous=FULL)": str(Path(folder) / "ledger.sqlite"),
                f"PostgreSQL {cluster.bindir.parent.name} (loopback TCP)": (
                    cluster.create_database("bench")
                ),
            }
            for backend, location in stores.items():
                rates = [run(location, mode, args.processes, args.each) for mode in MODES]
                rows.append(f"| {backend} | {args.processes} | {args.processes * args.each} | "
                            + " | ".join(f"{rate:.0f}" for rate in rates) + " |")  # fmt: skip
    finally:
        cluster.stop()
    print("| backend | processes | reservations | reserve/s | reserve + record/s |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
