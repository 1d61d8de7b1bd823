"""Benchmark: the word error rate of the embedded round trip with normalization on and off.

Run by hand (the result is quoted in the README):

    .venv/bin/python -m bench.bench_wer                       # the bundled sample
    .venv/bin/python -m bench.bench_wer --book novel.md

Every chunk of the book is synthesized by Piper from its spoken text and transcribed by
faster-whisper tiny.en. "On" compares ``normalize_words`` of the spoken text and of the
transcript, as verification does; "off" compares the manuscript's text and the
transcript with only case and punctuation removed. The WER is over the whole book
(all word errors / all reference words). It also counts the first takes verification
fails: each is a false alarm unless Piper misspoke.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import jiwer
import soundfile as sf

from narrator.config import NarrationParams
from narrator.parse import parse_book
from narrator.speech.piper import PiperEngine
from narrator.text.normalize import normalize_words
from narrator.verify.faster_whisper import WhisperTranscriber
from narrator.verify.scoring import score

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "the-keeper-of-tern-rock.md"


def plain_words(text: str) -> list[str]:
    """Lower-case words with punctuation removed, and nothing else."""
    return re.sub(r"[^\w' ]+", " ", text.lower().replace("’", "'")).split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=SAMPLE)
    args = parser.parse_args()
    chunks = [c for chapter in parse_book(NarrationParams(manuscript=args.book)).chunks
              for c in chapter]
    engine, transcriber = PiperEngine(), WhisperTranscriber()
    on, off = ([], []), ([], [])
    flagged = 0
    with tempfile.TemporaryDirectory() as tmp:
        for chunk in chunks:
            speech = engine.synthesize(chunk.spoken)
            path = Path(tmp) / f"{chunk.id}.wav"
            sf.write(path, speech.samples, speech.sample_rate)
            heard = transcriber.transcribe(path)
            duration_s = len(speech.samples) / speech.sample_rate
            verdict = score(chunk.spoken, heard, duration_s, respelled=chunk.respelled)
            flagged += not verdict.passed
            on[0].append(" ".join(normalize_words(chunk.spoken)))
            on[1].append(" ".join(normalize_words(heard)))
            off[0].append(" ".join(plain_words(chunk.text)))
            off[1].append(" ".join(plain_words(heard)))
            print(f"{chunk.id}: {heard}")
    for name, (ref, hyp) in (("on", on), ("off", off)):
        pairs = [(r, h) for r, h in zip(ref, hyp, strict=True) if r]
        wer = jiwer.wer([r for r, _ in pairs], [h for _, h in pairs])
        print(f"normalization {name}: WER {wer:.3f} over {len(pairs)} chunks")
    print(
        f"verification failed {flagged} of {len(chunks)} first takes "
        "(false alarms unless Piper misspoke)"
    )


if __name__ == "__main__":
    main()
