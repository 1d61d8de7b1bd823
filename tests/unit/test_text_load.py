"""Reading manuscripts: encodings, cleaning and every bad input."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

from narrator.errors import ManuscriptError
from narrator.text import load_book, slugify
from narrator.text.load import read_manuscript
from narrator.text.slug import ascii_slug


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", "\ufeffCafé one.\r\nTwo.\r\n".encode())
    assert read_manuscript(path) == "Café one.\nTwo.\n"


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", "Hello there.".encode("utf-16"))
    assert read_manuscript(path) == "Hello there."


def test_cp1252_is_decoded_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "old.txt", "“Café” – naïve.".encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        assert read_manuscript(path) == "“Café” – naïve."
    assert str(path) in caplog.text and "CP1252" in caplog.text


def test_undefined_cp1252_bytes_fall_back_to_latin1(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path, "odd.txt", b"Caf\xe9 \x81 ok.")
    with caplog.at_level(logging.WARNING):
        assert read_manuscript(path) == "Café \x81 ok.".replace("\x81", "")
    assert "LATIN-1" in caplog.text


def test_zero_width_and_control_chars_are_removed(tmp_path: Path) -> None:
    raw = "Zero\u200bwidth\u200c \u200dword\u2060s\ufeff.\x07\tTab\x1b kept.\x7f\n"
    path = _write(tmp_path, "z.txt", raw.encode())
    assert read_manuscript(path) == "Zerowidth words.\tTab kept.\n"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"From a pipe.")))
    book = load_book("-")
    assert book.source == Path("-")
    assert book.title == "stdin"
    assert book.chapters[0].sentences[0].text == "From a pipe."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", "  \n\t\r\n \u200b".encode(), "whitespace"),
        ("nul.txt", b"Some text\x00\x00 more", "binary"),
        ("ctl.txt", bytes(range(1, 9)) * 20 + b"text", "binary"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(ManuscriptError) as err:
        load_book(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert err.value.hint


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.md"
    with pytest.raises(ManuscriptError, match="no such file") as err:
        load_book(path)
    assert err.value.path == str(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ManuscriptError, match="directory") as err:
        load_book(tmp_path)
    assert err.value.path == str(tmp_path)


@pytest.mark.parametrize("name", ["emoji.txt", "emoji.md"])
def test_emoji_and_symbols_only(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, "🎉🎉 ✨\n\n* * *\n\n→ ★ ♥\n".encode())
    with pytest.raises(ManuscriptError, match="no speakable text") as err:
        load_book(path)
    assert err.value.path == str(path)


def test_title_from_file_name_and_slug(tmp_path: Path) -> None:
    path = _write(tmp_path, "the_keeper-of-tern-rock.txt", b"Text.")
    book = load_book(path, language="en")  # "Text." is too short to tell its language
    assert book.title == "The Keeper Of Tern Rock"
    assert book.slug == "the-keeper-of-tern-rock"
    assert load_book(path, title="Mine", language="en").title == "Mine"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Café au Lait!", "cafe-au-lait"),
        ("灯塔", "灯塔"),
        ("Война и мир", "война-и-мир"),
        ("प्रकाशस्तंभ", "प्रकाशस्तंभ"),
        ("🎉🎉", "untitled"),
        ("", "untitled"),
        ("word " * 30, ("word-" * 12).rstrip("-")),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert len(slugify(text)) <= 60


def test_a_slug_in_another_script_has_an_ascii_key_of_its_own() -> None:
    assert ascii_slug("the-lamp") == "the-lamp"
    key = ascii_slug(slugify("灯塔"))
    assert key.isascii() and key.startswith("book-") and key == ascii_slug("灯塔")
    assert key != ascii_slug(slugify("灯台"))
