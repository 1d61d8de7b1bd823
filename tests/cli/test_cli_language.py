"""A book's language: stated by the manuscript, book.toml or --language, else detected, and
a detection that is not sure stops the run with a request for --language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.config import NarrationParams
from narrator.parse import parse_book
from narrator.text.book import load_book
from narrator.text.language import LanguageUnknown, normalize_tag, primary, resolve
from narrator_cli.app import app
from tests.fixtures_books import build_epub3

FRENCH = (
    "# Chapitre premier\n\n"
    "En l'année 1872, la maison portant le numéro 7 de Saville-row, Burlington Gardens, "
    "était habitée par Phileas Fogg, esq., l'un des membres les plus singuliers et les plus "
    "remarqués du Reform-Club de Londres, bien qu'il semblât prendre à tâche de ne rien "
    "faire qui pût attirer l'attention.\n\n"
    "# Chapitre II\n\n"
    "Passepartout se convainc qu'il a enfin trouvé son idéal. Il était resté seul dans la "
    "maison de Saville-row, et il se mit aussitôt à la visiter de la cave au grenier.\n"
)

UNSURE = "# Notes\n\nOK. Ciao. Hola.\n"

NARRATE = Path(sys.executable).parent / "narrate"


def narrate(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, so its exit code and error screen are the user's."""
    return subprocess.run([str(NARRATE), *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("tag", "normal", "first"),
    [("fr", "fr", "fr"), ("PT_br", "pt-BR", "pt"), ("zh-hans", "zh-Hans", "zh"),
     ("en-gb", "en-GB", "en"), ("ja", "ja", "ja")],
)  # fmt: skip
def test_tags_are_normalized_and_keyed_on_their_primary_subtag(
    tag: str, normal: str, first: str
) -> None:
    assert normalize_tag(tag) == normal
    assert primary(normal) == first


@pytest.mark.parametrize("tag", ["", "french!", "f", "fr--FR", "12"])
def test_what_is_not_a_language_tag_is_refused(tag: str) -> None:
    with pytest.raises(ValueError, match="not a language tag"):
        normalize_tag(tag)


def test_a_french_text_with_no_stated_language_is_detected_as_french(tmp_path: Path) -> None:
    path = tmp_path / "tour.md"
    path.write_text(FRENCH, encoding="utf-8")
    book = load_book(path)
    assert book.language == "fr"
    assert book.metadata.language is None  # detected, not stated


def test_the_stated_language_wins_over_detection_and_the_flag_over_the_file(
    tmp_path: Path,
) -> None:
    epub = build_epub3(tmp_path / "lamp.epub", language="fr")
    assert load_book(epub).language == "fr"  # the English text says French: stated wins
    assert load_book(epub, language="en-GB").language == "en-GB"


def test_book_toml_states_the_language(tmp_path: Path) -> None:
    path = tmp_path / "tour.md"
    path.write_text(FRENCH, encoding="utf-8")
    (tmp_path / "book.toml").write_text('language = "fr-CA"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["split", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["language"] == "fr-CA"


def test_a_book_toml_language_that_is_no_tag_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tour.md"
    path.write_text(FRENCH, encoding="utf-8")
    (tmp_path / "book.toml").write_text('language = "français"\n', encoding="utf-8")
    result = narrate("split", str(path))
    assert result.returncode == 2
    assert "book.toml" in result.stderr and "language" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unsure_detection_stops_with_exit_2_asking_for_language(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(UNSURE, encoding="utf-8")
    with pytest.raises(LanguageUnknown, match="--language"):
        resolve(None, UNSURE, source=str(path))
    for command in (("split",), ("plan",), ("run", "--out", str(tmp_path / "out"))):
        result = narrate(*command, str(path))
        assert result.returncode == 2, result.stderr
        assert "notes.md" in result.stderr and "--language" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(app, ["split", str(path), "--language", "it", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["language"] == "it"


def test_the_run_speaks_the_language_the_book_was_found_in(tmp_path: Path) -> None:
    path = tmp_path / "tour.md"
    path.write_text(FRENCH, encoding="utf-8")
    parsed = parse_book(NarrationParams(manuscript=path, out_dir=tmp_path / "out"))
    assert parsed.book.language == "fr"
    assert NarrationParams(manuscript=path).book_language == "en"  # before it is read
