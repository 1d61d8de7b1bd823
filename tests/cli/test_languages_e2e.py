"""Each offline language end to end through ``narrate run --language``: a two-chapter book of
a sentence or two a chapter, spoken by a Kokoro voice of the language and heard by the
multilingual Whisper, comes out with its chapters, every chunk verified and the M4B's
audio tagged with the language's ISO 639-2 code.

French comes as an EPUB that states its language, with no ``--language`` and no
``--voice``: its language, title and chapters come through to the M4B's tags, read by
Kokoro's French voice, the language's default.

The seven runs share the test session's Prefect server and go two at a time (they are
mostly single-threaded: the command's start, the models' loading, about ten seconds of
speech each), all before the first test looks at its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av
import pytest
from ebooklib import epub
from mutagen.mp4 import MP4

pytestmark = pytest.mark.slow

NARRATE = Path(sys.executable).with_name("narrate")

# (BCP 47 tag, Kokoro voice, ISO 639-2 code, book title, ((chapter title, text), ...))
BOOKS = [
    ("es", "ef_dora", "spa", "El faro", (
        ("Capítulo uno", "El faro brillaba sobre el mar. La guardiana subió la escalera."),
        ("Capítulo dos", "Al amanecer, el barco llegó al puerto."),
    )),
    ("fr", "ff_siwis", "fra", "Le phare", (
        ("Chapitre un", "Le phare brillait sur la mer. La gardienne monta l'escalier."),
        ("Chapitre deux", "Le matin, le bateau entra dans le port."),
    )),
    ("it", "if_sara", "ita", "Il faro", (
        ("Capitolo uno", "Il faro brillava sul mare. La guardiana salì la scala."),
        ("Capitolo due", "All'alba, la barca entrò nel porto."),
    )),
    ("pt-BR", "pf_dora", "por", "O farol", (
        ("Capítulo um", "O farol brilhava sobre o mar. A guardiã subiu a escada."),
        ("Capítulo dois", "Ao amanhecer, o barco chegou ao porto."),
    )),
    ("hi", "hf_alpha", "hin", "प्रकाशस्तंभ", (
        ("पहला अध्याय", "समुद्र के किनारे एक पुराना प्रकाशस्तंभ था। रात को उसकी रोशनी दूर तक "
                        "जाती थी।"),
        ("दूसरा अध्याय", "सुबह एक नाव बंदरगाह पहुँची।"),
    )),
    ("zh", "zf_xiaoxiao", "zho", "灯塔", (
        ("第一章", "海边有一座古老的灯塔。每天晚上，灯光照得很远。"),
        ("第二章", "早上，一条小船回到了港口。"),
    )),
    ("ja", "jf_alpha", "jpn", "灯台", (
        ("第一章", "海のそばに古い灯台がありました。夜になると、光が遠くまで届きました。"),
        ("第二章", "朝、小さな船が港に戻りました。"),
    )),
]  # fmt: skip


def _manuscript(title: str, chapters: tuple[tuple[str, str], ...]) -> str:
    parts = [f"# {title}"]
    for heading, text in chapters:
        parts += [f"## {heading}", text]
    return "\n\n".join(parts) + "\n"


EPUB = "fr"
"""The language whose book is an EPUB stating it; narrated in its default voice."""


def _epub(path: Path, tag: str, title: str, chapters: tuple[tuple[str, str], ...]) -> Path:
    book = epub.EpubBook()
    book.set_identifier(f"urn:narrator-test:{tag}")
    book.set_title(title)
    book.set_language(tag)
    book.add_author("Jules Verne")
    pages = []
    for n, (heading, text) in enumerate(chapters, 1):
        page = epub.EpubHtml(title=heading, file_name=f"ch{n}.xhtml", lang=tag,
                             content=f"<h1>{heading}</h1><p>{text}</p>")  # fmt: skip
        book.add_item(page)
        pages.append(page)
    book.toc = [epub.Link(p.file_name, p.title, p.file_name) for p in pages]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *pages]
    epub.write_epub(str(path), book)
    return path


def _stream_language(m4b: Path) -> str | None:
    with av.open(str(m4b)) as container:
        return container.streams.audio[0].metadata.get("language")


def _narrate(folder: Path, book: tuple) -> tuple[subprocess.CompletedProcess[str], Path]:
    import prefect.settings

    tag, voice, _, title, chapters = book
    if tag == EPUB:  # the book says its language, and the language picks the voice
        manuscript = _epub(folder / "book.epub", tag, title, chapters)
        stated: list[str] = []
    else:
        manuscript = folder / "book.md"
        manuscript.write_text(_manuscript(title, chapters), encoding="utf-8")
        stated = ["--voice", voice, "--language", tag]
    out = folder / "out"
    proc = subprocess.run(
        [str(NARRATE), "run", str(manuscript), "--out", str(out), *stated],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "COLUMNS": "200",
            "PREFECT_API_URL": str(prefect.settings.PREFECT_API_URL.value()),
        },
    )  # fmt: skip
    return proc, out


@pytest.fixture(scope="module")
def runs(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[subprocess.CompletedProcess[str], Path]]:
    """Every book narrated once, two runs at a time: {tag: (the finished command, out)}."""
    folders = [tmp_path_factory.mktemp(book[0]) for book in BOOKS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(_narrate, folders, BOOKS))
    return {book[0]: result for book, result in zip(BOOKS, done, strict=True)}


@pytest.mark.parametrize(
    ("tag", "voice", "iso", "title", "chapters"), BOOKS, ids=[book[0] for book in BOOKS]
)
def test_a_book_in_its_own_language_is_narrated_verified_and_tagged(
    runs: dict[str, tuple[subprocess.CompletedProcess[str], Path]],
    tag: str,
    voice: str,
    iso: str,
    title: str,
    chapters: tuple[tuple[str, str], ...],
) -> None:
    proc, out = runs[tag]
    assert proc.returncode == 0, proc.stderr[-3000:]

    (manifest_path,) = out.glob("*/manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["language"] == tag
    assert [c["title"] for c in manifest["chapters"]] == [heading for heading, _ in chapters]
    chunks = [c for chapter in manifest["chapters"] for c in chapter["chunks"]]
    assert chunks and all(c["passed"] for c in chunks), [
        (c["id"], c["text"], c["heard"], c["reason"]) for c in chunks if not c["passed"]
    ]
    assert f"/{voice}/" in manifest["engine"]
    m4b = manifest_path.parent / manifest["m4b"]
    assert _stream_language(m4b) == iso
    tags = MP4(m4b)
    assert tags.tags is not None and tags.tags["\xa9nam"] == [title]
    assert [c.title for c in tags.chapters or ()] == [heading for heading, _ in chapters]
