"""The CLI's remote side: `narrate plan` on a novel, `narrate budget`, exit 3 on a spent budget,
a book spoken by the served Kokoro voice (the default remote API's model)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import manuscript
from narrator.server import KOKORO_MODEL, SPEECH_MODEL, VOICE, ServeConfig, SpeechServer

NARRATE = Path(sys.executable).with_name("narrate")


def narrate(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NARRATE), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=900,
    )


@pytest.fixture(scope="module")
def novel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated full-length novel: about 700,000 characters in 60 chapters."""
    path = tmp_path_factory.mktemp("novel") / "novel.md"
    path.write_text(manuscript(700_000, chapters=60), encoding="utf-8")
    return path


def test_plan_of_a_novel_counts_requests_and_days_per_plan(novel: Path) -> None:
    local = json.loads(narrate("plan", str(novel), "--engine", "remote", "--json").stdout)
    remote = json.loads(
        narrate("plan", str(novel), "--engine", "remote", "--verify", "remote", "--json").stdout
    )
    assert local["chapters"] == 60 and local["characters"] > 690_000
    # Chunks fill up to 4,096 characters: far fewer requests than sentences.
    assert local["chunks"] <= math.ceil(local["characters"] / 4096) + 60
    assert local["paid_requests"] == local["chunks"]  # embedded verification is free
    assert remote["paid_requests"] == remote["chunks"] + remote["requests"]["verification"]
    assert remote["requests"]["verification"] < remote["chunks"]  # batched
    assert local["per_sentence_requests"] > 50 * local["paid_requests"]
    assert local["days"] == {
        "free": math.ceil(local["paid_requests"] / 60),
        "pro": math.ceil(local["paid_requests"] / 1000),
        "premium": math.ceil(local["paid_requests"] / 5000),
    }
    text = narrate("plan", str(novel), "--engine", "remote").stdout
    assert f"paid requests: {local['paid_requests']}" in text and "free " in text


def test_an_unknown_budget_is_a_clean_error(tiny_book: Path) -> None:
    proc = narrate("plan", str(tiny_book), "--engine", "remote", "--json")
    assert proc.returncode == 0
    proc = narrate("budget", "--budget", "lots")
    assert proc.returncode == 2
    assert "lots" in proc.stderr and "free" in proc.stderr and "Traceback" not in proc.stderr


def _served_env(tmp_path: Path) -> dict[str, str]:
    """A CLI run's environment: the test session's Prefect server and its own ledger."""
    import prefect.settings

    return {
        "PREFECT_API_URL": str(prefect.settings.PREFECT_API_URL.value()),
        "NARRATOR_LEDGER": str(tmp_path / "ledger.sqlite"),
    }


@pytest.mark.slow
def test_a_spent_budget_exits_3_saying_what_is_done_and_when_it_resets(
    prefect_harness: None, tiny_book: Path, tmp_path: Path
) -> None:
    env = _served_env(tmp_path)
    with SpeechServer(ServeConfig(port=0)) as server:
        url = server.url
        args = [
            "run", str(tiny_book), "--out", str(tmp_path / "out"), "--engine", "remote",
            "--base-url", url, "--tts-model", SPEECH_MODEL, "--voice", VOICE,
            "--budget", "1/day", "--max-input-chars", "60",
        ]  # fmt: skip
        proc = narrate(*args, env=env)
        assert server.stats.by_path["/v1/audio/speech"] == 1
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "waiting for budget: 1 of" in proc.stderr
    assert "resets at" in proc.stderr and "UTC" in proc.stderr
    budget = narrate("budget", "--base-url", url, "--budget", "1/day", env=env)
    assert budget.returncode == 0
    assert "1 requests used today of 1; 0 remain" in budget.stdout


@pytest.mark.slow
def test_a_book_narrated_by_the_served_kokoro_voice_passes_verification(
    prefect_harness: None, tiny_book: Path, tmp_path: Path
) -> None:
    env = _served_env(tmp_path)
    with SpeechServer(ServeConfig(port=0)) as server:
        args = [
            "run", str(tiny_book), "--out", str(tmp_path / "out"), "--engine", "remote",
            "--base-url", server.url, "--tts-model", KOKORO_MODEL, "--voice", "af_heart",
            "--budget", "unlimited",
        ]  # fmt: skip
        proc = narrate(*args, env=env)
        spoken = server.stats.speech_inputs
    assert proc.returncode == 0, proc.stderr[-2000:]
    manifest = json.loads((tmp_path / "out" / "a-tiny-book" / "manifest.json").read_text())
    engine = manifest["engine"]  # openai-compat/127.0.0.1:PORT/kokoro-82m/af_heart/...
    assert engine.startswith("openai-compat/") and f"/{KOKORO_MODEL}/af_heart/" in engine
    chunks = [c for chapter in manifest["chapters"] for c in chapter["chunks"]]
    assert chunks and all(c["passed"] for c in chunks), chunks
    assert len(spoken) == sum(c["attempts"] for c in chunks)  # one request per attempt


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mistake", "env", "said", "hint"),
    [
        (["--tts-model", "piper-en_US-joe-mediun"], {}, "model 'piper-en_US-joe-mediun'",
         "did you mean 'piper-en_US-joe-medium'"),
        (["--base-url", "http://127.0.0.1:9/v1"], {}, "nothing answers at", "--base-url"),
        (["--base-url", "http://192.0.2.1/v1"], {"NARRATOR_API_KEY": ""}, "no API key",
         "NARRATOR_API_KEY"),
    ],
    ids=["model", "base-url", "key"],
)  # fmt: skip
def test_a_config_mistake_ends_before_any_request_in_one_screen(
    tiny_book: Path, tmp_path: Path, mistake: list[str], env: dict[str, str], said: str, hint: str
) -> None:
    with SpeechServer(ServeConfig(port=0)) as server:
        args = [
            "run", str(tiny_book), "--out", str(tmp_path / "out"), "--engine", "remote",
            "--base-url", server.url, "--tts-model", SPEECH_MODEL, "--voice", VOICE, *mistake,
        ]  # fmt: skip
        proc = narrate(*args, env={"NARRATOR_LEDGER": str(tmp_path / "l.sqlite"), **env})
        seen = server.stats.by_path
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert said in proc.stderr and hint in proc.stderr.replace("\n", " ")
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) < 10
    assert "/v1/audio/speech" not in seen  # nothing paid for
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_remote_verification_on_a_server_that_cannot_transcribe_ends_before_any_request(
    tiny_book: Path, tmp_path: Path
) -> None:
    piper_like = ServeConfig(
        port=0, speech_models=("tts-1", "tts-1-hd"), transcription_models=(),
        transcription_route=False,
    )  # fmt: skip
    with SpeechServer(piper_like) as server:
        args = [
            "run", str(tiny_book), "--out", str(tmp_path / "out"), "--engine", "remote",
            "--verify", "remote", "--base-url", server.url, "--tts-model", "tts-1",
            "--voice", VOICE,
        ]  # fmt: skip
        proc = narrate(*args, env={"NARRATOR_LEDGER": str(tmp_path / "l.sqlite")})
        seen = server.stats.by_path
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "cannot transcribe: it lists no transcription model, only tts-1, tts-1-hd" in said
    assert "pass --verify embedded" in said and "--asr-model" not in said
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) < 10
    assert "/v1/audio/speech" not in seen  # nothing paid for
    assert not (tmp_path / "out").exists()
