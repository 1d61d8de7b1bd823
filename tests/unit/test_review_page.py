"""The review page's parts without models: word diff, fixes, loudness series and HTML."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from narrator.audio.loudness import LoudnessMeter, integrated_lufs
from narrator.models import Boundary, Chunk, ChunkAudio, ChunkResult, Verification
from narrator.review.diff import word_diff
from narrator.review.fixes import Fixes, corrected, load_fixes, reviewed, save_fixes
from narrator.review.loudness import LoudnessSeries
from narrator.review.page import FixCommands, review_html
from narrator.store import BookPaths

SR = 48_000


def test_word_diff_marks_missing_and_extra_words_and_ignores_case_and_punctuation() -> None:
    expected, heard = word_diff("The keeper lit the <lamp> at dusk.", "the keeper let the lamp")
    assert expected == "The keeper <del>lit</del> the &lt;lamp&gt; <del>at dusk.</del>"
    assert heard == "the keeper <ins>let</ins> the lamp"


def chunk(text: str, index: int = 0) -> Chunk:
    return Chunk(id=f"c01-{index:04d}", chapter=1, index=index, text=text, spoken=text,
                 boundary=Boundary.SENTENCE)  # fmt: skip


def result(c: Chunk, audio: str, *, flagged: bool) -> ChunkResult:
    heard = Verification(heard="x", wer=1.0, cer=1.0, duration_s=1.0, passed=not flagged)
    return ChunkResult(chunk=c, audio=ChunkAudio(chunk_id=c.id, path=Path(audio),
                       sample_rate=SR, duration_s=1.0), verification=heard, attempts=1,
                       flagged=flagged)  # fmt: skip


def test_a_correction_applies_to_its_own_text_only_and_survives_a_reload(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    original, other = chunk("Vrrk zzt."), chunk("The sea was calm.", 1)
    save_fixes(paths, Fixes().with_fix(original, corrected_text="Mr. Hollis rowed home."))
    fixes = load_fixes(paths)
    ((fixed, untouched),) = corrected([[original, other]], fixes)
    assert fixed.text == "Vrrk zzt." and fixed.corrected_text == "Mr. Hollis rowed home."
    assert fixed.spoken == "Mister Hollis rowed home."  # said as any chunk is
    assert untouched == other
    # The manuscript changed at that place: the same id with other words keeps them.
    ((edited,),) = corrected([[chunk("Vrrk zzt, said the gull.")]], fixes)
    assert edited.corrected_text is None and edited.spoken == "Vrrk zzt, said the gull."


def test_an_acceptance_holds_for_the_audio_listened_to_only() -> None:
    c = chunk("Vrrk zzt.")
    fixes = Fixes().with_fix(c, accepted_audio="aaa.flac")
    (same,) = reviewed([result(c, "/book/cache/chunks/aaa.flac", flagged=True)], fixes)
    assert same.accepted and not same.flagged
    # New audio (the text or the voice changed): a person has not heard it yet.
    (new,) = reviewed([result(c, "/book/cache/chunks/bbb.flac", flagged=True)], fixes)
    assert new.flagged and not new.accepted


def test_a_damaged_fixes_file_is_an_error_naming_it(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    paths.root.mkdir()
    paths.fixes.write_text('{"chunks": {"c01-0000": {"corrected_text": 3}}}')
    with pytest.raises(Exception, match="fixes.json is damaged") as info:
        load_fixes(paths)
    assert getattr(info.value, "exit_code", None) == 2


def test_short_term_loudness_follows_a_level_step() -> None:
    t = np.arange(10 * SR) / SR
    tone = (0.1 * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    tone[5 * SR :] *= 0.1  # 20 dB quieter after 5 s
    meter = LoudnessMeter(SR)
    meter.feed(tone)
    values = meter.short_term(3.0, 1.0)
    assert len(values) == 8  # windows ending at 3, 4, ... 10 s
    loud = integrated_lufs(tone[: 5 * SR], SR)
    assert values[0] == pytest.approx(loud, abs=0.05)
    assert values[-1] == pytest.approx(loud - 20.0, abs=0.05)
    silent = LoudnessMeter(SR)
    silent.feed(np.zeros(4 * SR, np.float32))
    assert math.isinf(silent.short_term(3.0, 1.0)[0])


def manifest(**chunk: Any) -> dict[str, Any]:
    record = {"id": "c01-0001", "text": "The keeper lit the lamp.", "heard": "the keeper",
              "start_s": 3.0, "end_s": 5.5, "attempts": 3, "wer": 0.6, "cer": 0.5,
              "passed": False, "flagged": True, "reason": "dropped words", "accepted": False,
              "corrected_text": None, "audio": "cache/chunks/abc.flac", **chunk}  # fmt: skip
    check = {"preset": "acx", "passed": False, "failed": ["rms"]}
    return {"title": "A <Book>", "author": None, "m4b": "a-book.m4b", "duration_s": 12.0,
            "engine": "piper", "verifier": "whisper",
            "chapters": [{"index": 1, "title": "One", "file": "chapters/01-one.mp3",
                          "duration_s": 12.0, "lufs": -19.0, "peak_dbfs": -3.1, "check": check,
                          "chunks": [record]}]}  # fmt: skip


def page(data: dict[str, Any]) -> str:
    series = LoudnessSeries(step_s=1.0, window_s=3.0, lufs=(-20.0, None, -18.5))
    return review_html(data, {1: series}, FixCommands(Path("/m/the book.md"), Path("/out")))


def test_a_flagged_chunk_gets_player_diff_reason_attempts_and_commands() -> None:
    html = page(manifest())
    (entry,) = re.findall(r'<article class="chunk flagged".*?</article>', html)
    assert '<audio controls preload="metadata" src="cache/chunks/abc.flac"' in entry
    assert "<del>lit the lamp.</del>" in entry and "dropped words" in entry
    assert "<dt>Attempts</dt><dd>3</dd>" in entry
    assert "narrate accept &#x27;/m/the book.md&#x27; --chunk c01-0001 --out /out" in entry
    assert "--chunk c01-0001 --out /out" in entry
    assert 'href="chapters/01-one.mp3#t=3.00,5.50"' in entry
    assert "A &lt;Book&gt;" in html and "acx FAIL: rms" in html
    assert html.count("<polyline") == 1 and '<rect class="flagged"' in html
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org", "")


def test_defects_are_shown_with_where_they_are_instead_of_the_reason() -> None:
    defects = [
        {"code": "silence", "detail": "4.1 s of dead air", "start_s": 1.25, "end_s": 5.35,
         "words": "lamp"},
        {"code": "rate", "detail": "12 % fast", "start_s": None, "end_s": None, "words": None},
    ]  # fmt: skip
    html = page(manifest(defects=defects))
    assert "<code>silence</code>" in html and "1.25-5.35 s" in html and "12 % fast" in html
    assert "dropped words" not in html


def test_an_accepted_chunk_is_listed_as_fixed_and_no_longer_flagged() -> None:
    html = page(manifest(flagged=False, accepted=True))
    (entry,) = re.findall(r'<article class="chunk fixed".*?</article>', html)
    assert "(accepted)" in entry and "narrate accept" not in entry
    assert "Flagged chunks (0)" in html and '<article class="chunk flagged"' not in html
