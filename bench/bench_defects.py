"""Benchmark: does verification catch what a listener hears?

Real chunks of one embedded voice (Piper's ``en_US-joe-medium`` or a Kokoro voice) are
damaged on purpose, one defect kind at a time, then verified the way the pipeline
verifies a chunk: the real faster-whisper transcriber and
:func:`narrator.verify.verdict.hear_and_judge` (as ``narrator.synthesis`` calls it, with
the voice's limit of unheard speech), then the book-level rate check
:func:`narrator.verify.rate.flag_rates` over the chunks of each book (one damaged chunk
among its clean neighbours, each held against its clean take's length, the voice's own
timing of its text, as ``narrator.synthesis`` keeps it in ``ChunkAudio.reference_s``;
whole books damaged are judged by the book's rate). The table gives the share of damaged
chunks flagged per kind, and the false alarms on the clean chunks.

The books are the sample, a generated text, and excerpts of novels of the Project
Dialogism Novel Corpus (``bench.bench_false_alarms``: the corpus has no licence, so it
is not committed; pass its git directory, a bare mirror is enough).

Run by hand (results are quoted in the README):

    .venv/bin/python -m bench.bench_defects                # Piper: sample + 58 generated chunks
    .venv/bin/python -m bench.bench_defects --chunks 20    # fewer generated chunks
    .venv/bin/python -m bench.bench_defects --work /tmp/d  # keep the synthesized chunks
    .venv/bin/python -m bench.bench_defects --kinds repeated silence  # only these kinds
    .venv/bin/python -m bench.bench_defects --voice af_heart --work /tmp/d  # a Kokoro voice
    .venv/bin/python -m bench.bench_defects --voice bf_emma --work /tmp/d \
        --corpus DIR --novels Emma HardTimes --chunks-per-novel 30   # real prose as well
    .venv/bin/python -m bench.bench_defects --voice am_michael --work /tmp/d \
        --no-sample --chunks 0 --corpus DIR --novels Emma   # real prose only

The synthesized clean chunks (per voice, in ``--work/<voice>/``; each take, stored as it
came, is its own timing) and what the transcriber heard in every chunk are kept in
``--work`` (a temporary folder otherwise), so a second run with the same folder skips
synthesis and transcription and only judges again.

Where a defect needs the chunk's sentences (a sentence dropped, replaced by noise or by
another's), they are found from the text, its timed transcript and the envelope
(``_sentences``), not from the audio alone, because Kokoro marks no sentence break in
its audio. kokoro-onnx 0.6.1 inserts its ``sentence_pause`` as exact zeros only where it
joins phoneme batches (a text of more than 510 phonemes; after every mark only for a
model that reports durations, which the int8 export narrator uses does not), so a chunk
of 450 characters is spoken in one pass with the model's own pauses. Measured on 59
clean Kokoro chunks (af_heart: the sample and 8 chunks each of Emma, Pride and
Prejudice and Hard Times; am_michael and bf_emma: 5 chunks each of two novels): runs of
exact zeros of 0.1 s or more, 9 in all and none in am_michael's, are its quietest pauses
rounded to 16 bits, not its sentence breaks. Silences (``SILENT_BELOW_DB``) at the
text's sentence breaks lasted 0.08-0.68 s for af_heart (median 0.50 s), 0.11-0.81 s for
am_michael and 0.08-0.90 s for bf_emma, and pauses inside sentences (commas, dashes)
up to 0.62, 0.52 and 0.66 s: no length tells them apart (0.25 s, the best, split 21 of
af_heart's 39 chunks into exactly their sentences). Located by the transcript instead,
35 of af_heart's 38 breaks were cut, 8 of 10 and 8 of 9 for the other two (the rest
were next to a name tiny.en misheard, "Aida" for "Ada"), and every span, heard alone by
tiny.en, was its sentences but for such mishearings. On the 39 Piper chunks of the same
texts, 34 of 38 breaks were cut, each on Piper's 0.3 s of exact zeros.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inputs" / "the-keeper-of-tern-rock.md"
PIPER = "en_US-joe-medium"
RATE_CHANGE = 1.08
"""The speed defects: 8 % faster or slower."""

CHARS_PER_CHUNK = 500
"""Characters of a novel's excerpt taken per chunk wanted: more than a chunk holds
(450 at most, ``DEFAULT_MAX_INPUT_CHARS``), so the excerpt has enough chunks."""


@dataclass(frozen=True)
class Book:
    """A manuscript to take chunks from: its first ``chunks`` chunks (None: all)."""

    name: str
    path: Path
    chunks: int | None = None


@dataclass(frozen=True)
class Clean:
    """One clean chunk of a book: its text, its audio (mono float32) and its timing in
    seconds, as ``narrator.synthesis`` keeps it with the chunk (``ChunkAudio.reference_s``:
    the take's length when its engine's takes are their voice's own timing,
    ``SpeechCapabilities.timed_takes``; None otherwise)."""

    book: str
    chunk_id: str
    spoken: str
    samples: np.ndarray
    sample_rate: int
    reference_s: float | None
    path: Path  # the audio, as a 16-bit FLAC (as ``narrator.synthesis`` stores a chunk)


def books(
    work: Path, generated_chunks: int, *, sample: bool = True, corpus: Path | None = None,
    novels: Sequence[str] = (), chunks_per_novel: int = 30,
) -> list[Book]:  # fmt: skip
    """The books to damage: the sample, a generated text of about ``generated_chunks``
    chunks (none for 0), and the first ``chunks_per_novel`` chunks of an excerpt of each
    of ``novels`` from the Project Dialogism Novel Corpus at ``corpus`` (its git
    directory), written to ``work`` (``bench.bench_false_alarms``; never committed: the
    corpus has no licence)."""
    from bench.bench_false_alarms import manuscript as novel_manuscript
    from bench.generate import manuscript

    work.mkdir(parents=True, exist_ok=True)
    out = [Book("sample", SAMPLE)] if sample else []
    if generated_chunks:
        generated = work / "generated.md"
        # About 330 characters per Piper chunk.
        text = manuscript(330 * generated_chunks, chapters=2, seed=11)
        generated.write_text(text, "utf-8")
        out.append(Book("generated", generated))
    chars = CHARS_PER_CHUNK * chunks_per_novel
    for novel in novels:
        # The excerpt is kept under its length: a longer one is another file.
        path = novel_manuscript(corpus, novel, work / f"novels-{chars}", chars)  # type: ignore[arg-type]
        out.append(Book(novel, path, chunks_per_novel))
    return out


def _chunks_of(book: Book, voice: str) -> list[tuple[str, str]]:
    """The chunks ``voice``'s engine is given, as the pipeline packs them."""
    from narrator.config import NarrationParams
    from narrator.parse import parse_book

    parsed = parse_book(NarrationParams(manuscript=book.path, voice=voice))
    return [(c.id, c.spoken) for chapter in parsed.chunks for c in chapter][: book.chunks]


def clean_chunks(work: Path, books: Sequence[Book], voice: str = PIPER) -> list[Clean]:
    """The clean chunks of ``books`` in ``voice`` (any embedded voice), synthesized once
    and kept in ``work/<voice>/`` as the pipeline stores a take (16-bit FLAC, its length
    unchanged)."""
    from narrator.audio.io import write_flac
    from narrator.engines import embedded_voices, voice_engine

    engine = voice_engine(next(v for v in embedded_voices() if v.name == voice))
    folder = work / voice
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Clean] = []
    for book in books:
        for chunk_id, spoken in _chunks_of(book, voice):
            digest = hashlib.sha256(f"{engine.identity}\0{spoken}".encode()).hexdigest()[:10]
            audio = folder / f"{book.name}-{chunk_id}-{digest}.flac"
            if not audio.is_file():
                speech = engine.synthesize(spoken, label=chunk_id)
                write_flac(audio, speech.samples, speech.sample_rate)
            samples, rate = sf.read(audio, dtype="float32")
            timing = len(samples) / rate if engine.capabilities.timed_takes else None
            out.append(Clean(book.name, chunk_id, spoken, samples, rate, timing, audio))
    return out


# --- where to cut: sentences (text and timed transcript) and word boundaries (envelope) --


SENTENCE_SLACK_S = 0.2
"""How far a sentence break's pause may lie outside the gap between the words tiny.en
times on either side of it, seconds: its word timestamps reach into pauses or stop
short of them by about a tenth of a second."""


def _sentences(c: Clean) -> list[tuple[int, int]]:
    """Sample spans of the chunk's sentences, the pauses between them left out.

    The sentences are the text's (``narrator.text.sentences``); each break is placed at the
    longest silent stretch of the envelope (``SILENT_BELOW_DB``) between the last word of
    one sentence and the first of the next, as the clean chunk's timed transcript places
    them (the verifier's word alignment). A break whose two words were not heard as said,
    or with no silence between them, is not cut: its sentences stay one span. The audio
    alone would do for Piper, which joins its sentences with 0.3 s of exact zeros
    (``SENTENCE_GAP_S``), not for Kokoro, which speaks a chunk in one pass with pauses of
    its own choosing (the module's docstring gives the measurement).
    """
    from narrator.text.normalize import normalize_words
    from narrator.text.sentences import split_sentences
    from narrator.verify.envelope import envelope
    from narrator.verify.scoring import _regions

    expected: list[str] = []
    ends: list[int] = []  # expected words up to each sentence's end
    for sentence in split_sentences(c.spoken):
        expected += normalize_words(sentence)
        ends.append(len(expected))
    heard = [(w, seg) for seg in TRANSCRIBER.transcribe_timed(c.path) for w in
             normalize_words(seg.text)]  # fmt: skip
    # Between the alignment's error regions, heard word k is expected word k.
    at: dict[int, int] = {}
    ref = hyp = 0
    regions = _regions(expected, [w for w, _ in heard]) if expected and heard else []
    for ref_start, ref_end, _, hyp_end in [*regions, (len(expected), 0, len(heard), 0)]:
        at.update({ref + k: hyp + k for k in range(ref_start - ref)})
        ref, hyp = ref_end, hyp_end
    silences = envelope(c.samples, c.sample_rate).internal_silences(0.0)
    cuts = [0]
    for end in ends[:-1]:
        if end - 1 not in at or end not in at:
            continue
        after, before = heard[at[end - 1]][1].end_s, heard[at[end]][1].start_s
        near = [(a, b) for a, b in silences if b >= after - SENTENCE_SLACK_S
                and a <= before + SENTENCE_SLACK_S and a * c.sample_rate > cuts[-1]]  # fmt: skip
        if near:
            a, b = max(near, key=lambda run: run[1] - run[0])
            cuts += [round(a * c.sample_rate), round(b * c.sample_rate)]
    cuts.append(len(c.samples))
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
    PCM at 22,050 Hz read as 24 kHz."""

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
    sample_rate: int
    duration_s: float
    reference_s: float | None  # the clean chunk's ``reference_s``, as the chunk keeps it
    verification: object  # narrator.models.Verification


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


def judge(
    c: Clean, samples: np.ndarray | None, path: Path, *, unheard_s: float | None
) -> Judged:
    """Write ``samples`` as the chunk's FLAC (None: the clean chunk's own file), hear it
    with the real faster-whisper transcriber and judge it with the real verdict, as
    ``narrator.synthesis`` does with the voice's limit of unheard speech (``unheard_s``,
    ``SpeechCapabilities.unheard_s``)."""
    from narrator.audio.io import write_flac
    from narrator.verify.verdict import hear_and_judge, heard_text

    if samples is None:
        path = c.path
    else:
        write_flac(path, samples, c.sample_rate)
    # A chunk heard alone by the free transcriber: its words timed (``narrator.synthesis``).
    words = TRANSCRIBER.transcribe_timed(path, label=c.chunk_id)
    verification = hear_and_judge(TRANSCRIBER, path, c.spoken, heard_text(words), speed=1.0,  # type: ignore[arg-type]
                                  words=words, unheard_s=unheard_s)  # fmt: skip
    return Judged(c.chunk_id, c.spoken, path, c.sample_rate, verification.duration_s,
                  c.reference_s, verification)  # fmt: skip


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
                chunk_id=j.chunk_id, path=j.path, sample_rate=j.sample_rate,
                duration_s=j.duration_s, reference_s=j.reference_s,
            ),
            verification=j.verification,
            attempts=1,
            flagged=not j.verification.passed,  # type: ignore[attr-defined]
        )  # fmt: skip
        for i, j in enumerate(judged)
    ]


def _flags(
    book: list[Clean],
    judged: dict[str, Judged],
    rates: dict[str, object],
    *,
    known_chars_per_s: float | None,
) -> tuple[dict[str, bool], object]:
    """Which chunks of a book fail, by their own verdict or by the book's rate check
    (``narrator.verify.rate.flag_rates``, as the flow runs it with the engine's
    ``known_chars_per_s``), and the book's rate."""
    from narrator.verify.rate import flag_rates

    results = results_of([judged[c.chunk_id] for c in book])
    (checked,), rate = flag_rates([results], rates, known_chars_per_s=known_chars_per_s, speed=1.0)
    return {r.chunk.id: r.flagged for r in checked}, rate


def _rate_of(j: Judged):  # type: ignore[no-untyped-def]
    from narrator.verify.rate import chunk_rates

    return chunk_rates([results_of([j])])[j.chunk_id]


def main() -> None:
    from narrator.engines import embedded_voices, voice_engine

    voices = {v.name: v for v in embedded_voices()}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default=PIPER, choices=voices, metavar="NAME",
                        help=f"the embedded voice that speaks the chunks (default {PIPER}): "
                             f"{', '.join(voices)}")  # fmt: skip
    parser.add_argument("--chunks", type=int, default=40,
                        help="generated chunks (about; 0: no generated text)")  # fmt: skip
    parser.add_argument("--no-sample", dest="sample", action="store_false",
                        help="leave the bundled sample out")  # fmt: skip
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                        help="the Project Dialogism Novel Corpus (its git directory)")  # fmt: skip
    parser.add_argument("--novels", nargs="+", default=[], metavar="NOVEL",
                        help="novels of --corpus (its data/ folder names)")  # fmt: skip
    parser.add_argument("--chunks-per-novel", type=int, default=30, metavar="N",
                        help="the first N chunks of each novel's excerpt")  # fmt: skip
    parser.add_argument("--work", type=Path, default=None, help="folder for the chunk audio")
    parser.add_argument("--workers", type=int, default=2, help="chunks verified at once")
    parser.add_argument("--kinds", nargs="+", default=None, metavar="WORD",
                        help="only the defect kinds whose names hold one of these words "
                             "(the clean chunks are always judged)")  # fmt: skip
    args = parser.parse_args()
    if args.novels and args.corpus is None:
        parser.error("--novels needs --corpus DIR")
    if not (args.sample or args.chunks or args.novels):
        parser.error("no books: drop --no-sample, or give --chunks or --novels")

    def wanted(kind: str) -> bool:
        return args.kinds is None or any(w.lower() in kind.lower() for w in args.kinds)

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-defects-"))
    try:
        chosen = books(work, args.chunks, sample=args.sample, corpus=args.corpus,
                       novels=args.novels, chunks_per_novel=args.chunks_per_novel)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        parser.error(f"a novel is not in {args.corpus}: {exc.stderr.strip()}")
    clean = clean_chunks(work, chosen, args.voice)
    books_of = {c.book: [x for x in clean if x.book == c.book] for c in clean}
    # Judged and rate-checked as the pipeline does for this voice.
    capabilities = voice_engine(voices[args.voice]).capabilities
    judging = functools.partial(judge, unheard_s=capabilities.unheard_s)
    flags_of = functools.partial(_flags, known_chars_per_s=capabilities.chars_per_s)
    seconds = sum(len(c.samples) / c.sample_rate for c in clean)
    ran_on = (f"Voice {args.voice}; {len(clean)} clean chunks ({seconds:.0f} s) in "
              f"{len(books_of)} books: "
              + ", ".join(f"{name} ({len(book)})" for name, book in books_of.items())
              + (f"; novels from {args.corpus}" if args.novels else ""))  # fmt: skip
    print(ran_on, flush=True)
    out = work / args.voice / "judged"
    out.mkdir(exist_ok=True)
    pool = ThreadPoolExecutor(args.workers)

    def run(c: Clean, samples: np.ndarray | None, tag: str) -> Judged | None:
        if samples is None:
            return None  # the chunk cannot take this defect
        return judging(c, samples, out / f"{c.book}-{c.chunk_id}-{tag}.flac")

    # The clean chunks are judged as stored, their timed hearing kept for _sentences.
    clean_judged = {(c.book, c.chunk_id): j
                    for c, j in zip(clean, pool.map(lambda c: judging(c, None, c.path), clean),
                                    strict=True)}  # fmt: skip
    clean_rates = {k: _rate_of(j) for k, j in clean_judged.items() if j}
    book_rates = {name: {c.chunk_id: clean_rates[(name, c.chunk_id)] for c in book}
                  for name, book in books_of.items()}  # fmt: skip
    book_judged = {name: {c.chunk_id: clean_judged[(name, c.chunk_id)] for c in book}
                   for name, book in books_of.items()}  # fmt: skip
    false_alarms = [
        f"{name}/{k}"
        for name, book in books_of.items()
        for k, v in flags_of(book, book_judged[name], book_rates[name])[0].items()
        if v
    ]
    rows = []
    for kind, inject in KINDS.items():
        if not wanted(kind):
            continue
        jobs = []
        for name, book in books_of.items():
            for i, c in enumerate(book):
                if kind in RATE_KINDS and book_rates[name][c.chunk_id] is None:
                    continue  # too short for the rate check to measure
                other = book[(i + len(book) // 2) % len(book)]
                jobs.append((name, c, inject(c, other)))
        tag = "".join(ch for ch in kind if ch.isalnum())
        judged = pool.map(run, [c for _, c, _ in jobs], [d for _, _, d in jobs], [tag] * len(jobs))
        caught = tried = 0
        codes: dict[str, int] = {}
        missed: list[str] = []
        for (name, c, _), j in zip(jobs, judged, strict=True):
            if j is None:
                continue  # the chunk cannot take this defect (one sentence only)
            flags, _ = flags_of(books_of[name], {**book_judged[name], c.chunk_id: j},
                                {**book_rates[name], c.chunk_id: _rate_of(j)})  # fmt: skip
            tried += 1
            caught += flags[c.chunk_id]
            if not flags[c.chunk_id]:
                missed.append(f"  missed {name}/{c.chunk_id}: heard "
                              f"{j.verification.heard[:200]!r}")  # type: ignore[attr-defined]  # fmt: skip
            for code in dict.fromkeys(d.code.value for d in j.verification.defects):  # type: ignore[attr-defined]
                codes[code] = codes.get(code, 0) + 1
        rows.append((kind, caught, tried, codes))
        print(f"{kind}: {caught}/{tried} {codes}", *missed, sep="\n", flush=True)
    # Whole books damaged: every chunk, and the book's rate against the engine's.
    book_rows = []
    for kind, inject in BOOK_KINDS.items():
        if not wanted(kind):
            continue
        for name, book in books_of.items():
            damaged = [inject(c, c) for c in book]
            tag = "book" + "".join(ch for ch in kind if ch.isalnum())
            judged_list = list(pool.map(run, book, damaged, [tag] * len(book)))
            judged = {j.chunk_id: j for j in judged_list if j}
            rates = {k: _rate_of(j) for k, j in judged.items()}
            flags, rate = flags_of(book, judged, rates)
            book_rows.append((f"{kind}: {name}", sum(flags.values()), len(book), rate))
    print()
    print(ran_on)
    print()
    print("| defect, in one chunk among clean ones | flagged | % | reason codes (verdict) |")
    print("|---|---|---|---|")
    for kind, caught, tried, codes in rows:
        listed = ", ".join(f"{k} {v}" for k, v in sorted(codes.items(), key=lambda x: -x[1]))
        print(f"| {kind} | {caught}/{tried} | {100 * caught / max(tried, 1):.0f} % | {listed} |")
    n = sum(len(b) for b in books_of.values())
    print(f"| none (clean chunks: false alarms) | {len(false_alarms)}/{n} | "
          f"{100 * len(false_alarms) / n:.1f} % | {', '.join(false_alarms)} |")  # fmt: skip
    if book_rows:
        print()
        print("| defect, in every chunk of a book | chunks flagged | book rate check |")
        print("|---|---|---|")
    for kind, flagged, total, rate in book_rows:
        print(f"| {kind} | {flagged}/{total} | {rate.detail or 'passed'} |")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
