"""Portuguese (Brazilian unless pt-PT): what the engine is sent and the words compared."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # dates and years
        (
            "Em 7 de setembro de 1822",
            "Em sete de setembro de mil oitocentos e vinte e dois",
        ),
        ("1872", "mil oitocentos e setenta e dois"),
        ("1º de janeiro", "primeiro de janeiro"),
        ("1 de janeiro", "primeiro de janeiro"),
        ("16 pessoas", "dezesseis pessoas"),
        # ordinals and Roman numerals
        (
            "D. Pedro II e Luís XIV, Bento XVI",
            "Dom Pedro segundo e Luís catorze, Bento dezesseis",
        ),
        ("D. Maria I", "Dona Maria primeira"),
        ("Capítulo IV", "Capítulo quatro"),
        ("século XIX", "século dezenove"),
        ("o 1º e a 2ª", "o primeiro e a segunda"),
        # decimals, thousands, percentages
        ("3,14", "três vírgula catorze"),
        ("1.500 soldados", "mil e quinhentos soldados"),
        ("50 %", "cinquenta por cento"),
        # money
        ("R$ 20,50", "vinte reais e cinquenta centavos"),
        ("R$ 1,00", "um real"),
        ("R$ 2", "dois reais"),
        ("€15", "quinze euros"),
        ("£200", "duzentas libras"),
        # abbreviations
        ("Sr. Silva e Sra. Souza, Dr. Lima", "Senhor Silva e Senhora Souza, Doutor Lima"),
        ("nº 5, n.º 7", "número cinco, número sete"),
        ("etc. Depois", "etcétera. Depois"),
        ("em 1939–1945", "em mil novecentos e trinta e nove a mil novecentos e quarenta e cinco"),
        # times
        ("às 14h30", "às catorze horas e trinta"),
        ("à 1h", "à uma hora"),
    ],
)
def test_spoken_form_pt_br(text: str, spoken: str) -> None:
    assert spoken_form(text, language="pt-BR") == spoken


def test_european_portuguese_numbers() -> None:
    assert spoken_form("16 pessoas", language="pt-PT") == "dezasseis pessoas"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Não, senhor!", ["não", "senhor"]),
        ("Em 1822.", ["em", "mil", "oitocentos", "e", "vinte", "e", "dois"]),
        ("d'água", ["d", "água"]),
    ],
)
def test_normalize_words_pt(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="pt-BR") == words
