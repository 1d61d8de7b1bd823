"""Packing Chinese and Japanese into chunks: no spaces between sentences, the character
limit kept, a long sentence cut at 、，；： then between characters."""

from __future__ import annotations

import pytest

from narrator.errors import ManuscriptError
from narrator.models import Boundary, Chapter, Sentence
from narrator.text import pack_chunks
from narrator.text.chunking import split_text
from narrator.text.sentences import split_sentences

# Lu Xun, "From the Hundred-Plant Garden to the Three-Flavour Study" (1926).
_ZH = (
    "我家的后面有一个很大的园，相传叫作百草园。现在是早已并屋子一起卖给朱文公的子孙了，"
    "连那最末次的相见也已经隔了七八年，其中似乎确凿只有一些野草；但那时却是我的乐园。"
)
# Natsume Sōseki, "I Am a Cat" (1905).
_JA = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"
    "何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。"
)


def _chapter(text: str, language: str) -> Chapter:
    parts = split_sentences(text, language=language)
    sentences = tuple(
        Sentence(
            text=s,
            paragraph=0,
            boundary=Boundary.END if k == len(parts) - 1 else Boundary.SENTENCE,
        )
        for k, s in enumerate(parts)
    )
    return Chapter(index=1, title="第一章", line=1, sentences=sentences)


@pytest.mark.parametrize(("text", "language"), [(_ZH, "zh"), (_JA, "ja")])
@pytest.mark.parametrize("max_chars", [400, 40, 25, 12, 5, 1])
def test_unspaced_chunks_join_without_spaces_and_keep_the_limit(
    text: str, language: str, max_chars: int
) -> None:
    chunks = pack_chunks(_chapter(text, language), max_chars, by_paragraph=False, language=language)
    assert "".join(c.text for c in chunks) == text
    assert all(" " not in c.text for c in chunks)
    assert all(len(c.text) <= max_chars for c in chunks)
    assert split_text(text, max_chars, language=language) == [c.text for c in chunks]


def test_sentences_share_a_chunk_without_a_space() -> None:
    chunks = pack_chunks(_chapter(_JA, "ja"), 400, by_paragraph=False, language="ja")
    assert [c.text for c in chunks] == [_JA]


def test_a_long_sentence_is_cut_after_clause_marks_first() -> None:
    sentence = "连那最末次的相见也已经隔了七八年，其中似乎确凿只有一些野草；但那时却是我的乐园。"
    assert split_text(sentence, 30, language="zh") == [
        "连那最末次的相见也已经隔了七八年，其中似乎确凿只有一些野草；",
        "但那时却是我的乐园。",
    ]


def test_an_unpunctuated_heading_gets_a_chinese_full_stop() -> None:
    chapter = Chapter(
        index=1,
        title="第一章",
        line=1,
        sentences=(
            Sentence(text="第一章", paragraph=0, boundary=Boundary.PARAGRAPH),
            Sentence(text="我家的后面有一个很大的园。", paragraph=1, boundary=Boundary.END),
        ),
    )
    (chunk,) = pack_chunks(chapter, 400, by_paragraph=False, language="zh")
    assert chunk.text == "第一章我家的后面有一个很大的园。"
    assert chunk.spoken.startswith("第一章。")


def test_a_spaced_language_is_still_never_cut_inside_a_word() -> None:
    text = "Phileas Fogg était un homme énigmatique dont on ne savait rien"
    pieces = split_text(text, 12, language="fr")
    assert " ".join(pieces) == text
    assert all(piece in text.split() or " " in piece for piece in pieces)
    with pytest.raises(ManuscriptError):
        split_text("anticonstitutionnellement", 12, language="fr")
