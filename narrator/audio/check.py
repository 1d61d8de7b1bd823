"""Check finished audio files against a delivery standard (ACX, EBU R128, podcast).

:func:`measure` reads one file's stream information (PyAV) and levels
(:class:`narrator.audio.levels.LevelMeter`, fed one decoded block at a time, so a
chapter of any length measures in flat memory); :func:`check` compares a
:class:`Measurement` with a :class:`Preset`, rule by rule. :func:`check_paths`
does both for files and folders, for ``narrate check``.

Levels are measured on the mono downmix that :func:`narrator.audio.io.open_audio`
decodes. For a stereo file the BS.1770 channel sum reads up to 3 LU louder than
its downmix (exactly 3.01 LU for identical channels), so the loudness and RMS
rules are exact for mono files only; ACX requires mono anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import av
from pydantic import Field

from narrator.audio.io import open_audio
from narrator.audio.levels import LevelMeter
from narrator.errors import AudioError, ConfigError
from narrator.models import Frozen

__all__ = [
    "AUDIO_SUFFIXES",
    "PRESETS",
    "Measurement",
    "Preset",
    "RuleResult",
    "check",
    "check_paths",
    "measure",
]

AUDIO_SUFFIXES = frozenset({".mp3", ".m4b", ".m4a", ".flac", ".wav", ".opus"})

# Shortest file measured: BS.1770 gating needs 0.4 s, the noise floor (the
# quietest 0.5 s, as Audacity's ACX Check measures it) 0.5 s.
_MIN_DURATION_S = 0.5


class Preset(Frozen):
    """Limits of one delivery standard; a rule whose limit is ``None`` is not checked."""

    name: str
    source: str = Field(description="the specification the limits come from")
    rms_db: tuple[float, float] | None = Field(default=None, description="min, max RMS, dB")
    max_peak_dbfs: float | None = Field(default=None, description="sample peak ceiling, dBFS")
    max_noise_floor_db: float | None = Field(default=None, description="noise floor ceiling, dB")
    head_s: tuple[float, float] | None = Field(default=None, description="room tone at start, s")
    tail_s: tuple[float, float] | None = Field(default=None, description="room tone at end, s")
    sample_rate: int | None = Field(default=None, description="required sample rate, Hz")
    min_mp3_bitrate: int | None = Field(
        default=None, description="the file must be constant-bit-rate MP3 of at least this, bit/s"
    )
    channels: int | None = Field(default=None, description="required channel count")
    lufs: float | None = Field(default=None, description="integrated loudness target, LUFS")
    lufs_mono: float | None = Field(default=None, description="target for mono files, LUFS")
    lufs_tolerance_lu: float = Field(default=1.0, description="allowed deviation, LU")
    max_true_peak_dbtp: float | None = Field(default=None, description="true-peak ceiling, dBTP")


PRESETS: dict[str, Preset] = {
    # ACX Audio Submission Requirements (acx.com/help/acx-audio-submission-requirements).
    "acx": Preset(
        name="acx",
        source="ACX Audio Submission Requirements",
        rms_db=(-23.0, -18.0),  # "between -23dB and -18dB RMS"
        max_peak_dbfs=-3.0,  # "peak values no higher than -3dB"
        max_noise_floor_db=-60.0,  # "a maximum -60dB noise floor"
        head_s=(0.5, 1.0),  # "0.5 to 1 second of room tone at the head"
        tail_s=(1.0, 5.0),  # "1 to 5 seconds of room tone at the tail"
        sample_rate=44_100,  # "44.1 kHz"
        min_mp3_bitrate=192_000,  # "192kbps or higher MP3, Constant Bit Rate (CBR)"
        channels=1,  # "all files must be ... either all mono or all stereo"; mono preferred
    ),
    # EBU R 128 (2023): programme loudness -23.0 LUFS +-1 LU (live +-1 LU tolerance
    # accepted for file delivery), maximum true peak -1 dBTP, metered per ITU-R BS.1770.
    "ebu-r128": Preset(
        name="ebu-r128",
        source="EBU R 128 / ITU-R BS.1770",
        lufs=-23.0,
        lufs_tolerance_lu=1.0,
        max_true_peak_dbtp=-1.0,
    ),
    # Podcast delivery as AES TD1004 and the major platforms recommend: -16 LUFS
    # (-19 LUFS for mono, which plays back 3 dB louder on two speakers), -1 dBTP.
    "podcast": Preset(
        name="podcast",
        source="AES TD1004 podcast loudness recommendation",
        lufs=-16.0,
        lufs_mono=-19.0,
        lufs_tolerance_lu=1.0,
        max_true_peak_dbtp=-1.0,
    ),
}


class Measurement(Frozen):
    """What one audio file measures; levels are of its mono downmix."""

    rms_db: float = Field(description="unweighted RMS over the whole file, dBFS (sine = -3.01)")
    peak_dbfs: float = Field(description="largest sample, dBFS")
    true_peak_dbtp: float = Field(description="4x-oversampled peak (BS.1770 Annex 2), dBTP")
    lufs: float = Field(description="integrated gated loudness (BS.1770-4), LUFS")
    noise_floor_db: float = Field(description="RMS of the quietest 0.5 s, dBFS")
    head_s: float = Field(ge=0, description="room tone before the first speech, seconds")
    tail_s: float = Field(ge=0, description="room tone after the last speech, seconds")
    sample_rate: int = Field(gt=0, description="Hz")
    channels: int = Field(ge=1)
    bitrate: int | None = Field(description="bit/s; None for lossless codecs")
    constant_bitrate: bool | None = Field(
        description="MP3 only: every frame has the same bit rate; None for other codecs"
    )
    codec: str = Field(description="codec name, e.g. 'mp3', 'flac', 'aac'")
    duration_s: float = Field(ge=0, description="seconds")


class RuleResult(Frozen):
    """One rule of a preset applied to one file."""

    rule: str
    passed: bool
    measured: str
    limit: str


def _stream_info(path: Path) -> tuple[str, int, int, int | None, bool | None]:
    """Codec name, sample rate (Hz), channels, bit rate (bit/s) and MP3 CBR flag of ``path``."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: no audio stream", hint="pass an audio file")
            stream = container.streams.audio[0]
            codec = stream.codec_context.codec
            name = codec.canonical_name
            channels = stream.codec_context.layout.nb_channels
            bitrate = None if codec.lossless else (stream.bit_rate or container.bit_rate or None)
            cbr = _mp3_constant_bitrate(container, stream) if name == "mp3" else None
            return name, stream.sample_rate, channels, bitrate, cbr
    except (OSError, av.FFmpegError) as exc:
        raise AudioError(
            f"{path}: cannot read the audio stream ({exc})",
            hint="check that the file exists and is a complete audio file",
        ) from exc


def _mp3_constant_bitrate(container: av.container.InputContainer, stream: av.AudioStream) -> bool:
    """True when every MP3 frame header carries the same bit-rate index (ISO 11172-3, 2.4.1.3)."""
    indices: set[int] = set()
    for packet in container.demux(stream):
        header = bytes(packet)[:3]
        if len(header) == 3 and header[0] == 0xFF and header[1] & 0xE0 == 0xE0:  # frame sync
            indices.add(header[2] >> 4)
    return len(indices) == 1


def measure(path: Path) -> Measurement:
    """Measure ``path``: levels (dBFS, dBTP, LUFS), room tone (seconds) and stream info.

    Raises :class:`AudioError` naming the file when it is missing, undecodable, or
    shorter than 0.5 s (too short for BS.1770 gating and the noise floor).
    """
    path = Path(path)
    codec, sample_rate, channels, bitrate, cbr = _stream_info(path)
    with open_audio(path) as decoded:
        meter = LevelMeter(decoded.sample_rate)
        for block in decoded.blocks:
            meter.feed(block)
    if meter.duration_s < _MIN_DURATION_S:
        raise AudioError(
            f"{path}: {meter.duration_s:.3f} s of audio is too short to check; "
            f"at least {_MIN_DURATION_S} s is needed",
            hint="check a complete chapter file",
        )
    return Measurement(
        **asdict(meter.levels()),
        sample_rate=sample_rate,
        channels=channels,
        bitrate=bitrate,
        constant_bitrate=cbr,
        codec=codec,
    )


def _between(rule: str, value: float, bounds: tuple[float, float], unit: str) -> RuleResult:
    low, high = bounds
    return RuleResult(
        rule=rule,
        passed=low <= value <= high,
        measured=f"{value:.2f} {unit}",
        limit=f"{low:g} to {high:g} {unit}",
    )


def _at_most(rule: str, value: float, ceiling: float, unit: str) -> RuleResult:
    return RuleResult(
        rule=rule,
        passed=value <= ceiling,
        measured=f"{value:.2f} {unit}",
        limit=f"<= {ceiling:g} {unit}",
    )


def _mp3_rule(m: Measurement, minimum: int) -> RuleResult:
    kbps = f"{m.bitrate / 1000:g} kbps" if m.bitrate else "lossless"
    mode = {True: " CBR", False: " VBR", None: ""}[m.constant_bitrate]
    return RuleResult(
        rule="mp3 bitrate",
        passed=m.codec == "mp3" and bool(m.constant_bitrate) and (m.bitrate or 0) >= minimum,
        measured=f"{m.codec} {kbps}{mode}",
        limit=f"mp3 >= {minimum / 1000:g} kbps CBR",
    )


def _loudness_rule(m: Measurement, preset: Preset, target: float) -> RuleResult:
    tolerance = preset.lufs_tolerance_lu
    return RuleResult(
        rule="loudness",
        passed=abs(m.lufs - target) <= tolerance,
        measured=f"{m.lufs:.2f} LUFS",
        limit=f"{target:g} +- {tolerance:g} LUFS",
    )


def check(measurement: Measurement, preset: Preset) -> list[RuleResult]:
    """Apply every rule ``preset`` sets to ``measurement``, in a fixed order."""
    m, p = measurement, preset
    results: list[RuleResult] = []
    if p.rms_db is not None:
        results.append(_between("rms", m.rms_db, p.rms_db, "dB"))
    if p.max_peak_dbfs is not None:
        results.append(_at_most("peak", m.peak_dbfs, p.max_peak_dbfs, "dBFS"))
    if p.max_noise_floor_db is not None:
        results.append(_at_most("noise floor", m.noise_floor_db, p.max_noise_floor_db, "dB"))
    if p.head_s is not None:
        results.append(_between("head room tone", m.head_s, p.head_s, "s"))
    if p.tail_s is not None:
        results.append(_between("tail room tone", m.tail_s, p.tail_s, "s"))
    if p.sample_rate is not None:
        results.append(
            RuleResult(
                rule="sample rate",
                passed=m.sample_rate == p.sample_rate,
                measured=f"{m.sample_rate} Hz",
                limit=f"{p.sample_rate} Hz",
            )
        )
    if p.min_mp3_bitrate is not None:
        results.append(_mp3_rule(m, p.min_mp3_bitrate))
    if p.channels is not None:
        results.append(
            RuleResult(
                rule="channels",
                passed=m.channels == p.channels,
                measured=str(m.channels),
                limit=str(p.channels),
            )
        )
    if p.lufs is not None:
        mono = p.lufs_mono is not None and m.channels == 1
        results.append(_loudness_rule(m, p, p.lufs_mono if mono else p.lufs))
    if p.max_true_peak_dbtp is not None:
        results.append(_at_most("true peak", m.true_peak_dbtp, p.max_true_peak_dbtp, "dBTP"))
    return results


def _expand(path: Path) -> list[Path]:
    """``path`` itself, or a folder's audio files (by suffix, not recursive), sorted."""
    if not path.is_dir():
        return [path]
    found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
    if not found:
        raise AudioError(
            f"{path}: no audio files in this folder",
            hint=f"the checker reads {', '.join(sorted(AUDIO_SUFFIXES))} files",
        )
    return found


def check_paths(
    paths: Sequence[Path], preset: str
) -> list[tuple[Path, Measurement, list[RuleResult]]]:
    """Measure and check every file in ``paths`` (folders expand to their audio files).

    Raises :class:`ConfigError` for an unknown ``preset`` name, before reading any
    file, and :class:`AudioError` for a file that cannot be measured.
    """
    if preset not in PRESETS:
        raise ConfigError(
            f"unknown preset {preset!r}; valid presets: {', '.join(sorted(PRESETS))}",
            hint="pass --preset with one of the valid presets",
        )
    rules = PRESETS[preset]
    results: list[tuple[Path, Measurement, list[RuleResult]]] = []
    for path in (f for p in paths for f in _expand(Path(p))):
        measurement = measure(path)
        results.append((path, measurement, check(measurement, rules)))
    return results
