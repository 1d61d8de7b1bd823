"""`narrate voices`, and a voice the engine does not have, as a user meets them."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import SAMPLE, narrate


def test_voices_lists_every_voice_with_engine_language_gender_and_licence() -> None:
    proc = narrate("voices")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("│")[1].strip(): line for line in proc.stdout.splitlines() if "│" in line}
    assert len(rows) == 1 + 54
    assert all(word in rows["en_US-joe-medium"] for word in ("piper", "en-US", "male", "CC0"))
    assert all(word in rows["bf_emma"] for word in ("kokoro", "en-GB", "female", "Apache-2.0"))
    assert all(word in rows["ff_siwis"] for word in ("kokoro", "fr", "female", "Apache-2.0"))


def test_a_voice_no_engine_has_fails_before_anything_starts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = narrate("run", str(SAMPLE), "--voice", "af_hurt", "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "af_hurt" in proc.stderr and "af_heart" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
