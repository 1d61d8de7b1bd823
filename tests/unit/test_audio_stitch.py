"""Stitching: exact pauses, no clicks at joins, room tone under ACX's noise floor, streamed."""

from __future__ import annotations

import numpy as np
import pytest

from narrator.audio.loudness import rms_dbfs
from narrator.audio.stitch import RoomTone, Stitcher, trim_silence
from narrator.config import PauseSettings
from narrator.errors import AudioError
from narrator.models import Boundary

SR = 22_050
PAUSES = PauseSettings(clause=0.25, sentence=0.45, paragraph=0.9, scene=2.0, head=0.75, tail=2.0)


def stitch(
    pieces: list[tuple[np.ndarray, Boundary]], sr: int = SR, pauses: PauseSettings = PAUSES
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Stitch ``pieces`` in memory: the chapter's samples and each piece's span, in seconds."""
    blocks: list[np.ndarray] = []
    stitcher = Stitcher(sr, pauses, blocks.append)
    spans = [stitcher.add(samples, boundary) for samples, boundary in pieces]
    length = stitcher.finish()
    out = np.concatenate(blocks)
    assert len(out) == length and out.dtype == np.float32
    return out, spans


def tone(seconds: float, *, freq: float = 440.0, amp: float = 0.5, phase: float = 0.0):
    t = np.arange(round(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def padded(core: np.ndarray, lead_s: float = 0.2, trail_s: float = 0.3) -> np.ndarray:
    """``core`` with digital silence around it, as an engine returns a sentence."""
    return np.concatenate(
        [np.zeros(round(lead_s * SR), np.float32), core, np.zeros(round(trail_s * SR), np.float32)]
    )


def test_trim_keeps_the_sound_and_a_short_margin() -> None:
    core = tone(1.0)
    trimmed = trim_silence(padded(core), SR, keep_s=0.03)
    # Sound plus 30 ms each side; the 10 ms RMS window may add at most one window.
    assert len(core) + 2 * 0.03 * SR <= len(trimmed) <= len(core) + 2 * 0.04 * SR


def test_trim_treats_low_noise_as_silence() -> None:
    hiss = np.random.default_rng(0).standard_normal(SR).astype(np.float32) * 10 ** (-60 / 20)
    assert len(trim_silence(hiss, SR)) == 0
    core = tone(0.5)
    trimmed = trim_silence(np.concatenate([hiss, core, hiss]), SR)
    assert len(trimmed) < len(core) + 0.1 * SR


def test_spans_and_pauses_follow_the_settings() -> None:
    boundaries = [
        Boundary.CLAUSE,
        Boundary.SENTENCE,
        Boundary.PARAGRAPH,
        Boundary.SCENE,
        Boundary.END,
    ]
    pieces = [(padded(tone(0.4 + 0.1 * i)), b) for i, b in enumerate(boundaries)]
    out, spans = stitch(pieces)

    assert spans[0][0] == pytest.approx(PAUSES.head, abs=1 / SR)
    assert len(out) / SR - spans[-1][1] == pytest.approx(PAUSES.tail, abs=1 / SR)
    expected = [PAUSES.clause, PAUSES.sentence, PAUSES.paragraph, PAUSES.scene]
    for (start, end), (next_start, _), pause in zip(spans, spans[1:], expected, strict=False):
        assert start < end < next_start
        assert next_start - end == pytest.approx(pause, abs=1 / SR)
    # Each span holds its trimmed piece: the tone, 2 x 30 ms kept, up to 2 x 10 ms of window.
    for (start, end), i in zip(spans, range(5), strict=True):
        assert 0.4 + 0.1 * i + 0.06 <= end - start <= 0.4 + 0.1 * i + 0.08 + 1 / SR


def test_last_piece_is_followed_by_the_tail_whatever_its_boundary() -> None:
    out, spans = stitch([(tone(0.5), Boundary.SENTENCE)])
    assert len(out) / SR - spans[-1][1] == pytest.approx(PAUSES.tail, abs=1 / SR)


def test_joins_do_not_click() -> None:
    # Both pieces start and stop at full amplitude (phase pi/2): unfaded, each edge
    # would be a 0.5 step. A click shows as a first difference larger than the
    # sine's own steepest slope, 2*pi*f/sr * amp.
    a = tone(0.5, freq=440, phase=np.pi / 2)
    b = tone(0.5, freq=660, phase=np.pi / 2)
    out, _ = stitch([(a, Boundary.CLAUSE), (b, Boundary.END)])
    steepest = 2 * np.pi * 660 / SR * 0.5
    assert np.abs(np.diff(out)).max() <= 1.05 * steepest


def test_pauses_hold_room_tone_below_the_acx_noise_floor() -> None:
    out, spans = stitch([(tone(0.5), Boundary.PARAGRAPH), (tone(0.5), Boundary.END)])
    gap = out[round(spans[0][1] * SR) : round(spans[1][0] * SR)]
    level = rms_dbfs(gap)
    assert level <= -60.0  # ACX noise floor
    assert level == pytest.approx(-75.0, abs=1.0)  # room tone, not digital zero
    head = out[: round(spans[0][0] * SR)]
    assert rms_dbfs(head) == pytest.approx(-75.0, abs=1.0)


def test_stitching_is_deterministic_and_leaves_inputs_alone() -> None:
    piece = tone(0.5)
    before = piece.copy()
    first, _ = stitch([(piece, Boundary.END)])
    second, _ = stitch([(piece, Boundary.END)])
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(piece, before)
    np.testing.assert_array_equal(RoomTone().take(100), RoomTone().take(100))


def test_dc_offset_is_removed() -> None:
    out, spans = stitch([(tone(1.0) + np.float32(0.2), Boundary.END)])
    start, end = (round(s * SR) for s in spans[0])
    assert abs(float(out[start:end].mean())) < 1e-3


def test_silent_pieces_keep_their_place_and_empty_input_is_rejected() -> None:
    out, spans = stitch(
        [
            (tone(0.5), Boundary.SENTENCE),
            (np.zeros(SR, np.float32), Boundary.SENTENCE),
            (tone(0.5), Boundary.END),
        ],
        SR,
        PAUSES,
    )
    assert len(spans) == 3 and spans[1][0] == spans[1][1]
    with pytest.raises(AudioError, match="nothing to stitch"):
        stitch([])


def test_room_tone_drawn_in_pieces_is_one_draw() -> None:
    # The stitcher draws the tone pause by pause; the chapter must not depend on that.
    whole = RoomTone().take(10_000)
    tone = RoomTone()
    pieces = [tone.take(n) for n in (1, 0, 999, 4321, 4679)]
    np.testing.assert_array_equal(np.concatenate(pieces), whole)


def test_stitcher_streams_a_piece_or_a_pause_at_a_time() -> None:
    # Nothing is buffered: each write is one pause or one piece, never the chapter.
    sizes: list[int] = []
    stitcher = Stitcher(SR, PAUSES, lambda block: sizes.append(len(block)))
    pieces = [padded(tone(0.5 + 0.1 * i)) for i in range(20)]
    for piece in pieces:
        before = len(sizes)
        stitcher.add(piece, Boundary.SENTENCE)
        assert len(sizes) - before == 2  # the pause before it, then the piece
    total = stitcher.finish()
    assert sum(sizes) == total
    assert max(sizes) <= max(len(p) for p in pieces)


def test_streamed_chapter_is_the_same_whatever_the_pieces() -> None:
    # Same input, same samples: the layout and the room tone under it are fixed.
    pieces = [(padded(tone(0.3 + 0.05 * i, freq=300 + 40 * i)), Boundary.CLAUSE) for i in range(6)]
    first, spans = stitch(pieces)
    second, again = stitch(pieces)
    np.testing.assert_array_equal(first, second)
    assert spans == again
    quiet = np.ones(len(first), bool)
    for start, end in spans:
        quiet[round(start * SR) : round(end * SR)] = False
    np.testing.assert_array_equal(first[quiet], RoomTone().take(len(first))[quiet])
