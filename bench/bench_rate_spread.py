"""Benchmark: how tightly does each speaking-rate measure sit around its book's median?

The per-chunk rate check (``narrator.verify.rate``) flags a chunk whose rate is more than
a tolerance ``t`` off its book's median. With the clean chunks' spread ``s`` (robust
standard deviation of the log rate, 1.4826 x MAD, per book), a chunk played 8 % fast is
caught with probability P(z > (ln 1.08 - t) / s) and a clean one flagged with
P(|z| > t / s). This measures ``s`` for several measures on the clean Piper chunks of
``bench/bench_defects.py`` (no transcription), and on the same chunks played 8 % faster
and slower with ffmpeg's atempo (as there) it counts what ``t`` = 3.3 s catches:

- characters of normalized text per voiced second (the check's measure), voiced time
  being the audio less its pauses of ``pause`` seconds or longer;
- espeak-ng phonemes (Piper's phonemizer, stress and punctuation left out) per voiced
  second;
- the voice's own timing, from its duration predictor without its sampled durations
  (``PiperEngine.reference_s``): seconds of the text per second of the chunk, whole
  lengths ("Piper's timing"), or voiced: the predictor's frames less its runs of
  pause phonemes (punctuation, spaces, pads) of ``pause`` seconds or longer, per voiced
  second of the chunk ("Piper's voiced timing").

It also times, in CPU seconds per second of audio, synthesizing the clean chunks'
texts and timing them.

Run by hand, with the folder ``bench_defects`` synthesized its chunks into:

    .venv/bin/python -m bench.bench_rate_spread --work /tmp/defects
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

from bench.bench_defects import RATE_CHANGE, Clean, _tempo, corpus

PAUSES_S = (0.1, 0.15, 0.2)
"""Shortest silence taken for a pause, seconds (the check uses 0.15)."""

SPREADS_TO_THRESHOLD = 3.3
"""Tolerance in spreads: a false alarm in about a thousand chunks, as the check's."""

NOT_PHONEMES = set("ˈˌ .,;:!?—…\"'()-")
"""Tokens of Piper's phonemizer that are no sound: stress marks, spaces, punctuation."""


def _voiced_s(samples: np.ndarray, sample_rate: int, pause_s: float) -> float:
    from narrator.verify.envelope import envelope

    env = envelope(samples, sample_rate)
    return env.duration_s - sum(b - a for a, b in env.silences(pause_s))


def _robust_sd(values: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(values - np.median(values))))


def _phonemes(text: str) -> int:
    from narrator.speech.piper import load_voice

    return sum(p not in NOT_PHONEMES for s in load_voice().phonemize(text) for p in s)


def _voiced_timing_s(text: str, pause_s: float) -> float:
    """Seconds of Piper's expected timing of ``text`` less its runs of pause phonemes
    of ``pause_s`` or longer (sentence gaps are always pauses)."""
    from narrator.speech.piper import DURATIONS_OUTPUT, load_durations, load_voice

    voice = load_voice()
    config = voice.config
    pauses = {i for p in {*"^$_", *NOT_PHONEMES} for i in config.phoneme_id_map.get(p, [])}
    frame_s = config.hop_length / config.sample_rate
    voiced = 0.0
    for phonemes in filter(None, voice.phonemize(text)):
        ids = voice.phonemes_to_ids(phonemes)
        frames = load_durations().run([DURATIONS_OUTPUT], {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([0.0, 1.0, 0.0], dtype=np.float32)})[0].reshape(-1)  # fmt: skip
        run = 0.0
        for i, seconds in zip(ids, frames * frame_s, strict=True):
            if i in pauses:
                run += seconds
                continue
            voiced += seconds + (run if run < pause_s else 0.0)
            run = 0.0
        voiced += run if run < pause_s else 0.0
    return voiced


def _cpu_per_audio_s(clean: list[Clean]) -> None:
    """Print the CPU seconds per second of audio of synthesizing and timing the texts."""
    from narrator.speech.piper import PiperEngine, load_durations, load_voice

    engine = PiperEngine()
    load_voice(), load_durations(), engine.reference_s("Warm up.")  # loading is not timed
    audio_s = sum(c.samples.size / c.sample_rate for c in clean)
    for name, work in (("synthesize", engine.synthesize), ("reference_s", engine.reference_s)):
        start = time.process_time()
        for c in clean:
            work(c.spoken)
        cpu = time.process_time() - start
        print(f"{name}: {cpu:.1f} CPU s for {audio_s:.0f} s of audio, "
              f"{cpu / audio_s:.4f} CPU s per audio second")  # fmt: skip


def main() -> None:
    from narrator.speech.piper import PiperEngine
    from narrator.text.normalize import normalize_words
    from narrator.verify.rate import (
        CHUNK_RATE_TOLERANCE,
        MIN_VOICED_S,
        PAUSE_S,
        TIMED_RATE_TOLERANCE,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=40, help="generated chunks (about)")
    parser.add_argument("--work", type=Path, required=True, help="bench_defects' folder")
    parser.add_argument("--cpu", action="store_true", help="also time synthesis and timing")
    args = parser.parse_args()
    clean = [c for c in corpus(args.work, args.chunks)
             if _voiced_s(c.samples, c.sample_rate, PAUSE_S) >= MIN_VOICED_S]  # fmt: skip
    faster, slower = _tempo(RATE_CHANGE), _tempo(1 / RATE_CHANGE)
    versions = {"clean": [c.samples for c in clean],
                "faster": [faster(c, c) for c in clean],
                "slower": [slower(c, c) for c in clean]}  # fmt: skip
    engine = PiperEngine()
    references = [engine.reference_s(c.spoken) for c in clean]
    print(f"{len(clean)} clean chunks of at least {MIN_VOICED_S} s voiced")
    if args.cpu:
        _cpu_per_audio_s(clean)

    def units_of(c: Clean, i: int, measure: str, pause_s: float) -> float:
        if measure == "characters":
            return len(" ".join(normalize_words(c.spoken)))
        if measure == "phonemes":
            return _phonemes(c.spoken)
        if measure == "Piper's timing":
            return references[i]
        return _voiced_timing_s(c.spoken, pause_s)

    def seconds_of(samples: np.ndarray, measure: str, pause_s: float) -> float:
        if measure == "Piper's timing":
            return samples.size / clean[0].sample_rate
        return _voiced_s(samples, clean[0].sample_rate, pause_s)

    rows = [
        "| measure | pause s | robust SD | SD | clean range | t | false alarms | "
        "8 % faster caught | 8 % slower caught |", "|---|---|---|---|---|---|---|---|---|"]
    tolerances = {"characters": CHUNK_RATE_TOLERANCE, "Piper's timing": TIMED_RATE_TOLERANCE}
    for measure in ("characters", "phonemes", "Piper's timing", "Piper's voiced timing"):
        # Whole lengths have no pause threshold.
        for pause_s in (PAUSE_S,) if measure == "Piper's timing" else PAUSES_S:
            logs = {
                name: np.array([
                    math.log(units_of(c, i, measure, pause_s)
                             / seconds_of(samples[i], measure, pause_s))
                    for i, c in enumerate(clean)])
                for name, samples in versions.items()
            }  # fmt: skip
            if measure == "characters" and pause_s == PAUSE_S:
                all_median = math.exp(np.median(logs["clean"]))
                print(f"all: median {all_median:.2f} characters per voiced second")
            for book in sorted({c.book for c in clean}):
                mine = np.array([c.book == book for c in clean])
                median = np.median(logs["clean"][mine])
                if measure == "characters" and pause_s == PAUSE_S:
                    print(f"{book}: median {math.exp(median):.2f} characters per voiced second")
                for values in logs.values():
                    values[mine] -= median
            spread = _robust_sd(logs["clean"])
            thresholds = [SPREADS_TO_THRESHOLD * spread]
            if pause_s == PAUSE_S and measure in tolerances:
                thresholds.append(math.log1p(tolerances[measure]))  # the check's own
            for t in thresholds:
                c = logs["clean"]
                pause = "-" if measure == "Piper's timing" else f"{pause_s:g}"
                rows.append(f"| {measure} | {pause} | {spread:.2%} | {np.std(c):.2%} | "
                            f"{np.exp(c.min()):.3f}-{np.exp(c.max()):.3f} x | {t:.1%} | "
                            f"{np.sum(np.abs(c) > t)}/{len(c)} | "
                            f"{np.mean(logs['faster'] > t):.0%} | "
                            f"{np.mean(logs['slower'] < -t):.0%} |")  # fmt: skip
    print("\n".join(rows))


if __name__ == "__main__":
    main()
