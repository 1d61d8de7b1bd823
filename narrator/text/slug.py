"""File-name-safe slugs for books and chapters."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def slugify(text: str, *, max_len: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text``; never empty ("untitled").

    Accents are folded ("Café" -> "cafe"); anything else non-ASCII is dropped. A text in
    a script with no ASCII letters ("灯塔", "प्रकाशस्तंभ", "Война и мир") keeps its own
    letters, marks and digits instead, so that books in it do not all share "untitled".
    The result is cut at a hyphen where possible so that it stays at most ``max_len`` long.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not re.search("[a-z]", slug):
        slug = _own_script(text) or slug
    if len(slug) > max_len:
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-") or "untitled"


def _own_script(text: str) -> str:
    """``text`` lower-cased (NFC) with every run of characters other than letters, marks
    and digits (Unicode categories L, M, N) turned into one hyphen."""
    kept = (ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in text.lower())
    return re.sub("-+", "-", unicodedata.normalize("NFC", "".join(kept))).strip("-")


def ascii_slug(slug: str) -> str:
    """``slug`` where only ASCII is allowed (Prefect's artifact keys: lower-case letters,
    digits and dashes): itself when it is ASCII, else "book-" and 12 hex digits of its
    SHA-256, the same for the same slug."""
    if slug.isascii():
        return slug
    return "book-" + hashlib.sha256(slug.encode()).hexdigest()[:12]
