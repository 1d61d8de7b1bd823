"""Clipped edges: audio that starts or ends inside a word."""

from __future__ import annotations

from narrator.models import Defect, DefectCode
from narrator.text.language import ENGLISH
from narrator.verify.envelope import Envelope
from narrator.verify.silence import words_near

START_WITHIN_DB = 12.0
END_WITHIN_DB = 30.0
"""An edge is clipped when its first (last) frame is within this many dB of the chunk's
speech level.

On 73 clean Piper chunks (``bench/bench_defects.py``) the first 10-ms frame was at most
19 dB below the speech level (some words start at once: "Ada", "A fisherman") and the
last at least 74 dB below (every sentence ends in a fade); a cut inside a vowel is
within a few dB. Real prose (``bench/bench_false_alarms.py``): 434 Piper chunks of
fifteen novels started at least 17 dB and ended at least 72 dB below; Kokoro's (af_heart,
am_michael) at least 52 dB either way, as it trims its takes in silence.
"""


def clipped_edges(env: Envelope, spoken: str, *, language: str = ENGLISH) -> tuple[Defect, ...]:
    """A defect for a start and for an end that cut into speech, near the words of
    ``spoken`` (in ``language``) there."""
    if not len(env.levels_db):
        return ()
    defects = []
    if env.levels_db[0] > env.speech_db - START_WITHIN_DB:
        defects.append(
            Defect(
                code=DefectCode.CLIPPED,
                detail="the audio starts inside a word",
                start_s=0.0,
                end_s=0.0,
                words=words_near(spoken, 0.0, language=language),
            )
        )
    if env.levels_db[-1] > env.speech_db - END_WITHIN_DB:
        end = round(env.duration_s, 2)
        defects.append(
            Defect(
                code=DefectCode.CLIPPED,
                detail=f"the audio ends inside a word at {end:.1f} s",
                start_s=end,
                end_s=end,
                words=words_near(spoken, 1.0, language=language),
            )
        )
    return tuple(defects)
