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
.tools/bin/uv sync --frozen --quiet --python "$PYTHON"
