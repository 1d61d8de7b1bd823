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
from narrator.text.language import LanguageUnknown, detect, normalize_tag, primary, resolve
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


def test_a_french_manuscript_splits_into_its_chapters_in_french(tmp_path: Path) -> None:
    path = tmp_path / "tour.txt"
    path.write_text(
        "Chapitre premier\n\nLe 2 octobre 1872, M. Fogg habitait au nº 7 de Saville-row, "
        "Burlington Gardens, la maison dans laquelle Sheridan mourut en 1814.\n\n"
        "« Bonjour, dit-il. »\n\nChapitre II\n\nPassepartout se convainc qu'il a enfin "
        "trouvé son idéal. Il était resté seul dans la maison de Saville-row.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["split", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "fr"
    assert [c["title"] for c in data["chapters"]] == ["Chapitre premier", "Chapitre II"]
    assert data["account"]["lost"] == 0


def test_a_wrapped_chinese_paragraph_loses_no_character(tmp_path: Path) -> None:
    path = tmp_path / "yecao.txt"
    path.write_text(
        "第一章\n\n我家门前有两棵树，一棵是枣树，\n还有一棵也是枣树。这上面的夜的天空，"
        "奇怪而高。\n\n第二章\n\n他仿佛要离开人间而去，\n使人们仰面不再看见。\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["split", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "zh"
    assert len(data["chapters"]) == 2
    assert data["account"]["lost"] == 0 and data["account"]["narrated"] > 40
    assert data["chapters"][0]["chunks"][1]["text"].startswith("我家门前有两棵树，一棵是枣树，还有")


def test_traditional_chinese_is_chinese_and_kana_make_japanese() -> None:
    # Lu Xun, 吶喊 (Project Gutenberg #27166), with the stray kana of its lost note marks:
    # lingua alone reads it as Japanese, sure of it.
    nahan = (
        "卻居然暗暗的消去了，這也就是我惟一的願望。夏夜，蚊子多了，便搖著蒲扇坐在槐樹下，"
        "從密葉縫里看那一點一點的青天，晚出的槐蠶又每每冰冷的落在頭頸上。"
        "那時偶或來談的是一個老朋友金心異ぁ，將手提的大皮夾放在破桌"
    )
    assert detect(nahan)[0] == "zh"
    assert detect("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。")[0] == "ja"
