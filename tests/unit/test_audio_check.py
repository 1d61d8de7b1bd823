"""The compliance checker: synthetic signals with known answers, as real FLAC and MP3 files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from narrator.audio.check import PRESETS, Measurement, check, check_paths, measure
from narrator.audio.export import encode_chapter, ffmpeg_exe
from narrator.audio.io import write_flac
from narrator.errors import AudioError, ConfigError

SR = 44_100


def speech_like(
    sr: int = SR, *, head_s: float = 0.75, noise_dbfs: float = -70.0, gain_db: float = 0.0
) -> np.ndarray:
    """Eight 'words' (harmonic tones under a Hann envelope) over white room tone.

    Scaled to -20 dB RMS (peak about -9 dBFS), with ``head_s`` seconds of room tone
    before the first word and 2 s after the last, so it passes ACX as built.
    """
    word_n, gap_n = round(0.35 * sr), round(0.2 * sr)
    t = np.arange(word_n) / sr
    word = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 11)) * np.hanning(word_n)
    speech = np.zeros(round(head_s * sr) + 8 * (word_n + gap_n) - gap_n + round(2.0 * sr))
    for i in range(8):
        start = round(head_s * sr) + i * (word_n + gap_n)
        speech[start : start + word_n] = word
    speech *= 10 ** ((-20.0 + gain_db) / 20) / np.sqrt(np.mean(speech**2))
    rng = np.random.default_rng(7)
    return (speech + rng.standard_normal(len(speech)) * 10 ** (noise_dbfs / 20)).astype(np.float32)


def flac(path: Path, samples: np.ndarray, sr: int = SR) -> Path:
    write_flac(path, samples, sr)
    return path


def mp3(tmp_path: Path, samples: np.ndarray) -> Path:
    source = flac(tmp_path / "source.flac", samples)
    out = tmp_path / "chapter.mp3"
    encode_chapter(source, out, title="One", album="Book", artist=None, track=1, total=1)
    return out


def failed(path: Path, preset: str = "acx") -> set[str]:
    return {r.rule for r in check(measure(path), PRESETS[preset]) if not r.passed}


def test_speech_built_for_acx_passes_every_acx_rule_as_mp3(tmp_path: Path) -> None:
    path = mp3(tmp_path, speech_like())
    m = measure(path)
    results = check(m, PRESETS["acx"])
    assert [r for r in results if not r.passed] == []
    assert {r.rule for r in results} == {
        "rms",
        "peak",
        "noise floor",
        "head room tone",
        "tail room tone",
        "sample rate",
        "mp3 bitrate",
        "channels",
    }
    assert (m.codec, m.sample_rate, m.channels, m.bitrate, m.constant_bitrate) == (
        "mp3",
        44_100,
        1,
        192_000,
        True,
    )
    # LAME at 192k loses about 0.3 dB of this synthetic signal (320k and PCM do not).
    assert m.rms_db == pytest.approx(-20.0, abs=0.5)
    assert m.noise_floor_db == pytest.approx(-70.0, abs=2.0)
    assert m.head_s == pytest.approx(0.75, abs=0.05)
    assert m.tail_s == pytest.approx(2.0, abs=0.05)


def test_ten_db_too_loud_fails_rms_and_peak(tmp_path: Path) -> None:
    assert failed(flac(tmp_path / "loud.flac", speech_like(gain_db=10.0))) == {
        "rms",
        "peak",
        "mp3 bitrate",  # a FLAC is never an ACX delivery
    }


def test_no_head_room_tone_fails_the_head_rule(tmp_path: Path) -> None:
    assert failed(flac(tmp_path / "nohead.flac", speech_like(head_s=0.0))) == {
        "head room tone",
        "mp3 bitrate",
    }


def test_noise_at_minus_50_between_words_fails_the_noise_floor(tmp_path: Path) -> None:
    path = flac(tmp_path / "noisy.flac", speech_like(noise_dbfs=-50.0))
    assert measure(path).noise_floor_db == pytest.approx(-50.0, abs=0.5)
    assert failed(path) == {"noise floor", "mp3 bitrate"}


def test_22050_hz_fails_the_sample_rate_rule(tmp_path: Path) -> None:
    path = flac(tmp_path / "low.flac", speech_like(22_050), 22_050)
    assert failed(path) == {"sample rate", "mp3 bitrate"}


def test_variable_bit_rate_mp3_fails_the_bitrate_rule(tmp_path: Path) -> None:
    source = flac(tmp_path / "source.flac", speech_like())
    out = tmp_path / "vbr.mp3"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(source),
            "-c:a",
            "libmp3lame",
            "-q:a",
            "0",
            str(out),
        ],
        check=True,
    )
    assert measure(out).constant_bitrate is False
    assert failed(out) == {"mp3 bitrate"}


@pytest.mark.parametrize("amplitude_dbfs", [0.0, -20.0])
def test_1khz_sine_reads_known_rms_and_lufs(tmp_path: Path, amplitude_dbfs: float) -> None:
    t = np.arange(3 * 48_000) / 48_000
    sine = (10 ** (amplitude_dbfs / 20) * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    m = measure(flac(tmp_path / "sine.flac", sine, 48_000))
    # A sine's RMS is its amplitude - 3.01 dB; BS.1770 reads it the same at 1 kHz.
    assert m.rms_db == pytest.approx(amplitude_dbfs - 3.01, abs=0.1)
    assert m.lufs == pytest.approx(amplitude_dbfs - 3.01, abs=0.1)
    assert (m.codec, m.bitrate, m.constant_bitrate, m.duration_s) == ("flac", None, None, 3.0)


def test_missing_file_raises_audio_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.mp3"
    with pytest.raises(AudioError, match="nowhere.mp3"):
        measure(missing)


def test_podcast_uses_the_mono_target_for_mono_files() -> None:
    mono = Measurement(
        rms_db=-22.0,
        peak_dbfs=-4.0,
        true_peak_dbtp=-3.5,
        lufs=-19.2,
        noise_floor_db=-70.0,
        head_s=0.6,
        tail_s=2.0,
        sample_rate=44_100,
        channels=1,
        bitrate=None,
        constant_bitrate=None,
        codec="flac",
        duration_s=10.0,
    )
    stereo = mono.model_copy(update={"channels": 2})
    assert all(r.passed for r in check(mono, PRESETS["podcast"]))
    assert {r.rule for r in check(stereo, PRESETS["podcast"]) if not r.passed} == {"loudness"}
    assert {r.rule for r in check(mono, PRESETS["ebu-r128"]) if not r.passed} == {"loudness"}


def test_check_paths_expands_folders_sorted_and_rejects_unknown_presets(tmp_path: Path) -> None:
    for name in ("b.flac", "a.flac"):
        flac(tmp_path / name, speech_like())
    (tmp_path / "notes.txt").write_text("not audio")
    results = check_paths([tmp_path], "ebu-r128")
    assert [path.name for path, _, _ in results] == ["a.flac", "b.flac"]
    with pytest.raises(ConfigError, match="acx, ebu-r128, podcast"):
        check_paths([tmp_path], "audible")


def _narrate_check(*args: str) -> subprocess.CompletedProcess:
    narrate = Path(sys.executable).with_name("narrate")
    return subprocess.run(
        [str(narrate), "check", *args], capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


def test_narrate_check_exits_0_when_every_file_passes_and_1_otherwise(tmp_path: Path) -> None:
    good = mp3(tmp_path, speech_like())
    ok = _narrate_check(str(good), "--preset", "acx")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 of 1 files pass acx" in ok.stdout

    loud_dir = tmp_path / "loud"
    loud_dir.mkdir()
    loud = mp3(loud_dir, speech_like() * 10 ** (10 / 20))
    bad = _narrate_check(str(good), str(loud), "--json")
    assert bad.returncode == 1
    report = {Path(r["file"]).parent.name: r for r in json.loads(bad.stdout)}
    assert report[loud_dir.name]["passed"] is False
    assert {r["rule"] for r in report[loud_dir.name]["rules"] if not r["passed"]} >= {"rms", "peak"}


def test_narrate_check_with_an_unknown_preset_is_a_clean_error(tmp_path: Path) -> None:
    proc = _narrate_check(str(tmp_path), "--preset", "cd-audio")
    assert proc.returncode == 2
    assert "acx" in proc.stderr and "Traceback" not in proc.stderr
