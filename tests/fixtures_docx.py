"""Word (.docx) manuscripts built with python-docx inside the tests (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import docx

DOCX_TITLE = "The Lamp Keeper"
DOCX_AUTHOR = "Ada Lovelace"
DOCX_CHAPTERS = {
    "The Light": ["The keeper lit the lamp at dusk.", "The sea was calm that night."],
    "The Storm": ["A storm came in from the west.", "The light stayed on until dawn."],
}


def build_docx(path: Path) -> Path:
    """Write a tiny two-chapter book to ``path``: a Title paragraph, two Heading 1
    chapters of two short sentences each, and core properties (title, author,
    language 'en-GB'). Returns ``path``."""
    document = docx.Document()
    document.core_properties.title = DOCX_TITLE
    document.core_properties.author = DOCX_AUTHOR
    document.core_properties.language = "en-GB"
    document.add_paragraph(DOCX_TITLE, style="Title")
    for heading, sentences in DOCX_CHAPTERS.items():
        document.add_heading(heading, level=1)
        for sentence in sentences:
            document.add_paragraph(sentence)
    document.save(str(path))
    return path
