"""Voices by language: Kokoro's 54 voices know their language, a book's language picks a
voice that speaks it, a voice of another language is an error naming the ones that fit,
and a language no voice here speaks points at the remote engine."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from kokoro_onnx.config import DEFAULT_VOCAB

from narrator.config import NarrationParams, RemoteSettings
from narrator.engines import (
    EngineOptions,
    _embedded_engine_of,
    check_voice,
    engine_factory,
    engine_kind,
    remote_voice,
)
from narrator.errors import ConfigError
from narrator.speech import kokoro_g2p
from narrator.speech.kokoro_files import voices_path
from narrator.speech.voices import KOKORO_NAMES, KOKORO_VOICES, kokoro_default, voices_for
from tests.cli.test_cli import narrate

FIRST_FEMALE = {
    "es": "ef_dora", "fr": "ff_siwis", "it": "if_sara", "pt-BR": "pf_dora", "hi": "hf_alpha",
    "zh": "zf_xiaobei", "ja": "jf_alpha",
}  # fmt: skip


def _options(**kwargs: object) -> EngineOptions:
    return EngineOptions(speed=1.0, max_input_chars=None, remote=RemoteSettings(), **kwargs)  # type: ignore[arg-type]


def test_every_kokoro_voice_knows_its_language() -> None:
    by_language = Counter(v.language for v in KOKORO_VOICES)
    assert by_language == {
        "en-US": 20, "en-GB": 8, "es": 3, "fr": 1, "it": 2, "pt-BR": 3, "hi": 4, "zh": 8,
        "ja": 5,
    }  # fmt: skip
    by_name = {v.name: v for v in KOKORO_VOICES}
    assert (by_name["pm_santa"].language, by_name["pm_santa"].gender) == ("pt-BR", "male")
    assert (by_name["zf_xiaoni"].language, by_name["zf_xiaoni"].gender) == ("zh", "female")
    assert (by_name["jm_kumo"].language, by_name["jm_kumo"].gender) == ("ja", "male")


def test_set_up_installed_all_54_voices() -> None:
    with np.load(voices_path()) as voices:
        assert sorted(voices.files) == sorted(KOKORO_NAMES)
        assert voices["zf_xiaobei"].shape == (510, 1, 256)


@pytest.mark.parametrize(("language", "voice"), [*FIRST_FEMALE.items(), ("en", "af_heart")])
def test_a_book_s_language_picks_its_first_female_kokoro_voice(language: str, voice: str) -> None:
    assert kokoro_default(language).name == voice
    # The region does not matter: a "pt" book reads with the Brazilian voice.
    assert engine_factory("kokoro").speech(_options(language=language), None).voice == voice


def test_a_voice_fits_a_book_by_its_primary_language() -> None:
    english = {v.name for v in voices_for("en-GB", KOKORO_VOICES)}
    assert {"af_heart", "bm_george"} <= english and "ff_siwis" not in english
    assert [v.name for v in voices_for("pt", KOKORO_VOICES)] == ["pf_dora", "pm_alex", "pm_santa"]


def test_a_language_no_voice_here_speaks_names_the_remote_engine() -> None:
    with pytest.raises(ConfigError) as error:
        kokoro_default("de")
    assert "German" in error.value.message
    assert "--engine remote" in error.value.hint
    with pytest.raises(ConfigError):
        engine_factory("kokoro").speech_capabilities(_options(language="de"))


def test_offline_without_a_voice_english_is_piper_s_and_french_kokoro_s() -> None:
    assert _embedded_engine_of(None, "en-US") == "embedded"
    assert _embedded_engine_of(None, "fr") == "kokoro"
    with pytest.raises(ConfigError, match="German"):
        _embedded_engine_of(None, "de")


def test_a_voice_of_another_language_is_an_error_naming_the_voices_that_fit(
    tmp_path: Path,
) -> None:
    manuscript = tmp_path / "book.md"
    manuscript.write_text("# B\n\nThe keeper lit the lamp.\n", encoding="utf-8")
    params = NarrationParams(manuscript=manuscript, engine="embedded", voice="af_heart")
    check_voice(params, "bf_emma")  # an English book takes a British voice
    with pytest.raises(ConfigError) as error:
        check_voice(params, "ff_siwis")
    assert "'ff_siwis' speaks French" in error.value.message
    assert "English" in error.value.message
    # The run's engine's voices that fit: Kokoro's English ones.
    assert "af_heart" in error.value.hint and "bm_george" in error.value.hint
    assert "ff_siwis" not in error.value.hint and "en_US-joe-medium" not in error.value.hint
    assert error.value.exit_code == 2


@pytest.mark.parametrize(("language", "limit"), [("en", 450), ("zh", 110), ("ja", 150)])
def test_a_chunk_of_mandarin_or_japanese_is_shorter(language: str, limit: int) -> None:
    capabilities = engine_factory("kokoro").speech_capabilities(_options(language=language))
    assert capabilities.max_input_chars == limit
    assert capabilities.timed_takes and not capabilities.paid


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "我们一起去北京吧。二零二四年，她说：“好！”"),
        # ぎゃ, きょ, ぴゅ, りょ, みゃ, てゅ, が: each a consonant misaki's table writes
        # as one letter Kokoro's vocabulary lacks.
        ("ja", "逆に今日はピューマと旅行しました。脈がある。テューバを吹いた。"),
    ],
)
def test_mandarin_and_japanese_phonemes_are_all_in_kokoro_s_vocabulary(
    language: str, text: str
) -> None:
    phonemes = kokoro_g2p.phonemize(text, language)
    assert phonemes
    assert {p for p in phonemes if p not in DEFAULT_VOCAB} == set()


def test_narrate_voices_lists_a_language_s_voices() -> None:
    proc = narrate("voices", "--language", "pt-BR")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("│")[1].strip() for line in proc.stdout.splitlines() if "│" in line]
    assert rows == ["pf_dora", "pm_alex", "pm_santa"]


def test_narrate_voices_for_german_says_to_narrate_remotely() -> None:
    proc = narrate("voices", "--language", "de")
    assert proc.returncode == 2
    assert "German" in proc.stderr and "--engine remote" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_french_book_with_no_voice_is_read_by_kokoro_s_french_voice(tmp_path: Path) -> None:
    manuscript = tmp_path / "livre.md"
    manuscript.write_text("# Chapitre premier\n\nIl était une fois.\n", encoding="utf-8")
    params = NarrationParams(manuscript=manuscript, engine="embedded", language="fr")
    assert engine_kind(params) == "kokoro"
    assert engine_kind(params.model_copy(update={"language": "en"})) == "embedded"  # Piper
    with pytest.raises(ConfigError, match="German"):
        engine_kind(params.model_copy(update={"language": "de"}))


def test_a_remote_book_in_french_is_read_in_kokoro_s_french_voice_unless_one_is_named() -> None:
    remote = RemoteSettings()  # af_heart, the API's default voice
    assert remote_voice(remote, "en-GB") == "af_heart"
    assert remote_voice(remote, "fr") == "ff_siwis"
    assert remote_voice(remote, "pt-BR") == "pf_dora"
    assert remote_voice(RemoteSettings(voice="nova"), "fr") == "nova"  # the server's own name
    with pytest.raises(ConfigError) as error:
        remote_voice(remote, "de")
    assert "German" in error.value.message and "--voice" in (error.value.hint or "")
