"""Small EPUB and HTML books built on the fly for tests (nothing is downloaded)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from ebooklib import epub

# The tiny book: two chapters of two short sentences each, so that it narrates in
# seconds. The copyright page and the footnote must not be read.
CHAPTER_ONE = ("The keeper lit the lamp at dusk.", "The sea was calm.")
CHAPTER_TWO = ("A gull landed on the rail.", "It stayed all night.")
FOOTNOTE = "The lamp burned whale oil."


def png(width: int = 32, height: int = 32) -> bytes:
    """A valid RGB PNG of ``width`` x ``height`` pixels (a blue-to-white gradient)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 200)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def build_epub3(
    path: Path,
    *,
    title: str = "The Lamp",
    author: str = "Ada Keeper",
    language: str = "en",
) -> Path:
    """Write a tiny EPUB 3 to ``path``: metadata, a 32x32 PNG cover, a copyright page,
    two chapters ("One", "Two") and a footnote in chapter one. Returns ``path``."""
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:6d1c1bd2-0c5e-4b5e-9d6a-0a6b1d5f3c11")
    book.set_title(title)
    book.set_language(language)
    book.add_author(author)
    book.set_cover("cover.png", png(), create_page=False)
    copyright_page = epub.EpubHtml(
        title="Copyright",
        file_name="copyright.xhtml",
        content=f'<section epub:type="copyright-page"><p>Copyright 2026 {author}. '
        "All rights reserved.</p></section>",
    )
    one = epub.EpubHtml(
        title="One",
        file_name="one.xhtml",
        content=f"<h1>One</h1><p>{CHAPTER_ONE[0]}"
        '<a epub:type="noteref" href="#n1"><sup>1</sup></a> '
        f'{CHAPTER_ONE[1]}</p><aside epub:type="footnote" id="n1"><p>{FOOTNOTE}</p></aside>',
    )
    two = epub.EpubHtml(
        title="Two", file_name="two.xhtml", content=f"<h1>Two</h1><p>{' '.join(CHAPTER_TWO)}</p>"
    )
    for item in (copyright_page, one, two):
        book.add_item(item)
    book.toc = [epub.Link("one.xhtml", "One", "one"), epub.Link("two.xhtml", "Two", "two")]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [copyright_page, "nav", one, two]
    epub.write_epub(str(path), book)
    return path


def write_html(path: Path) -> Path:
    """Write a tiny HTML book to ``path``: title, author, language, two chapters with
    a footnote, a table and an image that are not read. Returns ``path``."""
    path.write_text(
        f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>The Lamp | a web edition</title>
<meta name="author" content="Ada Keeper">
<style>p {{ margin: 0 }}</style>
<script>document.title = "not read";</script>
</head>
<body>
<nav><a href="#one">One</a> <a href="#two">Two</a></nav>
<h1>The Lamp</h1>
<h2 id="one">One</h2>
<p>{CHAPTER_ONE[0]}<a href="#fn1"><sup>1</sup></a> {CHAPTER_ONE[1]}</p>
<table><tr><td>Tide</td><td>High</td></tr></table>
<h2 id="two">Two</h2>
<p><img src="gull.png" alt="A gull on a rail."> {" ".join(CHAPTER_TWO)}</p>
<hr>
<div class="footnotes"><p id="fn1">1. {FOOTNOTE}</p></div>
</body>
</html>
""",
        encoding="utf-8",
    )
    return path


# A public-domain novel as e-book shops sell it: twelve chapters, each in its own file as
# <section epub:type="chapter"> with an <h2>, a navigation document and an NCX, a footnote
# (a noteref and an <aside> at the end of the chapter's section) and an image in chapter I.
NOVEL_CHAPTERS = 12
NOVEL_FOOTNOTE = "The light of Tern Rock was first lit in 1851."
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def novel_paragraphs(number: int) -> tuple[str, str]:
    """The two paragraphs of chapter ``number`` (1-based) of :func:`build_novel_epub`."""
    return (
        f"The keeper climbed the stair for the {_ORDINALS[number - 1]} night in a row.",
        f"Below him the sea kept count of chapter {_ROMAN[number - 1]} in grey waves.",
    )


_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
)  # fmt: skip


def build_novel_epub(path: Path) -> Path:
    """Write the twelve-chapter EPUB 3 to ``path``; chapter n is titled "Chapter <roman>"
    and holds :func:`novel_paragraphs`\\ (n). Returns ``path``."""
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:2b7f3a52-8c1e-4d0e-a7a1-6f5b1c9e2d40")
    book.set_title("The Keeper of Tern Rock")
    book.set_language("en")
    book.add_author("A. Keeper")
    book.add_item(epub.EpubItem(uid="lamp", file_name="images/lamp.png",
                                media_type="image/png", content=png()))  # fmt: skip
    chapters = []
    for n in range(1, NOVEL_CHAPTERS + 1):
        first, second = novel_paragraphs(n)
        extra = note = ""
        if n == 1:
            first = first.removesuffix(".") + '<sup><a epub:type="noteref" href="#fn1">1</a></sup>.'
            extra = '<img src="../images/lamp.png" alt="The lamp at Tern Rock"/>'
            note = f'<aside epub:type="footnote" id="fn1"><p>{NOVEL_FOOTNOTE}</p></aside>'
        chapter = epub.EpubHtml(
            title=f"Chapter {_ROMAN[n - 1]}",
            file_name=f"text/chapter-{n:02d}.xhtml",
            content=f'<section epub:type="chapter" id="chapter-{n}">'
            f"<h2>Chapter {_ROMAN[n - 1]}</h2><p>{first}</p>{extra}<p>{second}</p>{note}"
            "</section>",
        )
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = [epub.Link(c.file_name, c.title, f"c{k}") for k, c in enumerate(chapters, 1)]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(path), book)
    return path
