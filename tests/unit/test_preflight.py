"""The preflight against `narrate serve` and a server that lists nothing, over real HTTP on
loopback (only free GET requests: no model is loaded)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from narrator.config import NarrationParams, RemoteSettings
from narrator.errors import ConfigError
from narrator.preflight import check_remote
from narrator.server import (
    KOKORO_MODEL,
    SPEECH_MODEL,
    TRANSCRIPTION_MODEL,
    VOICE,
    ServeConfig,
    SpeechServer,
)

KEY = "sk-preflight-FAKE-51c0"


def _params(url: str, **remote: Any) -> NarrationParams:
    settings = {"tts_model": SPEECH_MODEL, "voice": VOICE, "asr_model": TRANSCRIPTION_MODEL}
    return NarrationParams(
        manuscript=Path("unused.md"),
        engine="remote",
        verify=remote.pop("verify", "embedded"),
        remote=RemoteSettings(base_url=url, **(settings | remote)),
    )


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with SpeechServer(ServeConfig(port=0, token=KEY)) as server:
        yield server.url


@pytest.fixture()
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_API_KEY", KEY)


def test_good_settings_pass_without_a_warning(served: str, key: None) -> None:
    assert check_remote(_params(served, verify="remote")) == ()


def test_the_default_apis_model_and_voice_pass(served: str, key: None) -> None:
    defaults = RemoteSettings()  # Oxlo's kokoro-82m and af_heart, which the server serves too
    params = _params(served, tts_model=defaults.tts_model, voice=defaults.voice)
    assert (params.remote.tts_model, params.remote.voice) == (KOKORO_MODEL, "af_heart")
    assert check_remote(params) == ()


@pytest.mark.parametrize(
    ("setting", "said", "hint"),
    [
        ({"voice": "jo"}, "voice 'jo'", "did you mean 'joe'? pass --voice with one of: af_"),
        (
            {"asr_model": "faster-whisper-tiny", "verify": "remote"},
            "model 'faster-whisper-tiny'",
            "did you mean 'faster-whisper-tiny.en'? pass --asr-model",
        ),
    ],
)
def test_an_unknown_name_gets_the_nearest_and_the_list(
    served: str, key: None, setting: dict[str, str], said: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        check_remote(_params(served, **setting))
    assert said in caught.value.message and hint in str(caught.value.hint)


@pytest.mark.parametrize(
    ("voices", "said", "option"),
    [
        ({"voice": "jo"}, "voice 'jo'", "--voice"),  # the narration voice wins over remote's
        ({"voice": VOICE, "dialogue_voice": "jo"}, "voice 'jo'", "--dialogue-voice"),
    ],
)
def test_the_run_voices_are_checked_against_the_server(
    served: str, key: None, voices: dict[str, str], said: str, option: str
) -> None:
    params = _params(served).model_copy(update=voices)
    with pytest.raises(ConfigError) as caught:
        check_remote(params)
    assert said in caught.value.message and f"pass {option}" in str(caught.value.hint)


def test_a_refused_key_is_named_without_repeating_it(
    served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATOR_API_KEY", "sk-wrong-key-0000000000")
    with pytest.raises(ConfigError) as caught:
        check_remote(_params(served))
    assert "refused the API key (HTTP 401" in caught.value.message
    assert "sk-wrong-key" not in str(caught.value)


def test_pcm_gets_a_warning(served: str, key: None) -> None:
    (warning,) = check_remote(_params(served, response_format="pcm", pcm_rate=22_050))
    assert "22050 Hz" in warning and "wav is safer" in warning


@pytest.fixture()
def lists_nothing() -> Iterator[str]:
    """A server that answers 404 to every GET, as one without a models route does."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_a_server_that_lists_nothing_is_not_held_against_the_settings(
    lists_nothing: str, key: None
) -> None:
    assert check_remote(_params(lists_nothing, tts_model="anything", voice="any")) == ()


def test_the_embedded_engines_need_no_preflight() -> None:
    params = NarrationParams(manuscript=Path("unused.md"), engine="embedded")
    assert (
        check_remote(params.model_copy(update={"remote": RemoteSettings(base_url="http://x")}))
        == ()
    )
