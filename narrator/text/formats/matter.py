"""Front and back matter: the parts of a book that are not narrated by default.

Audiobooks leave out what only makes sense on a page (cover, title page, copyright,
contents, index, notes) and the publisher's material (other books, about this
edition); they keep what the author wrote around the story (foreword, preface,
prologue, epilogue, afterword, acknowledgements, epigraph, appendix).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# EPUB 3 Structural Semantics Vocabulary (epub:type, landmarks) values for parts
# that are not read aloud.
SKIP_TYPES = frozenset(
    {
        "cover",
        "titlepage",
        "halftitlepage",
        "frontispiece",
        "copyright-page",
        "dedication",
        "toc",
        "toc-brief",
        "landmarks",
        "loi",
        "lot",
        "loa",
        "lov",
        "index",
        "colophon",
        "imprint",
        "imprimatur",
        "errata",
        "seriespage",
        "other-credits",
        "contributors",
        "footnotes",
        "endnotes",
        "rearnotes",
        "bibliography",
        "glossary",
        "page-list",
    }
)
# EPUB 2 <guide> reference types (OPF 2.0.1, section 2.6) that are not read aloud.
SKIP_GUIDE_TYPES = frozenset(
    {
        "cover",
        "title-page",
        "toc",
        "index",
        "glossary",
        "bibliography",
        "colophon",
        "copyright-page",
        "dedication",
        "loi",
        "lot",
        "notes",
    }
)
# Titles of such parts, compared lower-case with punctuation removed.
_TITLES = re.compile(
    r"(?:table of )?contents|copyright(?: page)?|copyright notice|index|dedication|"
    r"title page|cover|colophon|(?:end|foot)?notes|imprint|"
    r"(?:also|other (?:books|titles|works)|more books|books) by .*|praise for .*|"
    r"about (?:this|the) (?:edition|e ?book|publisher)|list of (?:illustrations|figures|tables)|"
    r"(?:the )?full project gutenberg licen[cs]e"
)
SHORT_PAGE_WORDS = 40
"""A page without a heading that has fewer words than this, before the first chapter,
is front matter: a dedication ("For my mother"), a half title, a publisher's line.
A chapter's first page holds a few hundred words."""


def skip_type(types: Iterable[str], *, guide: bool = False) -> str | None:
    """The first of ``types`` that marks a part not to read, else None."""
    known = SKIP_GUIDE_TYPES if guide else SKIP_TYPES
    return next((t for t in types if t.lower() in known), None)


def skip_title(title: str | None) -> bool:
    """Whether ``title`` names a part not to read ('Copyright', 'Contents', 'Also by X')."""
    if not title:
        return False
    words = " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split())
    return bool(_TITLES.fullmatch(words))
