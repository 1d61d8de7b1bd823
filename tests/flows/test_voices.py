"""End to end with Kokoro-82M: a book in one Kokoro voice, and one with a dialogue voice.

Kokoro costs about 1 CPU-second per second of speech, so the texts are short, and the
model is loaded once for the module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from narrator.audio.io import read_audio
from narrator.audio.loudness import integrated_lufs
from narrator.config import NarrationParams
from narrator.errors import EngineError
from narrator.speech.base import SpeechEngine
from narrator.speech.kokoro import KokoroEngine, load_model

pytestmark = pytest.mark.slow

ONE_VOICE = """# Tern Rock

## Dusk

The keeper climbed the tower at dusk and lit the great lamp.
"""

DIALOGUE = """# The Visitor

## Night

"Is anyone there?" she called. The wind answered, and she laughed.

'It's only the gulls,' said the old man. "Go to bed."
"""


def _narrate(tmp_path: Path, text: str, **settings: Any) -> dict[str, Any]:
    from flows.narrate import narrate_book

    manuscript = tmp_path / "book.md"
    manuscript.write_text(text, encoding="utf-8")
    result = narrate_book(NarrationParams(manuscript=manuscript, out_dir=tmp_path, **settings))
    return json.loads(result.manifest.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def one_voice(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _narrate(tmp_path_factory.mktemp("kokoro"), ONE_VOICE, voice="bf_emma")


@pytest.fixture(scope="module")
def dialogue(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dialogue")
    _narrate(out, DIALOGUE, voice="af_heart", dialogue_voice="am_michael")
    return out / "the-visitor"


def _chunks(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for chapter in manifest["chapters"] for c in chapter["chunks"]]


def test_the_engine_speaks_24_khz_with_headroom_and_loads_once() -> None:
    engine = KokoroEngine(voice="am_michael")
    assert isinstance(engine, SpeechEngine)
    assert engine.identity == "kokoro/kokoro-v1.0.int8.onnx/am_michael/speed=1"
    speech = engine.synthesize("The lamp is lit.")
    assert speech.sample_rate == 24_000 and speech.samples.dtype == np.float32
    assert 0.1 < float(np.abs(speech.samples).max()) <= 10 ** (-1 / 20) + 1e-6
    assert load_model() is load_model()
    with pytest.raises(EngineError, match="no audio"):
        engine.synthesize("   ")


def test_a_kokoro_voice_narrates_and_every_chunk_passes(one_voice: dict[str, Any]) -> None:
    assert one_voice["engine"].startswith("kokoro/kokoro-v1.0.int8.onnx/bf_emma/")
    assert one_voice["narrator"] == "Kokoro-82M (bf_emma)"
    chunks = _chunks(one_voice)
    assert {c["voice"] for c in chunks} == {"bf_emma"}
    assert all(c["passed"] for c in chunks), chunks


def test_dialogue_is_spoken_in_the_second_voice_chunk_by_chunk(dialogue: Path) -> None:
    manifest = json.loads((dialogue / "manifest.json").read_text(encoding="utf-8"))
    chunks = _chunks(manifest)
    assert [(c["text"], c["voice"]) for c in chunks] == [
        ("Night", "af_heart"),
        ('"Is anyone there?"', "am_michael"),
        ("she called. The wind answered, and she laughed.", "af_heart"),
        ("'It's only the gulls,'", "am_michael"),
        ("said the old man.", "af_heart"),
        ('"Go to bed."', "am_michael"),
    ]
    assert all(c["passed"] for c in chunks), chunks


def test_the_two_voices_are_level_matched_in_the_chapter(dialogue: Path) -> None:
    """Unmatched, af_heart and am_michael differ by about 2 LU (Kokoro's voices span 5.6)."""
    manifest = json.loads((dialogue / "manifest.json").read_text(encoding="utf-8"))
    samples, rate = read_audio(dialogue / "cache" / "masters" / "01.flac")
    spans: dict[str, list[np.ndarray]] = {}
    for c in _chunks(manifest):
        spans.setdefault(c["voice"], []).append(
            samples[int(c["start_s"] * rate) : int(c["end_s"] * rate)]
        )
    loudness = {voice: integrated_lufs(np.concatenate(s), rate) for voice, s in spans.items()}
    assert abs(loudness["af_heart"] - loudness["am_michael"]) < 1.0, loudness


def test_redo_speaks_one_chunk_in_another_voice_and_keeps_the_others(dialogue: Path) -> None:
    from tests.flows.test_review import narrate

    before = {c["id"]: c for c in _chunks(json.loads((dialogue / "manifest.json").read_text()))}
    target = next(i for i, c in before.items() if c["text"].startswith("she called"))
    manuscript, out = dialogue.parent / "book.md", dialogue.parent
    code, stderr = narrate(
        "redo", str(manuscript), "--out", str(out), "--chunk", target, "--voice", "bf_emma"
    )
    assert code == 0, stderr
    assert f"{target}: passed verification" in stderr
    after = {c["id"]: c for c in _chunks(json.loads((dialogue / "manifest.json").read_text()))}
    assert after[target]["voice"] == "bf_emma" and after[target]["revoiced"]
    assert after[target]["audio"] != before[target]["audio"]
    others = [i for i in before if i != target]
    assert [after[i]["audio"] for i in others] == [before[i]["audio"] for i in others]
    assert [after[i]["voice"] for i in others] == [before[i]["voice"] for i in others]
    report = (dialogue / "report.md").read_text(encoding="utf-8")
    assert f"`{target}`: spoken in the voice bf_emma chosen for it" in report
    # A voice of another engine is refused before anything changes.
    code, stderr = narrate(
        "redo", str(manuscript), "--out", str(out), "--chunk", target,
        "--voice", "en_US-joe-medium",
    )  # fmt: skip
    assert code == 2 and "has no voice 'en_US-joe-medium'" in " ".join(stderr.split())
    assert json.loads((dialogue / "manifest.json").read_text())["chapters"][0]["chunks"] == [
        after[i] for i in after
    ]
