"""Pack a chapter's sentences into speech requests (chunks) of bounded size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from narrator.errors import ConfigError, ManuscriptError
from narrator.models import Boundary, Chapter, Chunk, Sentence
from narrator.text.sentences import split_sentences
from narrator.text.spoken import to_spoken

# A long sentence is cut after clause punctuation, or before a spaced dash.
_CLAUSE_BREAK = re.compile(r"(?<=[,;:—–]) | (?=[—–])")


# What ends a piece audibly; a title or list item without it runs into the next one.
_STOPS = tuple(".!?…:;\"'”’)")
# What a piece gets in the request when it ends without punctuation: a full stop at a
# paragraph's end, a comma at a verse line's end (a line break inside a paragraph).
_MARKS = {
    Boundary.PARAGRAPH: ".",
    Boundary.SCENE: ".",
    Boundary.END: ".",
    Boundary.CLAUSE: ",",
}
_CLAUSE_STOPS = (*_STOPS, ",", "—", "–", "-")


@dataclass(frozen=True)
class _Piece:
    """A sentence, or a clause or word of a sentence too long for one request."""

    text: str
    boundary: Boundary
    said: str  # the text as sent, before to_spoken
    cost: int  # characters it takes in a request


def _piece(text: str, boundary: Boundary, max_chars: int, *, whole: bool = True) -> _Piece:
    """Measure a piece of text for packing.

    An unpunctuated paragraph end ("CHAPTER I", a list item) gets a full stop in the
    request, and an unpunctuated verse line end a comma, so that the engine pauses
    there instead of running into what follows. A clause or word cut from a sentence
    too long for one request (``whole=False``) gets nothing: it is not a line's end.
    The engine receives the spoken form ("Mr." -> "Mister", URLs spelled out), so the
    cost is that length when it is longer; a piece that fits as written but grows when
    spoken still goes in a request of its own.
    """
    stops = _CLAUSE_STOPS if boundary is Boundary.CLAUSE else _STOPS
    mark = _MARKS.get(boundary, "") if whole and not text.endswith(stops) else ""
    said = text + mark
    return _Piece(text, boundary, said, min(max(len(text), len(to_spoken(said))), max_chars))


def _pieces(chapter: Chapter, max_chars: int, source: Path | str) -> Iterator[_Piece]:
    """The chapter's sentences, with any sentence longer than ``max_chars`` cut up."""
    for sentence in chapter.sentences:
        if len(sentence.text) <= max_chars:
            yield _piece(sentence.text, sentence.boundary, max_chars)
            continue
        # Split at clause punctuation first, then at word boundaries.
        units = [
            unit
            for clause in _CLAUSE_BREAK.split(sentence.text)
            for unit in (clause.split(" ") if len(clause) > max_chars else [clause])
        ]
        for k, unit in enumerate(units):
            if len(unit) > max_chars:
                raise ManuscriptError(
                    source,
                    f"a word of {len(unit)} characters ({unit[:24]!r}...) is longer than "
                    f"the {max_chars} characters one speech request may hold",
                    line=chapter.line,
                    chapter=chapter.title or f"Chapter {chapter.index}",
                    hint="Break the word up with spaces or remove it; "
                    "a run of characters without spaces cannot be read aloud.",
                )
            last = k == len(units) - 1
            boundary = sentence.boundary if last else Boundary.CLAUSE
            yield _piece(unit, boundary, max_chars, whole=last)


def pack_chunks(
    chapter: Chapter,
    max_chars: int,
    *,
    by_paragraph: bool,
    source: Path | str = "manuscript",
) -> tuple[Chunk, ...]:
    """Greedily pack consecutive sentences of ``chapter`` into chunks of <= ``max_chars``.

    A chunk never crosses a scene break, nor, with ``by_paragraph`` (the embedded
    engine's natural paragraph pauses), a paragraph end. A sentence is split only
    when it alone exceeds ``max_chars``. Joining the chunks' texts with single spaces
    gives the chapter's sentences joined with single spaces.

    ``source`` names the manuscript in the ManuscriptError raised for a word longer
    than ``max_chars``.
    """
    if max_chars < 1:
        raise ConfigError(
            f"max_chars must be at least 1, got {max_chars}",
            hint="Set the engine's max_input_chars to a positive number.",
        )
    hard = {Boundary.SCENE, Boundary.END} | ({Boundary.PARAGRAPH} if by_paragraph else set())
    groups: list[list[_Piece]] = [[]]
    used = 0
    for piece in _pieces(chapter, max_chars, source):
        if groups[-1] and used + 1 + piece.cost > max_chars:
            groups.append([])
        used = piece.cost + (used + 1 if groups[-1] else 0)
        groups[-1].append(piece)
        if piece.boundary in hard:
            groups.append([])
            used = 0
    chunks = []
    for i, group in enumerate(g for g in groups if g):
        text = " ".join(p.text for p in group)
        chunks.append(
            Chunk(
                id=f"c{chapter.index:02d}-{i:04d}",
                chapter=chapter.index,
                index=i,
                text=text,
                spoken=to_spoken(" ".join(p.said for p in group)),
                boundary=group[-1].boundary,
            )
        )
    return tuple(chunks)


def split_text(text: str, max_chars: int, *, source: Path | str = "chunk") -> list[str]:
    """Cut one request's text into pieces of at most ``max_chars`` characters, at
    sentence ends first, then clauses, then words; the pieces joined with spaces are
    ``text`` (its whitespace normalized).

    For an endpoint that turned out to speak less than it accepts.
    """
    sentences = tuple(
        Sentence(text=s, paragraph=0, boundary=Boundary.SENTENCE) for s in split_sentences(text)
    )
    chapter = Chapter(index=1, title=None, line=1, sentences=sentences)
    return [c.text for c in pack_chunks(chapter, max_chars, by_paragraph=False, source=source)]
