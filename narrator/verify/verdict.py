"""The verdict on one chunk: what the transcriber heard, and what the audio itself shows.

The transcript catches wrong, missing and repeated words (``scoring``); the envelope
catches what a transcriber does not write down: long silences inside the chunk
(``silence``), speech cut at an edge (``edges``) and, when the words are timed, speech
no heard word accounts for (``unheard``). The speaking rate needs the other
chunks of the book and is checked once they are all done (``rate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from narrator.audio.io import read_audio
from narrator.models import DefectCode, Verification
from narrator.text.language import ENGLISH
from narrator.verify.base import HeardSegment, Transcriber
from narrator.verify.edges import clipped_edges
from narrator.verify.envelope import envelope
from narrator.verify.scoring import score
from narrator.verify.silence import long_pauses
from narrator.verify.unheard import UNMEASURED_UNHEARD_S, unheard_speech


def verify_chunk(
    spoken: str,
    heard: str,
    samples: NDArray[np.floating],
    sample_rate: int,
    *,
    speed: float,
    respelled: Sequence[tuple[str, str]] = (),
    words: Sequence[HeardSegment] | None = None,
    unheard_s: float | None = None,
    language: str = ENGLISH,
) -> Verification:
    """Judge a chunk that should say ``spoken`` in ``language`` (a BCP 47 tag), was heard
    as ``heard``, from its mono ``samples`` at ``sample_rate`` Hz synthesized at
    ``speed``; every defect is listed, the first one is the reason. ``respelled`` are the
    lexicon's (written, respelling) entries in ``spoken``: the transcript may spell
    either. ``words`` are the heard words timed in seconds from the chunk's start, when
    the hearing timed them; ``unheard_s`` is the voice's limit of unaccounted speech
    (``SpeechCapabilities.unheard_s``)."""
    verification = score(
        spoken, heard, len(samples) / sample_rate, speed=speed, respelled=respelled,
        language=language,
    )  # fmt: skip
    env = envelope(samples, sample_rate)
    limit = UNMEASURED_UNHEARD_S if unheard_s is None else unheard_s
    unheard = (
        unheard_speech(samples, sample_rate, env, words, limit_s=limit, language=language)
        if words is not None
        else ()
    )
    defects = (*verification.defects, *long_pauses(env, spoken, language=language),
               *clipped_edges(env, spoken, language=language), *unheard)  # fmt: skip
    if not defects:
        return verification
    return verification.model_copy(
        update={"passed": False, "reason": defects[0].detail, "defects": defects}
    )


SAME_PLACE_S = 0.5
"""Two defects without words are at the same place when they start within this many
seconds of each other: a take of the same text by a voice that samples its durations
(Piper) moves a sound by tens of milliseconds, not by a word (0.4 s at 150 words a
minute)."""


def same_defect(a: Verification, b: Verification) -> bool:
    """Whether two failed takes of one text fail for the same reason at the same place:
    the first defect of each has the same code and the same words (or, without words,
    starts within ``SAME_PLACE_S``). Then the text or the detector is the cause, not the
    synthesis, and another take would be paid for the same verdict."""
    if not (a.defects and b.defects):
        return False
    x, y = a.defects[0], b.defects[0]
    if x.code != y.code:
        return False
    if x.words is not None or y.words is not None:
        return x.words == y.words
    if x.start_s is None or y.start_s is None:
        return x.start_s == y.start_s
    return abs(x.start_s - y.start_s) <= SAME_PLACE_S


SECOND_HEARING = frozenset({DefectCode.DROPPED, DefectCode.TRUNCATED})
"""Verdicts a free transcriber checks by hearing the chunk again the other way (with
timestamps, or without when the first hearing had them).

tiny.en decoding without timestamp tokens sometimes stops after the first sentence of a
clean chunk ("I can hear the bell," Ada said. and nothing of the 50 words after it):
2 of the 73 clean chunks of ``bench/bench_defects.py``. Decoding with timestamps heard
both whole; words that are really missing are missing in both hearings.
"""


def heard_text(words: Sequence[HeardSegment]) -> str:
    """The transcript of timed words (or segments), as one text."""
    return " ".join(w.text for w in words).strip()


def hear_and_judge(
    transcriber: Transcriber,
    path: Path,
    spoken: str,
    heard: str,
    *,
    speed: float,
    label: str = "",
    respelled: Sequence[tuple[str, str]] = (),
    words: Sequence[HeardSegment] | None = None,
    unheard_s: float | None = None,
    language: str = ENGLISH,
) -> Verification:
    """The verdict on the chunk audio at ``path`` that should say ``spoken`` in
    ``language`` (a BCP 47 tag, which ``transcriber`` was told) and was
    ``heard`` (as ``words`` timed in seconds from the chunk's start, when the hearing
    timed them). When hearing is free, a chunk failed only by its word timings (speech
    no heard word accounts for, ``narrator.verify.unheard``) is heard again alone, and
    one whose words seem missing is heard once more the other way (``SECOND_HEARING``);
    the passing verdict, if any, is kept."""
    samples, sample_rate = read_audio(path)

    def judged(text: str, timed: Sequence[HeardSegment] | None) -> Verification:
        return verify_chunk(spoken, text, samples, sample_rate, speed=speed,
                            respelled=respelled, words=timed, unheard_s=unheard_s,
                            language=language)  # fmt: skip

    verification = judged(heard, words)
    if transcriber.capabilities.paid or verification.passed:
        return verification
    if words is not None and judged(heard, None).passed:
        # Only the timings failed it. They drift within the 30-s windows a chapter's
        # chunks are heard in together, and a word is sometimes timed at zero length:
        # Kokoro af_heart's '"No, sir," returned Missus Sparsit' left 0.96 s unaccounted
        # in its batch, 0.63 s heard alone. A phrase said twice takes its time in both.
        alone = transcriber.transcribe_timed(path, label=label)
        again = judged(heard_text(alone), alone)
        return again if again.passed else verification
    if verification.defects[0].code not in SECOND_HEARING:
        return verification
    if words is None:
        words = transcriber.transcribe_timed(path, label=label)
        again = heard_text(words)
    else:
        # The timed words were what went missing; the untimed hearing has no times.
        again, words = transcriber.transcribe(path, label=label), None
    second = judged(again, words)
    return second if second.passed else verification
