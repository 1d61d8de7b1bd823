"""Pack a chapter's sentences into speech requests (chunks) of bounded size.

Chinese and Japanese are written without spaces: their sentences are joined with nothing
between them, and a sentence too long for one request is cut after 、，；： and then
between any two characters, where a spaced language is cut only between words.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from narrator.errors import ConfigError, ManuscriptError
from narrator.models import Boundary, Chapter, Chunk, Sentence
from narrator.text.language import ENGLISH, is_unspaced
from narrator.text.quotes import quote_spans, split_quotes
from narrator.text.sentences import split_sentences
from narrator.text.spoken import to_spoken

# A long sentence is cut after clause punctuation, or before a spaced dash; in Chinese
# and Japanese after the enumeration comma, comma, semicolon or colon (full width or not).
_CLAUSE_BREAK = re.compile(r"(?<=[,;:—–]) | (?=[—–])")
_WIDE_CLAUSE_BREAK = re.compile(r"(?<=[、，；：,;:])")

# What ends a piece audibly; a title or list item without it runs into the next one.
_STOPS = tuple(".!?…:;\"'”’)。！？：；」』）।॥")
# What a piece gets in the request when it ends without punctuation: a full stop at a
# paragraph's end, a comma at a verse line's end (a line break inside a paragraph).
# Chinese and Japanese get their own full stop and comma.
_MARKS = {
    Boundary.PARAGRAPH: ".",
    Boundary.SCENE: ".",
    Boundary.END: ".",
    Boundary.CLAUSE: ",",
}
_WIDE_MARKS = {boundary: {".": "。", ",": "，"}[mark] for boundary, mark in _MARKS.items()}
_CLAUSE_STOPS = (*_STOPS, ",", "—", "–", "-", "、", "，")


@dataclass(frozen=True)
class _Piece:
    """A sentence, or a clause or word of a sentence too long for one request."""

    text: str
    boundary: Boundary
    said: str  # the text as sent, before to_spoken
    cost: int  # characters it takes in a request
    voice: str | None  # who speaks it: None for the main voice


def _piece(
    text: str,
    boundary: Boundary,
    max_chars: int,
    voice: str | None = None,
    *,
    whole: bool = True,
    language: str = ENGLISH,
) -> _Piece:
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
    marks = _WIDE_MARKS if is_unspaced(language) else _MARKS
    mark = marks.get(boundary, "") if whole and not text.endswith(stops) else ""
    said = text + mark
    cost = min(max(len(text), len(to_spoken(said, language=language))), max_chars)
    return _Piece(text, boundary, said, cost, voice)


def _segments(
    chapter: Chapter, dialogue_voice: str | None
) -> Iterator[tuple[str, Boundary, bool, str | None]]:
    """The chapter's sentences as ``(text, boundary, whole, voice)``.

    With a ``dialogue_voice``, each sentence is cut where quoted speech begins and ends
    (``narrator.text.quotes``, found over the whole paragraph, since a quotation may run
    over several sentences); the quoted pieces get that voice, the rest None (the main
    voice). A piece cut from inside a sentence is not ``whole`` and is followed by a
    clause pause.
    """
    for _, group in itertools.groupby(chapter.sentences, key=lambda s: s.paragraph):
        sentences = list(group)
        spans = quote_spans(" ".join(s.text for s in sentences)) if dialogue_voice else []
        offset = 0
        for sentence in sentences:
            pieces = split_quotes(sentence.text, spans, offset) if spans else []
            offset += len(sentence.text) + 1
            if len(pieces) <= 1:
                quoted = bool(pieces) and pieces[0][1]
                yield sentence.text, sentence.boundary, True, dialogue_voice if quoted else None
                continue
            for k, (text, quoted) in enumerate(pieces):
                last = k == len(pieces) - 1
                boundary = sentence.boundary if last else Boundary.CLAUSE
                yield text, boundary, last, dialogue_voice if quoted else None


def _units(sentence: str, max_chars: int, *, unspaced: bool) -> list[str]:
    """A sentence longer than ``max_chars`` cut at clause punctuation, then clauses still
    too long between words (between any two characters in Chinese and Japanese)."""
    if unspaced:
        return [
            clause[i : i + max_chars]
            for clause in _WIDE_CLAUSE_BREAK.split(sentence)
            if clause
            for i in range(0, len(clause), max_chars)
        ]
    return [
        unit
        for clause in _CLAUSE_BREAK.split(sentence)
        for unit in (clause.split(" ") if len(clause) > max_chars else [clause])
    ]


def _pieces(
    chapter: Chapter,
    max_chars: int,
    source: Path | str,
    dialogue_voice: str | None,
    language: str,
) -> Iterator[_Piece]:
    """The chapter's sentences (or their narration and dialogue parts), with any longer
    than ``max_chars`` cut up."""
    for sentence, end, whole, voice in _segments(chapter, dialogue_voice):
        if len(sentence) <= max_chars:
            yield _piece(sentence, end, max_chars, voice, whole=whole, language=language)
            continue
        units = _units(sentence, max_chars, unspaced=is_unspaced(language))
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
            boundary = end if last else Boundary.CLAUSE
            yield _piece(unit, boundary, max_chars, voice, whole=last and whole, language=language)


def pack_chunks(
    chapter: Chapter,
    max_chars: int,
    *,
    by_paragraph: bool,
    source: Path | str = "manuscript",
    dialogue_voice: str | None = None,
    language: str = ENGLISH,
) -> tuple[Chunk, ...]:
    """Greedily pack consecutive sentences of ``chapter`` into chunks of <= ``max_chars``.

    A chunk never crosses a scene break, nor, with ``by_paragraph`` (the embedded
    engine's natural paragraph pauses), a paragraph end. A sentence is split only
    when it alone exceeds ``max_chars``. Joining the chunks' texts with single spaces
    gives the chapter's sentences joined with single spaces; in Chinese and Japanese
    (``language``, a BCP 47 tag), the chunks' and sentences' texts are joined with
    nothing between them.

    ``source`` names the manuscript in the ManuscriptError raised for a word longer
    than ``max_chars``.

    With a ``dialogue_voice``, quoted speech is packed into chunks of its own, spoken in
    that voice (``Chunk.voice``), and narration into others: a chunk never mixes voices,
    so every change of voice starts a new request.
    """
    if max_chars < 1:
        raise ConfigError(
            f"max_chars must be at least 1, got {max_chars}",
            hint="Set the engine's max_input_chars to a positive number.",
        )
    hard = {Boundary.SCENE, Boundary.END} | ({Boundary.PARAGRAPH} if by_paragraph else set())
    sep = "" if is_unspaced(language) else " "
    groups: list[list[_Piece]] = [[]]
    used = 0
    for piece in _pieces(chapter, max_chars, source, dialogue_voice, language):
        full = used + len(sep) + piece.cost > max_chars
        if groups[-1] and (full or piece.voice != groups[-1][0].voice):
            groups.append([])
        used = piece.cost + (used + len(sep) if groups[-1] else 0)
        groups[-1].append(piece)
        if piece.boundary in hard:
            groups.append([])
            used = 0
    chunks = []
    for i, group in enumerate(g for g in groups if g):
        text = sep.join(p.text for p in group)
        chunks.append(
            Chunk(
                id=f"c{chapter.index:02d}-{i:04d}",
                chapter=chapter.index,
                index=i,
                text=text,
                spoken=to_spoken(sep.join(p.said for p in group), language=language),
                boundary=group[-1].boundary,
                voice=group[0].voice,
            )
        )
    return tuple(chunks)


def split_text(
    text: str, max_chars: int, *, source: Path | str = "chunk", language: str = ENGLISH
) -> list[str]:
    """Cut one request's text in ``language`` (a BCP 47 tag) into pieces of at most
    ``max_chars`` characters, at sentence ends first, then clauses, then words (then
    characters in Chinese and Japanese); the pieces joined with spaces (with nothing in
    Chinese and Japanese) are ``text``, its whitespace normalized.

    For an endpoint that turned out to speak less than it accepts.
    """
    sentences = tuple(
        Sentence(text=s, paragraph=0, boundary=Boundary.SENTENCE)
        for s in split_sentences(text, language=language)
    )
    chapter = Chapter(index=1, title=None, line=1, sentences=sentences)
    chunks = pack_chunks(chapter, max_chars, by_paragraph=False, source=source, language=language)
    return [c.text for c in chunks]
