"""Reading, FLAC writing and real ffmpeg encodes (MP3, M4B), read back with PyAV and mutagen."""

from __future__ import annotations

from pathlib import Path

import av
import mutagen
import numpy as np
import pytest
import soundfile as sf
from mutagen.mp4 import MP4Cover

from narrator.atomic import TMP_PREFIX
from narrator.audio.export import BookTags, build_m4b, encode_chapter, find_cover
from narrator.audio.io import read_audio, write_flac
from narrator.errors import AudioError

SR = 22_050


# A valid 1x1 PNG (signature, IHDR, IDAT, IEND).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def tone(seconds: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * SR)) / SR
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def flac(path: Path, seconds: float) -> Path:
    write_flac(path, tone(seconds), SR)
    return path


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_flac_round_trip_is_16_bit_exact_and_clips(tmp_path: Path) -> None:
    x = tone(0.5)
    x[0], x[1] = 1.5, -1.5  # out of range: clipped, never wrapped around
    write_flac(tmp_path / "a.flac", x, SR)
    info = sf.info(tmp_path / "a.flac")
    assert (info.format, info.subtype, info.samplerate) == ("FLAC", "PCM_16", SR)
    y, rate = read_audio(tmp_path / "a.flac")
    assert rate == SR and y.dtype == np.float32
    np.testing.assert_allclose(y[2:], x[2:], atol=1 / 32_768)
    assert y[0] == pytest.approx(1.0, abs=1e-4) and y[1] == pytest.approx(-1.0, abs=1e-4)
    assert leftovers(tmp_path) == []


def test_stereo_wav_is_read_as_mono(tmp_path: Path) -> None:
    left, right = tone(0.2), np.zeros(round(0.2 * SR), np.float32)
    sf.write(tmp_path / "s.wav", np.stack([left, right], axis=1), SR)
    y, _ = read_audio(tmp_path / "s.wav")
    np.testing.assert_allclose(y, left / 2, atol=1e-4)


@pytest.mark.parametrize(
    ("suffix", "codec", "rate"), [(".flac", "flac", SR), (".opus", "opus", 48_000)]
)
def test_optional_chapter_formats_decode_with_their_tags(
    tmp_path: Path, suffix: str, codec: str, rate: int
) -> None:
    source = flac(tmp_path / "c01.flac", 2.0)
    out = tmp_path / f"01-one{suffix}"
    encode_chapter(source, out, title="One", album="A Book", artist=None, track=1, total=3)
    with av.open(str(out)) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate, stream.channels) == (codec, rate, 1)
        assert container.duration / 1e6 == pytest.approx(2.0, abs=0.1)
    tags = mutagen.File(out).tags
    assert tags["title"] == ["One"] and tags["album"] == ["A Book"]
    with pytest.raises(AudioError, match="no chapter format 'ogg'"):
        encode_chapter(
            source, tmp_path / "x.ogg", title="t", album="a", artist=None, track=1, total=1
        )


@pytest.mark.parametrize("name", ["junk.flac", "junk.mp3"])
def test_undecodable_file_names_the_file(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(b"this is not audio" * 10)
    with pytest.raises(AudioError, match=name):
        read_audio(bad)
    with pytest.raises(AudioError, match="missing.wav"):
        read_audio(tmp_path / "missing.wav")


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    sf.write(tmp_path / "empty.wav", np.zeros(0, np.float32), SR)
    with pytest.raises(AudioError, match="no audio samples"):
        read_audio(tmp_path / "empty.wav")


def test_mp3_meets_acx_format_and_carries_tags(tmp_path: Path) -> None:
    source = flac(tmp_path / "c02.flac", 3.0)
    out = tmp_path / "mp3" / "02 Two.mp3"
    encode_chapter(source, out, title="Two", album="A Book", artist="A. Writer", track=2, total=5)

    with av.open(str(out)) as container:
        stream = container.streams.audio[0]
        assert (stream.rate, stream.channels, stream.bit_rate) == (44_100, 1, 192_000)
        assert container.duration / 1e6 == pytest.approx(3.0, abs=0.1)
    tags = mutagen.File(out).tags
    assert str(tags["TIT2"]) == "Two" and str(tags["TALB"]) == "A Book"
    assert str(tags["TPE1"]) == "A. Writer" and str(tags["TRCK"]) == "2/5"
    samples, rate = read_audio(out)  # the PyAV path
    assert rate == 44_100 and len(samples) / rate == pytest.approx(3.0, abs=0.1)
    assert leftovers(out.parent) == []


def test_m4b_has_a_marker_per_chapter(tmp_path: Path) -> None:
    durations = [1.0, 1.5, 2.0]
    titles = ["One = 1; #first", "Two \\ back\nslash", "Chapter's third"]
    chapters = [
        (flac(tmp_path / f"c{i}.flac", d), t)
        for i, (d, t) in enumerate(zip(durations, titles, strict=True))
    ]
    out = tmp_path / "book.m4b"
    cover = tmp_path / "cover.png"
    cover.write_bytes(PNG)
    tags = BookTags(
        title="A Book", author="A. Writer", narrator="Piper (joe)", year=2026, cover=cover
    )
    build_m4b(chapters, out, tags)

    with av.open(str(out)) as container:
        marks = container.chapters()
        assert container.duration / 1e6 == pytest.approx(sum(durations), abs=0.1)
        assert container.metadata["genre"] == "Audiobook"
    assert [m["metadata"]["title"] for m in marks] == titles
    starts = [float(m["start"] * m["time_base"]) for m in marks]
    assert starts == pytest.approx([0.0, 1.0, 2.5], abs=0.1)
    atoms = mutagen.File(out).tags
    assert (
        atoms["©nam"] == ["A Book"]
        and atoms["©ART"] == ["A. Writer"]
        and atoms["©alb"] == ["A Book"]
        and atoms["aART"] == ["A. Writer"]
    )
    assert atoms["©nrt"] == ["Piper (joe)"] and atoms["©wrt"] == ["Piper (joe)"]
    assert atoms["©day"] == ["2026"] and atoms["©gen"] == ["Audiobook"]
    assert atoms["trkn"] == [(1, 1)]
    assert bytes(atoms["covr"][0]) == PNG and atoms["covr"][0].imageformat == MP4Cover.FORMAT_PNG
    assert leftovers(tmp_path) == []


def test_a_cover_beside_the_manuscript_is_found(tmp_path: Path) -> None:
    book = tmp_path / "my-book.md"
    assert find_cover(book) is None
    (tmp_path / "my-book").mkdir()
    (tmp_path / "my-book" / "cover.png").write_bytes(PNG)
    assert find_cover(book) == tmp_path / "my-book" / "cover.png"
    (tmp_path / "my-book.jpg").write_bytes(b"jpeg")
    assert find_cover(book) == tmp_path / "my-book.jpg"  # the file beside it wins


def test_failed_encodes_raise_and_leave_no_temp_files(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(AudioError, match="ffmpeg failed.*nowhere.flac"):
        encode_chapter(
            tmp_path / "nowhere.flac",
            out_dir / "x.mp3",
            title="t",
            album="a",
            artist=None,
            track=1,
            total=1,
        )
    with pytest.raises(AudioError, match="nowhere.flac"):
        build_m4b([(tmp_path / "nowhere.flac", "One")], out_dir / "x.m4b", BookTags(title="t"))
    assert list(out_dir.iterdir()) == []
