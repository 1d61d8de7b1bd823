"""Encode chapters to MP3 and the book to an M4B with chapter markers, via ffmpeg.

ffmpeg comes from imageio-ffmpeg (a static build with libmp3lame and aac); there
is no system ffmpeg or ffprobe. Each output is encoded once from lossless PCM:
joining encoded MP3 bytes breaks players (design notes, "Audio").
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import soundfile as sf

from narrator.atomic import atomic_path
from narrator.errors import AudioError

__all__ = ["build_m4b", "encode_mp3", "ffmpeg_exe"]

# ACX: MP3 at 192 kbps CBR or more, 44.1 kHz; one mono channel is accepted.
_MP3_RATE_HZ = 44_100
_MP3_BITRATE = "192k"
# Speech in mono AAC-LC is transparent enough at 64 kbps, and it keeps a ten-hour
# book near 300 MB.
_M4B_BITRATE = "64k"
_GENRE = "Audiobook"
_STDERR_TAIL_CHARS = 2000


@cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary bundled with imageio-ffmpeg."""
    import imageio_ffmpeg

    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise AudioError(
            f"ffmpeg not found: {exc}",
            hint="reinstall the project environment (imageio-ffmpeg ships the binary)",
        ) from exc


def _run_ffmpeg(args: Sequence[str], what: str) -> None:
    """Run ffmpeg quietly; on failure raise AudioError with the tail of its stderr."""
    cmd = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    result = subprocess.run(cmd, capture_output=True, check=False)
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", errors="replace").strip()[-_STDERR_TAIL_CHARS:]
        raise AudioError(
            f"ffmpeg failed to {what} (exit {result.returncode}): {tail or 'no error output'}",
            hint="check that the input files exist and are complete; the message above is ffmpeg's",
        )


def _duration_s(path: Path) -> tuple[float, int]:
    """Duration (seconds) and sample rate (Hz) of a lossless file, from its header."""
    try:
        info = sf.info(path)
    except (OSError, sf.LibsndfileError) as exc:
        raise AudioError(
            f"{path}: cannot read the chapter master ({exc})",
            hint="re-render the chapter; its FLAC master is missing or damaged",
        ) from exc
    return info.frames / info.samplerate, info.samplerate


def encode_mp3(
    source_flac: Path,
    out: Path,
    *,
    title: str,
    album: str,
    artist: str | None,
    track: int,
    total: int,
) -> None:
    """Encode ``source_flac`` to ``out`` as ACX-style MP3: 44,100 Hz mono, 192 kbps CBR.

    Writes ID3v2.3 tags: title, album, artist (when given), genre and
    ``track/total``. ``out`` appears atomically.
    """
    tags = {
        "title": title,
        "album": album,
        "artist": artist,
        "genre": _GENRE,
        "track": f"{track}/{total}",
    }
    metadata = [
        arg
        for key, value in tags.items()
        if value is not None
        for arg in ("-metadata", f"{key}={value}")
    ]
    with atomic_path(Path(out)) as tmp:
        _run_ffmpeg(
            [
                "-i",
                str(source_flac),
                "-map",
                "0:a:0",
                "-map_metadata",
                "-1",
                "-ac",
                "1",
                "-ar",
                str(_MP3_RATE_HZ),
                "-c:a",
                "libmp3lame",
                "-b:a",
                _MP3_BITRATE,  # -b:a alone is CBR in libmp3lame
                *metadata,
                "-id3v2_version",
                "3",
                "-f",
                "mp3",
                str(tmp),
            ],
            f"encode {source_flac} to MP3",
        )


def _ffmeta_escape(value: str) -> str:
    r"""Escape a value for ffmpeg's FFMETADATA format: ``=``, ``;``, ``#``, ``\`` and newlines."""
    for char in ("\\", "=", ";", "#", "\n"):
        value = value.replace(char, "\\" + char)
    return value


def _ffmetadata(chapters: Sequence[tuple[float, str]], tags: dict[str, str]) -> str:
    """An FFMETADATA1 document: global ``tags`` and one [CHAPTER] per (duration_s, title)."""
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_ffmeta_escape(value)}" for key, value in tags.items()]
    start_s = 0.0
    for duration_s, title in chapters:
        end_s = start_s + duration_s
        # Rounding the running sum, not each duration, keeps markers from drifting.
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(start_s * 1000)}",
            f"END={round(end_s * 1000)}",
            f"title={_ffmeta_escape(title)}",
        ]
        start_s = end_s
    return "\n".join(lines) + "\n"


def _concat_entry(path: Path) -> str:
    # The concat demuxer reads single-quoted paths; a quote inside one is written '\''.
    return "file '" + str(path.resolve()).replace("'", "'\\''") + "'"


def build_m4b(
    chapters: Sequence[tuple[Path, str]], out: Path, *, title: str, author: str | None
) -> None:
    """Join lossless chapter files into one M4B audiobook with a marker per chapter.

    ``chapters`` holds (chapter FLAC, chapter title) in reading order; all must
    share one sample rate. The audio is encoded once, as mono AAC at 64 kbps, and
    tagged with the book title (as title and album), author (as artist, when
    given) and genre "Audiobook". Chapter start times come from the FLAC headers,
    so they are exact to the millisecond. ``out`` appears atomically.
    """
    if not chapters:
        raise AudioError(f"{out}: no chapters to put in the audiobook")
    durations = [_duration_s(Path(path)) for path, _ in chapters]
    rates = {rate for _, rate in durations}
    if len(rates) > 1:
        raise AudioError(
            f"{out}: chapter masters differ in sample rate ({sorted(rates)} Hz)",
            hint="render every chapter with the same speech engine and voice",
        )
    tags = {"title": title, "album": title, "genre": _GENRE}
    if author:
        tags["artist"] = author
    metadata = _ffmetadata(
        [(d, t) for (d, _), (_, t) in zip(durations, chapters, strict=True)], tags
    )
    with tempfile.TemporaryDirectory(prefix="narrator-m4b-") as scratch:
        listing, ffmeta = Path(scratch, "chapters.txt"), Path(scratch, "chapters.ffmeta")
        listing.write_text("\n".join(_concat_entry(Path(p)) for p, _ in chapters) + "\n")
        ffmeta.write_text(metadata, encoding="utf-8")
        with atomic_path(Path(out)) as tmp:
            _run_ffmpeg(
                [
                    "-f",
                    "concat",
                    "-safe",
                    "0",
                    "-i",
                    str(listing),
                    "-i",
                    str(ffmeta),
                    "-map",
                    "0:a",
                    "-map_metadata",
                    "1",
                    "-map_chapters",
                    "1",
                    "-ac",
                    "1",
                    "-c:a",
                    "aac",
                    "-b:a",
                    _M4B_BITRATE,
                    "-movflags",
                    "+faststart",
                    "-f",
                    "ipod",
                    str(tmp),
                ],
                f"build the audiobook {out}",
            )
