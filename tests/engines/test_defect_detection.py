"""The defect detectors on real Piper audio heard by the real transcriber: a 4-s silence
mid-chunk, a chunk and a book spoken 8 % fast are caught, clean chunks pass."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.signal import resample_poly

from narrator.audio.export import run_ffmpeg
from narrator.audio.io import write_flac
from narrator.models import (
    Boundary,
    Chunk,
    ChunkAudio,
    ChunkResult,
    DefectCode,
    Verification,
)
from narrator.speech.piper import CHARS_PER_VOICED_S, PiperEngine
from narrator.verify.envelope import FRAME_S, envelope
from narrator.verify.faster_whisper import WhisperTranscriber
from narrator.verify.rate import check_rates
from narrator.verify.verdict import hear_and_judge, verify_chunk

pytestmark = pytest.mark.slow



TEXTS = (
    "The keeper climbed the stairs before the sun went down. He cleaned the glass and "
    "trimmed the wick. Then he sat by the window and watched the boats come home.",
    "The wind rose in the night and shook the door. Rain ran down the walls of the "
    "tower. By morning the sea was grey and the beach was covered in weed.",
    "Her brother carried a basket of apples up the hill. The path was steep and the "
    "stones were wet. When he reached the gate he stopped to catch his breath.",
    "The harbour master rang the bell at noon. Two fishing boats came in on the tide, "
    "and the men carried their catch up the steps to the market by the church.",
    "A letter arrived on the first boat of the spring. Nobody knew who had sent it. "
    "The postman left it on the kitchen table and went back to the harbour.",
)
"""Five chunks of plain sentences (about 10 s each, like short Piper chunks). Each keeps
within 5 % of the five's median rate over 8 syntheses; a text about a ferryman mending
nets, tried first, ran at 0.88-0.92 of it, at the edge of the 12 % chunk tolerance."""


@pytest.fixture(scope="module")
def book() -> list[tuple[str, np.ndarray, int]]:
    """The chunks spoken by Piper."""
    engine = PiperEngine()
    return [(text, (s := engine.synthesize(text)).samples, s.sample_rate) for text in TEXTS]


@pytest.fixture(scope="module")
def timing(book: list[tuple[str, np.ndarray, int]]) -> dict[str, float | None]:
    """Each take's own length, as ``narrator.synthesis`` keeps it with a chunk of an
    engine whose takes are their own timing (``timed_takes``)."""
    return {text: len(samples) / rate for text, samples, rate in book}


def _heard(path: Path, samples: np.ndarray, rate: int) -> str:
    write_flac(path, samples, rate)
    return WhisperTranscriber().transcribe(path)


def _results(
    tmp_path: Path,
    chunks: list[tuple[str, np.ndarray, int]],
    timing: dict[str, float | None] | None = None,
) -> list[ChunkResult]:
    """The chunks as passed results, with their texts' ``timing`` when given: the rate
    check reads only their text, audio and timing."""
    out = []
    for n, (text, samples, rate) in enumerate(chunks):
        path = tmp_path / f"{n}.flac"
        write_flac(path, samples, rate)
        duration_s = len(samples) / rate
        chunk = Chunk(id=f"c01-{n:04d}", chapter=1, index=n, text=text, spoken=text,
                      boundary=Boundary.PARAGRAPH)  # fmt: skip
        audio = ChunkAudio(chunk_id=chunk.id, path=path, sample_rate=rate, duration_s=duration_s,
                           reference_s=timing and timing[text])  # fmt: skip
        verification = Verification(heard=text, wer=0, cer=0, duration_s=duration_s, passed=True)
        out.append(ChunkResult(chunk=chunk, audio=audio, verification=verification, attempts=1,
                               flagged=False))  # fmt: skip
    return out


def _rated(tmp_path: Path, chunks: list[tuple[str, np.ndarray, int]], timing=None):  # type: ignore[no-untyped-def]
    """The rate check over ``chunks`` as one chapter, against Piper's known rate."""
    return check_rates([_results(tmp_path, chunks, timing)],
                       known_chars_per_s=CHARS_PER_VOICED_S, speed=1.0)  # fmt: skip


def test_clean_chunks_pass_and_the_book_rate_matches_the_engine(book, timing, tmp_path):  # type: ignore[no-untyped-def]
    for n, (text, samples, rate) in enumerate(book[:2]):
        path = tmp_path / f"clean{n}.flac"
        heard = _heard(path, samples, rate)
        # As the pipeline judges: tiny.en without timestamps sometimes stops after a
        # clean chunk's first sentence, and a chunk that seems cut is heard again.
        verdict = hear_and_judge(WhisperTranscriber(), path, text, heard, speed=1.0)
        assert verdict.defects == (), verdict.reason
    for kept in (None, timing):
        (checked,), rate = _rated(tmp_path, book, kept)
        assert rate.passed and rate.measured == len(TEXTS)
        assert not any(r.flagged for r in checked)


def test_one_chunk_played_8_percent_fast_is_caught_against_pipers_timing(book, timing, tmp_path):  # type: ignore[no-untyped-def]
    # atempo: 8 % faster at the same pitch, which no sample-rate check would see.
    text, samples, rate = book[2]
    damaged = [*book[:2], (text, _tempo(samples, rate, 1.08), rate), *book[3:]]
    (checked,), book_rate = _rated(tmp_path, damaged, timing)
    assert [r.flagged for r in checked] == [False, False, True, False, False]
    assert "fast" in checked[2].verification.defects[0].detail and book_rate.passed


def test_four_seconds_of_silence_mid_chunk_are_caught(book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text, samples, rate = book[0]
    env = envelope(samples, rate)
    # The quiet frame nearest the middle, inside a sentence: dead air between words.
    quiet = np.flatnonzero(env.levels_db < env.speech_db - 30)
    at = int(quiet[np.argmin(np.abs(quiet - len(env.levels_db) // 2))]) * round(0.01 * rate)
    damaged = np.concatenate([samples[:at], np.zeros(4 * rate, np.float32), samples[at:]])
    heard = _heard(tmp_path / "silence.flac", damaged, rate)
    verification = verify_chunk(text, heard, damaged, rate, speed=1.0)
    silences = [d for d in verification.defects if d.code == DefectCode.SILENCE]
    assert len(silences) == 1 and not verification.passed
    assert silences[0].start_s == pytest.approx(at / rate, abs=0.3)
    # Both ends fall on 10-ms frames, but their difference in floating point may be a
    # hair under the frames' count (8.19 - 4.19 = 3.9999999999999996).
    assert silences[0].end_s - silences[0].start_s >= 4.0 - FRAME_S / 2  # type: ignore[operator]


def test_a_take_whose_drawn_durations_ran_6_percent_slow_is_not_a_defect(book, tmp_path):  # type: ignore[no-untyped-def]
    # Piper draws each sound's duration: on clean real prose, short takes ran up to 7.5 %
    # off the timing the voice expects. A take drawn 6 % slow is the voice's rhythm; the
    # pipeline keeps each take's own length as its timing, so it passes.
    text = book[2][0]
    slow = PiperEngine(speed=1 / 1.06).synthesize(text)
    chunks = [*book[:2], (text, slow.samples, slow.sample_rate), *book[3:]]
    timing = {t: len(s) / r for t, s, r in chunks}
    (checked,), book_rate = _rated(tmp_path, chunks, timing)
    assert not any(r.flagged for r in checked) and book_rate.passed


def test_a_book_spoken_8_percent_fast_fails_its_rate_check(book, timing, tmp_path):  # type: ignore[no-untyped-def]
    # Resampled as a wrong sample rate would play it: 8 % faster and higher.
    fast = [(text, resample_poly(s, 25, 27).astype(np.float32), r) for text, s, r in book]
    for kept in (None, timing):
        (checked,), rate = _rated(tmp_path, fast, kept)
        assert not rate.passed and "fast" in (rate.detail or "")
        assert all(r.flagged and r.verification.defects[-1].code == DefectCode.RATE
                   for r in checked)  # fmt: skip


def _tempo(samples: np.ndarray, rate: int, factor: float) -> np.ndarray:
    """``samples`` played ``factor`` times as fast at the same pitch (ffmpeg atempo)."""
    pcm = run_ffmpeg(["-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
                      "-af", f"atempo={factor}", "-f", "f32le", "pipe:1"],
                     "change the tempo", stdin=samples.tobytes())  # fmt: skip
    return np.frombuffer(pcm, dtype=np.float32).copy()


@pytest.fixture(scope="module")
def kokoro_book() -> list[tuple[str, object]]:
    """The chunks spoken by Kokoro af_heart, with the engine."""
    from narrator.speech.kokoro import KokoroEngine

    engine = KokoroEngine("af_heart")
    return [(text, engine.synthesize(text)) for text in TEXTS]


@pytest.mark.parametrize("factor", [1.08, 1 / 1.08])
def test_kokoro_times_its_text_by_its_own_take_and_a_chunk_8_percent_off_is_caught(
    factor: float, kokoro_book, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from narrator.speech.kokoro import KokoroEngine

    timing = {text: s.duration_s for text, s in kokoro_book}
    # Kokoro draws no durations: the same text again is the same take to the sample.
    text, first = kokoro_book[0]
    assert np.array_equal(KokoroEngine("af_heart").synthesize(text).samples, first.samples)
    chunks = [(text, s.samples, s.sample_rate) for text, s in kokoro_book]
    text, samples, rate = chunks[2]
    chunks[2] = (text, _tempo(samples, rate, factor), rate)
    (checked,), book_rate = _rated(tmp_path, chunks, timing)
    assert [r.flagged for r in checked] == [False, False, True, False, False]
    assert book_rate.passed
