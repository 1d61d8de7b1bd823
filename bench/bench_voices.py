"""Benchmark the voices: speed of Piper and Kokoro, what Whisper hears from each voice,
and the requests a dialogue voice adds.

Run by hand (results are quoted in the README, "Voices"):

    .venv/bin/python -m bench.bench_voices                   # everything (several minutes)
    .venv/bin/python -m bench.bench_voices --parts plan wer  # some of it
    .venv/bin/python -m bench.bench_voices --parts wer --voices af_heart bm_george

1. Synthesis alone: each engine speaks the same 103-word paragraph three times in this
   process (one onnxruntime thread each, as in a run); wall and CPU seconds per second
   of audio. CPU seconds hold still when other jobs share the machine; wall time does not.
2. End to end: the real ``narrate_book`` flow narrates the sample
   with Piper's joe and with Kokoro's af_heart (synthesis, verification, stitching,
   mastering, encoding; after the temporary Prefect server has started).
3. WER by voice: faster-whisper tiny.en transcribes the paragraph in each voice, scored
   as verification scores a chunk.
4. Plan: first-attempt requests on the paid remote engine for a generated novel as long
   as *Pride and Prejudice* (about 120,000 words, 61 chapters), without and with a
   dialogue voice.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from narrator.speech.base import SpeechEngine

REPO = Path(__file__).resolve().parent.parent

PARAGRAPH = (
    "The keeper of Tern Rock climbed the iron stairs each evening at dusk. She trimmed the "
    "wick, polished the great lens, and wrote the hour in her log. Far below, the sea "
    "broke against the rocks, and the gulls settled on the ledges for the night. When the "
    "fog came in from the east, she rang the bell every thirty seconds until morning. Her "
    "brother rowed out from the village on Sundays with bread, letters and news of the "
    "harbour. He told her about the boats, the storms and the price of fish, and she "
    "listened while the lamp turned slowly above them."
)
"""103 words (560 characters) of plain narration, spoken as one request."""

DEFAULT_VOICES = ("en_US-joe-medium", "af_heart", "af_bella", "am_michael", "bf_emma", "bm_george")

NOVEL_CHARS = 630_000
"""About 120,000 words: *Pride and Prejudice* has 122,000 words in 61 chapters."""


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _engine(voice: str) -> SpeechEngine:
    from narrator.engines import embedded_voices, voice_engine

    known = next(v for v in embedded_voices() if v.name == voice)
    return voice_engine(known, max_input_chars=len(PARAGRAPH))


def synthesis_speed(voice: str, repeats: int = 3) -> dict[str, float]:
    """Wall and CPU seconds per second of audio for ``voice`` speaking ``PARAGRAPH``."""
    engine = _engine(voice)
    engine.synthesize("Warm up.")  # load the model outside the timing
    audio = wall = cpu = 0.0
    for _ in range(repeats):
        start, cpu0 = time.perf_counter(), _cpu_s()
        speech = engine.synthesize(PARAGRAPH)
        wall += time.perf_counter() - start
        cpu += _cpu_s() - cpu0
        audio += speech.duration_s
    return {
        "audio_s": round(audio / repeats, 1),
        "rtf_wall": round(wall / audio, 3),
        "cpu_s_per_audio_s": round(cpu / audio, 3),
        "chars_per_s": round(len(PARAGRAPH) * repeats / audio, 1),
    }


def word_errors(voice: str, workdir: Path) -> dict[str, float | str]:
    """WER of the paragraph as faster-whisper tiny.en hears it in ``voice``."""
    from narrator.audio.io import write_flac
    from narrator.verify.faster_whisper import WhisperTranscriber
    from narrator.verify.scoring import score

    speech = _engine(voice).synthesize(PARAGRAPH)
    path = workdir / f"{voice}.flac"
    write_flac(path, speech.samples, speech.sample_rate)
    heard = WhisperTranscriber().transcribe(path)
    verdict = score(PARAGRAPH, heard, speech.duration_s)
    return {"wer": round(verdict.wer, 3), "cer": round(verdict.cer, 3), "passed": verdict.passed}


def end_to_end(voice: str | None, out: Path) -> dict[str, float]:
    """Narrate the sample in ``voice`` with the real flow: wall time and its CPU."""
    from flows.narrate import narrate_book
    from narrator.config import NarrationParams

    sample = REPO / "inputs" / "the-keeper-of-tern-rock.md"
    start, cpu0 = time.perf_counter(), _cpu_s()
    result = narrate_book(NarrationParams(manuscript=sample, out_dir=out, voice=voice))
    wall, cpu = time.perf_counter() - start, _cpu_s() - cpu0
    return {
        "audio_s": round(result.duration_s, 1),
        "wall_s": round(wall, 1),
        "x_real_time": round(result.duration_s / wall, 2),
        "cpu_s_per_audio_s": round(cpu / result.duration_s, 3),
        "chunks": result.chunks,
        "flagged": result.flagged,
    }


def novel_requests(workdir: Path) -> dict[str, dict[str, int]]:
    """Paid requests for a generated novel on the remote engine, without and with a
    dialogue voice."""
    from bench.generate import manuscript
    from narrator.config import NarrationParams, RemoteSettings
    from narrator.parse import parse_book
    from narrator.plan import make_plan

    book = workdir / "novel.md"
    book.write_text(manuscript(NOVEL_CHARS, chapters=61), encoding="utf-8")
    remote = RemoteSettings(base_url="http://127.0.0.1:9/v1")
    rows = {}
    for name, dialogue in (("one voice", None), ("dialogue voice", "am_michael")):
        params = NarrationParams(
            manuscript=book, engine="remote", remote=remote, dialogue_voice=dialogue
        )
        parsed = parse_book(params)
        plan = make_plan(parsed.book, parsed.chunks, params)
        rows[name] = {
            "words": sum(len(s.text.split()) for ch in parsed.book.chapters for s in ch.sentences),
            "chunks": plan.chunks,
            "dialogue_chunks": plan.dialogue_chunks,
            "paid_requests": plan.paid_requests,
            "free_days": plan.days.get("free", 0),
        }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parts = ("plan", "speed", "wer", "e2e")
    parser.add_argument("--parts", nargs="+", choices=parts, default=list(parts))
    parser.add_argument("--voices", nargs="+", default=list(DEFAULT_VOICES), help="for wer")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "plan" in args.parts:
            print("plan:", novel_requests(work), flush=True)
        for voice in ("en_US-joe-medium", "af_heart") if "speed" in args.parts else ():
            print("synthesis", voice, synthesis_speed(voice), flush=True)
        for voice in args.voices if "wer" in args.parts else ():
            print("wer", voice, word_errors(voice, work), flush=True)
        if "e2e" not in args.parts:
            return
        import flows  # noqa: F401, I001  (sets Prefect defaults before Prefect is imported)
        from prefect import flow

        flow(lambda: None, name="warm-up")()  # the temporary server starts outside the timings
        for voice in (None, "af_heart"):
            print("end to end", voice or "joe", end_to_end(voice, work / (voice or "joe")))


if __name__ == "__main__":
    main()
