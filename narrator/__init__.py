"""narrator: turn a manuscript into a finished, verified audiobook.

The package is the domain library. It never imports Prefect, nor the layers above
it: the Prefect wrappers live in the top-level ``tasks`` and ``flows`` packages, the
command line in ``narrator_cli`` (``lint-imports`` checks this; docs/architecture.md).
"""

import os

# One OpenBLAS thread, unless the user set their own (read when numpy loads, so it is
# set here, before any narrator module imports numpy). narrator's only matrix products
# are small ones, such as Whisper's mel filter bank in every chunk worker, and the
# workers already keep every core busy; a second BLAS thread only competes with them.
# Measured transcribing 20 Piper chunks (175 s of speech) on 2 cores: 14.1-14.8 CPU-s
# with OpenBLAS's default of a thread per core, 12.7-13.4 with one.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
