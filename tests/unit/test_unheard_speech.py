"""Speech no heard word accounts for, on speech-like audio with words timed over it; and
a phrase the text itself says twice is not heard as a repetition (no models)."""

from __future__ import annotations

import numpy as np

from bench.generate import speech_like
from narrator.models import DefectCode
from narrator.speech.piper import UNHEARD_S
from narrator.verify.attribution import timed_words
from narrator.verify.base import HeardSegment
from narrator.verify.batching import Span
from narrator.verify.envelope import FRAME_S, envelope
from narrator.verify.scoring import score
from narrator.verify.unheard import unheard_speech

SR = 22_050


def _words(samples: np.ndarray) -> list[HeardSegment]:
    """Four-letter words, each over 0.15 s of the voiced frames, as a transcriber that
    heard everything at an even rate would time them."""
    voiced = np.flatnonzero(~envelope(samples, SR).silent)
    return [
        HeardSegment(start_s=float(f[0]) * FRAME_S, end_s=float(f[-1] + 1) * FRAME_S, text="word")
        for f in np.array_split(voiced, len(voiced) // 15)
    ]


def _repeated(samples: np.ndarray, at_s: float, phrase_s: float) -> np.ndarray:
    """The ``phrase_s`` seconds before ``at_s`` said again at ``at_s``."""
    a, b = round((at_s - phrase_s) * SR), round(at_s * SR)
    return np.concatenate([samples[:b], samples[a:b], samples[b:]])


def test_speech_every_heard_word_accounts_for_passes() -> None:
    for seed in range(1, 6):
        samples = speech_like(20.0, seed=seed, sr=SR)
        assert unheard_speech(samples, SR, envelope(samples, SR), _words(samples)) == ()


def _heard_once(words: list[HeardSegment], at_s: float, extra_s: float) -> list[HeardSegment]:
    """The words of a transcriber that heard nothing in ``extra_s`` seconds inserted at
    ``at_s``: the words after it are heard that much later."""
    return [w if w.end_s <= at_s else w.model_copy(update={"start_s": w.start_s + extra_s,
            "end_s": w.end_s + extra_s}) for w in words]  # fmt: skip


def test_speech_said_but_not_heard_is_found_where_it_is() -> None:
    samples = speech_like(20.0, seed=3, sr=SR)
    damaged = _repeated(samples, 10.0, 2.0)
    heard = _heard_once(_words(samples), 10.0, 2.0)
    (defect,) = unheard_speech(damaged, SR, envelope(damaged, SR), heard, limit_s=UNHEARD_S)
    # Whether it repeats is told on real speech (tests/engines/test_unheard_speech.py):
    # the fine structure of noise bursts does not survive a shift by part of a frame.
    assert defect.code in {DefectCode.REPEATED, DefectCode.NOISE} and defect.words
    assert defect.start_s is not None and defect.end_s is not None
    assert defect.start_s <= 10.5 and defect.end_s >= 11.5
    assert float(defect.detail.split(" s ")[0]) >= UNHEARD_S


def test_nothing_heard_is_left_to_the_transcript_check() -> None:
    samples = speech_like(5.0, seed=1, sr=SR)
    assert unheard_speech(samples, SR, envelope(samples, SR), []) == ()


def test_batch_words_go_to_their_chunk_timed_from_its_start() -> None:
    spans = [Span(start_s=1.5, end_s=4.0), Span(start_s=5.5, end_s=9.0)]
    heard = [
        HeardSegment(start_s=1.6, end_s=2.0, text="one"),
        HeardSegment(start_s=3.8, end_s=4.3, text="two"),  # drifts into the gap
        HeardSegment(start_s=5.4, end_s=5.9, text="three"),  # starts in the gap
    ]
    first, second = timed_words(heard, spans)
    assert [(w.text, round(w.start_s, 6)) for w in first] == [("one", 0.1), ("two", 2.3)]
    assert [(w.text, round(w.start_s, 6), round(w.end_s, 6)) for w in second] == [
        ("three", -0.1, 0.4)
    ]


def test_a_phrase_the_text_says_twice_where_it_is_heard_twice_is_no_repeat() -> None:
    text = (
        "The girl from the mill counted the logbook in the boathouse in the first week of "
        "March."
    )
    # tiny.en on clean Piper audio: 'counted' heard as 'count in' adds an 'in the' to
    # the transcript, 'boathouse' split in two sits between two copies of it.
    heard = (
        "The girl from the mill count in the logbook in the bow pass in the first week of "
        "March."
    )
    assert not [d for d in score(text, heard, 6.0).defects if d.code == DefectCode.REPEATED]
    twice = text.replace("in the boathouse", "in the boathouse in the boathouse")
    (defect,) = score(text, twice, 7.0).defects
    assert defect.code == DefectCode.REPEATED


def test_a_sentence_replaced_by_one_of_the_same_shape_is_one_run_of_errors() -> None:
    text = (
        "Mister Hollis watched the kitchen table at the top of the tower before dawn. The "
        "postman wrapped a coil of rope on the quay on Sunday. Ada carried a pair of boots."
    )
    # tiny.en on that chunk with its middle sentence replaced: two error regions, each of
    # at most 6 words, two correct words apart.
    replaced = (
        "Mr. Hollis watched the kitchen table at the top of the tower before dawn. The old "
        "fairman lost an oil skincope on the gallery on Sunday. Ada carried a pair of boots."
    )
    (defect,) = score(text, replaced, 10.0).defects
    assert defect.code == DefectCode.MISMATCH and "misheard" in defect.detail
    assert defect.words and defect.words.startswith("old fairman")
    # A name and a word misheard two words apart stay within the run limit.
    misheard = text.replace("Hollis watched", "Holly's washed").replace("the tower", "a tower")
    assert score(text, misheard, 10.0).passed
