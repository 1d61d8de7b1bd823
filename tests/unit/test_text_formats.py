"""Formats narrator cannot read are refused up front, naming the readable ones and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.errors import ManuscriptError
from narrator.text import load_book
from narrator.text.formats import READERS, UNSUPPORTED, readable_formats

CONVERSIONS = {
    ".pdf": "pdftotext -layout book.pdf book.txt",
    ".mobi": "ebook-convert book.mobi book.epub",
    ".azw": "ebook-convert book.azw book.epub",
    ".azw3": "ebook-convert book.azw3 book.epub",
    ".kfx": "ebook-convert book.kfx book.epub",
    ".fb2": "ebook-convert book.fb2 book.epub",
    ".djvu": "ebook-convert book.djvu book.epub",
    ".lit": "ebook-convert book.lit book.epub",
    ".doc": "libreoffice --headless --convert-to docx book.doc",
    ".rtf": "libreoffice --headless --convert-to docx book.rtf",
    ".odt": "libreoffice --headless --convert-to docx book.odt",
    ".pages": "Export To > Word",
    ".cbz": "pictures, not text",
}


@pytest.mark.parametrize(("suffix", "conversion"), CONVERSIONS.items())
def test_unsupported_format(tmp_path: Path, suffix: str, conversion: str) -> None:
    path = tmp_path / f"book{suffix.upper()}"  # the suffix's case does not matter
    path.write_text("Plain words that would read fine as text.")
    with pytest.raises(ManuscriptError) as err:
        load_book(path)
    assert err.value.exit_code == 2
    assert err.value.path == str(path)
    assert f"it reads {readable_formats()} files" in str(err.value)
    assert conversion.replace(suffix, suffix.upper()) in (err.value.hint or "")


def test_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ManuscriptError, match="is a PDF"):
        load_book(tmp_path / "missing.pdf")


def test_hint_quotes_names_for_the_shell(tmp_path: Path) -> None:
    with pytest.raises(ManuscriptError) as err:
        load_book(tmp_path / "My Book.mobi")
    assert "ebook-convert 'My Book.mobi' 'My Book.epub'" in (err.value.hint or "")


def test_readable_formats_come_from_the_registry() -> None:
    phrase = readable_formats()
    assert all(suffix in phrase for suffix in READERS)
    assert {".md", ".txt", ".docx"} <= set(READERS)
    assert not set(READERS) & set(UNSUPPORTED)


@pytest.mark.parametrize("name", ["book.txt", "book.xyz", "book"])
def test_binary_file_hint_lists_the_readable_formats(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\x00\x01\x02" + bytes(range(256)) * 4)
    with pytest.raises(ManuscriptError, match="looks like a binary file") as err:
        load_book(path)
    assert f"narrator reads {readable_formats()} files" in (err.value.hint or "")
