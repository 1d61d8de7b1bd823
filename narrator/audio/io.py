"""Read any audio file as mono float32 samples, whole or block by block; write 16-bit FLAC.

FLAC and WAV are decoded with soundfile (libsndfile). Everything else (MP3, M4B,
AAC, Opus) goes through PyAV, because the bundled ffmpeg has no ffprobe and pydub
therefore cannot read compressed formats here.
:func:`open_audio` decodes one block at a time, so a two-hour chapter can be
measured in the memory of a few seconds of it; :func:`read_audio` joins the
blocks of a short file (a chunk).
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

import av
import numpy as np
import soundfile as sf

from narrator.atomic import atomic_path
from narrator.errors import AudioError

__all__ = ["READ_BLOCK", "Decoded", "decode_audio", "open_audio", "read_audio", "write_flac"]

_SOUNDFILE_SUFFIXES = {".flac", ".wav"}
_DECODE_ERRORS = (OSError, sf.LibsndfileError, av.FFmpegError, ValueError, RuntimeError)
_FILE_HINT = "check that the file exists and is a complete FLAC, WAV, MP3 or M4B file"
READ_BLOCK = 1 << 16
"""Samples per decoded block (1.5 s at 44.1 kHz). Measuring a block makes float64
temporaries of 0.5 MB, and 2 MB for the 4x true-peak oversampling: a chapter of any
length measures in about 6 MB of numpy buffers (tests/unit/test_audio_levels.py)."""
# Samples per write call: keeps the clipped int16 conversion to a few MB even for an
# 80 M-sample chapter (60 min at 22,050 Hz).
_WRITE_BLOCK = 1 << 20


class Decoded(NamedTuple):
    """An audio source being decoded: its sample rate and its samples, block by block."""

    sample_rate: int  # Hz
    blocks: Iterator[np.ndarray]  # mono float32 in [-1, 1], about READ_BLOCK samples each


def _soundfile_blocks(fh: sf.SoundFile, block: int) -> Iterator[np.ndarray]:
    while len(data := fh.read(block, dtype="float32", always_2d=True)):
        yield data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]


def _pyav_blocks(container: av.container.InputContainer, block: int) -> Iterator[np.ndarray]:
    stream = container.streams.audio[0]
    # Let libswresample do the downmix and the conversion to packed float32.
    resampler = av.AudioResampler(format="flt", layout="mono", rate=stream.rate)
    decoded = (out for frame in container.decode(stream) for out in resampler.resample(frame))
    parts: list[np.ndarray] = []
    held = 0
    # Codec frames are short (1,152 samples for MP3): gather them into blocks.
    for frame in itertools.chain(decoded, resampler.resample(None)):
        parts.append(frame.to_ndarray()[0])
        held += len(parts[-1])
        if held >= block:
            yield _clipped(np.concatenate(parts))
            parts, held = [], 0
    if parts:
        yield _clipped(np.concatenate(parts))


def _clipped(samples: np.ndarray) -> np.ndarray:
    """Lossy decoders overshoot full scale slightly; callers expect [-1, 1]."""
    return np.clip(samples, -1.0, 1.0, out=samples)


def _named_errors(
    blocks: Iterator[np.ndarray], name: str, hint: str | None
) -> Iterator[np.ndarray]:
    """``blocks``; a decoding error mid-stream becomes an :class:`AudioError` naming ``name``."""
    try:
        yield from blocks
    except _DECODE_ERRORS as exc:
        raise AudioError(f"{name}: cannot decode audio ({exc})", hint=hint) from exc


@contextlib.contextmanager
def _open(
    source: Path | BinaryIO, lossless: bool, name: str, hint: str | None, block: int
) -> Iterator[Decoded]:
    """Decode ``source`` with soundfile (``lossless``: FLAC, WAV) or PyAV; close it on exit."""
    with contextlib.ExitStack() as stack:
        try:
            if lossless:
                fh = stack.enter_context(sf.SoundFile(source))
                rate, blocks = fh.samplerate, _soundfile_blocks(fh, block)
            else:
                opened = source if isinstance(source, io.IOBase) else str(source)
                container = stack.enter_context(av.open(opened))
                if not container.streams.audio:
                    raise AudioError(f"{name}: no audio stream", hint="pass an audio file")
                rate, blocks = container.streams.audio[0].rate, _pyav_blocks(container, block)
        except _DECODE_ERRORS as exc:
            raise AudioError(f"{name}: cannot decode audio ({exc})", hint=hint) from exc
        yield Decoded(int(rate), _named_errors(blocks, name, hint))


def open_audio(path: Path, block: int = READ_BLOCK) -> contextlib.AbstractContextManager[Decoded]:
    """Open ``path`` to decode it block by block: mono float32 in [-1, 1], ``block`` samples or so.

    Multi-channel audio is averaged to mono. Use it as a context manager; the file
    closes on exit. Raises :class:`AudioError` naming the file when it is missing
    or cannot be decoded (also while iterating the blocks).
    """
    path = Path(path)
    return _open(path, path.suffix.lower() in _SOUNDFILE_SUFFIXES, str(path), _FILE_HINT, block)


def _joined(decoding: contextlib.AbstractContextManager[Decoded]) -> tuple[np.ndarray, int]:
    with decoding as decoded:
        parts = list(decoded.blocks)
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), decoded.sample_rate


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Decode ``path`` to mono float32 samples in [-1, 1] and its sample rate (Hz).

    Multi-channel audio is averaged to mono. Raises :class:`AudioError` naming the
    file when it is missing, cannot be decoded, or holds no samples. For a long
    file, :func:`open_audio` keeps memory flat.
    """
    samples, rate = _joined(open_audio(path))
    if samples.size == 0:
        raise AudioError(f"{path}: the file holds no audio samples", hint="re-create the file")
    return samples, rate


PCM_RATE = 24_000
"""Sample rate of OpenAI's ``pcm`` response format (raw 16-bit little-endian mono), Hz."""

_LOSSLESS_MAGIC = (b"RIFF", b"fLaC")
"""How WAV and FLAC data begin: soundfile decodes those, PyAV everything else."""


def _has_header(data: bytes) -> bool:
    """True when ``data`` starts like a file with a header, not raw PCM: WAV, FLAC, Ogg,
    MP3 with ID3 tags, or an MP4 box. (MPEG frame sync is no sign: raw PCM starting with a
    sample of -1 begins with the same bytes.)"""
    return data[:4] in (*_LOSSLESS_MAGIC, b"OggS") or data[:3] == b"ID3" or data[4:8] == b"ftyp"


def decode_audio(data: bytes, fmt: str, *, pcm_rate: int = PCM_RATE) -> tuple[np.ndarray, int]:
    """Decode an in-memory audio response by its content, whatever format was asked for
    (``fmt``: wav, flac, mp3, opus, aac, pcm): servers do not always send what was asked.

    Headerless data is taken as ``pcm`` only when ``fmt`` is pcm: 16-bit little-endian mono
    at ``pcm_rate`` Hz (OpenAI's is 24,000; Piper-based servers send 22,050). Returns mono
    float32 samples in [-1, 1] and the sample rate (Hz). Raises :class:`AudioError` when
    the bytes are empty or cannot be decoded.
    """
    if fmt == "pcm" and not _has_header(data):
        if len(data) < 2:
            raise AudioError("the pcm response holds no samples")
        pcm = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")
        return pcm.astype(np.float32) / 32768.0, pcm_rate
    name = f"the {fmt} response"
    lossless = data[:4] in _LOSSLESS_MAGIC
    samples, rate = _joined(_open(io.BytesIO(data), lossless, name, None, READ_BLOCK))
    if samples.size == 0:
        raise AudioError(f"{name} holds no audio samples")
    return samples, rate


def write_flac(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono float ``samples`` (full scale = 1.0) at ``sample_rate`` Hz as 16-bit FLAC.

    Values outside [-1, 1] are clipped rather than wrapped. The file appears
    atomically: readers see the old file or the complete new one.
    """
    if samples.ndim != 1:
        raise AudioError(f"{path}: expected mono samples, got an array of shape {samples.shape}")
    with (
        atomic_path(Path(path)) as tmp,
        sf.SoundFile(
            tmp, "w", samplerate=sample_rate, channels=1, subtype="PCM_16", format="FLAC"
        ) as fh,
    ):
        for start in range(0, len(samples), _WRITE_BLOCK):
            fh.write(np.clip(samples[start : start + _WRITE_BLOCK], -1.0, 1.0))
