"""Japanese: what the engine is sent and the characters verification compares.

Digits stay digits for the engine: pyopenjtalk reads them with the right counters."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # years, dates, cardinals, decimals, percentages: left for pyopenjtalk
        ("1872年に生まれた。", "1872年に生まれた。"),
        ("2024年10月2日", "2024年10月2日"),
        ("3.5倍", "3.5倍"),
        ("50%", "50%"),
        ("第3章", "第3章"),
        ("12人", "12人"),
        # thousands separators and spaces before % go
        ("1,500人", "1500人"),
        ("1,000,000円", "1000000円"),
        ("50 %", "50%"),
        # money: the sign goes after the number, as it is said
        ("¥300です", "300円です"),
        ("￥300", "300円"),
        ("$5", "5ドル"),
        ("€20", "20ユーロ"),
        ("£3", "3ポンド"),
        ("¥1,500", "1500円"),
    ],
)
def test_spoken_form_ja(text: str, spoken: str) -> None:
    assert spoken_form(text, language="ja") == spoken


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("「こんにちは」", ["こ", "ん", "に", "ち", "は"]),
        ("1872年。", ["千", "八", "百", "七", "十", "二", "年"]),
        ("3.5倍", ["三", "点", "五", "倍"]),
        ("東京タワー、々", ["東", "京", "タ", "ワ", "ー", "々"]),
    ],
)
def test_normalize_words_ja(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="ja") == words


def test_digits_and_kanji_numerals_compare_equal_ja() -> None:
    assert normalize_words("1872年", language="ja") == normalize_words(
        "千八百七十二年", language="ja"
    )
