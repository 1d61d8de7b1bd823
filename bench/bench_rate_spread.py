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
- the voice's own timing: voiced seconds of the same text spoken again by Piper
  without its sampled durations (``PiperEngine.reference``) per voiced second of the
  chunk.

Run by hand, with the folder ``bench_defects`` synthesized its chunks into:

    .venv/bin/python -m bench.bench_rate_spread --work /tmp/defects
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from bench.bench_defects import RATE_CHANGE, Clean, _tempo, corpus

PAUSES_S = (0.1, 0.15, 0.2)
"""Shortest silence taken for a pause, seconds (the check uses 0.2)."""

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
    args = parser.parse_args()
    clean = [c for c in corpus(args.work, args.chunks)
             if _voiced_s(c.samples, c.sample_rate, PAUSE_S) >= MIN_VOICED_S]  # fmt: skip
    faster, slower = _tempo(RATE_CHANGE), _tempo(1 / RATE_CHANGE)
    versions = {"clean": [c.samples for c in clean],
                "faster": [faster(c, c) for c in clean],
                "slower": [slower(c, c) for c in clean]}  # fmt: skip
    engine = PiperEngine()
    references = [engine.reference(c.spoken).samples for c in clean]
    print(f"{len(clean)} clean chunks of at least {MIN_VOICED_S} s voiced")

    def units_of(c: Clean, i: int, measure: str, pause_s: float) -> float:
        if measure == "characters":
            return len(" ".join(normalize_words(c.spoken)))
        if measure == "phonemes":
            return _phonemes(c.spoken)
        return _voiced_s(references[i], c.sample_rate, pause_s)

    rows = [
        "| measure | pause s | robust SD | SD | clean range | t | false alarms | "
        "8 % faster caught | 8 % slower caught |", "|---|---|---|---|---|---|---|---|---|"]
    tolerances = {"characters": CHUNK_RATE_TOLERANCE, "Piper's own timing": TIMED_RATE_TOLERANCE}
    for measure in ("characters", "phonemes", "Piper's own timing"):
        for pause_s in PAUSES_S:
            logs = {
                name: np.array([
                    math.log(units_of(c, i, measure, pause_s)
                             / _voiced_s(samples[i], c.sample_rate, pause_s))
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
                rows.append(f"| {measure} | {pause_s:g} | {spread:.2%} | {np.std(c):.2%} | "
                            f"{np.exp(c.min()):.3f}-{np.exp(c.max()):.3f} x | {t:.1%} | "
                            f"{np.sum(np.abs(c) > t)}/{len(c)} | "
                            f"{np.mean(logs['faster'] > t):.0%} | "
                            f"{np.mean(logs['slower'] < -t):.0%} |")  # fmt: skip
    print("\n".join(rows))


if __name__ == "__main__":
    main()
