"""Read a manuscript file (or standard input) into clean text."""

from __future__ import annotations

import codecs
import logging
import sys
import unicodedata
from pathlib import Path

from narrator.errors import ManuscriptError

log = logging.getLogger(__name__)

STDIN = Path("-")

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
"""Characters invisible in an editor that split words for the engine; always removed."""
_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))
# More than this share of control bytes means the file is not text.
_MAX_CONTROL_SHARE = 0.1
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f")
_BINARY_HINT = "Export the manuscript as plain text (.txt) or Markdown (.md), UTF-8."


def read_manuscript(source: Path, *, binary_hint: str = _BINARY_HINT) -> str:
    """Return the text of ``source`` (``Path("-")`` reads standard input), cleaned.

    UTF-8 with or without a byte-order mark is expected; other bytes are decoded as
    CP1252 (else Latin-1) with a logged warning. Zero-width characters and control
    characters other than newline and tab are removed, and line ends become "\\n".

    Raises ManuscriptError for a missing file, a directory, an empty or
    whitespace-only file and binary data (with ``binary_hint``, which the format
    registry fills with the formats narrator reads).
    """
    data = read_bytes(source)
    if not data:
        raise ManuscriptError(source, "the manuscript is empty", hint="Write some text into it.")
    text = _decode(source, data, binary_hint)
    text = clean_text(text)
    if not text.strip():
        raise ManuscriptError(
            source, "the manuscript contains only whitespace", hint="Write some text into it."
        )
    return text


def clean_text(text: str) -> str:
    """Normalize line ends and drop zero-width and control characters (keep \\n, \\t)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n").translate(_ZERO_WIDTH)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def read_bytes(source: Path) -> bytes:
    """The bytes of ``source`` (``Path("-")`` is standard input).

    Raises ManuscriptError for a missing file, a directory or an unreadable file.
    """
    if source == STDIN:
        stream = sys.stdin
        buffer = getattr(stream, "buffer", None)
        return buffer.read() if buffer is not None else stream.read().encode("utf-8")
    if not source.exists():
        raise ManuscriptError(
            source, "no such file", hint="Check the path, or pass '-' to read standard input."
        )
    if source.is_dir():
        raise ManuscriptError(
            source, "is a directory, not a manuscript", hint="Pass a .md or .txt file."
        )
    try:
        return source.read_bytes()
    except OSError as exc:
        raise ManuscriptError(
            source, f"cannot be read: {exc.strerror}", hint="Check the file's permissions."
        ) from exc


def _decode(source: Path, data: bytes, binary_hint: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows editors save "Unicode" as UTF-16; its NUL bytes are not binary data.
        return data.decode("utf-16")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or controls > _MAX_CONTROL_SHARE * len(data):
        raise ManuscriptError(
            source,
            "looks like a binary file, not text",
            hint=binary_hint,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # CP1252 leaves five bytes undefined; Latin-1 decodes any byte.
    encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "latin-1"
        text = data.decode(encoding)
    log.warning(
        "%s is not valid UTF-8; decoded it as %s. Re-save it as UTF-8 if any "
        "character looks wrong.",
        source,
        encoding.upper(),
    )
    return text
