"""File-name-safe slugs for books and chapters."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, *, max_len: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text``; never empty ("untitled").

    Accents are folded ("Café" -> "cafe"); anything else non-ASCII is dropped. The
    result is cut at a hyphen where possible so that it stays at most ``max_len`` long.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-") or "untitled"
