"""Read any audio file as mono float32 samples; write 16-bit FLAC atomically.

FLAC and WAV are decoded with soundfile (libsndfile). Everything else (MP3, M4B,
AAC, Opus) goes through PyAV, because the bundled ffmpeg has no ffprobe and pydub
therefore cannot read compressed formats here (design notes, "Audio").
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np
import soundfile as sf

from narrator.atomic import atomic_path
from narrator.errors import AudioError

__all__ = ["decode_audio", "read_audio", "write_flac"]

_SOUNDFILE_SUFFIXES = {".flac", ".wav"}
# Samples per write call: keeps the clipped int16 conversion to a few MB even for an
# 80 M-sample chapter (60 min at 22,050 Hz).
_WRITE_BLOCK = 1 << 20


def _read_soundfile(path: Path | BinaryIO) -> tuple[np.ndarray, int]:
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    return data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0], rate


def _read_pyav(path: Path | BinaryIO) -> tuple[np.ndarray, int]:
    with av.open(path if isinstance(path, io.IOBase) else str(path)) as container:
        if not container.streams.audio:
            raise AudioError(f"{path}: no audio stream", hint="pass an audio file")
        stream = container.streams.audio[0]
        rate = stream.rate
        # Let libswresample do the downmix and the conversion to packed float32.
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        parts = []
        for frame in container.decode(stream):
            parts.extend(f.to_ndarray()[0] for f in resampler.resample(frame))
        parts.extend(f.to_ndarray()[0] for f in resampler.resample(None))
    samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    # Lossy decoders overshoot full scale slightly; callers expect [-1, 1].
    np.clip(samples, -1.0, 1.0, out=samples)
    return samples, rate


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Decode ``path`` to mono float32 samples in [-1, 1] and its sample rate (Hz).

    Multi-channel audio is averaged to mono. Raises :class:`AudioError` naming the
    file when it is missing, cannot be decoded, or holds no samples.
    """
    path = Path(path)
    reader = _read_soundfile if path.suffix.lower() in _SOUNDFILE_SUFFIXES else _read_pyav
    try:
        samples, rate = reader(path)
    except AudioError:
        raise
    except (OSError, sf.LibsndfileError, av.FFmpegError, ValueError) as exc:
        raise AudioError(
            f"{path}: cannot decode audio ({exc})",
            hint="check that the file exists and is a complete FLAC, WAV, MP3 or M4B file",
        ) from exc
    if samples.size == 0:
        raise AudioError(f"{path}: the file holds no audio samples", hint="re-create the file")
    return samples, int(rate)


PCM_RATE = 24_000
"""Sample rate of OpenAI's ``pcm`` response format (raw 16-bit little-endian mono), Hz."""


def decode_audio(data: bytes, fmt: str) -> tuple[np.ndarray, int]:
    """Decode an in-memory audio response (``fmt``: wav, flac, mp3, opus, aac, pcm).

    Returns mono float32 samples in [-1, 1] and the sample rate (Hz). Raises
    :class:`AudioError` when the bytes are empty or cannot be decoded.
    """
    if fmt == "pcm":
        if len(data) < 2:
            raise AudioError("the pcm response holds no samples")
        pcm = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")
        return pcm.astype(np.float32) / 32768.0, PCM_RATE
    reader = _read_soundfile if fmt in {"wav", "flac"} else _read_pyav
    try:
        samples, rate = reader(io.BytesIO(data))
    except (OSError, sf.LibsndfileError, av.FFmpegError, ValueError, RuntimeError) as exc:
        raise AudioError(f"the {fmt} response cannot be decoded ({exc})") from exc
    if samples.size == 0:
        raise AudioError(f"the {fmt} response holds no audio samples")
    return samples, int(rate)


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
