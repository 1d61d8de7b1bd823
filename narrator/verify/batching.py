"""Batch chunks of a chapter into one transcription request.

A paid remote Whisper API is priced per request, so remote verification joins several
chunks into one file with silence between them and transcribes it once;
``narrator.verify.attribution`` splits what was heard back into the chunks. Pure domain
code: no network, no Prefect.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

from narrator.atomic import atomic_path
from narrator.audio.io import read_audio
from narrator.audio.resample import resample
from narrator.errors import ConfigError
from narrator.models import Frozen

__all__ = [
    "BATCH_SAMPLE_RATE",
    "GAP_S",
    "MAX_UPLOAD_BYTES",
    "STRADDLE_TOLERANCE_S",
    "Span",
    "concatenate",
    "plan_batches",
]

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
"""Largest request the OpenAI transcription endpoint accepts, bytes (25 MiB).

OpenAI's Audio API FAQ: "the maximum request size is 25 MiB"
(https://help.openai.com/en/articles/7031512-whisper-api-faq); larger uploads fail with
413 "Maximum content size limit (26214400) exceeded".
"""

BATCH_SAMPLE_RATE = 16_000
"""Sample rate of a batch file, Hz: Whisper resamples everything to 16 kHz, so more is
wasted upload bytes."""

GAP_S = 1.5
"""Silence before, between and after the chunks of a batch, seconds.

Whisper ends its segments in silence. Pauses inside a chunk (between its sentences, as the
engine speaks them) are well under a second, so a 1.5-s gap is the longest pause in the
file and segment boundaries fall in the gaps, not across them. It also leaves room for
Whisper's timestamp error (a few hundred ms) on each side before a segment that belongs
to one chunk reaches the next one.
"""

STRADDLE_TOLERANCE_S = 0.25
"""How far a segment may reach into a second chunk's span and still be attributed to one
chunk only, seconds.

Whisper's timestamps drift by a few hundred ms, and chunk audio often starts and ends with
a little silence of its own, so a small overlap with a neighbour is timing noise. Reaching
further than 0.25 s means the segment holds at least a short word of the neighbour
(narration runs about 150 words a minute, 0.4 s a word): Whisper merged speech across
the gap and the text cannot be split between the two chunks.
"""

_RAW_BYTES_PER_S = 2 * BATCH_SAMPLE_RATE
"""16-bit mono PCM at the batch rate, bytes per second: an upper bound for FLAC, whose
worst case (verbatim frames) is raw PCM plus a few bytes of header per frame."""

_SIZE_HEADROOM = 0.05
"""Share of ``max_bytes`` kept free for FLAC frame headers and metadata and the multipart
form around the file, which all count towards the request size."""


class Span(Frozen):
    """Where one chunk's audio lies in a batch file, seconds from the file's start."""

    start_s: float
    end_s: float


def plan_batches(
    durations_s: Sequence[float], *, max_audio_s: float, max_bytes: int = MAX_UPLOAD_BYTES
) -> list[tuple[int, ...]]:
    """Group chunk indexes into batches, given each chunk's duration in seconds.

    A batch's file (its chunks plus ``GAP_S`` before, between and after them) lasts at most
    ``max_audio_s`` seconds, and its size, estimated as raw 16-bit mono PCM at 16 kHz, stays
    under ``max_bytes`` bytes with 5 % headroom. A chunk too long for the limits on its own
    forms a batch alone. Every index appears exactly once; each batch lists its indexes in
    order, and no batch is empty.

    Chunks are packed first-fit decreasing (longest first, each into the first batch
    with room), unless filling consecutive chunks greedily makes fewer batches. Chunks
    end at paragraphs, so their lengths vary: on a generated 18-minute book (89 chunks of
    1-21 s, 30-s batches) consecutive groups needed 61 batches, first-fit decreasing 48,
    and each batch spared is one Whisper window (or one paid request) fewer. Batches
    come longest first, so the short ones end a chapter and its workers finish together.
    """
    if max_audio_s <= 0 or max_bytes <= 0:
        raise ConfigError(
            f"batch limits must be positive, got max_audio_s={max_audio_s}, max_bytes={max_bytes}"
        )
    limit_s = min(max_audio_s, max_bytes * (1 - _SIZE_HEADROOM) / _RAW_BYTES_PER_S)
    packed = min(
        _first_fit_decreasing(durations_s, limit_s), _consecutive(durations_s, limit_s), key=len
    )
    seconds = {batch: sum(durations_s[i] for i in batch) for batch in packed}
    return sorted(packed, key=lambda batch: (-seconds[batch], batch))


def _first_fit_decreasing(durations_s: Sequence[float], limit_s: float) -> list[tuple[int, ...]]:
    batches: list[list[int]] = []
    lengths: list[float] = []  # seconds, gaps included
    for i in sorted(range(len(durations_s)), key=lambda i: -durations_s[i]):
        need = durations_s[i] + GAP_S
        slot = next((b for b, length in enumerate(lengths) if length + need <= limit_s), None)
        if slot is None:
            batches.append([i])
            lengths.append(GAP_S + need)  # the leading gap
        else:
            batches[slot].append(i)
            lengths[slot] += need
    return [tuple(sorted(batch)) for batch in batches]


def _consecutive(durations_s: Sequence[float], limit_s: float) -> list[tuple[int, ...]]:
    batches: list[tuple[int, ...]] = []
    start, length_s = 0, GAP_S  # the leading gap
    for i, duration_s in enumerate(durations_s):
        if i > start and length_s + duration_s + GAP_S > limit_s:
            batches.append(tuple(range(start, i)))
            start, length_s = i, GAP_S
        length_s += duration_s + GAP_S
    if durations_s:
        batches.append(tuple(range(start, len(durations_s))))
    return batches


def concatenate(paths: Sequence[Path], target: Path) -> tuple[Span, ...]:
    """Join chunk audio files into one 16-bit FLAC batch file at 16 kHz mono; return each
    chunk's span in seconds.

    ``GAP_S`` seconds of digital silence go before, between and after the chunks, so no
    chunk touches the file's edges. Chunks are decoded and written one at a time, so memory
    holds one chunk, not the batch. ``target`` appears atomically; raises
    :class:`~narrator.errors.AudioError` naming the first file that cannot be decoded, and
    then leaves no file behind.
    """
    if not paths:
        raise ValueError("concatenate needs at least one chunk file")
    gap = np.zeros(round(GAP_S * BATCH_SAMPLE_RATE), dtype=np.float32)
    spans: list[Span] = []
    with (
        atomic_path(Path(target)) as tmp,
        sf.SoundFile(
            tmp, "w", samplerate=BATCH_SAMPLE_RATE, channels=1, subtype="PCM_16", format="FLAC"
        ) as fh,
    ):
        fh.write(gap)
        position = len(gap)  # samples written so far
        for path in paths:
            samples = resample(*read_audio(Path(path)), BATCH_SAMPLE_RATE)
            # Resampling overshoots full scale slightly; clip rather than let int16 wrap.
            fh.write(np.clip(samples, -1.0, 1.0))
            spans.append(
                Span(
                    start_s=position / BATCH_SAMPLE_RATE,
                    end_s=(position + len(samples)) / BATCH_SAMPLE_RATE,
                )
            )
            fh.write(gap)
            position += len(samples) + len(gap)
    return tuple(spans)
