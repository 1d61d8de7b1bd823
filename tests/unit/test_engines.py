"""The engine registry, what engines declare they can do, and the one request count.

Engines are built for real (Piper, faster-whisper, the OpenAI-compatible client); none
of them loads a model or sends a request until it speaks or hears, and none does here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.config import NarrationParams, RemoteSettings
from narrator.engines import (
    EngineFactory,
    EngineOptions,
    engine_factory,
    engines_for,
    packing_for,
    register,
    speech_capabilities,
    transcriber_capabilities,
    voice_engine,
)
from narrator.errors import ConfigError
from narrator.plan import chunk_book, count_requests, make_plan
from narrator.provider import Provider
from narrator.resume import budget_markdown
from narrator.speech.base import SpeechCapabilities, SpeechEngine
from narrator.speech.voices import KOKORO_VOICES, Voice
from narrator.text import load_book
from narrator.verify.base import Transcriber, TranscriberCapabilities

BOOK = """# Three Chapters

## One

The keeper climbed the tower at dusk and lit the great lamp. The sea was calm and grey.

She wrote the hour in her log and trimmed the wick.

## Two

Far out, a fishing boat turned for home, its small light rising and falling.

## Three

The gulls had gone quiet on the rocks, and the beam swept across the water all night.
"""


def _params(tmp_path: Path, **kwargs: object) -> NarrationParams:
    manuscript = tmp_path / "book.md"
    manuscript.write_text(BOOK, encoding="utf-8")
    # A loopback endpoint needs no API key; its own path gives this test its own engines.
    remote = RemoteSettings(base_url=f"http://127.0.0.1:9/{tmp_path.name}/v1", budget="1000/day")
    return NarrationParams(manuscript=manuscript, remote=remote, **kwargs)  # type: ignore[arg-type]


def test_an_unknown_engine_name_is_a_config_error_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError) as error:
        engine_factory("coqui")
    assert "'coqui'" in error.value.message
    assert error.value.hint == "choose one of: embedded, kokoro, remote"


class _Counting:
    """An engine family that builds what another one builds, counting the builds."""

    def __init__(self, inner: EngineFactory) -> None:
        self.inner = inner
        self.built: list[str] = []

    def speech_capabilities(self, options: EngineOptions) -> SpeechCapabilities:
        return self.inner.speech_capabilities(options)

    def voices(self) -> tuple[Voice, ...]:
        return self.inner.voices()

    def transcriber_capabilities(self) -> TranscriberCapabilities:
        return self.inner.transcriber_capabilities()

    def speech(self, options: EngineOptions, provider: Provider | None) -> SpeechEngine:
        self.built.append("speech")
        return self.inner.speech(options, provider)

    def transcriber(self, options: EngineOptions, provider: Provider | None) -> Transcriber:
        self.built.append("transcriber")
        return self.inner.transcriber(options, provider)


def test_engines_are_built_by_the_registered_factory(tmp_path: Path) -> None:
    original = engine_factory("embedded")
    counting = _Counting(original)
    register("embedded", counting)
    try:
        engines = engines_for(_params(tmp_path, engine="embedded", speed=1.25))
        assert engine_factory("embedded") is counting
        assert counting.built == ["speech", "transcriber"]
        assert engines.speech.identity.endswith("speed=1.25")
    finally:
        register("embedded", original)


def test_a_voice_engine_is_built_once_per_voice_and_speed_and_shared() -> None:
    heart, emma = (v for v in KOKORO_VOICES if v.name in ("af_heart", "bf_emma"))
    original = engine_factory("kokoro")
    counting = _Counting(original)
    register("kokoro", counting)
    try:
        engine = voice_engine(heart, 1.2)
        assert voice_engine(heart, 1.2) is engine
        assert counting.built == ["speech"]
        assert voice_engine(heart, 1.0) is not engine
        assert voice_engine(emma, 1.2).voice == "bf_emma"
        assert counting.built == ["speech"] * 3
    finally:
        register("kokoro", original)
    assert voice_engine(heart, 1.2) is not engine  # registering a family forgets its engines


def test_capabilities_are_known_before_building_and_match_the_built_engines(
    tmp_path: Path,
) -> None:
    embedded = _params(tmp_path, engine="embedded")
    remote = _params(tmp_path, engine="remote", verify="remote")
    assert speech_capabilities(embedded) == SpeechCapabilities(
        paid=False, max_input_chars=450, chars_per_s=20.3, unheard_s=0.7, timed_takes=True
    )
    assert speech_capabilities(remote) == SpeechCapabilities(paid=True, max_input_chars=4096)
    assert transcriber_capabilities(embedded) == TranscriberCapabilities(paid=False, batch_s=30.0)
    assert transcriber_capabilities(remote) == TranscriberCapabilities(paid=True, batch_s=900.0)
    for params in (embedded, remote):
        engines = engines_for(params)
        assert engines.speech.capabilities == speech_capabilities(params)
        assert engines.transcriber.capabilities == transcriber_capabilities(params)
        assert (engines.provider is not None) == speech_capabilities(params).paid


def test_embedded_takes_are_their_own_timing_and_a_remote_engines_are_not(
    tmp_path: Path,
) -> None:
    assert speech_capabilities(_params(tmp_path, engine="embedded")).timed_takes
    assert speech_capabilities(_params(tmp_path, engine="embedded", voice="af_heart")).timed_takes
    assert not speech_capabilities(_params(tmp_path, engine="remote")).timed_takes


def test_a_free_engine_packs_by_paragraph_and_a_paid_one_fills_its_limit(
    tmp_path: Path,
) -> None:
    assert packing_for(_params(tmp_path, engine="embedded")) == (450, True)
    assert packing_for(_params(tmp_path, engine="remote")) == (4096, False)
    assert packing_for(_params(tmp_path, engine="remote", max_input_chars=300)) == (300, False)


def test_only_paid_engines_count_as_paid_requests(tmp_path: Path) -> None:
    book = load_book(_params(tmp_path).manuscript)
    chunks = chunk_book(book, 80, by_paragraph=False)
    n = sum(map(len, chunks))
    free = SpeechCapabilities(paid=False, max_input_chars=80)
    local = TranscriberCapabilities(paid=False, batch_s=None)
    remote = TranscriberCapabilities(paid=True, batch_s=900.0)
    assert count_requests(chunks, free, local, speed=1.0).paid == 0
    # Remote verification of a local engine's audio: one batch per chapter is paid.
    requests = count_requests(chunks, free, remote, speed=1.0)
    assert (requests.synthesis, requests.verification, requests.paid) == (n, 3, 3)


@pytest.mark.parametrize("verify", ["embedded", "remote"])
def test_plan_and_budget_report_count_the_same_paid_requests(tmp_path: Path, verify: str) -> None:
    params = _params(tmp_path, engine="remote", verify=verify, max_input_chars=80)
    book = load_book(params.manuscript)
    limit, by_paragraph = packing_for(params)
    chunks = chunk_book(book, limit, by_paragraph=by_paragraph)
    plan = make_plan(book, chunks, params)
    n = sum(map(len, chunks))
    assert n > 3  # several chunks per chapter, so batching matters
    # Synthesis is paid per chunk; remote verification per chapter-long batch.
    assert plan.paid_requests == (n if verify == "embedded" else n + 3)
    report = budget_markdown(engines_for(params), chunks, speed=params.speed)
    assert f"chunks still to narrate: {n}, needing {plan.paid_requests} paid requests" in report
