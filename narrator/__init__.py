"""narrator: turn a manuscript into a finished, verified audiobook.

The package is the domain library. It never imports Prefect, nor the layers above
it: the Prefect wrappers live in the top-level ``tasks`` and ``flows`` packages, the
command line in ``narrator_cli`` (``lint-imports`` checks this; docs/architecture.md).
"""

__version__ = "0.1.0"
