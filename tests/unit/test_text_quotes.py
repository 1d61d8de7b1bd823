"""Quoted speech: which quote marks open and close a quotation, and which are apostrophes;
the packer keeps narration and dialogue in separate chunks."""

from __future__ import annotations

import pytest

from narrator.models import Boundary, Chapter, Sentence
from narrator.text import pack_chunks
from narrator.text.quotes import quote_spans, split_quotes


def _quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"Is anyone there?" she called.', ['"Is anyone there?"']),
        ("“Come here,” he said. “Now.”", ["“Come here,”", "“Now.”"]),
        ("‘No,’ she replied.", ["‘No,’"]),
        ("'I don't know,' she said.", ["'I don't know,'"]),
        ("'It's five o'clock,' he said.", ["'It's five o'clock,'"]),
        ("'The dogs' bowls are empty,' said Jane.", ["'The dogs' bowls are empty,'"]),
        ("‘We sailed in the ’90s,’ she said.", ["‘We sailed in the ’90s,’"]),
        ("He said 'yes' and left.", ["'yes'"]),
    ],
)
def test_quotations_are_found_with_their_marks(text: str, quoted: list[str]) -> None:
    assert _quoted(text) == quoted


@pytest.mark.parametrize(
    "text",
    [
        "'Tis the season, and don't we know it.",
        "He fed the dogs' bowls at six o'clock.",
        "They'd 'em all by 'round noon in the '90s.",
        "The Joneses' house stood empty; the sailors' wives waited.",
    ],
)
def test_apostrophes_are_not_quotations(text: str) -> None:
    assert quote_spans(text) == []


def test_a_double_quotation_left_open_runs_to_the_paragraph_end() -> None:
    text = '"It went on and on. Nobody stopped it.'
    assert _quoted(text) == [text]


def test_split_quotes_cuts_a_sentence_and_keeps_trailing_punctuation_with_its_piece() -> None:
    text = 'He said "no". Then "yes," she said.'
    assert split_quotes(text, quote_spans(text)) == [
        ("He said", False),
        ('"no".', True),
        ("Then", False),
        ('"yes,"', True),
        ("she said.", False),
    ]


def _chapter(*paragraphs: list[str]) -> Chapter:
    sentences = []
    for p, paragraph in enumerate(paragraphs):
        for k, text in enumerate(paragraph):
            last = k == len(paragraph) - 1
            end = Boundary.END if last and p == len(paragraphs) - 1 else Boundary.PARAGRAPH
            sentences.append(
                Sentence(text=text, paragraph=p, boundary=end if last else Boundary.SENTENCE)
            )
    return Chapter(index=1, title=None, line=1, sentences=tuple(sentences))


def test_the_packer_never_mixes_narration_and_dialogue_in_a_chunk() -> None:
    chapter = _chapter(
        ["The keeper climbed the stairs.", '"Is anyone there?" she called.', "Nobody came."],
        ['"Come in.', 'Sit down," he said. "You must be cold."'],
    )
    chunks = pack_chunks(chapter, 450, by_paragraph=False, dialogue_voice="am_michael")
    assert [(c.text, c.voice) for c in chunks] == [
        ("The keeper climbed the stairs.", None),
        ('"Is anyone there?"', "am_michael"),
        ("she called. Nobody came.", None),
        # A quotation over two sentences is one piece of dialogue.
        ('"Come in. Sit down,"', "am_michael"),
        ("he said.", None),
        ('"You must be cold."', "am_michael"),
    ]
    # The pause inside a sentence, between its quoted and narrated parts, is a clause's.
    assert chunks[1].boundary is Boundary.CLAUSE
    assert chunks[-1].boundary is Boundary.END
    assert " ".join(c.text for c in chunks) == " ".join(s.text for s in chapter.sentences)


def test_without_a_dialogue_voice_quotations_stay_in_the_narration() -> None:
    chapter = _chapter(['"Is anyone there?" she called.', "Nobody came."])
    chunks = pack_chunks(chapter, 450, by_paragraph=False)
    assert [(c.text, c.voice) for c in chunks] == [
        ('"Is anyone there?" she called. Nobody came.', None)
    ]
