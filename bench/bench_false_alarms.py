"""Benchmark: how often does verification fail clean speech of real prose?

Excerpts of public-domain novels (the Project Dialogism Novel Corpus: 28 novels, most of
them dialogue-heavy, with their Project Gutenberg texts) are narrated the pipeline's way:
parsed and packed by :func:`narrator.parse.parse_book`, then each chapter's chunks go
through :func:`narrator.synthesis.narrate_batch` in the flow's verification batches,
with the real engines, and the book-level rate check over the whole excerpt. Nothing is
damaged: every flag is a false alarm unless the audio is wrong, so each flag is listed
with what was heard, for a person to check.

The corpus has no licence of its own, so it is not committed; fetch it yourself
(``github:Priya22/project-dialogism-novel-corpus``) and pass its git directory (a bare
mirror is enough: texts are read with ``git show``).

Configurations: Piper (``piper``), Kokoro voices (``kokoro:af_heart``) and the remote
path (``remote:words``, ``remote:segments``, ``remote:text``: Kokoro af_heart audio heard
by ``narrate serve``'s Whisper through the OpenAI-compatible API, as a paid verifier is
used: no word timings, batches attributed from what the server gives; ``remote:embedded``:
the same audio as a remote API's, heard by the embedded Whisper, as when a server that
cannot transcribe speaks). Novels are split
into a *fit* set, on which thresholds may be tuned, and a *test* set, reported apart.

    .venv/bin/python -m bench.bench_false_alarms --corpus DIR --work /tmp/fa \\
        --configs piper kokoro:af_heart kokoro:am_michael kokoro:bf_emma --set fit test

Synthesized audio and every transcription are cached in ``--work`` by content, so a
second run re-judges in seconds without loading a model: that is how thresholds are
tried. Each attempt of a chunk is cached apart (``n``-th synthesis of a text), so Piper's
re-takes are real re-takes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

FIT = ("AlicesAdventuresInWonderland", "PrideAndPrejudice", "OliverTwist",
       "AnneOfGreenGables", "TheSignOfTheFour")  # fmt: skip
"""Novels thresholds may be tuned on."""

TEST = ("Emma", "ThePictureOfDorianGray", "HardTimes", "TheManWhoWasThursday", "Persuasion",
        "TheAwakening", "TheMysteriousAffairAtStyles", "ARoomWithAView", "DaisyMiller",
        "NorthangerAbbey")  # fmt: skip
"""Novels only reported on, never tuned on."""

START_AT = 0.4
"""Where an excerpt starts, as a share of the novel's text: past its opening chapter."""


# --- the corpus -------------------------------------------------------------------------


def novel_text(corpus: Path, novel: str) -> str:
    """A novel's text from the corpus (a work tree or a bare git directory)."""
    path = corpus / "data" / novel / "novel_text.txt"
    if path.is_file():
        return path.read_text("utf-8")
    return subprocess.run(
        ["git", f"--git-dir={corpus}", "show", f"HEAD:data/{novel}/novel_text.txt"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


_HEADING = re.compile(r"^(chapter|book|part|volume|stave)\b|^[ivxlc]+\.?$", re.IGNORECASE)


def excerpt(text: str, chars: int) -> list[str]:
    """About ``chars`` characters of whole paragraphs from ``START_AT`` into ``text``,
    unwrapped; headings and one-line separators are left out."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    paragraphs = [p for p in paragraphs if p and not _HEADING.match(p) and len(p) > 3]
    out: list[str] = []
    for p in paragraphs[int(START_AT * len(paragraphs)) :]:
        out.append(p)
        if sum(map(len, out)) >= chars:
            break
    return out


def manuscript(corpus: Path, novel: str, work: Path, chars: int) -> Path:
    """The excerpt of ``novel`` as a one-chapter Markdown manuscript in ``work``."""
    path = work / "books" / f"{novel}.md"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(excerpt(novel_text(corpus, novel), chars))
        path.write_text(f"# {novel}\n\n## Excerpt\n\n{body}\n", "utf-8")
    return path


# --- engines that remember ----------------------------------------------------------------


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


class CachedSpeech:
    """A speech engine whose ``n``-th synthesis of a text is kept in ``folder`` and
    reused; counts the syntheses asked for (``calls``) and made (``made``)."""

    def __init__(self, engine: object, folder: Path) -> None:
        self._engine = engine
        self._folder = folder
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.calls = self.made = 0
        for name in ("identity", "voice", "credit", "capabilities", "max_input_chars"):
            setattr(self, name, getattr(engine, name))
        folder.mkdir(parents=True, exist_ok=True)

    def reset(self) -> None:
        """Start counting takes anew (a new judging run)."""
        self._seen.clear()
        self.calls = 0

    def learn_truncation(self, chars_spoken: int) -> int | None:
        return None

    def synthesize(self, text: str, *, label: str = "") -> object:
        from narrator.speech.base import Speech

        base = _digest(self.identity, text)
        with self._lock:
            self._seen[base] += 1
            take = self._seen[base]
            self.calls += 1
        path = self._folder / f"{base}.{take}.flac"
        meta = path.with_suffix(".json")
        if path.is_file() and meta.is_file():
            samples, rate = sf.read(path, dtype="float32")
            return Speech(samples, rate)
        speech = self._engine.synthesize(text, label=label)  # type: ignore[attr-defined]
        sf.write(path, speech.samples, speech.sample_rate, subtype="PCM_24")
        meta.write_text(json.dumps({"text": text}))
        with self._lock:
            self.made += 1
        return speech


class CachedTranscriber:
    """A transcriber whose hearing of each audio content is kept in ``folder``; counts
    requests asked for (``calls``)."""

    def __init__(self, transcriber: object, folder: Path) -> None:
        self._inner = transcriber
        self._folder = folder
        self._lock = threading.Lock()
        self.calls = 0
        self.identity = transcriber.identity  # type: ignore[attr-defined]
        self.capabilities = transcriber.capabilities  # type: ignore[attr-defined]
        folder.mkdir(parents=True, exist_ok=True)

    def _cached(self, kind: str, audio_path: Path, hear: object) -> object:
        key = self._folder / f"{_digest(self.identity, kind, audio_path.read_bytes())}.json"
        with self._lock:
            self.calls += 1
        if key.is_file():
            return json.loads(key.read_text())
        value = hear()  # type: ignore[operator]
        key.write_text(json.dumps(value))
        return value

    def transcribe(self, audio_path: Path, *, label: str = "") -> str:
        return self._cached(  # type: ignore[return-value]
            "text", audio_path, lambda: self._inner.transcribe(audio_path, label=label)
        )

    def transcribe_timed(self, audio_path: Path, *, label: str = "") -> tuple:
        from narrator.verify.base import HeardSegment

        segments = self._cached("timed", audio_path, lambda: [
            s.model_dump() for s in self._inner.transcribe_timed(audio_path, label=label)
        ])  # fmt: skip
        return tuple(HeardSegment(**s) for s in segments)  # type: ignore[union-attr]


# --- judging ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What verification made of one configuration's clean chunks."""

    chunks: int = 0
    flagged: list[dict] = field(default_factory=list)
    first_take_failed: Counter[str] = field(default_factory=Counter)
    final_codes: Counter[str] = field(default_factory=Counter)
    syntheses: int = 0
    transcriptions: int = 0
    book_rate_failed: list[str] = field(default_factory=list)
    rates: list[dict] = field(default_factory=list)
    heard: list[tuple[str, str]] = field(default_factory=list)
    """Each clean chunk's text and what its kept verdict heard."""
    unheard: list[dict] = field(default_factory=list)
    """Each clean chunk's first hearing's most unaccounted voiced stretch (seconds) and
    the heard words in and beside it."""
    """Each measured chunk's rate against its book's median (``off``, a ratio - 1), its
    voiced seconds, and whether it was judged against its engine's timing."""


class _Failures(logging.Handler):
    """Collects each chunk's failed attempts from ``narrator.progress``."""

    def __init__(self) -> None:
        super().__init__()
        self.failed: dict[str, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if "failed verification" in record.msg:
            chunk_id, _attempt, reason = record.args  # type: ignore[misc]
            self.failed.setdefault(str(chunk_id), []).append(str(reason))


@contextmanager
def _stretches() -> Iterator[dict[str, list]]:
    """Record what ``verify_chunk`` sees of unheard speech, by spoken text, while judging."""
    import narrator.verify.verdict as verdict
    from narrator.verify.envelope import envelope
    from narrator.verify.unheard import unheard_stretch

    seen: dict[str, list] = {}
    original = verdict.verify_chunk

    def recording(spoken, heard, samples, sample_rate, **kwargs):  # type: ignore[no-untyped-def]
        verdict_ = original(spoken, heard, samples, sample_rate, **kwargs)
        words = kwargs.get("words")
        if words is not None:
            stretch = unheard_stretch(envelope(samples, sample_rate), words)
            seen.setdefault(spoken, []).append((stretch, verdict_))
        return verdict_

    verdict.verify_chunk = recording  # type: ignore[assignment]
    try:
        yield seen
    finally:
        verdict.verify_chunk = original  # type: ignore[assignment]


@contextmanager
def _failures() -> Iterator[_Failures]:
    handler = _Failures()
    logger = logging.getLogger("narrator.progress")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def judge_book(
    book: Path, speech: CachedSpeech, transcriber: CachedTranscriber, *, chunks: int,
    max_attempts: int, outcome: Outcome, label: str,
) -> None:  # fmt: skip
    """Narrate the first ``chunks`` chunks of ``book`` the pipeline's way into a scratch
    store and add what verification made of them to ``outcome``."""
    from narrator.config import NarrationParams
    from narrator.engines import Engines
    from narrator.parse import parse_book
    from narrator.plan import verification_batches
    from narrator.store import BookPaths
    from narrator.synthesis import narrate_batch
    from narrator.verify.rate import check_rates, chunk_rates

    params = NarrationParams(manuscript=book, voice=speech.voice)
    parsed = parse_book(params)
    chosen = [c for chapter in parsed.chunks for c in chapter][:chunks]
    engines = Engines(speech=speech, transcriber=transcriber, provider=None)  # type: ignore[arg-type]
    speech.reset()
    before_s, before_t = speech.calls, transcriber.calls
    with tempfile.TemporaryDirectory() as scratch, _failures() as failures, \
            _stretches() as stretches:
        paths = BookPaths.for_book(Path(scratch), parsed.book.slug)
        paths.chunks_dir.mkdir(parents=True)
        batches = verification_batches(chosen, transcriber.capabilities, speed=1.0)
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(lambda b: narrate_batch(
                b, engines, paths, max_attempts=max_attempts, speed=1.0), batches))  # fmt: skip
        by_id = {r.chunk.id: r for batch in done for r in batch}
        results = [by_id[c.id] for c in chosen]
        (checked,), rate = check_rates([results], known_chars_per_s=None, speed=1.0)
        spoken = {r.chunk.id: r.chunk.spoken for r in results}
        outcome.rates += _rates(chunk_rates([results]), spoken, label)
    if not rate.passed:
        outcome.book_rate_failed.append(f"{label}: {rate.detail}")
    outcome.chunks += len(checked)
    outcome.syntheses += speech.calls - before_s
    outcome.transcriptions += transcriber.calls - before_t
    for result in checked:
        outcome.heard.append((result.chunk.spoken, result.verification.heard))
        # The hearing the verdict kept: the one that passed, else the first one's
        # unless only the transcript failed it (then the second hearing counts).
        heard = stretches.get(result.chunk.spoken, [])
        kept = next((st for st, v in heard if v.passed), None) or next(
            (st for st, v in heard
             if not {d.code.value for d in v.defects} & {"dropped", "truncated"}),
            None)  # fmt: skip
        if kept is not None:
            outcome.unheard.append({
                "book": label, "chunk": result.chunk.id, "surplus_s": kept.surplus_s,
                "words": " ".join(w.text for w in kept.words)})  # fmt: skip
        first = failures.failed.get(result.chunk.id)
        if first:
            outcome.first_take_failed[_code_of(first[0], result)] += 1
        if result.flagged:
            codes = [d.code.value for d in result.verification.defects]
            outcome.final_codes.update(set(codes))
            outcome.flagged.append({
                "book": label, "chunk": result.chunk.id, "attempts": result.attempts,
                "codes": codes, "reason": result.verification.reason,
                "text": result.chunk.spoken, "heard": result.verification.heard,
                "wer": round(result.verification.wer, 3),
            })  # fmt: skip


def _rates(rates: dict, spoken: dict[str, str], label: str) -> list[dict]:
    """Each measured chunk's rate off its book's median, as ``flag_rates`` compares."""
    import statistics

    from narrator.verify.rate import characters

    measured = {k: r for k, r in rates.items() if r is not None}
    timed = bool(measured) and all(r.expected_chars_per_s for r in measured.values())
    values = {k: r.chars_per_s / (r.expected_chars_per_s if timed else 1.0)
              for k, r in measured.items()}  # fmt: skip
    if not values:
        return []
    median = statistics.median(values.values())
    cps = statistics.median(r.chars_per_s for r in measured.values())
    return [{"book": label, "chunk": k, "off": v / median - 1, "timed": timed,
             "cps_off": measured[k].chars_per_s / cps - 1,
             "voiced_s": characters(spoken[k]) / measured[k].chars_per_s}
            for k, v in values.items()]  # fmt: skip


_CODE_WORDS = (("speech at", "unheard"), ("is heard twice", "repeated"),
               ("of silence", "silence"), ("inside a word", "clipped"),
               ("missing in a row", "dropped"), ("extra words", "mismatch"),
               ("misheard", "mismatch"), ("errors in", "mismatch"), ("too short", "truncated"),
               ("too long", "noise"), ("nothing was heard", "noise"))  # fmt: skip


def _code_of(reason: str, result: object) -> str:
    """The detector a failed attempt's reason names."""
    return next((code for words, code in _CODE_WORDS if words in reason), "other")


# --- configurations -----------------------------------------------------------------------


def _transcriber(config: str, work: Path, stack: list) -> CachedTranscriber:
    from narrator.verify.faster_whisper import WhisperTranscriber

    if not config.startswith("remote:") or config == "remote:embedded":
        return CachedTranscriber(WhisperTranscriber(), work / "heard" / "embedded")
    from narrator.config import NarrationParams, RemoteSettings
    from narrator.engines import engines_for
    from narrator.server import ServeConfig, SpeechServer

    detail = config.split(":", 1)[1]
    server = SpeechServer(ServeConfig(port=0, transcription_detail=detail))  # type: ignore[arg-type]
    server.start()
    stack.append(server)
    from narrator.server.config import TRANSCRIPTION_MODEL

    remote = RemoteSettings(base_url=server.url, asr_model=TRANSCRIPTION_MODEL)
    params = NarrationParams(manuscript=Path("unused.md"), verify="remote", remote=remote)
    remote = engines_for(params).transcriber
    return CachedTranscriber(remote, work / "heard" / f"remote-{detail}")


def _speech(config: str, work: Path) -> CachedSpeech:
    from narrator.engines import embedded_voices, voice_engine

    voice = "af_heart" if config.startswith("remote:") else config.partition(":")[2]
    if config == "piper":
        voice = "en_US-joe-medium"
    found = next(v for v in embedded_voices() if v.name == voice)
    speech = CachedSpeech(voice_engine(found), work / "audio" / voice)
    if config.startswith("remote:"):
        from narrator.speech.openai_compat import capabilities

        # Kokoro's audio as a remote API serves it: paid, timed by nothing narrator
        # knows, the voice not measured.
        speech.capabilities = capabilities(speech.max_input_chars)
    return speech


def run(args: argparse.Namespace) -> dict:
    novels = [n for s in args.set for n in (FIT if s == "fit" else TEST)]
    books = [(n, manuscript(args.corpus, n, args.work, args.chars)) for n in novels]
    report: dict = {}
    for config in args.configs:
        servers: list = []
        try:
            speech = _speech(config, args.work)
            transcriber = _transcriber(config, args.work, servers)
            for part in args.set:
                outcome = Outcome()
                for novel, path in books:
                    if novel not in (FIT if part == "fit" else TEST):
                        continue
                    judge_book(path, speech, transcriber, chunks=args.chunks,
                               max_attempts=args.max_attempts, outcome=outcome,
                               label=novel)  # fmt: skip
                report[f"{config} {part}"] = outcome
                _print(f"{config} {part}", outcome)
        finally:
            for server in servers:
                server.stop()
    return report


def _print(name: str, o: Outcome) -> None:
    share = len(o.flagged) / o.chunks if o.chunks else 0.0
    print(f"\n## {name}: {len(o.flagged)}/{o.chunks} flagged ({share:.1%}); "
          f"first takes failed {sum(o.first_take_failed.values())} "
          f"{dict(o.first_take_failed)}; final codes {dict(o.final_codes)}; "
          f"syntheses {o.syntheses}, transcriptions {o.transcriptions}")  # fmt: skip
    for line in o.book_rate_failed:
        print(f"   book rate: {line}")
    for f in o.flagged:
        print(f"   {f['book']} {f['chunk']} x{f['attempts']} {f['codes']}: {f['reason']}")
        print(f"      said:  {f['text'][:300]}")
        print(f"      heard: {f['heard'][:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True,
                        help="the corpus's git directory or work tree")
    parser.add_argument("--work", type=Path, required=True, help="cache folder")
    parser.add_argument("--configs", nargs="+", default=["piper"])
    parser.add_argument("--set", nargs="+", choices=("fit", "test"), default=["fit"])
    parser.add_argument("--chunks", type=int, default=30, help="chunks per novel")
    parser.add_argument("--chars", type=int, default=9000, help="characters per excerpt")
    parser.add_argument("--max-attempts", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the outcome here")
    args = parser.parse_args()
    report = run(args)
    if args.json:
        args.json.write_text(json.dumps(
            {k: {**v.__dict__, "first_take_failed": dict(v.first_take_failed),
                 "final_codes": dict(v.final_codes)} for k, v in report.items()},
            indent=1))  # fmt: skip


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
