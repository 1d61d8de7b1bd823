"""Benchmark: wall time of `narrate_book`, split into engine time and everything else,
and (``--rerun``) the time of a second ``narrate run`` of the finished book.

Run by hand (results are quoted in the README):

    .venv/bin/python -m bench.bench_narrate                    # the sample and a ~18 min book
    .venv/bin/python -m bench.bench_narrate --quick            # the sample only
    .venv/bin/python -m bench.bench_narrate --rerun            # also time a re-run of each
    .venv/bin/python -m bench.bench_narrate --rerun --book novel.md   # and another book

Engine time is the wall time during which at least one engine call (Piper or
Whisper) was running, so overlapping calls on parallel workers count once. The
first run happens in this process after the temporary Prefect server has started
(its start is reported separately); its CPU seconds count this process, the
server and the ffmpeg processes that ended (an ffmpeg still running at the end is
not counted). The re-run is what a user sees: the real
``narrate`` executable in a fresh process, temporary server start included; its
CPU seconds (the process and its server, user + system) are reported too, as they
hold still when other jobs share the machine and wall time does not.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class Timeline:
    """Collects (start, end, kind) intervals of engine calls from any thread."""

    def __init__(self) -> None:
        self.intervals: list[tuple[float, float, str]] = []
        self._lock = threading.Lock()

    def wrap(self, cls: type, method: str, kind: str) -> None:
        original = getattr(cls, method)

        def timed(obj, *args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return original(obj, *args, **kwargs)
            finally:
                with self._lock:
                    self.intervals.append((start, time.perf_counter(), kind))

        setattr(cls, method, timed)

    def busy(self, kind: str | None = None) -> float:
        """Seconds during which at least one call (of ``kind``) was running."""
        spans = sorted((s, e) for s, e, k in self.intervals if kind in (None, k))
        total, end = 0.0, float("-inf")
        for s, e in spans:
            if e > end:
                total += e - max(s, end)
                end = e
        return total


def cpu_s() -> float:
    """CPU seconds (user + system) of this process and of its live children (the
    temporary Prefect server, ffmpeg), so far."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # ended meanwhile: its time is lost
            total += sum(child.cpu_times()[:2])
    return total + sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])


def run(manuscript: Path, out: Path, timeline: Timeline) -> dict[str, float]:
    from flows.narrate import narrate_book
    from narrator.config import NarrationParams

    timeline.intervals.clear()
    cpu = cpu_s()
    start = time.perf_counter()
    result = narrate_book(NarrationParams(manuscript=manuscript, out_dir=out))
    wall = time.perf_counter() - start
    cpu = cpu_s() - cpu
    engine = timeline.busy()
    return {
        "audio_s": round(result.duration_s, 1),
        "wall_s": round(wall, 1),
        "x_real_time": round(result.duration_s / wall, 2),
        "cpu_s": round(cpu, 1),
        "tts_busy_s": round(timeline.busy("tts"), 1),
        "asr_busy_s": round(timeline.busy("asr"), 1),
        "engine_busy_s": round(engine, 1),
        "non_engine_share": round(1 - engine / wall, 3),
        "chunks": result.chunks,
        "flagged": result.flagged,
    }


def rerun(manuscript: Path, out: Path) -> dict[str, float]:
    """Time ``narrate run`` of an already finished book in a fresh process."""
    narrate = Path(sys.executable).parent / "narrate"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(narrate), "run", str(manuscript), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"narrate run {manuscript} failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"rerun_s": round(wall, 1), "rerun_cpu_s": round(cpu, 1)}


def table(results: dict[str, dict[str, float]]) -> str:
    """One Markdown row per book: audio, wall, real-time factor and CPU of the first run,
    and the re-run (blank when not measured)."""
    lines = [
        "| book | audio s | wall s | × real time | CPU s | re-run s | re-run CPU s "
        "| chunks | flagged |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['audio_s']} | {r['wall_s']} | {r['x_real_time']}× | {r['cpu_s']} "
            f"| {r.get('rerun_s', '')} | {r.get('rerun_cpu_s', '')} "
            f"| {r['chunks']} | {r['flagged']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the sample only")
    parser.add_argument("--chars", type=int, default=18_000, help="size of the long book")
    parser.add_argument(
        "--rerun", action="store_true", help="also time `narrate run` of each finished book"
    )
    parser.add_argument(
        "--book", type=Path, action="append", default=[], help="another manuscript to time"
    )
    args = parser.parse_args()

    from prefect import flow

    import flows  # noqa: F401  (sets Prefect defaults before Prefect is imported)
    from bench.generate import manuscript
    from narrator.speech.piper import PiperEngine
    from narrator.verify.faster_whisper import WhisperTranscriber

    timeline = Timeline()
    timeline.wrap(PiperEngine, "synthesize", "tts")
    timeline.wrap(WhisperTranscriber, "transcribe", "asr")
    timeline.wrap(WhisperTranscriber, "transcribe_timed", "asr")  # batches of chunks

    # Start the temporary Prefect server (and load the models) once, outside the timings.
    t0 = time.perf_counter()
    flow(lambda: None, name="warm-up")()
    server_s = time.perf_counter() - t0

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        books = {"sample": REPO / "inputs" / "the-keeper-of-tern-rock.md"}
        if not args.quick:
            long_book = Path(tmp) / "long-watch.md"
            long_book.write_text(manuscript(args.chars, chapters=6), encoding="utf-8")
            books["long"] = long_book
        books |= {path.stem: path.resolve() for path in args.book}
        for name, path in books.items():
            results[name] = run(path, Path(tmp) / name, timeline)
            if args.rerun:
                results[name] |= rerun(path, Path(tmp) / name)
            print(name, results[name], flush=True)
    print(json.dumps({"prefect_server_start_s": round(server_s, 1), **results}, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
