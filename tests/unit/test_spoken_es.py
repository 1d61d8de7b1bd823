"""Spanish: what the engine is sent and the words verification compares."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # dates and years
        ("El 3 de mayo de 1808", "El tres de mayo de mil ochocientos ocho"),
        ("1872", "mil ochocientos setenta y dos"),
        ("21000 personas", "veintiún mil personas"),
        ("21 años", "veintiún años"),
        ("el 1 de mayo", "el uno de mayo"),
        # ordinals and Roman numerals
        (
            "Felipe II e Isabel II, Alfonso XIII",
            "Felipe segundo e Isabel segunda, Alfonso trece",
        ),
        ("Alfonso X", "Alfonso décimo"),
        ("Capítulo IV", "Capítulo cuatro"),
        ("CAPÍTULO I. El hidalgo", "Capítulo uno. El hidalgo"),
        ("el siglo XIX", "el siglo diecinueve"),
        ("el 1.º y la 2.ª", "el primero y la segunda"),
        ("el 1.er piso, el 3.er día", "el primer piso, el tercer día"),
        ("el 11.º", "el undécimo"),
        # decimals, thousands, percentages
        ("3,14", "tres coma catorce"),
        ("1.500 soldados", "mil quinientos soldados"),
        ("1.500.000", "un millón quinientos mil"),
        ("2.5 metros", "dos punto cinco metros"),
        ("50 %", "cincuenta por ciento"),
        # money
        ("15 €", "quince euros"),
        ("21 €", "veintiún euros"),
        ("$1", "un dólar"),
        ("£200", "doscientas libras"),
        ("R$ 20,50", "veinte reales con cincuenta centavos"),
        ("₹500", "quinientas rupias"),
        ("¥300", "trescientos yenes"),
        # abbreviations
        (
            "Sr. García y Sra. López, Dr. Ruiz",
            "Señor García y Señora López, Doctor Ruiz",
        ),
        ("nº 5, n.º 7, núm. 3", "número cinco, número siete, número tres"),
        ("pág. 12", "página doce"),
        ("etc. Luego", "etcétera. Luego"),
        ("los EE. UU.", "los Estados Unidos."),
        ("en 711 d. C. llegaron", "en setecientos once después de Cristo llegaron"),
        ("Felipe I fue rey. Felipe I, rey.", "Felipe I fue rey. Felipe primero, rey."),
        ("de 1936-1939", "de mil novecientos treinta y seis a mil novecientos treinta y nueve"),
        ("ganó 3-0", "ganó tres-cero"),
        # times
        ("a las 7:05", "a las siete y cinco"),
        ("a la 1:30", "a la una y treinta"),
    ],
)
def test_spoken_form_es(text: str, spoken: str) -> None:
    assert spoken_form(text, language="es") == spoken


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("¿Qué pasó, señor?", ["qué", "pasó", "señor"]),
        ("«Sí», dijo él.", ["sí", "dijo", "él"]),
        ("En 1808.", ["en", "mil", "ochocientos", "ocho"]),
        ("Sr. Núñez", ["señor", "núñez"]),
    ],
)
def test_normalize_words_es(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="es") == words


def test_digits_and_words_compare_equal_es() -> None:
    book = "Costó 1.500 pesos en 1808."
    heard = "Costó mil quinientos pesos en mil ochocientos ocho."
    assert normalize_words(book, language="es") == normalize_words(heard, language="es")
