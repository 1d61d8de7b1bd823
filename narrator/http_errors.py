"""What an HTTP error body says, whatever shape the server answered in.

OpenAI-compatible servers disagree on error bodies: OpenAI sends
``{"error": {"message": ...}}``, FastAPI-based servers ``{"detail": ...}`` (a string, an
object, or a list of validation errors), others plain text, and a proxy in front of any of
them an HTML page. :func:`error_message` finds the human-readable message in each, so a
user always sees what the server said. Pure functions: no network.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

MAX_MESSAGE_CHARS = 300
"""Longest server message passed on, characters: one or two lines of a terminal; an HTML
page or a stack trace in a body would otherwise flood the screen."""

_SECRET = re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_\-]{8,}|\bBearer\s+\S+", re.IGNORECASE)
"""Things that look like API keys or bearer tokens (OpenAI-style ``sk-`` keys); some
servers echo the key they were sent in their 401 message."""

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_MESSAGE_KEYS = ("message", "msg", "detail", "error", "description", "title")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _validation_errors(items: Iterable[object]) -> str:
    """FastAPI's 422 list, ``[{"loc": [...], "msg": ...}]``, as ``field: message; ...``."""
    said = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("msg"), str):
            loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query")]
            said.append(f"{'.'.join(loc)}: {item['msg']}" if loc else item["msg"])
        else:
            found = _from_json(item)
            if found:
                said.append(found)
    return "; ".join(said)


def _from_json(value: object) -> str | None:
    """The message inside a decoded JSON body, searched by the keys servers use."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return _validation_errors(value) or None
    if isinstance(value, dict):
        for key in _MESSAGE_KEYS:
            if key in value:
                found = _from_json(value[key])
                if found:
                    return found
        return json.dumps(value, ensure_ascii=False) if value else None
    return None if value is None else str(value)


def _from_html(text: str) -> str | None:
    """A proxy's error page: its title (else its first heading), never the whole page."""
    for pattern in (_TITLE, _H1):
        match = pattern.search(text)
        if match:
            title = _squash(html.unescape(_TAG.sub(" ", match.group(1))))
            if title:
                return title
    return _squash(html.unescape(_TAG.sub(" ", text))) or None


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    text = _squash(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def redact(text: str, *secrets: str) -> str:
    """``text`` with each of ``secrets`` and anything shaped like a key replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _SECRET.sub("[redacted]", text)


def error_message(body: str | bytes | None, content_type: str = "") -> str | None:
    """The message of an error response's body, on one line and shortened; None when the
    body holds no text at all.

    JSON is searched for OpenAI's ``error.message``, FastAPI's ``detail`` (string,
    object or validation list) and other common keys; HTML gives its title; anything
    else is taken as plain text.
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    text = (body or "").strip()
    if not text:
        return None
    try:
        decoded = json.loads(text)
    except ValueError:
        looks_html = "html" in content_type.lower() or text[:1] == "<"
        found = _from_html(text) if looks_html else text
    else:
        found = _from_json(decoded)
    return shorten(found) if found else None
