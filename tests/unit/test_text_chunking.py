"""Chunk packing: size limit, scene/paragraph breaks, long sentences."""

from __future__ import annotations

import math
import random

import pytest

from narrator.errors import ManuscriptError
from narrator.models import Boundary, Chapter, Chunk, Sentence
from narrator.text import pack_chunks


def _chapter(*items: tuple[str, int, Boundary], index: int = 1) -> Chapter:
    sentences = tuple(Sentence(text=t, paragraph=p, boundary=b) for t, p, b in items)
    return Chapter(index=index, title="Storm", line=7, sentences=sentences)


def _check_invariants(chapter: Chapter, chunks: tuple[Chunk, ...], max_chars: int) -> None:
    assert " ".join(c.text for c in chunks) == " ".join(s.text for s in chapter.sentences)
    assert all(0 < len(c.text) <= max_chars for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert chunks[-1].boundary is Boundary.END


S, P, E, SC = Boundary.SENTENCE, Boundary.PARAGRAPH, Boundary.END, Boundary.SCENE


def test_greedy_packing_ids_and_boundaries() -> None:
    chapter = _chapter(("One two.", 0, S), ("Three four.", 0, P), ("Five.", 1, E), index=3)
    chunks = pack_chunks(chapter, 20, by_paragraph=False)
    assert [(c.id, c.chapter, c.text, c.boundary) for c in chunks] == [
        ("c03-0000", 3, "One two. Three four.", P),
        ("c03-0001", 3, "Five.", E),
    ]


def test_paragraphs_split_only_when_asked() -> None:
    chapter = _chapter(("A b.", 0, P), ("C d.", 1, E))
    assert [c.text for c in pack_chunks(chapter, 100, by_paragraph=False)] == ["A b. C d."]
    assert [c.text for c in pack_chunks(chapter, 100, by_paragraph=True)] == ["A b.", "C d."]


def test_never_crosses_a_scene_break() -> None:
    chapter = _chapter(("A b.", 0, SC), ("C d.", 1, E))
    chunks = pack_chunks(chapter, 100, by_paragraph=False)
    assert [(c.text, c.boundary) for c in chunks] == [("A b.", SC), ("C d.", E)]


def test_long_sentence_splits_at_clauses_first() -> None:
    sentence = "First part of it, second part here; third part — and the very last part."
    chunks = pack_chunks(_chapter((sentence, 0, E)), 40, by_paragraph=False)
    assert [c.text for c in chunks] == [
        "First part of it, second part here;",
        "third part — and the very last part.",
    ]
    assert [c.boundary for c in chunks] == [Boundary.CLAUSE, E]


def test_twenty_thousand_chars_without_punctuation_split_at_words() -> None:
    text = " ".join(f"word{i}" for i in range(3000))
    assert len(text) > 20_000
    chapter = _chapter((text, 0, E))
    chunks = pack_chunks(chapter, 4096, by_paragraph=True)
    _check_invariants(chapter, chunks, 4096)
    assert len(chunks) <= math.ceil(len(text) / 4096) + 1
    assert all(len(c.text) > 4096 - 20 for c in chunks[:-1])  # greedy: every request is full
    assert all(c.boundary is Boundary.CLAUSE for c in chunks[:-1])


def test_overlong_word_names_the_chapter() -> None:
    chapter = _chapter(("Before. " + "x" * 20_000, 0, E), index=2)
    with pytest.raises(ManuscriptError, match="20000 characters") as err:
        pack_chunks(chapter, 4096, by_paragraph=False, source="book.txt")
    assert err.value.chapter == "Storm"
    assert err.value.path == "book.txt"
    assert "book.txt:7 (chapter 'Storm')" in str(err.value)


def test_spoken_form_expands_and_ends_titles() -> None:
    chapter = _chapter(("CHAPTER I", 0, P), ("Mr. Smith left.", 1, E))
    (chunk,) = pack_chunks(chapter, 100, by_paragraph=False)
    assert chunk.text == "CHAPTER I Mr. Smith left."
    assert chunk.spoken == "Chapter One. Mister Smith left."


def test_verse_line_ends_pause_with_a_comma() -> None:
    C = Boundary.CLAUSE
    chapter = _chapter(
        ("Twinkle, twinkle, little star", 0, C),
        ("How I wonder what you are!", 0, C),
        ("Up above the world so high,", 0, C),
        ("Like a diamond in the sky", 0, E),
    )
    (chunk,) = pack_chunks(chapter, 200, by_paragraph=False)
    assert chunk.text == (
        "Twinkle, twinkle, little star How I wonder what you are! "
        "Up above the world so high, Like a diamond in the sky"
    )
    assert chunk.spoken == (
        "Twinkle, twinkle, little star, How I wonder what you are! "
        "Up above the world so high, Like a diamond in the sky."
    )


def test_a_long_sentence_cut_at_words_gets_no_commas() -> None:
    text = " ".join(f"word{i}" for i in range(40))
    chunks = pack_chunks(_chapter((text, 0, E)), 60, by_paragraph=False)
    assert len(chunks) > 1
    assert all("," not in c.spoken for c in chunks)
    assert chunks[-1].spoken.endswith("word39.")


def test_pieces_are_sized_by_their_spoken_form() -> None:
    chapter = _chapter(("See https://a.b/c/d/e.", 0, S), ("Ok.", 0, E))
    chunks = pack_chunks(chapter, 26, by_paragraph=False)
    # 26 characters as written, but the spoken URL is longer: two requests.
    assert [c.text for c in chunks] == ["See https://a.b/c/d/e.", "Ok."]
    assert all(len(c.spoken) <= 26 for c in chunks[1:])


_WORDS = ["a", "tern", "gull's", "lighthouse", "keeper,", "storm;", "—", "Mr.", "x" * 30]


@pytest.mark.parametrize("seed", range(200))
def test_invariants_on_generated_chapters(seed: int) -> None:
    rng = random.Random(seed)
    items = []
    paragraph = 0
    for _ in range(rng.randint(1, 25)):
        words = rng.choices(_WORDS, k=rng.randint(1, 40))
        boundary = rng.choice([S, S, S, P, SC])
        items.append((" ".join(words) + ".", paragraph, boundary))
        paragraph += boundary is not S
    items[-1] = (items[-1][0], items[-1][1], E)
    chapter = _chapter(*items)
    max_chars = rng.randint(40, 300)
    by_paragraph = rng.random() < 0.5
    chunks = pack_chunks(chapter, max_chars, by_paragraph=by_paragraph)
    _check_invariants(chapter, chunks, max_chars)
    # Hard breaks end a chunk; a sentence is only split when it is too long.
    hard = {SC, E} | ({P} if by_paragraph else set())
    ends = [c.text for c in chunks if c.boundary in hard]
    breaks = [s.text for s in chapter.sentences if s.boundary in hard]
    assert len(ends) == len(breaks)
    for end, sentence in zip(ends, breaks, strict=True):
        assert sentence.endswith(end) or end.endswith(sentence)
    for sentence in chapter.sentences:
        if len(sentence.text) <= max_chars:
            assert any(sentence.text in c.text for c in chunks)
