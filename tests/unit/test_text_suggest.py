"""`narrate lexicon suggest`'s choice of words likely to be mispronounced."""

from __future__ import annotations

from narrator.text.lexicon import Lexicon
from narrator.text.suggest import DIGITS, NAME, NOT_IN_DICTIONARY, SPELLING, suggest_in

SENTENCES = [
    ("Chapter One: The Crossing", True),
    ("Aelthwyn met Hollis at the harbour on Tuesday.", False),
    ("Then Aelthwyn gave R2D2 to Xyl'thar.", False),
    ("Aelthwyn laughed; the Crossing was calm.", False),
    ("The crossing was long and Zoë slept.", False),
]


def by_word(lexicon: Lexicon | None = None) -> dict[str, tuple[int, tuple[str, ...]]]:
    return {s.word: (s.count, s.reasons) for s in suggest_in(SENTENCES, lexicon)}


def test_invented_names_digits_and_odd_spellings_are_suggested() -> None:
    words = by_word()
    assert words["Aelthwyn"] == (3, (NOT_IN_DICTIONARY, NAME))
    assert words["R2D2"] == (1, (DIGITS,))
    assert words["Xyl'thar"] == (1, (NOT_IN_DICTIONARY, SPELLING, NAME))
    assert words["Zoë"] == (1, (NOT_IN_DICTIONARY, SPELLING, NAME))
    assert words["Hollis"] == (1, (NAME,))  # in the dictionary, but a name


def test_ordinary_words_days_titles_and_sentence_starts_are_not() -> None:
    words = by_word()
    # "Crossing" is capitalised only in a title and mid-sentence once, and written in
    # lower case elsewhere; "Tuesday" is a day; "Then" starts its sentence.
    for word in ("Crossing", "crossing", "Tuesday", "Then", "harbour", "Chapter", "The"):
        assert word not in words


def test_most_frequent_first() -> None:
    assert next(iter(by_word())) == "Aelthwyn"


def test_words_in_the_lexicon_are_not_suggested() -> None:
    lexicon = Lexicon(entries=(("Aelthwyn", "AYL-thwin"),))
    words = by_word(lexicon)
    assert "Aelthwyn" not in words and "AYL" not in words and "thwin" not in words
    assert "Zoë" in words


def test_other_languages_get_names_and_digits_without_a_dictionary() -> None:
    sentences = [
        ("Le vieux marin regardait Kerbrat et le R2D2 du navire.", False),
        ("Puis Kerbrat partit.", False),
    ]
    found = {s.word: s.reasons for s in suggest_in(sentences, language="fr")}
    # French words are not "not in the CMU dictionary", nor oddly spelled English
    assert found == {"Kerbrat": (NAME,), "R2D2": (DIGITS,)}


def test_chinese_and_japanese_get_no_suggestions() -> None:
    assert suggest_in([("他在北京住了R2D2年。", False)], language="zh") == []
    assert suggest_in([("東京タワー", False)], language="ja") == []
