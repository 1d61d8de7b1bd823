"""The verdict on one chunk: what the transcriber heard, and what the audio itself shows.

The transcript catches wrong, missing and repeated words (``scoring``); the envelope
catches what a transcriber does not write down: long silences inside the chunk
(``silence``) and speech cut at an edge (``edges``). The speaking rate needs the other
chunks of the book and is checked once they are all done (``rate``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from narrator.models import Verification
from narrator.verify.edges import clipped_edges
from narrator.verify.envelope import envelope
from narrator.verify.scoring import score
from narrator.verify.silence import long_pauses


def verify_chunk(
    spoken: str, heard: str, samples: NDArray[np.floating], sample_rate: int, *, speed: float
) -> Verification:
    """Judge a chunk that should say ``spoken``, was heard as ``heard``, from its mono
    ``samples`` at ``sample_rate`` Hz synthesized at ``speed``; every defect is listed,
    the first one is the reason."""
    verification = score(spoken, heard, len(samples) / sample_rate, speed=speed)
    env = envelope(samples, sample_rate)
    defects = (*verification.defects, *long_pauses(env, spoken), *clipped_edges(env, spoken))
    if not defects:
        return verification
    return verification.model_copy(
        update={"passed": False, "reason": defects[0].detail, "defects": defects}
    )
