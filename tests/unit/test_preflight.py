"""The preflight against `narrate serve` and a server that lists nothing, over real HTTP on
loopback (only free requests: no model is loaded)."""

from __future__ import annotations

import ipaddress
import socket
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
PIPER_LIKE = {  # a Piper server taking OpenAI's speech names, with no transcription route
    "speech_models": ("tts-1", "tts-1-hd"),
    "transcription_models": (),
    "transcription_route": False,
}


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


def test_a_server_that_cannot_transcribe_says_so_and_names_embedded_verification(
    key: None,
) -> None:
    with SpeechServer(ServeConfig(port=0, **PIPER_LIKE)) as piper_like:
        with pytest.raises(ConfigError) as caught:
            check_remote(_params(piper_like.url, verify="remote", tts_model="tts-1"))
        seen = piper_like.stats.by_path
    error = caught.value
    assert error.message.endswith("cannot transcribe: it lists no transcription model, "
                                  "only tts-1, tts-1-hd")  # fmt: skip
    assert str(error.hint).startswith("pass --verify embedded") and "--asr-model" not in str(error)
    assert "/v1/audio/speech" not in seen and "/v1/audio/transcriptions" not in seen


@pytest.mark.parametrize(
    ("setting", "said", "hint"),
    [
        ({"asr_model": "whisper-large-v3"}, "transcription model 'whisper-large-v3'",
         "did you mean 'whisper-1'? pass --asr-model with one of: gpt-4o-transcribe, whisper-1"),
        ({"asr_model": "tts-1"}, "'tts-1' is a speech model, not a transcription model",
         "pass --asr-model with one of: gpt-4o-transcribe, whisper-1"),
        ({"tts_model": "tts-2"}, "speech model 'tts-2'",
         "did you mean 'tts-1'? pass --tts-model with one of: tts-1, tts-1-hd"),
        ({"tts_model": "whisper-1"}, "'whisper-1' is a transcription model, not a speech model",
         "pass --tts-model with one of: tts-1, tts-1-hd"),
    ],
    ids=["asr-unknown", "asr-is-speech", "tts-unknown", "tts-is-transcription"],
)  # fmt: skip
def test_suggestions_name_only_models_of_the_task_asked_for(
    key: None, setting: dict[str, str], said: str, hint: str
) -> None:
    both = ServeConfig(
        port=0, speech_models=("tts-1", "tts-1-hd"),
        transcription_models=("whisper-1", "gpt-4o-transcribe"),
    )  # fmt: skip
    settings = {"verify": "remote", "tts_model": "tts-1"} | setting
    with SpeechServer(both) as server, pytest.raises(ConfigError) as caught:
        check_remote(_params(server.url, **settings))
    assert said in caught.value.message and str(caught.value.hint) == hint


def test_a_server_that_cannot_speak_says_so_and_names_the_embedded_engine(key: None) -> None:
    hears_only = ServeConfig(port=0, speech_models=(), transcription_models=("whisper-1",))
    with SpeechServer(hears_only) as server, pytest.raises(ConfigError) as caught:
        check_remote(_params(server.url, tts_model="kokoro-82m"))
    assert caught.value.message.endswith("cannot speak: it lists no speech model, only whisper-1")
    assert str(caught.value.hint).startswith("pass --engine embedded")


@pytest.mark.parametrize(
    "listed",
    [{}, {"speech_models": (), "transcription_models": ()}],
    ids=["lists-whisper", "lists-nothing"],
)
def test_a_missing_transcription_route_on_this_machine_is_found_for_free(
    key: None, listed: dict[str, tuple[str, ...]]
) -> None:
    with SpeechServer(ServeConfig(port=0, transcription_route=False, **listed)) as server:
        with pytest.raises(ConfigError) as caught:
            check_remote(_params(server.url, verify="remote"))
        seen = server.stats.by_path
    assert "has no transcription route: POST " in caught.value.message
    assert caught.value.message.endswith("answered HTTP 404: Invalid URL (POST "
                                         "/v1/audio/transcriptions).")  # fmt: skip
    assert str(caught.value.hint).startswith("pass --verify embedded")
    assert seen["/v1/audio/transcriptions"] == 1 and "/v1/audio/speech" not in seen


def test_a_server_that_implements_no_post_cannot_verify(lists_nothing: str, key: None) -> None:
    with pytest.raises(ConfigError) as caught:
        check_remote(_params(lists_nothing, verify="remote"))
    assert "has no transcription route" in caught.value.message and "HTTP 501" in str(caught.value)


def _address_on_the_network() -> str | None:
    """This machine's address on its network (not a loopback one), or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect(("192.0.2.1", 9))  # chooses the outgoing interface; sends nothing
        except OSError:
            return None
        address = str(udp.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


def test_a_server_elsewhere_is_never_probed_with_a_request_it_might_bill(key: None) -> None:
    address = _address_on_the_network()
    if address is None:
        pytest.skip("this machine has no network address but loopback")
    with SpeechServer(ServeConfig(host=address, port=0, transcription_route=False)) as server:
        assert check_remote(_params(server.url, verify="remote")) == ()
        seen = server.stats.by_path
    assert set(seen) == {"/v1/models", "/v1/audio/voices"}
