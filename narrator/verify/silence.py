"""Internal silences: a pause inside a chunk longer than its text calls for."""

from __future__ import annotations

from narrator.models import Defect, DefectCode
from narrator.text.language import ENGLISH, is_unspaced
from narrator.text.normalize import normalize_words
from narrator.verify.envelope import FRAME_S, Envelope

LONGEST_NATURAL_PAUSE_S = 0.75
"""Longest pause the text calls for inside a chunk, seconds: a sentence or paragraph
break (the engine's own sentence tail and lead plus Piper's 0.3-s ``SENTENCE_GAP_S``).

The longest internal pause of 73 clean Piper chunks (the sample and a generated text,
``bench/bench_defects.py``) was 0.75 s; most sentence breaks are 0.5-0.7 s. On real
prose (``bench/bench_false_alarms.py``: 434 Piper chunks of fifteen novels, at most
0.96 s, 99 % under 0.82 s; 151 Kokoro af_heart chunks at most 0.74 s) every pause stays
under the limit with this and ``PAUSE_SLACK_S``, the widest by 0.29 s.
"""

PAUSE_SLACK_S = 0.5
"""Added to ``LONGEST_NATURAL_PAUSE_S`` before a pause is a defect, seconds: a remote
voice may breathe a little longer at a paragraph."""

DEAD_AIR_S = 2.0
"""A silence this long inside a chunk is always a defect, seconds, whatever the engine's
pauses: no sentence break of an audiobook is 2 s of dead air (ACX asks for 0.5-1 s
between paragraphs)."""


def long_pauses(
    env: Envelope,
    spoken: str,
    *,
    longest_natural_s: float = LONGEST_NATURAL_PAUSE_S,
    language: str = ENGLISH,
) -> tuple[Defect, ...]:
    """Every silence inside the chunk longer than ``longest_natural_s`` + the slack (and
    never longer than ``DEAD_AIR_S``), with where it is, in seconds and in the words of
    ``spoken`` (in ``language``)."""
    limit = min(longest_natural_s + PAUSE_SLACK_S, DEAD_AIR_S)
    return tuple(
        Defect(
            code=DefectCode.SILENCE,
            detail=f"{end - start:.1f} s of silence at {start:.1f} s "
            f"(pauses longer than {limit:.1f} s are not in the text)",
            start_s=round(start, 2),
            end_s=round(end, 2),
            words=words_near(spoken, sound_before(env, start), language=language),
        )
        for start, end in env.internal_silences(limit)
    )


def sound_before(env: Envelope, at_s: float) -> float:
    """The share of the chunk's sound (0-1) heard before ``at_s`` seconds."""
    sound = ~env.silent
    return float(sound[: round(at_s / FRAME_S)].sum()) / max(int(sound.sum()), 1)


def words_near(spoken: str, share: float, *, span: int = 3, language: str = ENGLISH) -> str:
    """The words around a point ``share`` (0-1) of the way through the spoken text in
    ``language``, estimated in proportion: ``span`` words either side, with ``|`` at the
    point (Chinese and Japanese: twice as many characters, written without spaces)."""
    words = normalize_words(spoken, language=language)
    unspaced = is_unspaced(language)
    span *= 2 if unspaced else 1
    at = round(share * len(words))
    before, after = words[max(0, at - span) : at], words[at : at + span]
    if unspaced:
        return f"{''.join(before)} | {''.join(after)}".strip()
    return " ".join([*before, "|", *after])
