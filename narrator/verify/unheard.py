"""Unheard speech: voiced audio that no heard word accounts for.

A small transcriber often leaves a phrase said twice out of its transcript (tiny.en wrote
"over twice before she opened it" for "over twice before she, over twice before she
opened it"), so comparing texts cannot see it. The time the phrase takes is still in the
audio: the word timestamps stretch a word over a second or leave a gap, and the envelope
says that time is voiced. Along the chunk, the voiced seconds are compared with the
seconds the heard words take at the chunk's own speaking rate; a short stretch with much
more voice than words is speech the transcriber did not write down: a phrase said twice
when it repeats the audio next to it (``echo``), else babble or noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from narrator.models import Defect, DefectCode
from narrator.text.language import ENGLISH
from narrator.text.normalize import normalize_words
from narrator.verify.base import HeardSegment
from narrator.verify.echo import ECHO_S, echo_s
from narrator.verify.envelope import FRAME_S, Envelope

WINDOW_S = 3.0
"""Longest stretch compared at once, seconds: a repeated phrase of 1-2 s and the words
whose timestamps absorbed it (tiny.en stretches the word before or after a phrase it
left out, sometimes spreads it over three words)."""

UNMEASURED_UNHEARD_S = 1.1
"""Voiced seconds beyond what the heard words take that make a defect in the speech of
a voice not measured (``SpeechCapabilities.unheard_s`` None: a remote engine's): the
widest of the measured voices' limits (Kokoro's), so an unknown voice is not held to a
tighter one than any measured voice needs."""


def unheard_limit_s(median_s: float, spread_s: float) -> float:
    """The limit for a voice whose clean chunks of real prose leave ``median_s`` seconds
    unaccounted (their most unaccounted stretch each) with ``spread_s`` robust SD: 3.5
    spreads above the median, rounded to 0.05 s.

    ``bench/bench_false_alarms.py`` (tiny.en word timestamps, fit novels): the widest
    clean chunk of each voice stood 2.1-2.6 spreads above its median, and the phrases
    tiny.en left out when a phrase was said twice 0.80-1.34 s on Piper's scale
    (``bench/bench_defects.py``); 3.5 spreads leaves a margin above the first and keeps
    most of the second."""
    return round(round((median_s + 3.5 * spread_s) / 0.05) * 0.05, 2)


@dataclass(frozen=True)
class Stretch:
    """The stretch of a chunk with the most voice that no heard word accounts for."""

    surplus_s: float  # voiced seconds beyond what its heard words take
    start_s: float
    end_s: float
    words: tuple[HeardSegment, ...]  # the heard words in and beside it


def unheard_stretch(
    env: Envelope, words: Sequence[HeardSegment], *, language: str = ENGLISH
) -> Stretch | None:
    """The stretch of at most ``WINDOW_S`` seconds of the chunk with envelope ``env``
    whose voiced audio most exceeds the time its heard ``words`` (timed in seconds from
    the chunk's start) take at the chunk's speaking rate; None when nothing was heard or
    nothing is voiced (``scoring`` reports that).

    A word takes time in proportion to its characters as ``normalize_words`` gives them
    in ``language``: letters, or the characters of Chinese and Japanese (each of which
    Whisper times on its own). Only the proportions within the chunk matter, so the
    script Whisper writes (Urdu's for Hindi) need not be the book's."""
    chars = np.array(
        [len("".join(normalize_words(w.text, language=language))) for w in words], dtype=float
    )
    voiced = np.concatenate(([0.0], np.cumsum(~env.silent))) * FRAME_S
    if not chars.sum() or not voiced[-1]:
        return None
    # Word timestamps drift by a few hundred ms; a boundary halfway between two words
    # leaves a drifted word on its own side.
    bounds = [0.0, *((a.end_s + b.start_s) / 2 for a, b in zip(words, words[1:], strict=False)),
              env.duration_s]  # fmt: skip
    frames = np.clip(np.round(np.array(bounds) / FRAME_S).astype(int), 0, len(voiced) - 1)
    # Voiced seconds minus the words' seconds (characters at the chunk's rate), up to
    # each boundary: a rise between two boundaries is voice without words.
    surplus = voiced[frames] - np.concatenate(([0.0], np.cumsum(chars))) * voiced[-1] / chars.sum()
    best, where = 0.0, (0, 0)
    for k in range(len(bounds)):
        for end in range(k + 1, len(bounds)):
            if end > k + 1 and bounds[end] - bounds[k] > WINDOW_S:
                break
            if surplus[end] - surplus[k] > best:
                best, where = float(surplus[end] - surplus[k]), (k, end)
    k, end = where
    return Stretch(best, bounds[k], bounds[end], tuple(words[max(0, k - 1) : end + 1]))


def unheard_speech(
    samples: NDArray[np.floating],
    sample_rate: int,
    env: Envelope,
    words: Sequence[HeardSegment],
    *,
    limit_s: float = UNMEASURED_UNHEARD_S,
    language: str = ENGLISH,
) -> tuple[Defect, ...]:
    """The :func:`unheard_stretch` of mono ``samples`` (at ``sample_rate`` Hz, with
    envelope ``env``) as one defect when its surplus is ``limit_s`` seconds or more (the
    voice's ``SpeechCapabilities.unheard_s``): ``repeated`` when it repeats the audio
    next to it, else ``noise``; () otherwise. ``language`` is the speech's BCP 47 tag."""
    stretch = unheard_stretch(env, words, language=language)
    if stretch is None or stretch.surplus_s < limit_s:
        return ()
    start_s, end_s = stretch.start_s, stretch.end_s
    near = " ".join(w.text for w in stretch.words)
    said_twice = echo_s(samples, sample_rate, env, start_s, end_s) >= ECHO_S
    what = "it repeats the audio next to it" if said_twice else "babble or noise"
    return (
        Defect(
            code=DefectCode.REPEATED if said_twice else DefectCode.NOISE,
            detail=f"{stretch.surplus_s:.1f} s of speech at {start_s:.1f}-{end_s:.1f} s that "
            f"no heard word accounts for ({what}) near '{near}'",
            start_s=round(start_s, 2),
            end_s=round(end_s, 2),
            words=near,
        ),
    )
