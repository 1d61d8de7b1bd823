"""The domain library works without Prefect: every ``narrator`` module imports with
``prefect`` (and ``prefect_dask``) made unimportable."""

from __future__ import annotations

import subprocess
import sys

# ``sys.modules[name] = None`` makes ``import name`` raise ImportError, including an
# import hidden inside a function that the module runs while it loads.
BLOCK_PREFECT = """
import sys
for name in ("prefect", "prefect_dask"):
    sys.modules[name] = None
"""
IMPORT_ALL = """
import importlib, pkgutil
import narrator
modules = [m.name for m in pkgutil.walk_packages(narrator.__path__, "narrator.")]
for name in modules:
    importlib.import_module(name)
print(len(modules))
"""


def test_every_narrator_module_imports_without_prefect() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_PREFECT + IMPORT_ALL],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 40  # walked the whole package, not an empty path


def test_the_block_does_stop_a_prefect_import() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_PREFECT + "import tasks.text\n"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "import of prefect halted" in proc.stderr
