"""narrator: turn a manuscript into a finished, verified audiobook.

The package is the domain library. It never imports Prefect: the Prefect
wrappers live in the top-level ``tasks`` and ``flows`` packages.
"""

__version__ = "0.1.0"
