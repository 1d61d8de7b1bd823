"""Content keys and the chunk cache's trust rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narrator.audio.io import write_flac
from narrator.models import Boundary, Chunk, ChunkAudio, ChunkResult, Verification
from narrator.store import BookPaths, chunk_key, load_cached_result, save_result


def _chunk(text: str = "Hello there.", cid: str = "c01-0000") -> Chunk:
    return Chunk(id=cid, chapter=1, index=0, text=text, spoken=text, boundary=Boundary.END)


def _stored(paths: BookPaths, c: Chunk, key: str) -> None:
    write_flac(paths.chunk_audio(key), np.zeros(2205, dtype=np.float32), 22_050)
    verification = Verification(heard="hello there", wer=0, cer=0, duration_s=0.1, passed=True)
    audio = ChunkAudio(
        chunk_id=c.id, path=paths.chunk_audio(key), sample_rate=22_050, duration_s=0.1
    )
    save_result(
        paths,
        key,
        "asr",
        ChunkResult(chunk=c, audio=audio, verification=verification, attempts=1, flagged=False),
    )


def test_chunk_key_depends_on_spoken_text_and_engine_only() -> None:
    assert chunk_key("Hello.", "piper/a") == chunk_key("Hello.", "piper/a")
    assert chunk_key("Hello.", "piper/a") != chunk_key("Hello!", "piper/a")
    assert chunk_key("Hello.", "piper/a") != chunk_key("Hello.", "piper/b")


def test_cached_result_follows_the_chunk_to_its_new_position(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    key = chunk_key("Hello there.", "tts")
    _stored(paths, _chunk(), key)
    moved = _chunk(cid="c02-0007")
    cached = load_cached_result(paths, moved, key, "asr")
    assert cached is not None
    assert cached.chunk.id == "c02-0007" and cached.audio.chunk_id == "c02-0007"
    assert cached.audio.duration_s == 0.1


def test_another_verifier_does_not_reuse_the_record(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    key = chunk_key("Hello there.", "tts")
    _stored(paths, _chunk(), key)
    assert load_cached_result(paths, _chunk(), key, "another-asr") is None


def test_undecodable_audio_or_broken_record_counts_as_missing(tmp_path: Path) -> None:
    paths = BookPaths.for_book(tmp_path, "book")
    key = chunk_key("Hello there.", "tts")
    _stored(paths, _chunk(), key)
    paths.chunk_audio(key).write_bytes(b"\x00" * 100)
    assert load_cached_result(paths, _chunk(), key, "asr") is None

    _stored(paths, _chunk(), key)
    paths.chunk_record(key, "asr").write_text("{not json", encoding="utf-8")
    assert load_cached_result(paths, _chunk(), key, "asr") is None
