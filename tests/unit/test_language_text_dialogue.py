"""Dialogue marks of other languages: guillemets, low quotes, corner brackets and the
dialogue dash of French, Spanish, Italian and Portuguese novels."""

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
        # guillemets, with French inner spaces (plain or no-break) or without
        ("« Je viens de Londres ! » dit Passepartout.", ["« Je viens de Londres ! »"]),
        ("«\u00a0Bien,\u00a0» répondit Fogg.", ["«\u00a0Bien,\u00a0»"]),
        ("«\u202fBien\u202f» répondit Fogg.", ["«\u202fBien\u202f»"]),
        ("«Che cosa vuoi?» disse il falegname.", ["«Che cosa vuoi?»"]),
        # a quotation inside a quotation
        ("« Il m'a dit « non » hier », avoua-t-elle.", ["« Il m'a dit « non » hier »"]),
        # left open, it runs to the paragraph's end
        ("« Et le voyage continua", ["« Et le voyage continua"]),
        # German low quotes, closed by “ (or ” in Polish and Romanian)
        ("„Guten Tag“, sagte er.", ["„Guten Tag“"]),
        ("„Dzień dobry” — powiedział.", ["„Dzień dobry”"]),
        # Japanese and Chinese corner brackets, and Chinese curly quotes
        ("「行こう。」と言った。", ["「行こう。」"]),
        ("『吾輩は猫である』と「坊っちゃん」", ["『吾輩は猫である』", "「坊っちゃん」"]),
        ("「『はい』と言え。」", ["「『はい』と言え。」"]),
        ("“你好。”他说。", ["“你好。”"]),
    ],
)
def test_quotation_marks_of_other_languages(text: str, quoted: list[str]) -> None:
    assert _quoted(text) == quoted


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        # French: the whole paragraph is speech; an aside without dashes is not marked
        ("— Bonjour, dit-il.", [("— Bonjour, dit-il.", True)]),
        ("– Partons, fit Aouda.", [("– Partons, fit Aouda.", True)]),
        # Spanish: the aside between dashes is narration; the speech resumes after it
        (
            "—Hola —dijo Pedro—. ¿Qué tal?",
            [("—Hola", True), ("—dijo Pedro—.", False), ("¿Qué tal?", True)],
        ),
        (
            "―¿Vienes? ―preguntó el Sr. Pérez―. Vamos ya.",
            [("―¿Vienes?", True), ("―preguntó el Sr. Pérez―.", False), ("Vamos ya.", True)],
        ),
        # an aside that no dash closes runs to the end
        ("—Ya voy —respondió Rosarito.", [("—Ya voy", True), ("—respondió Rosarito.", False)]),
        # French asides set off by dashes
        (
            "— Bonjour, — dit-il, — comment allez-vous ?",
            [("— Bonjour,", True), ("— dit-il, —", False), ("comment allez-vous ?", True)],
        ),
        # a dash inside a word or a number is no aside
        ("— C'était en 1914–1918, dit-il.", [("— C'était en 1914–1918, dit-il.", True)]),
        # Portuguese (Machado de Assis)
        ("— Que é isso? perguntou a mulher.", [("— Que é isso? perguntou a mulher.", True)]),
    ],
)
def test_a_paragraph_opened_by_a_dash_is_dialogue(
    text: str, pieces: list[tuple[str, bool]]
) -> None:
    assert split_quotes(text, quote_spans(text)) == pieces


@pytest.mark.parametrize(
    "text",
    [
        "He wrote — slowly — a letter.",  # a dash that does not open the paragraph
        "Il partit — sans un mot — vers la gare.",
    ],
)
def test_a_dash_inside_a_paragraph_is_no_dialogue(text: str) -> None:
    assert quote_spans(text) == []


def test_the_packer_gives_dash_dialogue_its_voice() -> None:
    sentences = (
        Sentence(text="Pedro entró.", paragraph=0, boundary=Boundary.PARAGRAPH),
        Sentence(text="—Hola —dijo Pedro—.", paragraph=1, boundary=Boundary.SENTENCE),
        Sentence(text="¿Qué tal?", paragraph=1, boundary=Boundary.END),
    )
    chapter = Chapter(index=1, title=None, line=1, sentences=sentences)
    chunks = pack_chunks(chapter, 450, by_paragraph=False, dialogue_voice="em_alex", language="es")
    assert [(c.text, c.voice) for c in chunks] == [
        ("Pedro entró.", None),
        ("—Hola", "em_alex"),
        ("—dijo Pedro—.", None),
        ("¿Qué tal?", "em_alex"),
    ]


def test_the_packer_gives_corner_bracket_dialogue_its_voice_without_spaces() -> None:
    sentences = (
        Sentence(text="「行こう。」と言った。", paragraph=0, boundary=Boundary.SENTENCE),
        Sentence(text="「はい。」", paragraph=0, boundary=Boundary.END),
    )
    chapter = Chapter(index=1, title=None, line=1, sentences=sentences)
    chunks = pack_chunks(chapter, 450, by_paragraph=False, dialogue_voice="jm_kumo", language="ja")
    assert [(c.text, c.voice) for c in chunks] == [
        ("「行こう。」", "jm_kumo"),
        ("と言った。", None),
        ("「はい。」", "jm_kumo"),
    ]
