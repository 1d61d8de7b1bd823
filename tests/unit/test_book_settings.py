"""book.toml: per-book settings under the command line's flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.book_settings import find_book_file, load_book_file, settings_in_force
from narrator.errors import ConfigError
from narrator_cli.options import reading_params

BOOK_TOML = """\
title = "Tern"
author = "A. Writer"
narrator = "Joe Bloggs"
voice = "bf_emma"
speed = 1.2
engine = "embedded"
master = "ebu-r128"
cover = "cover.png"
lexicon = "lexicon.toml"
"""


def book(tmp_path: Path, toml: str = BOOK_TOML, *, folder: bool = True) -> Path:
    """A manuscript with its book.toml in ``<name>/`` (or beside it)."""
    manuscript = tmp_path / "tern.md"
    manuscript.write_text("# Tern\n\nIt was late.\n", encoding="utf-8")
    where = tmp_path / "tern" if folder else tmp_path
    where.mkdir(exist_ok=True)
    (where / "book.toml").write_text(toml, encoding="utf-8")
    return manuscript


def params(manuscript: Path, **settings: object):
    return reading_params(
        manuscript, max_input_chars=None, title=settings.pop("title", None), titles=True,
        include_all=False, read_alt_text=False, **settings,
    )  # fmt: skip


@pytest.mark.parametrize("folder", [True, False])
def test_book_toml_is_found_in_the_books_folder_or_beside_it(tmp_path: Path, folder: bool) -> None:
    manuscript = book(tmp_path, folder=folder)
    expected = tmp_path / ("tern" if folder else "") / "book.toml"
    assert find_book_file(manuscript) == expected
    assert find_book_file(Path("-")) is None


def test_book_settings_fill_the_parameters(tmp_path: Path) -> None:
    p = params(book(tmp_path))
    assert (p.title, p.author, p.narrator, p.speed, p.engine) == (
        "Tern", "A. Writer", "Joe Bloggs", 1.2, "embedded",
    )  # fmt: skip
    assert p.voice == "bf_emma"
    assert (p.master.preset, p.master.target_lufs) == ("ebu-r128", -23.0)
    assert p.cover == tmp_path / "tern" / "cover.png"  # relative to book.toml
    assert p.lexicon == tmp_path / "tern" / "lexicon.toml"


def test_flags_override_book_toml_and_sources_say_so(tmp_path: Path) -> None:
    manuscript = book(tmp_path, 'title = "Tern"\nspeed = 1.2\n')
    p = params(manuscript, title="Other", speed=1.5)
    assert (p.title, p.speed) == ("Other", 1.5)
    in_force = settings_in_force(
        p, load_book_file(find_book_file(manuscript)), given={"title", "speed"}
    )
    assert in_force["title"] == ("Other", "flag")
    assert in_force["speed"] == (1.5, "flag")
    assert in_force["engine"] == ("auto", "default")
    p = params(manuscript)
    in_force = settings_in_force(p, load_book_file(find_book_file(manuscript)), given=())
    assert in_force["speed"] == (1.2, "book.toml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('title = "Tern', "not valid TOML"),
        ('colour = "red"', "unknown setting 'colour'"),
        ('speed = "fast"', "speed = 'fast' is not a number"),
        ("title = 3", "title = 3 is not a text"),
        ("speed = 9.0", "speed = 9.0: Input should be less than or equal to 4"),
        ('engine = "piper"', "engine = 'piper'"),
        ('master = "loud"', "master: unknown mastering preset 'loud'"),
        ('voice = ""', "voice = '' is not a text"),
    ],
)
def test_bad_book_toml_names_the_file_and_key(tmp_path: Path, toml: str, message: str) -> None:
    manuscript = book(tmp_path, toml)
    with pytest.raises(ConfigError) as error:
        params(manuscript)
    assert str(tmp_path / "tern" / "book.toml") in error.value.message
    assert message in error.value.message
    assert error.value.hint
    assert error.value.exit_code == 2
