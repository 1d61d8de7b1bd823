"""Benchmark: peak memory and wall time of rendering and checking a book, by length.

Run by hand (results are quoted in the README, "Benchmarks"):

    .venv/bin/python -m bench.bench_memory            # books of 1, 2, 5, 10 h; one 2-h chapter
    .venv/bin/python -m bench.bench_memory --quick    # 6- and 12-minute books; a 12-min chapter

Speech-like audio is generated once (a few 25-s chunk files, reused in every
chapter), then each book is rendered in a fresh subprocess: the real
``render_chapter`` for every chapter (stitch, master, FLAC, MP3), then the
compliance check of every chapter MP3 as ``narrate run`` does it
(``check_chapters``, ACX preset), then the M4B from the chapter files with
``build_m4b``. The child reports its own peak RSS (``ru_maxrss``) after the
imports, after rendering and at the end; no speech models are loaded, so "over
imports" is what rendering and checking add to a process. The MP3 and M4B
encoders are separate ffmpeg processes that stream (not counted here).

``--code DIR`` renders with the narrator package found in DIR instead (e.g. an
older checkout, for a before/after comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SR = 22_050  # Piper's rate
CHUNK_S = 25.0  # a long Piper chunk
CHUNK_FILES = 6  # distinct chunk files; chapters cycle through them


def write_chunks(folder: Path) -> list[Path]:
    """Write the chunk files (16-bit FLAC, as synthesis stores them) once."""
    import soundfile as sf

    # Here, not at the top: the child runs this file as a script, without the
    # repository root (and so the bench package) on its path.
    from bench.generate import speech_like

    paths = []
    for i in range(CHUNK_FILES):
        path = folder / f"chunk-{i}.flac"
        sf.write(path, speech_like(CHUNK_S, seed=i, sr=SR), SR, subtype="PCM_16")
        paths.append(path)
    return paths


def _peak_mb() -> float:
    """This process's peak resident set size so far, MiB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(
    chunks: list[Path], chapters: int, minutes: float, out: Path, m4b: bool
) -> dict[str, float]:
    """Render a book of ``chapters`` chapters of ``minutes`` each, check them, build the M4B."""
    from narrator.audio.export import BookTags, build_m4b
    from narrator.config import MasterSettings, PauseSettings
    from narrator.models import Boundary, Chunk, ChunkAudio, ChunkResult, Verification
    from narrator.qc import check_chapters
    from narrator.render import ChapterJob, render_chapter
    from narrator.store import BookPaths

    def chapter_results(index: int) -> list[ChunkResult]:
        count = max(1, round(minutes * 60 / (CHUNK_S - 0.4 + PauseSettings().paragraph)))
        heard = Verification(heard="x", wer=0, cer=0, duration_s=CHUNK_S, passed=True)
        results = []
        for i in range(count):
            boundary = Boundary.END if i == count - 1 else Boundary.PARAGRAPH
            chunk = Chunk(id=f"c{index:02d}-{i:04d}", chapter=index, index=i, text="x",
                          spoken="x", boundary=boundary)  # fmt: skip
            path = chunks[(index + i) % len(chunks)]
            audio = ChunkAudio(chunk_id=chunk.id, path=path, sample_rate=SR, duration_s=CHUNK_S)
            results.append(ChunkResult(chunk=chunk, audio=audio, verification=heard,
                                       attempts=1, flagged=False))  # fmt: skip
        return results

    paths = BookPaths.for_book(out, "bench-book")
    imports_mb = _peak_mb()
    start = time.perf_counter()
    rendered = [
        render_chapter(
            ChapterJob(
                index=index,
                title=f"Chapter {index}",
                total_chapters=chapters,
                results=tuple(chapter_results(index)),
                book_title="Bench Book",
                author=None,
                pauses=PauseSettings(),
                mastering=MasterSettings(),
            ),
            paths,
        )  # fmt: skip
        for index in range(1, chapters + 1)
    ]
    render_s = time.perf_counter() - start
    render_peak_mb = _peak_mb()
    start = time.perf_counter()
    checks = check_chapters(rendered, paths, "acx")
    qc_s = time.perf_counter() - start
    start = time.perf_counter()
    if m4b:
        build_m4b([(c.master, c.title) for c in rendered], paths.m4b, BookTags(title="Bench Book"))
    m4b_s = time.perf_counter() - start if m4b else 0.0
    return {
        "audio_h": sum(c.duration_s for c in rendered) / 3600,
        "longest_chapter_min": max(c.duration_s for c in rendered) / 60,
        "lufs_range": [min(c.lufs for c in rendered), max(c.lufs for c in rendered)],
        "acx_failed": sorted({rule for c in checks for rule in c.failed}),
        "render_s": render_s,
        "qc_s": qc_s,
        "m4b_s": m4b_s,
        "imports_mb": imports_mb,
        "render_peak_mb": render_peak_mb,
        "peak_mb": _peak_mb(),
    }


def run(
    label: str, chunks: list[Path], chapters: int, minutes: float, args: argparse.Namespace
) -> dict:
    """Run one book in a fresh interpreter; return its report."""
    with tempfile.TemporaryDirectory(prefix="narrator-bench-memory-") as out:
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
        command = [sys.executable, __file__, "--child", json.dumps(
            {"chunks": [str(p) for p in chunks], "chapters": chapters, "minutes": minutes,
             "out": out, "m4b": not args.no_m4b})]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{label}: the child failed\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["label"], report["chapters"] = label, chapters
    return report


def table(reports: list[dict]) -> str:
    """The reports as the README's Markdown table."""
    lines = [
        "| book | chapters | audio | peak RSS | over imports | render | QC | M4B | × real time |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        speed = r["audio_h"] * 3600 / (r["render_s"] + r["qc_s"] + r["m4b_s"])
        m4b = f"{r['m4b_s']:.0f} s" if r["m4b_s"] else "-"
        lines.append(
            f"| {r['label']} | {r['chapters']} × {r['longest_chapter_min']:.0f} min "
            f"| {r['audio_h']:.2f} h | **{r['peak_mb']:.0f} MB** "
            f"| {r['peak_mb'] - r['imports_mb']:.0f} MB | {r['render_s']:.0f} s "
            f"| {r['qc_s']:.0f} s | {m4b} "
            f"| {speed:.0f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small books only (a smoke run)")
    parser.add_argument("--code", type=Path, default=REPO, help="folder holding narrator/")
    parser.add_argument("--only", nargs="+", metavar="LABEL", help="run only these books")
    parser.add_argument("--no-m4b", action="store_true", help="render chapters, skip the M4B")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        spec = json.loads(args.child)
        chunks = [Path(p) for p in spec["chunks"]]
        report = child(chunks, spec["chapters"], spec["minutes"], Path(spec["out"]), spec["m4b"])
        print(json.dumps(report))
        return

    # (label, chapters, minutes per chapter)
    books = (
        [("6 min", 2, 3.0), ("12 min", 4, 3.0), ("one 12-min chapter", 1, 12.0)]
        if args.quick
        else [("1 h", 2, 30.0), ("2 h", 4, 30.0), ("5 h", 10, 30.0), ("10 h", 20, 30.0),
              ("one 2-h chapter", 1, 120.0)]
    )  # fmt: skip
    reports = []
    with tempfile.TemporaryDirectory(prefix="narrator-bench-chunks-") as folder:
        chunks = write_chunks(Path(folder))
        for label, chapters, minutes in books:
            if args.only and label not in args.only:
                continue
            reports.append(run(label, chunks, chapters, minutes, args))
            print(json.dumps(reports[-1]), flush=True)
    print(table(reports))


if __name__ == "__main__":
    main()
