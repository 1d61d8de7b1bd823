"""Plain-text chapter headings in every language: heading words and ordinals, 第一章,
अध्याय, numbered headings found by their sequence, and heading words no list knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.text import load_book
from narrator.text.numerals import value

# A chapter's worth of text (more than the 200 characters between numbered headings).
_FR = (
    "Phileas Fogg était un homme énigmatique, dont on ne savait rien, sinon que c'était "
    "un fort galant homme et l'un des plus beaux gentlemen de la haute société anglaise. "
    "On disait qu'il ressemblait à Byron, mais un Byron à moustaches et à favoris."
)
_ES = (
    "En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha mucho tiempo que "
    "vivía un hidalgo de los de lanza en astillero, adarga antigua, rocín flaco y galgo "
    "corredor. Una olla de algo más vaca que carnero consumían las tres partes de su hacienda."
)
_IT = (
    "C'era una volta un pezzo di legno. Non era un legno di lusso, ma un semplice pezzo da "
    "catasta, di quelli che d'inverno si mettono nelle stufe e nei caminetti per accendere "
    "il fuoco e per riscaldare le stanze. Non so come andasse, ma il fatto gli è che un bel "
    "giorno questo pezzo di legno capitò nella bottega di un vecchio falegname."
)
_PT = (
    "Algum tempo hesitei se devia abrir estas memórias pelo princípio ou pelo fim, isto é, "
    "se poria em primeiro lugar o meu nascimento ou a minha morte. Suposto o uso vulgar seja "
    "começar pelo nascimento, duas considerações me levaram a adotar diferente método."
)
_HI = (
    "मेरे भाई साहब मुझसे पाँच साल बड़े थे, लेकिन केवल तीन दरजे आगे। उन्होंने भी उसी उम्र में पढ़ना "
    "शुरू किया था जब मैंने शुरू किया था; लेकिन तालीम जैसे महत्व के मामले में वह जल्दबाज़ी से काम "
    "लेना पसंद न करते थे। इस भवन की बुनियाद ख़ूब मज़बूत डालना चाहते थे।"
)
_ZH = (
    "我家的后面有一个很大的园，相传叫作百草园。现在是早已并屋子一起卖给朱文公的子孙了，"
    "连那最末次的相见也已经隔了七八年，其中似乎确凿只有一些野草；但那时却是我的乐园。"
    "不必说碧绿的菜畦，光滑的石井栏，高大的皂荚树，紫红的桑椹；也不必说鸣蝉在树叶里长吟，"
    "肥胖的黄蜂伏在菜花上，轻捷的叫天子忽然从草间直窜向云霄里去了。单是周围的短短的泥墙根一带，"
    "就有无限趣味。油蛉在这里低唱，蟋蟀们在这里弹琴。翻开断砖来，有时会遇见蜈蚣；还有斑蝥，"
    "倘若用手指按住它的脊梁，便会拍的一声，从后窍喷出一阵烟雾。"
)
_JA = (
    "親譲りの無鉄砲で小供の時から損ばかりしている。小学校に居る時分学校の二階から飛び降りて一週間ほど"
    "腰を抜かした事がある。なぜそんな無闇をしたと聞く人があるかも知れぬ。別段深い理由でもない。"
    "新築の二階から首を出していたら、同級生の一人が冗談に、いくら威張っても、そこから飛び降りる事は"
    "出来まい。弱虫やーい。と囃したからである。小使に負ぶさって帰って来た時、おやじが大きな眼をして"
    "二階ぐらいから飛び降りて腰を抜かす奴があるかと云ったから、この次は抜かさずに飛んで見せますと答えた。"
)
_EN = (
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was "
    "the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, "
    "it was the season of Light, it was the season of Darkness."
)


def _book(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def _titles(tmp_path: Path, text: str) -> list[str | None]:
    path = tmp_path / "book.txt"
    path.write_text(text, encoding="utf-8")
    return [c.title for c in load_book(path).chapters]


HEADINGS = [
    # French: ordinal words, Roman numerals, "Ier", a title after a stop
    ("fr", ["Chapitre premier", "Chapitre deuxième"], _FR),
    ("fr", ["Chapitre II", "Chapitre III"], _FR),
    ("fr", ["CHAPITRE XII", "CHAPITRE XIII"], _FR),
    ("fr", ["CHAPITRE PREMIER. Le départ", "CHAPITRE II. Passepartout"], _FR),
    ("fr", ["Chapitre Ier", "Chapitre II"], _FR),
    ("fr", ["PREMIÈRE PARTIE", "DEUXIÈME PARTIE"], _FR),
    ("fr", ["Livre premier"], _FR),
    ("fr", ["Épilogue"], _FR),
    ("fr", ["Chapitre 1 : Le Départ", "Chapitre 2 : L'Arrivée"], _FR),
    ("fr", ["Chapitre quinzième"], _FR),
    # Spanish
    ("es", ["Capítulo primero", "Capítulo segundo"], _ES),
    ("es", ["Capítulo 3", "Capítulo 4"], _ES),
    ("es", ["CAPÍTULO I", "CAPÍTULO II"], _ES),
    ("es", ["Capítulo primero. Que trata de la condición del hidalgo"], _ES),
    ("es", ["Capítulo 1º. El hidalgo"], _ES),
    ("es", ["Prólogo", "Capítulo I"], _ES),
    ("es", ["PARTE SEGUNDA"], _ES),
    ("es", ["Capítulo tercero", "Capítulo cuarto"], _ES),
    ("es", ["Libro primero"], _ES),
    ("es", ["Capítulo XX. ¿Quién Era?"], _ES),
    # Italian
    ("it", ["Capitolo primo", "Capitolo secondo"], _IT),
    ("it", ["CAPITOLO I", "CAPITOLO II"], _IT),
    ("it", ["Capitolo 1", "Capitolo 2"], _IT),
    ("it", ["Capitolo terzo"], _IT),
    ("it", ["Parte prima"], _IT),
    ("it", ["Capitolo XXXVI. Il Burattino"], _IT),
    ("it", ["Prologo"], _IT),
    ("it", ["Capitolo decimo", "Capitolo undicesimo"], _IT),
    ("it", ["Libro secondo"], _IT),
    ("it", ["CAPITOLO PRIMO"], _IT),
    # Portuguese
    ("pt", ["Capítulo I", "Capítulo II"], _PT),
    ("pt", ["CAPÍTULO PRIMEIRO. Óbito do Autor", "CAPÍTULO SEGUNDO. O Emplasto"], _PT),
    ("pt", ["Capítulo 1", "Capítulo 2"], _PT),
    ("pt", ["Capítulo primeiro"], _PT),
    ("pt", ["Capítulo terceiro", "Capítulo quarto"], _PT),
    ("pt", ["Livro primeiro"], _PT),
    ("pt", ["Parte segunda"], _PT),
    ("pt", ["Capítulo XII"], _PT),
    ("pt", ["Epílogo"], _PT),
    ("pt", ["Capítulo sétimo"], _PT),
    # German (headings only: no offline voice)
    ("de", ["Kapitel 1", "Kapitel 2"], _EN),
    # Hindi: digits in either script and number words
    ("hi", ["अध्याय 1", "अध्याय 2"], _HI),
    ("hi", ["अध्याय एक", "अध्याय दो"], _HI),
    ("hi", ["अध्याय १", "अध्याय २"], _HI),
    ("hi", ["भाग तीन"], _HI),
    ("hi", ["अध्याय 4: गोदान"], _HI),
    ("hi", ["प्रस्तावना", "अध्याय 1"], _HI),
    ("hi", ["अध्याय पहला"], _HI),
    ("hi", ["अध्याय १२"], _HI),
    ("hi", ["परिच्छेद 3"], _HI),
    ("hi", ["अध्याय दस", "अध्याय ग्यारह"], _HI),
    # Chinese
    ("zh", ["第一章", "第二章"], _ZH),
    ("zh", ["第1回", "第2回"], _ZH),
    ("zh", ["第十二章 标题", "第十三章 别的标题"], _ZH),
    ("zh", ["第一回　甄士隐梦幻识通灵　贾雨村风尘怀闺秀"], _ZH),
    ("zh", ["第三卷"], _ZH),
    ("zh", ["第二十一章：故乡"], _ZH),
    ("zh", ["第一百零五回"], _ZH),
    ("zh", ["第一节", "第二节"], _ZH),
    ("zh", ["第１章"], _ZH),
    ("zh", ["第九十九回 完"], _ZH),
    # Japanese: 第一章 and the bare kanji numerals of Sōseki's chapters
    ("ja", ["第一章", "第二章"], _JA),
    ("ja", ["一", "二", "三"], _JA),
    ("ja", ["第一話", "第二話"], _JA),
    ("ja", ["第三部"], _JA),
    ("ja", ["九", "十", "十一"], _JA),
    ("ja", ["第1章", "第2章"], _JA),
    ("ja", ["第一幕"], _JA),
    ("ja", ["第十章　坊っちゃん"], _JA),
    ("ja", ["第二篇"], _JA),
    ("ja", ["第四章", "第五章"], _JA),
]


@pytest.mark.parametrize(
    ("language", "headings", "body"), HEADINGS, ids=[" / ".join(h[1]) for h in HEADINGS]
)
def test_headings_in_each_language(
    tmp_path: Path, language: str, headings: list[str], body: str
) -> None:
    text = _book(f"{body}", *(part for h in headings for part in (h, body)))
    # A title's whitespace is normalized: the ideographic space of "第一回　..." too.
    assert _titles(tmp_path, text) == [None, *(" ".join(h.split()) for h in headings)], language


@pytest.mark.parametrize(
    ("headings", "body"),
    [
        (["I", "II", "III"], _EN),  # English, bare Roman numerals
        (["I.", "II.", "III."], _EN),
        (["1", "2", "3"], _EN),
        (["1.", "2.", "3."], _EN),
        (["XIV.", "XV."], _EN),
        (["I", "II"], _FR),
        (["1.", "2."], _ES),
        (["一", "二"], _ZH),
        (["१", "२"], _HI),
        (["I. The Gate", "II. The Garden"], _EN),
        # heading words no list knows: the same first word, a numeral that advances
        (["Canto Primo", "Canto Secondo", "Canto Terzo"], _IT),
        (["Stave One", "Stave Two"], _EN),
        (["STAVE I.", "STAVE II."], _EN),
        (["Book One", "Book Two"], _EN),
        (["Tratado primero", "Tratado segundo"], _ES),
        (["Canto I", "Canto II"], _IT),
        (["Jornada 1", "Jornada 2"], _ES),
    ],
    ids=lambda v: " / ".join(v) if isinstance(v, list) else None,
)
def test_numbered_headings_in_sequence(tmp_path: Path, headings: list[str], body: str) -> None:
    text = _book(*(part for h in headings for part in (h, body)))
    assert _titles(tmp_path, text) == headings


@pytest.mark.parametrize(
    "text",
    [
        # a lone "I." between paragraphs of prose
        _book(_EN, "I.", _EN),
        # "I." then "III.": no sequence
        _book(_EN, "I.", _EN, "III.", _EN),
        # a list: numbers with little between them
        _book(_EN, "1.", "Buy milk.", "2.", "Buy eggs.", "3.", "Sweep."),
        # a one-line "1." paragraph in a list
        _book(_EN, "1.", _EN),
        # the same word, but the numbers do not advance
        _book("Canto Primo", _IT, "Canto Primo", _IT),
        # a word in lower case is prose, even with a number after it
        _book(_EN, "canto 1", _IT, "canto 2", _IT),
        # a numbered line that goes on in lower case is a sentence
        _book(_EN, "Canto I\nwas sung at dawn.", _IT, "Canto II\nwas sung at dusk.", _IT),
        # 第 in prose is no heading: a lower-case or no separator after the number
        _book(_ZH, "第一章写得很好，我很喜欢。", _ZH),
    ],
)
def test_not_headings(tmp_path: Path, text: str) -> None:
    assert _titles(tmp_path, text) == [None]


def test_a_part_above_a_chapter_is_one_heading(tmp_path: Path) -> None:
    text = _book("Première partie", "Chapitre premier", _FR, "Chapitre deuxième", _FR)
    assert _titles(tmp_path, text) == ["Première partie. Chapitre premier", "Chapitre deuxième"]


def test_numbered_headings_keep_english_headings(tmp_path: Path) -> None:
    text = _book("CHAPTER I", _EN, "CHAPTER II", _EN, "1.", "Buy milk.", "2.", "Buy eggs.")
    assert _titles(tmp_path, text) == ["CHAPTER I", "CHAPTER II"]


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [
        ("XII", 12),
        ("XIV", 14),
        ("३", 3),
        ("１２", 12),
        ("première", 1),
        ("Secondo", 2),
        ("twenty-one", 21),
        ("dix-sept", 17),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一〇一", 101),
        ("दो", 2),
        ("primeira", 1),
        ("Tuesday", None),
    ],
)
def test_numeral_values(numeral: str, expected: int | None) -> None:
    assert value(numeral) == expected
