"""French: what the engine is sent and the words verification compares."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form
from narrator.text.spoken import to_spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # dates and years
        (
            "Le 2 octobre 1872, M. Fogg partit.",
            "Le deux octobre mille huit cent soixante-douze, Monsieur Fogg partit.",
        ),
        ("Le 1er janvier 1900", "Le premier janvier mille neuf cents"),
        ("le 1 janvier", "le premier janvier"),
        ("en 1492", "en mille quatre cent quatre-vingt-douze"),
        # ordinals and Roman numerals
        (
            "Au XIXe siècle, Louis XIV et François Ier.",
            "Au dix-neuvième siècle, Louis quatorze et François premier.",
        ),
        ("la 2e fois, la 1re fois", "la deuxième fois, la première fois"),
        ("le 2nd acte", "le second acte"),
        ("Chapitre II", "Chapitre deux"),
        ("CHAPITRE IV. Le retour", "Chapitre quatre. Le retour"),
        ("Napoléon III", "Napoléon trois"),
        ("Mme X est venue.", "Madame X est venue."),
        # decimals, thousands, percentages
        ("3,14", "trois virgule quatorze"),
        ("3,05", "trois virgule zéro cinq"),
        ("1 500 hommes", "mille cinq cents hommes"),
        ("1\u00a0500 hommes", "mille cinq cents hommes"),
        ("1\u202f500 hommes", "mille cinq cents hommes"),
        ("50 %", "cinquante pour cent"),
        ("71 ans", "soixante et onze ans"),
        ("21 ans", "vingt et un ans"),
        # money
        ("15 €", "quinze euros"),
        ("€15", "quinze euros"),
        ("15,50 €", "quinze euros et cinquante centimes"),
        ("1 000 000 €", "un million d'euros"),
        ("£1", "une livre"),
        ("100 francs", "cent francs"),
        # abbreviations
        (
            "Mme Dupont et Mlle Martin, Dr Roux",
            "Madame Dupont et Mademoiselle Martin, Docteur Roux",
        ),
        ("n° 5, p. 12", "numéro cinq, page douze"),
        ("pommes, etc., poires", "pommes, et cetera, poires"),
        ("etc. Puis", "et cetera. Puis"),
        ("en 52 av. J.-C.", "en cinquante-deux avant Jésus-Christ."),
        ("en 52 av. J.-C., César", "en cinquante-deux avant Jésus-Christ, César"),
        ("M. et Mme Thénardier", "Monsieur et Madame Thénardier"),
        # English quoted in French keeps its pronoun
        ("« Then I said no. »", "« Then I said no. »"),
        # ranges
        ("pages 12-15", "pages douze à quinze"),
        ("score 3-0", "score trois-zéro"),
        # times and degrees
        ("à 14h30", "à quatorze heures trente"),
        ("à 1 h", "à une heure"),
        ("à 14:05", "à quatorze heures cinq"),
        ("20 °C", "vingt degrés Celsius"),
    ],
)
def test_spoken_form_fr(text: str, spoken: str) -> None:
    assert spoken_form(text, language="fr") == spoken


def test_to_spoken_fr_has_no_english_words() -> None:
    spoken = to_spoken("1. M. Dupont, etc. Puis il paya 1 500 € à 14h30.", language="fr-FR")
    assert spoken == (
        "un, Monsieur Dupont, et cetera. Puis il paya mille cinq cents euros à quatorze "
        "heures trente."
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("L'homme « vraiment » là !", ["l", "homme", "vraiment", "là"]),
        ("Né en 1872.", ["né", "en", "mille", "huit", "cent", "soixante", "douze"]),
        ("vingt-et-un", ["vingt", "et", "un"]),
        ("M. Été", ["monsieur", "été"]),
        ("aujourd’hui", ["aujourd", "hui"]),
    ],
)
def test_normalize_words_fr(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="fr") == words


def test_digits_and_words_compare_equal_fr() -> None:
    book = "Il avait 21 ans en 1872."
    heard = "Il avait vingt-et-un ans en mille huit cent soixante-douze."
    assert normalize_words(book, language="fr") == normalize_words(heard, language="fr")
