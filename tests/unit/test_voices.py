"""Voices: the voice picks the embedded engine, a voice the engine lacks is an error
naming the ones it has, and a chapter's voices are level-matched before stitching."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from narrator.audio.balance import voice_gains
from narrator.audio.io import write_flac
from narrator.audio.loudness import integrated_lufs
from narrator.config import NarrationParams, RemoteSettings
from narrator.engines import embedded_voices, engine_kind, packing_for
from narrator.errors import ConfigError
from narrator.models import Boundary, Chunk, ChunkAudio, ChunkResult, Verification
from narrator.speech.voices import KOKORO_NAMES

SAMPLE = Path(__file__).resolve().parents[2] / "inputs" / "the-keeper-of-tern-rock.md"


def _params(tmp_path: Path, **kwargs: object) -> NarrationParams:
    manuscript = tmp_path / "book.md"
    manuscript.write_text('# B\n\n"Hello," she said.\n', encoding="utf-8")
    return NarrationParams(manuscript=manuscript, **kwargs)  # type: ignore[arg-type]


def test_the_catalog_has_piper_and_the_54_kokoro_voices() -> None:
    voices = embedded_voices()
    assert [v.name for v in voices if v.engine == "embedded"] == ["en_US-joe-medium"]
    kokoro = [v for v in voices if v.engine == "kokoro"]
    assert len(kokoro) == len(KOKORO_NAMES) == 54
    by_name = {v.name: v for v in kokoro}
    assert (by_name["bm_george"].language, by_name["bm_george"].gender) == ("en-GB", "male")
    assert (by_name["af_heart"].language, by_name["af_heart"].gender) == ("en-US", "female")
    assert {v.licence for v in kokoro} == {"Apache-2.0"}


@pytest.mark.parametrize(
    ("voice", "dialogue", "kind"),
    [
        (None, None, "embedded"),
        ("en_US-joe-medium", None, "embedded"),
        ("af_heart", None, "kokoro"),
        ("af_heart", "am_michael", "kokoro"),
        # A dialogue voice alone picks its engine; the main voice is that engine's default.
        (None, "bm_george", "kokoro"),
    ],
)
def test_offline_the_voice_picks_the_engine(
    tmp_path: Path, voice: str | None, dialogue: str | None, kind: str
) -> None:
    params = _params(tmp_path, engine="embedded", voice=voice, dialogue_voice=dialogue)
    assert engine_kind(params) == kind


def test_a_voice_no_embedded_engine_has_is_an_error_listing_the_voices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        engine_kind(_params(tmp_path, engine="auto", voice="af_hurt"))
    assert "'af_hurt'" in error.value.message
    assert error.value.exit_code == 2
    assert "en_US-joe-medium" in error.value.hint and "af_heart" in error.value.hint


def test_a_dialogue_voice_of_another_engine_is_an_error_listing_the_engine_s_voices(
    tmp_path: Path,
) -> None:
    params = _params(tmp_path, voice="af_heart", dialogue_voice="en_US-joe-medium")
    # Checked wherever the engine is chosen, so a run fails while reading its settings.
    with pytest.raises(ConfigError) as error:
        packing_for(params)
    assert "dialogue voice 'en_US-joe-medium'" in error.value.message
    assert "am_michael" in error.value.hint and "en_US-joe-medium" not in error.value.hint


def test_remotely_any_voice_goes_to_the_api(tmp_path: Path) -> None:
    remote = RemoteSettings(base_url="http://127.0.0.1:9/v1")
    params = _params(tmp_path, engine="remote", remote=remote, voice="alloy")
    assert engine_kind(params) == "remote"


def test_offline_and_remote_renderings_of_a_voice_are_cached_apart(tmp_path: Path) -> None:
    from narrator.engines import engines_for
    from narrator.store import chunk_key

    remote = RemoteSettings(base_url=f"http://127.0.0.1:9/{tmp_path.name}/v1")
    settings = {"voice": "af_heart", "dialogue_voice": "am_michael", "remote": remote}
    offline = engines_for(_params(tmp_path, engine="embedded", **settings))
    online = engines_for(_params(tmp_path, engine="remote", **settings))
    narration = Chunk(
        id="c01-0000", chapter=1, index=0, text="x", spoken="Hello.", boundary=Boundary.END
    )
    quoted = narration.model_copy(update={"voice": "am_michael"})
    engines = [
        e.speech_for(c) for e in (offline, online) for c in (narration, quoted)
    ]  # fmt: skip
    assert [e.voice for e in engines] == ["af_heart", "am_michael"] * 2
    assert offline.speech.identity.startswith("kokoro/")
    assert online.speech.identity.startswith("openai-compat/")
    assert len({chunk_key("Hello.", e.identity) for e in engines}) == 4


def test_clean_keeps_the_audio_of_the_voices_it_is_given(tmp_path: Path) -> None:
    from narrator.clean import clean_book
    from narrator.engines import engines_for
    from narrator.parse import parse_book
    from narrator.store import BookPaths, chunk_key

    params = _params(tmp_path, out_dir=tmp_path, voice="af_heart", dialogue_voice="am_michael")
    parsed = parse_book(params)
    engines = engines_for(params)
    paths = BookPaths.for_book(tmp_path, parsed.book.slug)
    chunks = [c for chapter in parsed.chunks for c in chapter]
    assert {c.voice for c in chunks} == {None, "am_michael"}
    for chunk in chunks:
        key = chunk_key(chunk.spoken, engines.speech_for(chunk).identity)
        paths.chunk_audio(key).parent.mkdir(parents=True, exist_ok=True)
        paths.chunk_audio(key).write_bytes(b"flac")
    assert clean_book(params, dry_run=True).files == 0
    # Asked without the voices, the same audio is another voice's: all of it would go.
    without = params.model_copy(update={"voice": None, "dialogue_voice": None})
    assert clean_book(without, dry_run=True).files == len(chunks)


def test_plan_counts_the_requests_a_dialogue_voice_adds_on_a_paid_engine(tmp_path: Path) -> None:
    from narrator.parse import parse_book
    from narrator.plan import make_plan

    remote = RemoteSettings(base_url="http://127.0.0.1:9/v1")
    plans = []
    for dialogue in (None, "am_michael"):
        params = NarrationParams(
            manuscript=SAMPLE, engine="remote", remote=remote, dialogue_voice=dialogue
        )
        parsed = parse_book(params)
        plans.append(make_plan(parsed.book, parsed.chunks, params))
    one, two = plans
    assert (one.dialogue_chunks, one.dialogue_extra_paid) == (0, 0)
    assert two.dialogue_chunks > 0
    # Each quotation is a request of its own, and splits the narration around it.
    assert two.dialogue_extra_paid >= two.dialogue_chunks
    assert two.paid_requests == one.paid_requests + two.dialogue_extra_paid


def _result(tmp_path: Path, index: int, voice: str | None, level: float) -> ChunkResult:
    """A chunk of 2 s of white noise of RMS ``level`` (full scale = 1), at 24 kHz."""
    rng = np.random.default_rng(index)
    samples = (level * rng.standard_normal(48_000)).astype(np.float32)
    path = tmp_path / f"{index}.flac"
    write_flac(path, samples, 24_000)
    chunk = Chunk(
        id=f"c01-{index:04d}", chapter=1, index=index, text="x", spoken="x",
        boundary=Boundary.SENTENCE, voice=voice,
    )  # fmt: skip
    return ChunkResult(
        chunk=chunk,
        audio=ChunkAudio(chunk_id=chunk.id, path=path, sample_rate=24_000, duration_s=2.0),
        verification=Verification(heard="x", wer=0, cer=0, duration_s=2.0, passed=True),
        attempts=1,
        flagged=False,
    )


def test_a_second_voice_is_gained_to_the_main_voice_s_loudness(tmp_path: Path) -> None:
    results = [
        _result(tmp_path, 0, None, 0.05),
        _result(tmp_path, 1, "am_michael", 0.1),
        _result(tmp_path, 2, None, 0.05),
    ]
    gains = voice_gains(results)
    assert set(gains) == {"am_michael"}
    # Twice the amplitude is 6 dB louder: it is brought down by about half.
    assert gains["am_michael"] == pytest.approx(0.5, rel=0.05)
    rng = np.random.default_rng(1)
    dialogue = (0.1 * rng.standard_normal(48_000)).astype(np.float32)
    main = (0.05 * np.random.default_rng(0).standard_normal(48_000)).astype(np.float32)
    matched = integrated_lufs(dialogue * gains["am_michael"], 24_000)
    assert matched == pytest.approx(integrated_lufs(main, 24_000), abs=0.2)


def test_a_chapter_in_one_voice_is_left_as_it_is(tmp_path: Path) -> None:
    assert voice_gains([_result(tmp_path, 0, None, 0.05), _result(tmp_path, 1, None, 0.2)]) == {}
    # Only dialogue: there is no main voice to match.
    assert voice_gains([_result(tmp_path, 2, "am_michael", 0.1)]) == {}
