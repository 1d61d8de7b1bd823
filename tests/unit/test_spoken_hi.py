"""Hindi: what the engine is sent and the words verification compares."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form
from narrator.text.numbers_hi import UNITS, cardinal


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # years and dates
        ("सन 1947 में", "सन उन्नीस सौ सैंतालीस में"),
        ("१८७२ में", "अठारह सौ बहत्तर में"),
        ("2024 में", "दो हज़ार चौबीस में"),
        ("15 अगस्त 1947", "पंद्रह अगस्त उन्नीस सौ सैंतालीस"),
        # cardinals, thousands (Indian and Western grouping), decimals
        ("12 लोग", "बारह लोग"),
        ("99", "निन्यानबे"),
        ("1,872", "एक हज़ार आठ सौ बहत्तर"),
        ("1,00,000", "एक लाख"),
        ("12345678", "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर"),
        ("३.५ किलो", "तीन दशमलव पाँच किलो"),
        ("3.14", "तीन दशमलव एक चार"),
        # money and percentages
        ("₹500 दिए", "पाँच सौ रुपये दिए"),
        ("₹1", "एक रुपया"),
        ("रु. 20.50", "बीस रुपये पचास पैसे"),
        ("Rs. 1,00,000", "एक लाख रुपये"),
        ("$5", "पाँच डॉलर"),
        ("50% लोग", "पचास प्रतिशत लोग"),
        # times, abbreviations, Roman numerals after a heading word
        ("10:30 बजे", "दस बजकर तीस मिनट"),
        ("सुबह 7:00 बजे उठा", "सुबह सात बजे उठा"),
        ("डॉ. शर्मा", "डॉक्टर शर्मा"),
        ("326 ई.पू.", "तीन सौ छब्बीस ईसा पूर्व"),
        ("अध्याय IV", "अध्याय चार"),
    ],
)
def test_spoken_form_hi(text: str, spoken: str) -> None:
    assert spoken_form(text, language="hi") == spoken


def test_every_number_below_a_hundred_has_its_own_word() -> None:
    assert len(UNITS) == 100
    assert len(set(UNITS)) == 100
    assert cardinal(100) == "एक सौ"
    assert cardinal(101) == "एक सौ एक"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("पाँच हज़ार रुपये।", ["पांच", "हजार", "रुपये"]),
        ("सन 1947 में!", ["सन", "उन्नीस", "सौ", "सैंतालीस", "में"]),
        ("“हाँ,” उसने कहा॥", ["हां", "उसने", "कहा"]),
    ],
)
def test_normalize_words_hi(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="hi") == words


def test_devanagari_and_arabic_digits_compare_equal() -> None:
    assert normalize_words("१९४७", language="hi") == normalize_words("1947", language="hi")
