"""Generate a long, varied, speakable manuscript for benchmarks.

Sentences are drawn from templates with a seeded generator, so every paragraph is
different (no chunk is served from the cache) and the text stays plain English
that Whisper can check.
"""

from __future__ import annotations

import random

import numpy as np
from scipy.signal import lfilter

SUBJECTS = [
    "The keeper",
    "Mr. Hollis",
    "Dr. Maren",
    "The old ferryman",
    "Ada",
    "The harbour master",
    "A fisherman",
    "The girl from the mill",
    "Her brother",
    "The postman",
]
VERBS = [
    "carried",
    "mended",
    "painted",
    "counted",
    "found",
    "lost",
    "watched",
    "cleaned",
    "opened",
    "wrapped",
]
OBJECTS = [
    "the lantern",
    "a coil of rope",
    "the brass bell",
    "a bundle of letters",
    "the logbook",
    "an oilskin coat",
    "the kitchen table",
    "a basket of apples",
    "the broken oar",
    "a pair of boots",
]
PLACES = [
    "on the quay",
    "in the boathouse",
    "by the fire",
    "at the top of the tower",
    "behind the chapel",
    "near the market",
    "under the bridge",
    "on the gallery",
]
TIMES = [
    "before dawn",
    "after supper",
    "on Sunday",
    "in the rain",
    "at noon",
    "at 6 o'clock",
    "late in the evening",
    "in the first week of March",
]
SAYINGS = [
    "It will hold until the spring",
    "Nobody told me about the storm",
    "We should have left an hour ago",
    "The tide is turning",
    "I can hear the bell",
    "Bring the lamp inside",
]


def sentence(rng: random.Random) -> str:
    """One sentence: narration or a line of dialogue."""
    if rng.random() < 0.2:
        who = rng.choice(SUBJECTS)
        if who.startswith("The"):
            who = "t" + who[1:]
        return f'"{rng.choice(SAYINGS)}," {who} said.'
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(PLACES)} {rng.choice(TIMES)}."
    )


def manuscript(chars: int, *, chapters: int, seed: int = 7) -> str:
    """A Markdown manuscript of about ``chars`` characters in ``chapters`` chapters."""
    rng = random.Random(seed)
    per_chapter = chars // chapters
    parts = ["# The Long Watch\n"]
    for n in range(1, chapters + 1):
        parts.append(f"## Chapter {n}\n")
        size = 0
        while size < per_chapter:
            paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
            size += len(paragraph)
            parts.append(paragraph + "\n")
    return "\n".join(parts)


def speech_like(seconds: float, *, seed: int = 1, sr: int = 22_050) -> np.ndarray:
    """Speech-like audio at ``sr`` Hz: phrases of syllable-rate noise bursts with pauses,
    peak-normalized to 0 dBFS like Piper (for benchmarks and audio tests).

    Phrases last 1.5-4 s, pauses 0.2-0.8 s; within a phrase, reddish noise (like
    voiced speech) in bursts at about 4 Hz of random strength. 0.2 s of digital
    silence at each end, as an engine returns a chunk.
    """
    rng = np.random.default_rng(seed)
    n = round(seconds * sr)
    gate = np.zeros(n)
    position = round(0.2 * sr)
    while position < n - round(0.2 * sr):
        phrase = min(round(rng.uniform(1.5, 4.0) * sr), n - round(0.2 * sr) - position)
        gate[position : position + phrase] = 1.0
        position += phrase + round(rng.uniform(0.2, 0.8) * sr)
    t = np.arange(n) / sr
    syllables = np.clip(np.sin(2 * np.pi * 4.1 * t + rng.uniform(0, 6)), 0, None) ** 1.5
    strength = np.repeat(rng.uniform(0.3, 1.0, n // sr * 4 + 4), sr // 4)[:n]
    voiced = lfilter([1.0], [1.0, -0.95], rng.standard_normal(n)) * syllables * strength * gate
    return (voiced / np.abs(voiced).max()).astype(np.float32)
