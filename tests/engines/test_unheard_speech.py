"""Speech no heard word accounts for, on real Piper audio timed by the real transcriber:
a clean chunk's words account for all its speech; a phrase said twice that the
transcriber wrote down once is found where it was said, and named a repetition; other
speech it did not write down is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from narrator.audio.io import write_flac
from narrator.models import DefectCode
from narrator.speech.piper import PiperEngine
from narrator.verify.envelope import envelope
from narrator.verify.faster_whisper import WhisperTranscriber
from narrator.verify.unheard import unheard_speech
from narrator.verify.verdict import hear_and_judge, heard_text, verify_chunk

pytestmark = pytest.mark.slow

TEXT = (
    "Ada Finch had kept the light for eleven years, and in all that time nobody had "
    "written to her. She turned the envelope over twice before she opened it, as if it "
    "might be a mistake."
)

OTHER = "The harbour master rang the bell at noon, and two fishing boats came in on the tide."


def test_clean_speech_is_accounted_for_and_speech_heard_nowhere_is_found_and_named(
    tmp_path: Path,
) -> None:
    engine = PiperEngine()
    speech = engine.synthesize(TEXT)
    samples, rate = speech.samples, speech.sample_rate
    other = engine.synthesize(OTHER).samples
    path = tmp_path / "clean.flac"
    write_flac(path, samples, rate)
    words = WhisperTranscriber().transcribe_timed(path)
    clean = verify_chunk(TEXT, heard_text(words), samples, rate, speed=1.0, words=words)
    assert clean.defects == ()

    # The 1.5 s before the middle word said again; the transcriber writes it once, so
    # the words after it are heard 1.5 s later (as tiny.en times such a chunk).
    middle = min(words, key=lambda w: abs(w.end_s - speech.duration_s / 2))
    at, phrase_s = middle.end_s, 1.5
    a, b = round((at - phrase_s) * rate), round(at * rate)
    heard = [w if w.end_s <= at else w.model_copy(update={"start_s": w.start_s + phrase_s,
             "end_s": w.end_s + phrase_s}) for w in words]  # fmt: skip
    for inserted, code in (
        (samples[a:b], DefectCode.REPEATED),
        (other[round(0.5 * rate) : round(0.5 * rate) + b - a], DefectCode.NOISE),
    ):
        damaged = np.concatenate([samples[:b], inserted, samples[b:]])
        (defect,) = unheard_speech(damaged, rate, envelope(damaged, rate), heard,
                                   limit_s=engine.capabilities.unheard_s or 0.0)  # fmt: skip
        assert defect.code == code
        assert defect.start_s is not None and defect.end_s is not None
        assert defect.start_s < at + 0.5 and defect.end_s > at + phrase_s - 0.5


def test_a_chunk_failed_only_by_drifted_word_timings_is_heard_again_alone(
    tmp_path: Path,
) -> None:
    text = (
        "What a long way off to one's own feet! And how odd the directions will look! "
        "Oh, my poor little feet, I wonder who will put on your shoes and stockings now."
    )
    engine = PiperEngine()
    speech = engine.synthesize(text)
    path = tmp_path / "chunk.flac"
    write_flac(path, speech.samples, speech.sample_rate)
    transcriber = WhisperTranscriber()
    words = transcriber.transcribe_timed(path)
    # As a batch's timestamps can come out: the words of three times the engine's
    # unheard limit of speech squeezed to nothing at the end of the word before them, so
    # that speech has no word. Counted in seconds, not words: tiny.en does not time this
    # chunk alike on every run, and twice the limit left a surplus of 0.71 s against
    # Piper's 0.7 (three times: 1.2 s).
    limit = engine.capabilities.unheard_s
    assert limit is not None
    start = len(words) // 2
    at = words[start - 1].end_s
    stop = next(i for i in range(start, len(words)) if words[i].end_s - at >= 3 * limit)
    drifted = [*words[:start], *(w.model_copy(update={"start_s": at, "end_s": at})
               for w in words[start : stop + 1]), *words[stop + 1 :]]  # fmt: skip
    first = verify_chunk(text, heard_text(drifted), speech.samples, speech.sample_rate,
                         speed=1.0, words=drifted, unheard_s=limit)  # fmt: skip
    assert not first.passed and first.defects[0].start_s is not None  # the timings failed it
    again = hear_and_judge(transcriber, path, text, heard_text(drifted), speed=1.0,
                           words=drifted, unheard_s=limit)  # fmt: skip
    assert again.passed, again.reason
