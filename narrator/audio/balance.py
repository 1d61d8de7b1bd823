"""Level-match the voices of a chapter before it is stitched and mastered.

A chapter is mastered as one signal, to one loudness target, so two voices at
different levels would stay different: Kokoro's English voices, each peak-limited as
synthesized, measured -24.1 (am_michael) to -18.5 LUFS (am_adam) on the same
95-character sentence, a 5.6 LU jump at every change of speaker. Each other voice is
gained to the loudness of the chapter's main voice (ITU-R BS.1770 integrated loudness
over all of a voice's chunks), so the master keeps one level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from narrator.audio.io import read_audio
from narrator.audio.loudness import LoudnessMeter, block_ranges
from narrator.errors import AudioError
from narrator.models import ChunkResult

MAX_GAIN_DB = 12.0
"""The most a voice is raised or lowered, dB: beyond the 5.6 LU spread measured between
Kokoro's voices with room to spare, while a near-silent take cannot be blown up."""


def voice_gains(results: Sequence[ChunkResult]) -> dict[str | None, float]:
    """Linear gain per voice (``Chunk.voice``; None is the main voice) that brings every
    voice of the chapter to the main voice's loudness.

    Empty when the chapter has one voice, or no main-voice chunk to match to.
    Decodes every chunk once.
    """
    voices = {r.chunk.voice for r in results}
    if len(voices) < 2 or None not in voices:
        return {}
    meters: dict[str | None, LoudnessMeter] = {}
    for result in results:
        samples, rate = read_audio(result.audio.path)
        meter = meters.setdefault(result.chunk.voice, LoudnessMeter(rate))
        for start, end, _, _ in block_ranges(len(samples)):
            meter.feed(samples[start:end])
    loudness = {}
    for voice, meter in meters.items():
        try:
            loudness[voice] = meter.lufs()
        except AudioError:  # less than 0.4 s of that voice: nothing to match
            loudness[voice] = -math.inf
    main = loudness[None]
    gains = {}
    for voice, lufs in loudness.items():
        if voice is None or not math.isfinite(lufs) or not math.isfinite(main):
            continue
        gain_db = max(-MAX_GAIN_DB, min(MAX_GAIN_DB, main - lufs))
        gains[voice] = 10 ** (gain_db / 20)
    return gains
