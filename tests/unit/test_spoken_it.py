"""Italian: what the engine is sent and the words verification compares."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # dates and years
        ("Il 2 ottobre 1872", "Il due ottobre milleottocentosettantadue"),
        ("1 maggio", "primo maggio"),
        ("1° maggio", "primo maggio"),
        ("nel 2024", "nel duemilaventiquattro"),
        # ordinals and Roman numerals
        ("Luigi XIV e Pio XII", "Luigi quattordicesimo e Pio dodicesimo"),
        ("Elisabetta II", "Elisabetta seconda"),
        ("Capitolo IV", "Capitolo quarto"),
        ("Atto I, Scena II", "Atto primo, Scena seconda"),
        ("XIX secolo", "diciannovesimo secolo"),
        ("il secolo XIX", "il secolo diciannovesimo"),
        ("il 2° posto, la 3ª volta", "il secondo posto, la terza volta"),
        # decimals, thousands, percentages
        ("3,14", "tre virgola quattordici"),
        ("1.500 uomini", "millecinquecento uomini"),
        ("50 %", "cinquanta per cento"),
        ("21 anni", "ventuno anni"),
        # money
        ("15 €", "quindici euro"),
        ("1 €", "un euro"),
        ("£1", "una sterlina"),
        ("2,50 €", "due euro e cinquanta centesimi"),
        # abbreviations
        (
            "Sig. Rossi, Sig.ra Bianchi, Sig.na Verdi, Dott. Neri, Dott.ssa Gialli",
            "Signor Rossi, Signora Bianchi, Signorina Verdi, Dottor Neri, Dottoressa Gialli",
        ),
        ("n. 5, pag. 3", "numero cinque, pagina tre"),
        ("ecc. Poi", "eccetera. Poi"),
        ("nel 44 a.C.", "nel quarantaquattro avanti Cristo."),
        ("alle 8.30 e ore 14.05", "alle otto e trenta e ore quattordici e cinque"),
        ("pagine 12-15", "pagine dodici-quindici"),
        # times and degrees
        ("alle 14:30", "alle quattordici e trenta"),
        ("20 °C", "venti gradi Celsius"),
    ],
)
def test_spoken_form_it(text: str, spoken: str) -> None:
    assert spoken_form(text, language="it") == spoken


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("L'uomo è qui.", ["l", "uomo", "è", "qui"]),
        ("Nel 1872.", ["nel", "milleottocentosettantadue"]),
        ("«Perché?»", ["perché"]),
    ],
)
def test_normalize_words_it(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="it") == words
