"""Sentence splitting in French, Spanish, Italian, Portuguese, German, Hindi, Chinese and
Japanese: each language's Punkt model and titles, the danda, and 。！？ without spaces."""

from __future__ import annotations

import pytest

from narrator.text.sentences import compact, split_sentences

# Passages from public-domain books (Verne, Galdós, Cervantes, Collodi, Machado de Assis,
# Premchand, Lu Xun, Natsume Sōseki), some trimmed, with the titles and marks each
# language's splitter must know.
CASES = [
    # French: titles without or with a stop, the space before ! and ?, guillemets
    (
        "fr",
        "M. Fogg resta impassible. Passepartout, lui, était désolé.",
        ["M. Fogg resta impassible.", "Passepartout, lui, était désolé."],
    ),
    (
        "fr",
        "Mme. Aouda regarda le gentleman. Mlle. Lucie sourit.",
        ["Mme. Aouda regarda le gentleman.", "Mlle. Lucie sourit."],
    ),
    (
        "fr",
        "Quoi ? Il est parti ! Le Dr. Ferguson arriva.",
        ["Quoi ?", "Il est parti !", "Le Dr. Ferguson arriva."],
    ),
    (
        "fr",
        "— Ah ! répondit-elle. Puis elle sortit.",
        ["— Ah ! répondit-elle.", "Puis elle sortit."],
    ),
    (
        "fr",
        "« Je viens de Londres. » Il partit aussitôt.",
        ["« Je viens de Londres. »", "Il partit aussitôt."],
    ),
    # Spanish: inverted marks, dialogue dashes, Sr./Sra./D./núm.
    (
        "es",
        "¿Qué hora es? ―preguntó el Sr. Pérez. ¡Las cinco!",
        ["¿Qué hora es? ―preguntó el Sr. Pérez.", "¡Las cinco!"],
    ),
    (
        "es",
        "La Sra. Rodríguez llegó con el Dr. Gómez. Luego salió.",
        ["La Sra. Rodríguez llegó con el Dr. Gómez.", "Luego salió."],
    ),
    (
        "es",
        "En un lugar de la Mancha vivía D. Quijote. Tenía un rocín flaco.",
        ["En un lugar de la Mancha vivía D. Quijote.", "Tenía un rocín flaco."],
    ),
    (
        "es",
        "Vivía en la calle núm. 5 de Madrid. Era tarde.",
        ["Vivía en la calle núm. 5 de Madrid.", "Era tarde."],
    ),
    (
        "es",
        "Pepe Rey llegó a Orbajosa... Nadie le esperaba.",
        ["Pepe Rey llegó a Orbajosa...", "Nadie le esperaba."],
    ),
    # Italian: Sig., S.ra, Dott., a lower-case speech tag after «...?»
    (
        "it",
        "Il Sig. Geppetto prese il legno. Maestro Ciliegia rise.",
        ["Il Sig. Geppetto prese il legno.", "Maestro Ciliegia rise."],
    ),
    (
        "it",
        "«Che cosa vuoi?» disse il falegname. Il burattino tacque.",
        ["«Che cosa vuoi?» disse il falegname.", "Il burattino tacque."],
    ),
    (
        "it",
        "La S.ra Rossi rise. Il Dott. Bianchi venne.",
        ["La S.ra Rossi rise.", "Il Dott. Bianchi venne."],
    ),
    (
        "it",
        "C'era una volta... Un re! diranno subito i miei piccoli lettori.",
        ["C'era una volta...", "Un re! diranno subito i miei piccoli lettori."],
    ),
    (
        "it",
        "Il Prof. Verdi entrò alle 9. Tutti si alzarono.",
        ["Il Prof. Verdi entrò alle 9.", "Tutti si alzarono."],
    ),
    # Portuguese (Brazil): Sr., Sra., D., V. Exa.
    (
        "pt-BR",
        "O Sr. Brás Cubas morreu. A Sra. D. Plácida chorou.",
        ["O Sr. Brás Cubas morreu.", "A Sra. D. Plácida chorou."],
    ),
    ("pt-BR", "V. Exa. sabe disso? Sim.", ["V. Exa. sabe disso?", "Sim."]),
    (
        "pt",
        "Algum tempo hesitei se devia abrir estas memórias pelo princípio ou pelo fim. "
        "Suposto o uso vulgar seja começar pelo nascimento, duas considerações me levaram.",
        [
            "Algum tempo hesitei se devia abrir estas memórias pelo princípio ou pelo fim.",
            "Suposto o uso vulgar seja começar pelo nascimento, duas considerações me levaram.",
        ],
    ),
    (
        "pt",
        "O Dr. Bacamarte chegou. — Que é isso? perguntou a mulher.",
        ["O Dr. Bacamarte chegou.", "— Que é isso? perguntou a mulher."],
    ),
    ("pt", "Vá à pág. 12 do livro. Lá está.", ["Vá à pág. 12 do livro.", "Lá está."]),
    # German (a Punkt model, no offline voice)
    ("de", "Dr. Müller kam um 5 Uhr. Er war müde.", ["Dr. Müller kam um 5 Uhr.", "Er war müde."]),
    # Hindi: the danda, ? and !
    (
        "hi",
        "मेरे भाई साहब मुझसे पाँच साल बड़े थे। लेकिन केवल तीन दरजे आगे।",
        ["मेरे भाई साहब मुझसे पाँच साल बड़े थे।", "लेकिन केवल तीन दरजे आगे।"],
    ),
    ("hi", "क्या तुम आओगे? हाँ! ज़रूर।", ["क्या तुम आओगे?", "हाँ!", "ज़रूर।"]),
    (
        "hi",
        "उसने कहा, “मैं जाता हूँ।” फिर वह चला गया॥",
        ["उसने कहा, “मैं जाता हूँ।”", "फिर वह चला गया॥"],
    ),
    ("hi", "डॉ. शर्मा आए। वे थके थे।", ["डॉ. शर्मा आए।", "वे थके थे।"]),
    ("hi", "होरी ने कहा — अच्छा, जाओ।", ["होरी ने कहा — अच्छा, जाओ।"]),
    # Chinese: 。！？ and the closing quotes after them; a comma never ends a sentence
    (
        "zh",
        "我家的后面有一个很大的园，相传叫作百草园。现在是早已并屋子一起卖给朱文公的子孙了！",
        ["我家的后面有一个很大的园，相传叫作百草园。", "现在是早已并屋子一起卖给朱文公的子孙了！"],
    ),
    ("zh", "“你好。”他说。", ["“你好。”", "他说。"]),
    ("zh", "你去吗？我不去！", ["你去吗？", "我不去！"]),
    ("zh", "他想了一想……终于走了。", ["他想了一想……终于走了。"]),
    ("zh", "第1回很长。（完）", ["第1回很长。", "（完）"]),
    # Japanese: 。 and 「」, and the quotative と that goes on after 。」
    ("ja", "吾輩は猫である。名前はまだ無い。", ["吾輩は猫である。", "名前はまだ無い。"]),
    ("ja", "「行こう。」と言った。", ["「行こう。」と言った。"]),
    ("ja", "「はい。」それから歩いた。", ["「はい。」", "それから歩いた。"]),
    ("ja", "本当か？本当だ！", ["本当か？", "本当だ！"]),
    (
        "ja",
        "親譲りの無鉄砲で小供の時から損ばかりしている。",
        ["親譲りの無鉄砲で小供の時から損ばかりしている。"],
    ),
]


@pytest.mark.parametrize(("language", "paragraph", "expected"), CASES)
def test_sentences_in_each_language(language: str, paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph, language=language) == expected


@pytest.mark.parametrize(
    ("language", "paragraph"), [(lang, p) for lang, p, _ in CASES if lang not in ("zh", "ja")]
)
def test_spaced_languages_keep_every_character(language: str, paragraph: str) -> None:
    wrapped = paragraph.replace(" ", "\n", 3)
    assert " ".join(split_sentences(wrapped, language=language)) == " ".join(paragraph.split())


@pytest.mark.parametrize(
    ("language", "paragraph"), [(lang, p) for lang, p, _ in CASES if lang in ("zh", "ja")]
)
def test_unspaced_languages_keep_every_character(language: str, paragraph: str) -> None:
    # A hard-wrapped paragraph: its lines are joined with spaces before splitting.
    wrapped = " \n ".join(paragraph[i : i + 7] for i in range(0, len(paragraph), 7))
    sentences = split_sentences(wrapped, language=language)
    assert "".join(sentences) == compact(wrapped) == paragraph


def test_compact_keeps_spaces_between_latin_words() -> None:
    assert compact("他用 Python 3 写了\n一个程序。") == "他用Python 3写了一个程序。"


def test_a_title_before_a_name_followed_by_a_stop() -> None:
    # "M." before a name never ends a sentence; after "Fogg" the stop does.
    assert split_sentences("Il vit M. Fogg. Il partit.", language="fr") == [
        "Il vit M. Fogg.",
        "Il partit.",
    ]
