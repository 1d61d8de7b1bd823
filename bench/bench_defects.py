"""Benchmark: does verification catch what a listener hears?

Real Piper chunks of the sample and of a generated text are damaged on purpose, one
defect kind at a time, then verified the way the pipeline verifies a chunk: the real
faster-whisper transcriber and :func:`narrator.verify.verdict.hear_and_judge` (as
``narrator.synthesis`` calls it), then the book-level rate check
:func:`narrator.verify.rate.flag_rates` over the chunks of each book (one damaged chunk
among its clean neighbours, each held against Piper's timing of its text as
``narrator.synthesis`` keeps it; whole books damaged are judged by the book's rate). The
table gives the share of damaged chunks flagged per kind, and the false alarms on the
clean chunks.

Run by hand (results are quoted in the README):

    .venv/bin/python -m bench.bench_defects                # the sample + 58 generated chunks
    .venv/bin/python -m bench.bench_defects --chunks 20    # fewer generated chunks
    .venv/bin/python -m bench.bench_defects --work /tmp/d  # keep the synthesized chunks
    .venv/bin/python -m bench.bench_defects --kinds repeated silence  # only these kinds

The synthesized clean chunks and what the transcriber heard in every damaged one are
kept in ``--work`` (a temporary folder otherwise), so a second run with the same folder
skips synthesis and transcription and only judges again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inputs" / "the-keeper-of-tern-rock.md"
RATE_CHANGE = 1.08
"""The speed defects: 8 % faster or slower."""


@dataclass(frozen=True)
class Clean:
    """One clean chunk of a book: its text and its audio (mono float32)."""

    book: str
    chunk_id: str
    spoken: str
    samples: np.ndarray
    sample_rate: int


def _chunks_of(manuscript: Path) -> list[tuple[str, str]]:
    from narrator.config import NarrationParams
    from narrator.parse import parse_book

    parsed = parse_book(NarrationParams(manuscript=manuscript))
    return [(c.id, c.spoken) for chapter in parsed.chunks for c in chapter]


def corpus(work: Path, generated_chunks: int) -> list[Clean]:
    """The clean chunks of the sample and of a generated text, synthesized by Piper once
    and kept in ``work``."""
    from bench.generate import manuscript
    from narrator.speech.piper import PiperEngine

    work.mkdir(parents=True, exist_ok=True)
    generated = work / "generated.md"
    # About 330 characters per Piper chunk.
    generated.write_text(manuscript(330 * generated_chunks, chapters=2, seed=11), "utf-8")
    engine = PiperEngine()
    out: list[Clean] = []
    for book, path in (("sample", SAMPLE), ("generated", generated)):
        for chunk_id, spoken in _chunks_of(path):
            digest = hashlib.sha256(spoken.encode()).hexdigest()[:10]
            audio = work / f"{book}-{chunk_id}-{digest}.flac"
            if not audio.is_file():
                speech = engine.synthesize(spoken, label=chunk_id)
                sf.write(audio, speech.samples, speech.sample_rate, subtype="PCM_16")
            samples, rate = sf.read(audio, dtype="float32")
            out.append(Clean(book, chunk_id, spoken, samples, rate))
    return out


# --- where to cut: sentences and word boundaries, from the envelope ---------------------


def _sentences(c: Clean) -> list[tuple[int, int]]:
    """Sample spans of the chunk's sentences. Piper joins sentences with 0.3 s of exact
    zeros (``SENTENCE_GAP_S``); its own pauses (at commas) never hold that many: on the
    73 chunks of the corpus these runs split every chunk into exactly its sentences."""
    from narrator.speech.piper import SENTENCE_GAP_S

    zero = np.concatenate(([0], (c.samples == 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(zero))
    n = len(c.samples)
    joins = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)
             if b - a >= round(SENTENCE_GAP_S * c.sample_rate) and a > 0 and b < n]  # fmt: skip
    cuts = [0, *[x for join in joins for x in join], n]
    return list(zip(cuts[::2], cuts[1::2], strict=True))


def _word_gaps(c: Clean) -> list[int]:
    """Sample positions of short dips inside sentences (word boundaries)."""
    from narrator.verify.envelope import FRAME_S, envelope

    env = envelope(c.samples, c.sample_rate)
    quiet = env.levels_db < env.speech_db - 30
    out = []
    for a, b in _sentences(c):
        fa, fb = a // round(FRAME_S * c.sample_rate), b // round(FRAME_S * c.sample_rate)
        for f in range(fa + 20, fb - 20):  # 0.2 s inside the sentence's ends
            if quiet[f] and quiet[f + 1] and not quiet[f - 1]:
                out.append((f + 1) * round(FRAME_S * c.sample_rate))
    return out


def _middle(points: list[int], n: int) -> int | None:
    return min(points, key=lambda p: abs(p - n / 2)) if points else None


# --- the defects ----------------------------------------------------------------------

Inject = Callable[[Clean, Clean], "np.ndarray | None"]


def dropped_sentence(c: Clean, other: Clean) -> np.ndarray | None:
    s = _sentences(c)
    if len(s) < 3:
        return None
    i = len(s) // 2  # a middle sentence and the pause after it
    return np.concatenate([c.samples[: s[i][0]], c.samples[s[i + 1][0] :]])


def cut_at_60(c: Clean, other: Clean) -> np.ndarray | None:
    return c.samples[: round(0.6 * len(c.samples))]


def repeated_phrase(c: Clean, other: Clean) -> np.ndarray | None:
    """A phrase of about 1-2 s (between word boundaries) said twice."""
    gaps = _word_gaps(c)
    start = _middle(gaps, len(c.samples))
    if start is None:
        return None
    ends = [g for g in gaps if c.sample_rate <= g - start <= 2 * c.sample_rate]
    if not ends:
        return None
    phrase = c.samples[start : ends[0]]
    return np.concatenate([c.samples[: ends[0]], phrase, c.samples[ends[0] :]])


def _silence(seconds: float) -> Inject:
    def inject(c: Clean, other: Clean) -> np.ndarray | None:
        at = _middle(_word_gaps(c), len(c.samples))
        if at is None:
            return None
        gap = np.zeros(round(seconds * c.sample_rate), dtype=np.float32)
        return np.concatenate([c.samples[:at], gap, c.samples[at:]])

    return inject


def noise_for_speech(c: Clean, other: Clean) -> np.ndarray | None:
    """A middle sentence replaced by noise at the speech's level."""
    s = _sentences(c)
    if len(s) < 3:
        return None
    a, b = s[len(s) // 2]
    rms = float(np.sqrt(np.mean(c.samples[a:b] ** 2)))
    noise = np.random.default_rng(a).standard_normal(b - a).astype(np.float32) * rms
    return np.concatenate([c.samples[:a], noise, c.samples[b:]])


def other_chunk(c: Clean, other: Clean) -> np.ndarray | None:
    return other.samples


def replaced_sentence(c: Clean, other: Clean) -> np.ndarray | None:
    """A middle sentence replaced by a sentence of another chunk."""
    s, t = _sentences(c), _sentences(other)
    if len(s) < 3 or not t:
        return None
    a, b = s[len(s) // 2]
    x, y = t[len(t) // 2]
    return np.concatenate([c.samples[:a], other.samples[x:y], c.samples[b:]])


def _tempo(factor: float) -> Inject:
    """ffmpeg's atempo: the speed changes, the pitch does not."""

    def inject(c: Clean, other: Clean) -> np.ndarray | None:
        from narrator.audio.export import run_ffmpeg

        pcm = run_ffmpeg(
            ["-f", "f32le", "-ar", str(c.sample_rate), "-ac", "1", "-i", "pipe:0",
             "-af", f"atempo={factor}", "-f", "f32le", "pipe:1"],
            "change the tempo", stdin=c.samples.astype(np.float32).tobytes(),
        )  # fmt: skip
        return np.frombuffer(pcm, dtype=np.float32).copy()

    return inject


def resampled(factor: float) -> Inject:
    """Played ``factor`` times too fast by a wrong sample rate: faster and higher, as 16-bit
    PCM at 24 kHz read as 22,050 Hz."""

    def inject(c: Clean, other: Clean) -> np.ndarray | None:
        from fractions import Fraction

        from scipy.signal import resample_poly

        ratio = Fraction(1 / factor).limit_denominator(200)
        return resample_poly(c.samples, ratio.numerator, ratio.denominator).astype(np.float32)

    return inject


KINDS: dict[str, Inject] = {
    "dropped sentence": dropped_sentence,
    "cut at 60 %": cut_at_60,
    "repeated phrase": repeated_phrase,
    "2 s silence mid-chunk": _silence(2.0),
    "4 s silence mid-chunk": _silence(4.0),
    "noise in place of a sentence": noise_for_speech,
    "another chunk's audio": other_chunk,
    "one sentence replaced": replaced_sentence,
    "8 % faster (atempo)": _tempo(RATE_CHANGE),
    "8 % slower (atempo)": _tempo(1 / RATE_CHANGE),
}
"""Defects of one chunk among its clean neighbours."""

RATE_KINDS = {"8 % faster (atempo)", "8 % slower (atempo)"}
"""Kinds the per-chunk rate check is for; scored on chunks it measures (3 s of speech)."""

BOOK_KINDS: dict[str, Inject] = {
    "whole book 8.8 % fast (resampled)": resampled(24_000 / 22_050),
    "whole book 8 % slower (atempo)": _tempo(1 / RATE_CHANGE),
}
"""Defects of every chunk of a book: caught by the book's rate against the engine's."""


# --- verifying, the pipeline's way ----------------------------------------------------


@dataclass
class Judged:
    chunk_id: str
    spoken: str
    path: Path
    duration_s: float
    verification: object  # narrator.models.Verification
    take_s: float  # the clean take's length: the engine's own timing of the text


class _KeptTranscripts:
    """The real faster-whisper transcriber, with what it heard kept beside each audio file
    under the file's hash: a re-run with another verdict (the same audio) does not
    transcribe again."""

    def __init__(self) -> None:
        from narrator.verify.faster_whisper import WhisperTranscriber

        self._whisper = WhisperTranscriber()
        self.capabilities = self._whisper.capabilities
        self.identity = self._whisper.identity

    def _kept(self, path: Path, kind: str, hear: Callable[[], object]) -> object:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        record = path.with_suffix(f".{kind}.json")
        kept = json.loads(record.read_text("utf-8")) if record.is_file() else {}
        if kept.get("sha256") != digest:
            kept = {"sha256": digest, "heard": hear()}
            record.write_text(json.dumps(kept), "utf-8")
        return kept["heard"]

    def transcribe(self, path: Path, *, label: str = "") -> str:
        return self._kept(path, "heard", lambda: self._whisper.transcribe(path, label=label))  # type: ignore[return-value]

    def transcribe_timed(self, path: Path, *, label: str = ""):  # type: ignore[no-untyped-def]
        from narrator.verify.base import HeardSegment

        segments = self._kept(path, "timed", lambda: [
            s.model_dump() for s in self._whisper.transcribe_timed(path, label=label)])  # fmt: skip
        return tuple(HeardSegment(**s) for s in segments)  # type: ignore[union-attr]


TRANSCRIBER = _KeptTranscripts()


def judge(c: Clean, samples: np.ndarray, path: Path) -> Judged:
    """Write ``samples`` as the chunk's FLAC, hear it with the real faster-whisper
    transcriber and judge it with the real verdict, as ``narrator.synthesis`` does."""
    from narrator.audio.io import write_flac
    from narrator.verify.verdict import hear_and_judge, heard_text

    write_flac(path, samples, c.sample_rate)
    # A chunk heard alone by the free transcriber: its words timed (``narrator.synthesis``).
    words = TRANSCRIBER.transcribe_timed(path, label=c.chunk_id)
    verification = hear_and_judge(TRANSCRIBER, path, c.spoken, heard_text(words), speed=1.0,  # type: ignore[arg-type]
                                  words=words)  # fmt: skip
    return Judged(c.chunk_id, c.spoken, path, verification.duration_s, verification,
                  len(c.samples) / c.sample_rate)  # fmt: skip


def results_of(judged: list[Judged]):  # type: ignore[no-untyped-def]
    """Judged chunks as the pipeline's ChunkResults (one chapter)."""
    from narrator.models import Boundary, Chunk, ChunkAudio, ChunkResult

    return [
        ChunkResult(
            chunk=Chunk(
                id=j.chunk_id,
                chapter=1,
                index=i,
                text=j.spoken,
                spoken=j.spoken,
                boundary=Boundary.PARAGRAPH,
            ),
            audio=ChunkAudio(
                chunk_id=j.chunk_id, path=j.path, sample_rate=22_050, duration_s=j.duration_s,
                # The pipeline keeps each take's own length (``timed_takes``).
                reference_s=j.take_s,
            ),
            verification=j.verification,
            attempts=1,
            flagged=not j.verification.passed,  # type: ignore[attr-defined]
        )  # fmt: skip
        for i, j in enumerate(judged)
    ]


def _flags(
    book: list[Clean], judged: dict[str, Judged], rates: dict[str, object]
) -> tuple[dict[str, bool], object]:
    """Which chunks of a book fail, by their own verdict or by the book's rate check
    (``narrator.verify.rate.flag_rates``, as the flow runs it), and the book's rate."""
    from narrator.speech.piper import CHARS_PER_VOICED_S
    from narrator.verify.rate import flag_rates

    results = results_of([judged[c.chunk_id] for c in book])
    (checked,), rate = flag_rates(
        [results], rates, known_chars_per_s=CHARS_PER_VOICED_S, speed=1.0
    )
    return {r.chunk.id: r.flagged for r in checked}, rate


def _rate_of(j: Judged):  # type: ignore[no-untyped-def]
    from narrator.verify.rate import chunk_rates

    return chunk_rates([results_of([j])])[j.chunk_id]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=40, help="generated chunks (about)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the chunk audio")
    parser.add_argument("--workers", type=int, default=2, help="chunks verified at once")
    parser.add_argument("--kinds", nargs="+", default=None, metavar="WORD",
                        help="only the defect kinds whose names hold one of these words "
                             "(the clean chunks are always judged)")  # fmt: skip
    args = parser.parse_args()

    def wanted(kind: str) -> bool:
        return args.kinds is None or any(w.lower() in kind.lower() for w in args.kinds)

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-defects-"))
    clean = corpus(work, args.chunks)
    books = {c.book: [x for x in clean if x.book == c.book] for c in clean}
    seconds = sum(len(c.samples) / c.sample_rate for c in clean)
    print(f"{len(clean)} clean chunks ({seconds:.0f} s) in {len(books)} books", flush=True)
    out = work / "judged"
    out.mkdir(exist_ok=True)
    pool = ThreadPoolExecutor(args.workers)

    def run(c: Clean, samples: np.ndarray | None, tag: str) -> Judged | None:
        if samples is None:
            return None
        return judge(c, samples, out / f"{c.book}-{c.chunk_id}-{tag}.flac")

    clean_judged = {(c.book, c.chunk_id): j
                    for c, j in zip(clean, pool.map(lambda c: run(c, c.samples, "clean"), clean),
                                    strict=True)}  # fmt: skip
    clean_rates = {k: _rate_of(j) for k, j in clean_judged.items() if j}
    book_rates = {name: {c.chunk_id: clean_rates[(name, c.chunk_id)] for c in book}
                  for name, book in books.items()}  # fmt: skip
    book_judged = {name: {c.chunk_id: clean_judged[(name, c.chunk_id)] for c in book}
                   for name, book in books.items()}  # fmt: skip
    false_alarms = [
        f"{name}/{k}"
        for name, book in books.items()
        for k, v in _flags(book, book_judged[name], book_rates[name])[0].items()
        if v
    ]
    rows = []
    for kind, inject in KINDS.items():
        if not wanted(kind):
            continue
        jobs = []
        for name, book in books.items():
            for i, c in enumerate(book):
                if kind in RATE_KINDS and book_rates[name][c.chunk_id] is None:
                    continue  # too short for the rate check to measure
                other = book[(i + len(book) // 2) % len(book)]
                jobs.append((name, c, inject(c, other)))
        tag = "".join(ch for ch in kind if ch.isalnum())
        judged = pool.map(run, [c for _, c, _ in jobs], [d for _, _, d in jobs], [tag] * len(jobs))
        caught = tried = 0
        codes: dict[str, int] = {}
        for (name, c, _), j in zip(jobs, judged, strict=True):
            if j is None:
                continue  # the chunk cannot take this defect (one sentence only)
            flags, _ = _flags(books[name], {**book_judged[name], c.chunk_id: j},
                              {**book_rates[name], c.chunk_id: _rate_of(j)})  # fmt: skip
            tried += 1
            caught += flags[c.chunk_id]
            for code in dict.fromkeys(d.code.value for d in j.verification.defects):  # type: ignore[attr-defined]
                codes[code] = codes.get(code, 0) + 1
        rows.append((kind, caught, tried, codes))
        print(f"{kind}: {caught}/{tried} {codes}", flush=True)
    # Whole books damaged: every chunk, and the book's rate against the engine's.
    book_rows = []
    for kind, inject in BOOK_KINDS.items():
        if not wanted(kind):
            continue
        for name, book in books.items():
            damaged = [inject(c, c) for c in book]
            judged_list = list(pool.map(run, book, damaged, ["book"] * len(book)))
            judged = {j.chunk_id: j for j in judged_list if j}
            flags, rate = _flags(book, judged, {k: _rate_of(j) for k, j in judged.items()})
            book_rows.append((f"{kind}: {name}", sum(flags.values()), len(book), rate))
    print()
    print("| defect, in one chunk among clean ones | flagged | % | reason codes (verdict) |")
    print("|---|---|---|---|")
    for kind, caught, tried, codes in rows:
        listed = ", ".join(f"{k} {v}" for k, v in sorted(codes.items(), key=lambda x: -x[1]))
        print(f"| {kind} | {caught}/{tried} | {100 * caught / max(tried, 1):.0f} % | {listed} |")
    n = sum(len(b) for b in books.values())
    print(f"| none (clean chunks: false alarms) | {len(false_alarms)}/{n} | "
          f"{100 * len(false_alarms) / n:.1f} % | {', '.join(false_alarms)} |")  # fmt: skip
    print()
    print("| defect, in every chunk of a book | chunks flagged | book rate check |")
    print("|---|---|---|")
    for kind, flagged, total, rate in book_rows:
        print(f"| {kind} | {flagged}/{total} | {rate.detail or 'passed'} |")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
