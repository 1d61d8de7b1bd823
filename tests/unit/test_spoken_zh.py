"""Mandarin Chinese: what the engine is sent and the characters verification compares."""

from __future__ import annotations

import pytest

from narrator.text.normalize import normalize_words, spoken_form


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # years and dates: a year is read digit by digit
        ("2024年", "二零二四年"),
        ("1872年10月2日", "一八七二年十月二日"),
        # cardinals, thousands, decimals
        ("他有12个苹果", "他有十二个苹果"),
        ("1500", "一千五百"),
        ("价格是1,500元", "价格是一千五百元"),
        ("3.5", "三点五"),
        ("0.5", "零点五"),
        ("第3章", "第三章"),
        ("1/2", "二分之一"),
        # percentages
        ("50%", "百分之五十"),
        ("50 %", "百分之五十"),
        ("增长了50%，价格3.5元", "增长了百分之五十，价格三点五元"),
        # money
        ("¥300", "三百元"),
        ("$5", "五美元"),
        ("€20", "二十欧元"),
        # times and Latin words
        ("下午3:30", "下午三点三十分"),
        ("iPhone 15很贵", "iPhone 十五很贵"),
    ],
)
def test_spoken_form_zh(text: str, spoken: str) -> None:
    assert spoken_form(text, language="zh") == spoken


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("“你好，”他说。", ["你", "好", "他", "说"]),
        ("2024年", ["二", "零", "二", "四", "年"]),
        ("iPhone很贵！", ["iphone", "很", "贵"]),
        ("《红楼梦》", ["红", "楼", "梦"]),
    ],
)
def test_normalize_words_zh(text: str, words: list[str]) -> None:
    assert normalize_words(text, language="zh-Hans") == words


def test_digits_and_numerals_compare_equal_zh() -> None:
    assert normalize_words("价格1500元", language="zh") == normalize_words(
        "价格一千五百元", language="zh"
    )
