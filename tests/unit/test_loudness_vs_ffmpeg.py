"""An independent meter agrees: ffmpeg's ebur128 and astats filters read what narrator reports.

narrator masters a minute of speech-like audio; ffmpeg (the bundled static build)
then measures the written file with ``ebur128=peak=true`` (integrated loudness,
true peak) and ``astats`` (RMS level), and so does :func:`narrator.audio.check.measure`.
The two agree within 0.5 dB, for the lossless master and for its MP3.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from bench.generate import speech_like
from narrator.audio.check import Measurement, measure
from narrator.audio.export import encode_chapter, ffmpeg_exe
from narrator.audio.master import Premaster
from narrator.config import MasterSettings

SR = 22_050
AGREEMENT_DB = 0.5


def ffmpeg_levels(path: Path) -> dict[str, float]:
    """Integrated loudness (LUFS), true peak (dBTP) and RMS level (dBFS) as ffmpeg reads them."""
    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true,astats=measure_perchannel=none", "-f", "null", "-"],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    summary = result.stderr[result.stderr.rindex("Summary:") :]

    def number(pattern: str, text: str) -> float:
        match = re.search(pattern, text)
        assert match, f"{pattern!r} not in ffmpeg's output:\n{result.stderr[-3000:]}"
        return float(match.group(1))

    return {
        "lufs": number(r"I:\s+(-?[\d.]+) LUFS", summary),
        "true_peak": number(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary),
        "rms": number(r"Overall[\s\S]*?RMS level dB:\s+(-?[\d.]+)", result.stderr),
    }


@pytest.fixture(scope="module")
def mastered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """One minute mastered by narrator: its FLAC master, its MP3, and the reported LUFS."""
    folder = tmp_path_factory.mktemp("ffmpeg-agreement")
    flac, mp3 = folder / "master.flac", folder / "chapter.mp3"
    with Premaster(SR, folder) as premaster:
        premaster.write(speech_like(60, seed=11, sr=SR))
        report = premaster.master(MasterSettings(target_lufs=-20.0, ceiling_dbfs=-3.0))
        sf.write(flac, np.concatenate(list(premaster.mastered())), SR, subtype="PCM_16")
    encode_chapter(flac, mp3, title="t", album="a", artist=None, track=1, total=1)
    return flac, mp3, report.lufs


def assert_agree(ours: Measurement, theirs: dict[str, float]) -> None:
    pairs = {
        "lufs": ours.lufs,
        "true_peak": ours.true_peak_dbtp,
        "rms": ours.rms_db,
    }
    for name, value in pairs.items():
        assert abs(value - theirs[name]) <= AGREEMENT_DB, (name, value, theirs[name])


def test_ffmpeg_agrees_with_the_master(mastered: tuple[Path, Path, float]) -> None:
    flac, _, reported_lufs = mastered
    theirs = ffmpeg_levels(flac)
    assert_agree(measure(flac), theirs)
    assert abs(reported_lufs - theirs["lufs"]) <= AGREEMENT_DB
    assert theirs["true_peak"] <= -3.0 + AGREEMENT_DB


def test_ffmpeg_agrees_with_the_chapter_mp3(mastered: tuple[Path, Path, float]) -> None:
    _, mp3, reported_lufs = mastered
    theirs = ffmpeg_levels(mp3)
    assert_agree(measure(mp3), theirs)
    assert abs(reported_lufs - theirs["lufs"]) <= AGREEMENT_DB
