"""The pronunciation lexicon: respelling what the engine is sent, and verifying it."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.config import NarrationParams
from narrator.errors import ConfigError
from narrator.models import Boundary, Chunk
from narrator.parse import parse_book
from narrator.speech.timing import expected_duration_s
from narrator.store import chunk_key
from narrator.text.lexicon import Lexicon, load_lexicon, respell_chunks, unrespell
from narrator.text.normalize import normalize_words
from narrator.verify.scoring import score

LEXICON = """\
Hermione = "Her-MY-oh-nee"
"Tern Rock" = "Turn Rock"
Tern = "Turrn"
quay = "key"
Reading = "Redding"
"""


@pytest.fixture
def lexicon(tmp_path: Path) -> Lexicon:
    path = tmp_path / "lexicon.toml"
    path.write_text(LEXICON, encoding="utf-8")
    return load_lexicon(path)


def chunk(spoken: str, index: int = 0) -> Chunk:
    return Chunk(
        id=f"c01-{index:04d}", chapter=1, index=index, text=spoken, spoken=spoken,
        boundary=Boundary.SENTENCE,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Hermione smiled.", "Her-MY-oh-nee smiled."),
        ("Hermione's wand", "Her-MY-oh-nee's wand"),
        ("Hermiones", "Hermiones"),  # whole words only
        ("hermione", "hermione"),  # a capitalised entry is case-sensitive
        ("The Quay and the quay", "The key and the key"),  # a lower-case one is not
        ("He was Reading in Reading.", "He was Redding in Redding."),
        ("He was reading.", "He was reading."),
        ("Tern Rock and a Tern", "Turn Rock and a Turrn"),  # the phrase wins over its word
        ("Tern-Rock", "Tern-Rock"),  # a hyphenated compound is another word
    ],
)
def test_respell(lexicon: Lexicon, text: str, said: str) -> None:
    assert lexicon.respell(text)[0] == said


def test_respell_reports_the_entries_used(lexicon: Lexicon) -> None:
    assert lexicon.respell("Hermione at the quay")[1] == (
        ("Hermione", "Her-MY-oh-nee"),
        ("quay", "key"),
    )


def test_only_chunks_with_a_changed_entry_get_new_cache_keys(lexicon: Lexicon) -> None:
    chunks = (chunk("Hermione waited.", 0), chunk("Nobody came.", 1))
    before = [chunk_key(c.spoken, "engine") for c in respell_chunks(chunks, lexicon)]
    changed = lexicon.model_copy(
        update={"entries": (("Hermione", "Her-MIE-oh-nee"), *lexicon.entries[1:])}
    )
    after = [chunk_key(c.spoken, "engine") for c in respell_chunks(chunks, changed)]
    assert before[0] != after[0]
    assert before[1] == after[1] == chunk_key("Nobody came.", "engine")


@pytest.mark.parametrize(
    "heard",
    [
        "Hermione waited at the key by the lamp.",  # the real name
        "Her my oh nee waited at the key by the lamp.",  # the respelling, spelled out
        "Hermione waited at the quay by the lamp.",
    ],
)
def test_verification_compares_the_written_word(lexicon: Lexicon, heard: str) -> None:
    (respelled,) = respell_chunks([chunk("Hermione waited at the quay by the lamp.")], lexicon)
    duration = expected_duration_s(respelled.spoken)
    verdict = score(respelled.spoken, heard, duration, respelled=respelled.respelled)
    assert verdict.passed, verdict.reason
    assert verdict.wer == 0


def test_verification_still_fails_other_words(lexicon: Lexicon) -> None:
    (respelled,) = respell_chunks([chunk("Hermione waited at the quay by the lamp.")], lexicon)
    heard = "The seagull dropped a biscuit on the boat."
    verdict = score(
        respelled.spoken, heard, expected_duration_s(respelled.spoken),
        respelled=respelled.respelled,
    )  # fmt: skip
    assert not verdict.passed


def test_parse_book_applies_the_lexicon_to_spoken_only(tmp_path: Path) -> None:
    manuscript = tmp_path / "book.md"
    manuscript.write_text("# Book\n\n## One\n\nHermione rowed to Tern Rock.\n", encoding="utf-8")
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(LEXICON, encoding="utf-8")
    parsed = parse_book(NarrationParams(manuscript=manuscript, lexicon=lexicon, language="en"))
    body = parsed.chunks[0][-1]
    assert body.text == "Hermione rowed to Tern Rock."
    assert body.spoken == "Her-MY-oh-nee rowed to Turn Rock."
    assert body.respelled == (("Tern Rock", "Turn Rock"), ("Hermione", "Her-MY-oh-nee"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Hermione = ", "not a valid TOML lexicon"),
        ("Hermione = 3", "lexicon entry 'Hermione' = 3"),
        ('Hermione = ""', "lexicon entry 'Hermione'"),
        ("[names]\nHermione = 'x'", "lexicon entry 'names'"),
    ],
)
def test_bad_lexicon_names_the_file_and_entry(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_lexicon(path)
    assert str(path) in error.value.message
    assert message in error.value.message
    assert error.value.hint


def test_missing_lexicon_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_lexicon(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("entries", "text", "said"),
    [
        ((("Élodie", "É-lo-di"),), "Élodie et Élodie-Anne", "É-lo-di et Élodie-Anne"),
        ((("Nuñez", "Nu-nyez"),), "el Sr. Nuñez.", "el Sr. Nu-nyez."),
        ((("北京", "北-京"),), "他在北京市住。", "他在北-京市住。"),
        ((("東京", "とうきょう"),), "東京タワー", "とうきょうタワー"),
        # a Devanagari word is not the start of a longer one, vowel signs and all
        ((("राम", "रा-म"),), "राम और रामा और रामायण", "रा-म और रामा और रामायण"),
    ],
)
def test_respell_in_other_scripts(
    entries: tuple[tuple[str, str], ...], text: str, said: str
) -> None:
    assert Lexicon(entries=entries).respell(text)[0] == said


def test_unrespell_in_the_books_language() -> None:
    words = normalize_words("Elle vit Élo-dî hier.", language="fr")
    assert unrespell(words, [("Élodie", "Élo-dî")], language="fr") == [
        "elle", "vit", "élodie", "hier",
    ]  # fmt: skip
