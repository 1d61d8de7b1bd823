"""Errors for a manuscript file that cannot be opened, shared by the binary-format readers."""

from __future__ import annotations

from pathlib import Path

from narrator.errors import ManuscriptError


def open_error(path: Path, exc: OSError) -> ManuscriptError:
    """The ManuscriptError for ``exc`` raised while opening ``path``."""
    if isinstance(exc, FileNotFoundError):
        return ManuscriptError(path, "no such file", hint="Check the path.")
    if isinstance(exc, IsADirectoryError):
        return ManuscriptError(
            path, "is a directory, not a manuscript", hint="Pass the book's file itself."
        )
    return ManuscriptError(
        path, f"cannot be read: {exc.strerror or exc}", hint="Check the file's permissions."
    )
