"""The defect detectors on synthetic speech-like audio and on transcripts (no models)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.generate import speech_like
from narrator.audio.io import write_flac
from narrator.models import (
    Boundary,
    Chunk,
    ChunkAudio,
    ChunkResult,
    Defect,
    DefectCode,
    Verification,
)
from narrator.speech.timing import expected_duration_s
from narrator.verify.edges import clipped_edges
from narrator.verify.envelope import envelope
from narrator.verify.rate import (
    BOOK_RATE_TOLERANCE,
    CHUNK_RATE_TOLERANCE,
    TIMED_RATE_TOLERANCE,
    chars_per_s,
    check_rates,
    untimed_tolerance,
    voiced_s,
)
from narrator.verify.scoring import score
from narrator.verify.silence import DEAD_AIR_S, long_pauses
from narrator.verify.verdict import same_defect, verify_chunk

SR = 22_050
TEXT = (
    "The keeper trimmed the wick before the tide turned. Ada carried the lantern up the "
    "hundred steps, and the gulls followed her halfway home. Nobody told them about the storm."
)


def _speech(seconds: float, seed: int = 1) -> np.ndarray:
    """Speech-like audio whose internal pauses are at most 0.8 s (``speech_like``)."""
    return speech_like(seconds, seed=seed, sr=SR)


def _with_gap(samples: np.ndarray, at_s: float, gap_s: float) -> np.ndarray:
    at = round(at_s * SR)
    return np.concatenate([samples[:at], np.zeros(round(gap_s * SR), np.float32), samples[at:]])


def test_clean_speech_has_no_long_pause_and_no_clipped_edge() -> None:
    env = envelope(_speech(10.0), SR)
    assert long_pauses(env, TEXT) == ()
    assert clipped_edges(env, TEXT) == ()


@pytest.mark.parametrize("gap_s", [2.0, 4.0])
def test_a_silence_mid_chunk_is_found_with_its_place(gap_s: float) -> None:
    env = envelope(_with_gap(_speech(10.0), 5.0, gap_s), SR)
    (defect,) = long_pauses(env, TEXT)
    assert defect.code == DefectCode.SILENCE
    assert defect.start_s is not None and defect.end_s is not None
    # The gap joins the quiet syllable edges around it: it is at least as long.
    assert abs(defect.start_s - 5.0) < 0.3 and defect.end_s - defect.start_s >= gap_s - 0.02
    assert defect.words and "|" in defect.words


def test_dead_air_is_a_defect_even_for_an_engine_with_long_pauses() -> None:
    env = envelope(_with_gap(_speech(10.0), 5.0, DEAD_AIR_S + 0.1), SR)
    assert [d.code for d in long_pauses(env, TEXT, longest_natural_s=5.0)] == [DefectCode.SILENCE]


def test_lead_and_tail_silence_are_not_internal_pauses() -> None:
    padded = np.concatenate([np.zeros(3 * SR, np.float32), _speech(6.0), np.zeros(3 * SR)])
    assert long_pauses(envelope(padded, SR), TEXT) == ()


def test_audio_cut_inside_a_word_is_clipped_at_that_edge() -> None:
    samples = _speech(8.0)
    loud = np.flatnonzero(np.abs(samples) > 0.5)
    cut_end = samples[: loud[len(loud) // 2]]
    assert [d.detail.split()[2] for d in clipped_edges(envelope(cut_end, SR), TEXT)] == ["ends"]
    cut_start = samples[loud[len(loud) // 2] :]
    assert [d.detail.split()[2] for d in clipped_edges(envelope(cut_start, SR), TEXT)] == ["starts"]


def test_voiced_time_leaves_out_pauses() -> None:
    samples = _with_gap(_speech(10.0), 5.0, 3.0)
    assert voiced_s(envelope(samples, SR)) == pytest.approx(
        voiced_s(envelope(_speech(10.0), SR)), abs=0.05
    )


def test_chunks_too_short_to_measure_have_no_rate() -> None:
    assert chars_per_s("Chapter one.", envelope(_speech(2.0), SR)) is None
    assert chars_per_s(TEXT, envelope(_speech(9.0), SR)) is not None


def _result(
    tmp_path: Path, index: int, samples: np.ndarray, reference: np.ndarray | None = None
) -> ChunkResult:
    """A passed chunk of ``samples``, keeping the seconds of its engine's timing
    ``reference`` (audio as long as the engine expects the text to take) when given."""
    path = tmp_path / f"{index}.flac"
    write_flac(path, samples, SR)
    chunk = Chunk(id=f"c01-{index:04d}", chapter=1, index=index, text=TEXT, spoken=TEXT,
                  boundary=Boundary.PARAGRAPH)  # fmt: skip
    duration = len(samples) / SR
    heard = Verification(heard=TEXT, wer=0, cer=0, duration_s=duration, passed=True)
    timing = None if reference is None else len(reference) / SR
    audio = ChunkAudio(chunk_id=chunk.id, path=path, sample_rate=SR, duration_s=duration,
                       reference_s=timing)  # fmt: skip
    return ChunkResult(chunk=chunk, audio=audio, verification=heard, attempts=1, flagged=False)


def _stretched(samples: np.ndarray, factor: float) -> np.ndarray:
    """``samples`` played ``factor`` times as fast (fewer samples, same rate)."""
    positions = np.arange(0, len(samples) - 1, factor)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def test_a_chunk_far_from_its_book_rate_is_flagged_and_the_others_pass(tmp_path: Path) -> None:
    # The same text and the same speech-like audio: the same rate every time.
    # Long enough (20 s) to be held to the tolerance of long chunks.
    book = [_speech(20.0) for _ in range(6)]
    fast = 1 + CHUNK_RATE_TOLERANCE + 0.05
    book[3] = _stretched(book[3], fast)
    chapter = [_result(tmp_path, n, samples) for n, samples in enumerate(book)]
    (checked,), rate = check_rates([chapter], known_chars_per_s=None, speed=1.0)
    assert [r.flagged for r in checked] == [False, False, False, True, False, False]
    (defect,) = checked[3].verification.defects
    assert defect.code == DefectCode.RATE and "fast" in defect.detail
    assert rate.passed and rate.measured == 6


def test_a_short_chunk_of_an_untimed_engine_gets_the_spread_of_short_chunks(
    tmp_path: Path,
) -> None:
    # Characters per second spread more on short chunks: a 6-s chunk 15 % off its book
    # is within what clean Kokoro speech showed (13.7 %), 30 % off is not.
    book = [_speech(6.0) for _ in range(6)]
    assert untimed_tolerance(voiced_s(envelope(book[0], SR)) / 1.15) > 0.15 > CHUNK_RATE_TOLERANCE
    for factor, flagged in ((1.15, False), (1.30, True)):
        chapter = [_result(tmp_path, n, s) for n, s in enumerate(book)]
        chapter[3] = _result(tmp_path, 3, _stretched(book[3], factor))
        (checked,), _ = check_rates([chapter], known_chars_per_s=None, speed=1.0)
        assert [r.flagged for r in checked] == [False, False, False, flagged, False, False]


def test_a_whole_book_far_from_the_engines_rate_fails_and_flags_every_chunk(
    tmp_path: Path,
) -> None:
    chapter = [_result(tmp_path, n, _speech(9.0)) for n in range(5)]
    (_, book) = check_rates([chapter], known_chars_per_s=None, speed=1.0)
    own = book.chars_per_s
    assert own is not None
    (same,), ok = check_rates([chapter], known_chars_per_s=own, speed=1.0)
    assert ok.passed and not any(r.flagged for r in same)
    slow_engine = own / (1 + BOOK_RATE_TOLERANCE + 0.04)  # this book is ~9 % fast for it
    (checked,), failed = check_rates([chapter], known_chars_per_s=slow_engine, speed=1.0)
    assert not failed.passed and "fast" in (failed.detail or "")
    assert all(r.flagged and r.verification.defects[-1].code == DefectCode.RATE for r in checked)


def test_held_against_its_engines_timing_each_chunk_is_judged_by_its_own_text(
    tmp_path: Path,
) -> None:
    book = [_speech(9.0) for _ in range(6)]
    references = list(book)
    # Chunk 2's text is one the engine itself speaks 10 % fast: so is its audio.
    book[2] = references[2] = _stretched(book[2], 1.10)
    # Chunk 4 was sped up on its way, less than the characters' tolerance.
    fast = 1 + TIMED_RATE_TOLERANCE + 0.02
    assert fast < 1 + CHUNK_RATE_TOLERANCE
    book[4] = _stretched(book[4], fast)
    timed = [_result(tmp_path, n, s, references[n]) for n, s in enumerate(book)]
    (checked,), rate = check_rates([timed], known_chars_per_s=None, speed=1.0)
    assert [r.flagged for r in checked] == [False, False, False, False, True, False]
    assert "fast" in checked[4].verification.defects[0].detail
    assert rate.passed and rate.expected_chars_per_s is not None
    # Without the engine's timing the characters per second alone tell neither apart.
    untimed = [_result(tmp_path, n, s) for n, s in enumerate(book)]
    (checked,), _ = check_rates([untimed], known_chars_per_s=None, speed=1.0)
    assert not any(r.flagged for r in checked)
    # Nor when one chunk keeps no timing: the whole book is judged in characters.
    (checked,), _ = check_rates([[untimed[0], *timed[1:]]], known_chars_per_s=None, speed=1.0)
    assert not any(r.flagged for r in checked)


def test_a_whole_book_faster_than_its_engines_timing_fails(tmp_path: Path) -> None:
    clean = [_speech(9.0) for _ in range(5)]
    fast = 1 + BOOK_RATE_TOLERANCE + 0.04
    chapter = [_result(tmp_path, n, _stretched(s, fast), s) for n, s in enumerate(clean)]
    # No known rate needed: the engine's timing is spoken at the run's speed.
    (checked,), rate = check_rates([chapter], known_chars_per_s=None, speed=1.0)
    assert not rate.passed and "fast" in (rate.detail or "")
    assert rate.chars_per_s == pytest.approx(fast * (rate.expected_chars_per_s or 0), rel=0.01)
    assert all(r.flagged for r in checked)


def test_verdict_lists_transcript_and_audio_defects_the_first_is_the_reason() -> None:
    samples = _with_gap(_speech(expected_duration_s(TEXT)), 4.0, 3.0)
    heard = TEXT.replace("Ada carried the lantern up the hundred steps, and ", "")
    result = verify_chunk(TEXT, heard, samples, SR, speed=1.0)
    assert [d.code for d in result.defects] == [DefectCode.DROPPED, DefectCode.SILENCE]
    assert not result.passed and result.reason == result.defects[0].detail


@pytest.mark.parametrize(
    ("heard", "code"),
    [
        (TEXT.replace("before the tide turned.", "before the tide, before the tide turned."),
         DefectCode.REPEATED),
        (TEXT.replace("Nobody told them about the storm.", ""), DefectCode.TRUNCATED),
        (TEXT.replace("the gulls followed her halfway home", "a cat sat on a mat in the hall"),
         DefectCode.MISMATCH),
        (TEXT.replace("the storm.", "the storm. And then a ship sailed in from far away."),
         DefectCode.MISMATCH),
    ],
)  # fmt: skip
def test_transcript_defects_have_codes_and_words(heard: str, code: DefectCode) -> None:
    result = score(TEXT, heard, expected_duration_s(TEXT))
    assert [d.code for d in result.defects] == [code]
    assert result.defects[0].words


def test_a_repeated_phrase_names_the_phrase() -> None:
    heard = TEXT.replace("before the tide turned.", "before the tide, before the tide turned.")
    (defect,) = score(TEXT, heard, expected_duration_s(TEXT)).defects
    assert defect.words == "before the tide"


def test_one_doubled_word_is_not_a_repetition() -> None:
    heard = TEXT.replace("trimmed the wick", "trimmed the the wick")
    assert score(TEXT, heard, expected_duration_s(TEXT)).passed


def test_a_repetition_the_text_makes_is_not_a_defect_however_it_is_spelled() -> None:
    # tiny.en hears Carroll's "Curiouser and curiouser!" as two words each time; the
    # text says the word twice itself, so the doubled "curious her" is no repetition.
    text = "'Curiouser and curiouser!' cried Alice (she was so much surprised)."
    heard = "Curious her and curious her! cried Alice, she was so much surprised."
    assert score(text, heard, expected_duration_s(text)).passed


def test_a_phrase_said_again_beside_a_repetition_the_text_makes_is_still_one() -> None:
    text = "'Curiouser and curiouser!' cried Alice, and she sat down again."
    heard = "Curious her and curious her! cried Alice, cried Alice, and she sat down again."
    (defect,) = score(text, heard, expected_duration_s(text)).defects
    assert defect.code == DefectCode.REPEATED and defect.words == "cried alice"


def _failed(*defects: Defect) -> Verification:
    return Verification(heard="", wer=0.5, cer=0.5, duration_s=5.0, passed=False,
                        reason=defects[0].detail, defects=defects)  # fmt: skip


def test_two_takes_fail_alike_only_for_the_same_defect_at_the_same_place() -> None:
    noise = Defect(code=DefectCode.NOISE, detail="0.8 s", start_s=2.0, end_s=3.0, words="oh dear")
    elsewhere = noise.model_copy(update={"words": "the rabbit"})
    silence = Defect(code=DefectCode.SILENCE, detail="2 s", start_s=4.0, end_s=6.0)
    assert same_defect(_failed(noise), _failed(noise))
    assert not same_defect(_failed(noise), _failed(elsewhere))
    assert not same_defect(_failed(noise), _failed(silence))
    assert same_defect(_failed(silence), _failed(silence.model_copy(update={"start_s": 4.3})))
    assert not same_defect(_failed(silence), _failed(silence.model_copy(update={"start_s": 5.0})))


def test_a_short_timed_book_played_fast_fails_chunk_by_chunk(tmp_path: Path) -> None:
    # Three chunks, too few for a median of characters per second to stand for a book:
    # each timed chunk is held against its own take, so all of them are caught.
    clean = [_speech(9.0, seed=n + 1) for n in range(3)]
    chapter = [_result(tmp_path, n, _stretched(s, 1.08), s) for n, s in enumerate(clean)]
    (checked,), rate = check_rates([chapter], known_chars_per_s=None, speed=1.0)
    assert all(r.flagged for r in checked) and not rate.passed
    (same,), ok = check_rates(
        [[_result(tmp_path, n, s, s) for n, s in enumerate(clean)]], known_chars_per_s=None,
        speed=1.0,
    )  # fmt: skip
    assert ok.passed and not any(r.flagged for r in same)


def test_a_short_sentence_said_as_another_is_other_words_even_in_a_long_chunk() -> None:
    text = (
        "The voice was exquisite, but from the point of view of tone it was absolutely "
        "false. It was wrong in colour. It took away all the life from the verse. It made "
        "the passion unreal, and the audience grew restless in their seats."
    )
    heard = text.replace("It was wrong in colour.", "They waited for that.")
    (defect,) = score(text, heard, expected_duration_s(text)).defects
    assert defect.code == DefectCode.MISMATCH and defect.words == "they waited for that"
    # The small transcriber's spelling of a name is not other words.
    misheard = text.replace("exquisite", "ex quiz it")
    assert score(text, misheard, expected_duration_s(text)).passed


def test_a_short_timed_chunk_played_fast_is_caught(tmp_path: Path) -> None:
    # Under 3 s voiced: too short for characters per second, exact against its take.
    book = [_speech(9.0) for _ in range(5)]
    short = _speech(2.5, seed=4)
    assert voiced_s(envelope(short, SR)) < 3.0
    chapter = [_result(tmp_path, n, s, s) for n, s in enumerate(book)]
    chapter.append(_result(tmp_path, 9, _stretched(short, 1.08), short))
    (checked,), _ = check_rates([chapter], known_chars_per_s=None, speed=1.0)
    assert [r.flagged for r in checked] == [False] * 5 + [True]
