"""What a reader of a Markdown manuscript sees: the text of the page it renders to.

narrator reads Markdown with its own line rules (``narrator.text.structure``); the word
account compares them with an independent CommonMark renderer (markdown-it-py), so a
link's address, an image or a comment is no word, and a link's text is one.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from narrator.text.formats.markup import body, parse_html, visible_text


def rendered_text(text: str) -> str:
    """The text of the page the Markdown ``text`` renders to (CommonMark, raw HTML kept)."""
    page = MarkdownIt("commonmark").render(text)
    return visible_text(body(parse_html(f"<html><body>{page}</body></html>".encode())))
