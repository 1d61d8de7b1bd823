"""Benchmark: how Whisper base hears clean Kokoro speech of real prose in each language,
the evidence behind ``narrator.verify.languages.RULES``.

Run by hand (about 15 CPU-minutes for all languages; audio and transcripts are cached
in ``--work``, so a re-run only scores):

    npm pack kokoro-js@1.2.1 && tar xzf kokoro-js-1.2.1.tgz    # the voices, once
    .venv/bin/python -m bench.bench_language_thresholds --voices package/voices
    .venv/bin/python -m bench.bench_language_thresholds --voices package/voices --language zh

Each passage of ``bench/language_passages.py`` is spoken by one of the language's Kokoro
voices in turn (espeak-ng phonemes; misaki's G2P for Mandarin and Japanese, as the
engine speaks them) and heard by ``WhisperTranscriber(language=...)`` twice, without and
with word timestamps, as verification hears chunks. For each hearing it reports, in the
language's units (``narrator.verify.units``): the character errors (letters of the
words, spaces removed, or the units of a language scored by characters) and their rate,
the word (unit) error rate, the worst runs of missing, extra and misheard units
(``scoring._worst_runs``), Kokoro's seconds per unit, the unheard surplus of the timed
hearing (``unheard_stretch``), and whether the verdict (``verify_chunk``, with the rules
as they are) passes it. Last, a dropped-sentence check: each transcript is scored
against its passage followed by the next passage, which the audio lacks; every one
should fail.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
from pathlib import Path

import numpy as np
import soundfile as sf

from bench.language_passages import PASSAGES
from narrator.text.language import primary
from narrator.verify.envelope import envelope
from narrator.verify.faster_whisper import WhisperTranscriber
from narrator.verify.languages import rules_for
from narrator.verify.scoring import _edits, _edits_of, _regions, _worst_runs
from narrator.verify.unheard import unheard_stretch
from narrator.verify.units import by_character, units
from narrator.verify.verdict import heard_text, verify_chunk

VOICES = {
    "es": ("ef_dora", "em_alex"), "fr": ("ff_siwis",), "it": ("if_sara", "im_nicola"),
    "pt-BR": ("pf_dora", "pm_alex"), "hi": ("hf_alpha", "hm_omega"),
    "zh": ("zf_xiaoxiao", "zm_yunxi"), "ja": ("jf_alpha", "jm_kumo"),
}  # fmt: skip
ESPEAK = {"es": "es", "fr": "fr-fr", "it": "it", "pt": "pt-br", "hi": "hi"}
KOKORO_UNHEARD_S = 1.1  # narrator.speech.kokoro.UNHEARD_S, measured on English


def _kokoro():  # noqa: ANN202 - kokoro_onnx type
    from kokoro_onnx import Kokoro

    from narrator.speech.kokoro_files import model_path, voices_path

    # kokoro-onnx wants a voices file; the voices are passed as arrays, so any will do.
    return Kokoro(str(model_path()), str(voices_path()))


def _phonemes(text: str, language: str) -> str | None:
    """misaki's phonemes for Mandarin and Japanese; None: espeak-ng's, by kokoro-onnx."""
    if primary(language) == "zh":
        from misaki import zh

        return zh.ZHG2P()(text)[0]
    if primary(language) == "ja":
        from misaki import ja

        return ja.JAG2P(version="pyopenjtalk")(text)[0]
    return None


def synthesize(work: Path, voices: Path, language: str, voice: str, text: str) -> Path:
    """The passage spoken by ``voice``, cached under ``work``."""
    key = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:16]
    path = work / "audio" / f"{primary(language)}-{voice}-{key}.wav"
    if path.is_file():
        return path
    style = np.fromfile(voices / f"{voice}.bin", dtype="<f4").reshape(510, 1, 256)
    phonemes = _phonemes(text, language)
    if phonemes is None:
        samples, rate = KOKORO.create(text, voice=style, lang=ESPEAK[primary(language)])
    else:
        samples, rate = KOKORO.create(phonemes, voice=style, is_phonemes=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, samples, rate)
    return path


def hear(work: Path, path: Path, language: str) -> tuple[str, list[dict[str, object]]]:
    """The untimed transcript and the timed words of ``path``, cached under ``work``."""
    cached = work / "heard" / f"{path.stem}.json"
    if cached.is_file():
        data = json.loads(cached.read_text())
        return data["text"], data["words"]
    transcriber = WhisperTranscriber(language=language)
    text = transcriber.transcribe(path)
    words = [w.model_dump() for w in transcriber.transcribe_timed(path)]
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"text": text, "words": words}, ensure_ascii=False))
    return text, words


def measure(work: Path, voices: Path, language: str, limit: int) -> dict[str, object]:
    from narrator.verify.base import HeardSegment

    rows = []
    passages = PASSAGES[language][:limit]
    for i, text in enumerate(passages):
        voice = VOICES[language][i % len(VOICES[language])]
        path = synthesize(work, voices, language, voice, text)
        samples, rate = sf.read(path, dtype="float32")
        heard, timed = hear(work, path, language)
        words = [HeardSegment(**w) for w in timed]
        ref = units(text, language=language)
        length = len(ref) if by_character(language) else len("".join(ref))
        for how, transcript in (("untimed", heard), ("timed", heard_text(words))):
            hyp = units(transcript, language=language)
            regions = _regions(ref, hyp)
            run = _worst_runs(ref, hyp, regions)
            if by_character(language):
                errors = _edits_of(ref, hyp)
            else:
                errors = _edits("".join(ref), "".join(hyp))
            wer = _edits_of(ref, hyp) / len(ref)
            verdict = verify_chunk(text, transcript, samples, rate, speed=1.0,
                                   words=words if how == "timed" else None,
                                   unheard_s=KOKORO_UNHEARD_S, language=language)  # fmt: skip
            dropped = verify_chunk(f"{text} {passages[(i + 1) % len(passages)]}", transcript,
                                   samples, rate, speed=1.0, language=language)  # fmt: skip
            rows.append({
                "passage": i, "voice": voice, "how": how, "units": len(ref), "chars": length,
                "errors": errors, "rate": errors / length, "wer": wer, "missing": run.missing,
                "extra": run.extra, "misheard": run.misheard,
                "s_per_unit": len(samples) / rate / length, "passed": verdict.passed,
                "reason": verdict.reason, "dropped_caught": not dropped.passed,
                "heard": transcript,
            })  # fmt: skip
        stretch = unheard_stretch(envelope(samples, rate), words, language=language)
        rows[-1]["unheard_s"] = stretch.surplus_s if stretch else 0.0
    return {"language": language, "rows": rows}


def report(result: dict[str, object]) -> None:
    rows: list[dict[str, object]] = result["rows"]  # type: ignore[assignment]
    language = str(result["language"])
    rates = [float(r["rate"]) for r in rows]  # type: ignore[arg-type]
    spu = [float(r["s_per_unit"]) for r in rows if r["how"] == "untimed"]  # type: ignore[arg-type]
    unheard = [float(r["unheard_s"]) for r in rows if "unheard_s" in r]  # type: ignore[arg-type]
    worst = max(rows, key=lambda r: float(r["rate"]))  # type: ignore[arg-type]
    print(f"== {language} ({len(rows) // 2} passages, {rules_for(language)})")
    wers = [float(r["wer"]) for r in rows]  # type: ignore[arg-type]
    print(f"  CER: mean {statistics.mean(rates):.3f}  median {statistics.median(rates):.3f}"
          f"  p90 {np.percentile(rates, 90):.3f}  max {max(rates):.3f} ({worst['errors']} of "
          f"{worst['chars']}: {worst['heard']!r}); WER (units) mean "
          f"{statistics.mean(wers):.3f}, max {max(wers):.3f}")  # fmt: skip
    print(
        f"  errors: max {max(int(r['errors']) for r in rows)}; worst runs: missing "  # type: ignore[call-overload]
        f"{max(int(r['missing']) for r in rows)}, extra {max(int(r['extra']) for r in rows)}, "  # type: ignore[call-overload]
        f"misheard {max(int(r['misheard']) for r in rows)}"
    )  # type: ignore[call-overload]
    print(f"  seconds per unit: median {statistics.median(spu):.4f} (range {min(spu):.4f}-"
          f"{max(spu):.4f}); unheard surplus max {max(unheard):.2f} s (median "
          f"{statistics.median(unheard):.2f})")  # fmt: skip
    rules = rules_for(language)
    needed = max((int(r["errors"]) - rules.errors_base) / int(r["chars"]) for r in rows)  # type: ignore[call-overload]
    print(f"  error rate needed above the base of {rules.errors_base}: {needed:.3f} "
          f"(the rules allow {rules.error_rate})")  # fmt: skip
    failed = [r for r in rows if not r["passed"]]
    print(f"  clean hearings failed: {len(failed)}/{len(rows)}; dropped sentence caught: "
          f"{sum(bool(r['dropped_caught']) for r in rows)}/{len(rows)}")  # fmt: skip
    for r in failed:
        print(f"    passage {r['passage']} {r['voice']} {r['how']}: {r['reason']}")


def main() -> None:
    global KOKORO
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--voices",
        type=Path,
        required=True,
        help="kokoro-js 1.2.1's voices/ directory (raw float32 .bin files)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("bench/results/languages"),
        help="cache folder (audio and transcripts)",
    )
    parser.add_argument("--language", action="append", choices=sorted(PASSAGES))
    parser.add_argument(
        "--passages", type=int, default=None, help="only the first N passages of each language"
    )
    args = parser.parse_args()  # fmt: skip
    KOKORO = _kokoro()
    results = [measure(args.work, args.voices, lang, args.passages)
               for lang in args.language or PASSAGES]  # fmt: skip
    (args.work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    for result in results:
        report(result)


KOKORO = None

if __name__ == "__main__":
    main()
