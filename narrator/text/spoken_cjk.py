"""Text as it is said in Mandarin Chinese and Japanese.

Mandarin: every number becomes Chinese numerals with cn2an 0.5 (locked with misaki[zh],
whose G2P runs the same ``cn2an.transform(text, "an2cn")``): "2024年" -> "二零二四年"
(a year digit by digit), "3.5" -> "三点五", "50%" -> "百分之五十", "1500" -> "一千五百".
cn2an reads "1,500" as "一,五百" and leaves "50 %" and "¥300" half done, so grouping
commas, the space before % and currency symbols are settled first ("¥300" -> "300元").

Japanese: digits stay digits. pyopenjtalk (misaki's Japanese G2P) reads them with the
right counter readings ("1872年" -> センハッピャクナナジューニネン, "2日" -> フツカ,
"1,500人" -> センゴヒャクニン, "50%" -> ゴジュッパーセント; checked with
``pyopenjtalk.g2p(text, kana=True)``), which kanji numerals would not improve. Only a
currency sign before the number is moved after it ("¥300" is read "en sanbyaku"
otherwise, by ``ja.JAG2P(version="pyopenjtalk")``): "¥300" -> "300円", "$5" -> "5ドル".
"""

from __future__ import annotations

import re

import cn2an

_GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")
_PERCENT = re.compile(r"(\d)\s+[%％]")
_TIME_ZH = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
_CURRENCY = r"[¥￥$＄€£]"
_MONEY = re.compile(rf"({_CURRENCY})\s?(\d+(?:\.\d+)?)")
_ZH_CURRENCIES = {"¥": "元", "￥": "元", "$": "美元", "＄": "美元", "€": "欧元", "£": "英镑"}
_JA_CURRENCIES = {"¥": "円", "￥": "円", "$": "ドル", "＄": "ドル", "€": "ユーロ", "£": "ポンド"}


def _settle(text: str, currencies: dict[str, str]) -> str:
    text = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _PERCENT.sub(r"\1%", text)
    return _MONEY.sub(lambda m: m.group(2) + currencies[m.group(1)], text)


def spoken_form_zh(text: str) -> str:
    """``text`` with numbers, years, decimals, percentages, times and money in Chinese
    numerals and words."""
    text = _settle(text, _ZH_CURRENCIES)
    text = _TIME_ZH.sub(lambda m: f"{int(m.group(1))}点{int(m.group(2))}分", text)
    return " ".join(cn2an.transform(text, "an2cn").split())


def spoken_form_ja(text: str) -> str:
    """``text`` with currency signs after their numbers and grouping commas gone; digits
    are left for pyopenjtalk, which reads them right."""
    return " ".join(_settle(text, _JA_CURRENCIES).split())
