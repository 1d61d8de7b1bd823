"""Scoring round trips outside English: by the sounds of characters for Mandarin,
Japanese and Hindi (against what Whisper base really writes for them), by words for the
others, each language by its own rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.errors import ConfigError
from narrator.models import DefectCode
from narrator.verify import whisper_files
from narrator.verify.scoring import duration_bounds_s, score
from narrator.verify.transliterate import hindi_key
from narrator.verify.units import units

LU_XUN = "在我的后园，可以看见墙外有两株树，一株是枣树，还有一株也是枣树。"
SOSEKI = "吾輩は猫である。名前はまだ無い。"
PREMCHAND = "हामिद ने अपनी दादी के लिए मेले से एक चिमटा खरीदा।"


def _plausible_s(text: str, language: str) -> float:
    """A duration inside the text's bounds, so the transcript decides the verdict."""
    low, high = duration_bounds_s(text, language=language)
    return (low + high) / 2


def _score(text: str, heard: str, language: str):  # noqa: ANN202 - Verification
    return score(text, heard, _plausible_s(text, language), language=language)


def test_mandarin_is_scored_by_the_sound_of_each_character() -> None:
    # Whisper base mixes traditional characters (後, 兩, 還) into simplified text and
    # picks homophones (藻 for 枣): each is the right syllable.
    heard = "在我的後園,可以看見牆外有兩株樹,一株是藻树,還有一株也是棗樹。"
    verification = _score(LU_XUN, heard, "zh")
    assert verification.passed, verification.reason
    assert verification.cer == verification.wer == 0.0
    assert len(units(LU_XUN, language="zh")) == 28  # one syllable per character


def test_mandarin_missing_its_second_half_is_truncated() -> None:
    verification = _score(LU_XUN, "在我的后园，可以看见墙外有两株树。", "zh")
    assert not verification.passed
    assert verification.defects[0].code == DefectCode.TRUNCATED
    assert verification.cer == pytest.approx(13 / 28)


def test_mandarin_with_other_characters_is_a_mismatch() -> None:
    # Same length, other words: nothing is missing, the sounds are wrong.
    verification = _score(
        LU_XUN, "我冒了严寒回到相隔二千余里别了二十余年的故乡去时候既然是深冬", "zh"
    )
    assert not verification.passed
    assert verification.defects[0].code == DefectCode.MISMATCH


def test_japanese_is_scored_by_its_reading_whether_written_in_kanji_or_kana() -> None:
    heard = "わがはいは猫である。なまえはまだない。"
    verification = _score(SOSEKI, heard, "ja")
    assert verification.passed, verification.reason
    assert verification.cer == 0.0


def test_japanese_with_a_sentence_missing_fails() -> None:
    verification = _score(f"{SOSEKI}どこで生れたかとんと見当がつかぬ。", SOSEKI, "ja")
    assert not verification.passed
    assert verification.defects[0].code == DefectCode.TRUNCATED


def test_hindi_heard_in_urdu_script_passes() -> None:
    # What Whisper base wrote for Kokoro hm_omega reading the sentence, told "hi".
    heard = "ہمد نے اپنی دادی کے لئے ملے سے ایک چمٹا خریدا"
    verification = _score(PREMCHAND, heard, "hi")
    assert verification.passed, verification.reason


def test_hindi_heard_in_latin_letters_passes() -> None:
    # Base wrote this Premchand sentence (Kokoro hf_alpha) in Latin letters.
    text = "वृक्षों पर अजीब हरियाली है, खेतों में कुछ अजीब रौनक है, आसमान पर कुछ अजीब लालिमा है।"
    heard = (
        "vriksho par ajib hariyali hai, ke to mein kuch ajib ronak hai, "
        "asman par kuch ajib lálima hai."
    )
    verification = _score(text, heard, "hi")
    assert verification.passed, verification.reason


def test_hindi_heard_as_another_sentence_fails() -> None:
    heard = "کیسان نے کہا کہ اس سال بارش بہت کم ہوئی ہے"
    verification = _score(PREMCHAND, heard, "hi")
    assert not verification.passed


@pytest.mark.parametrize(
    "written",
    ["किसान ने कहा", "کیسان نے کہا", "kisaan ne kaha", "Kisān ne kahā"],
)
def test_the_hindi_key_is_the_same_in_every_script(written: str) -> None:
    assert hindi_key(written) == "ksnk"


def test_the_hindi_key_folds_aspiration_and_nukta() -> None:
    # ख/خ (kh) and क (k), फ़/ف (f) and फ (ph), ज़/ز (z) and ज (j) are told apart by many
    # writers and not at all by others.
    assert hindi_key("ख़रीदा") == hindi_key("करीदा") == hindi_key("kharida")
    assert hindi_key("फ़ौज") == hindi_key("फौज") == hindi_key("فوج")
    assert hindi_key("रोज़") == hindi_key("रोज") == hindi_key("روز")


def test_spanish_is_allowed_split_words_but_not_letters_wrong_throughout() -> None:
    text = "Pues sepa vuestra merced que a mí llaman Lázaro de Tormes."
    # What Whisper base wrote for Kokoro ef_dora: words split and joined, letters right.
    split = _score(text, "Pues sepa vuestra merced que a mí llaman la saro de tormes.", "es")
    assert split.passed, split.reason
    assert split.wer > 0.15
    # A letter or two off in nearly every word: the same sentence garbled.
    garbled = _score(text, "Pies sapa vuestra marced qie e mí yaman Lásaro te Tormas.", "es")
    assert not garbled.passed
    assert garbled.defects[0].code == DefectCode.MISMATCH


def test_a_phrase_said_twice_is_found_but_not_a_split_contraction() -> None:
    text = "Al aparecer Augusto a la puerta de su casa extendió el brazo derecho."
    # What Whisper base wrote for Kokoro em_alex: "al aparecer" split, "a la" twice.
    split = _score(text, "A la parecer, Augusto a la puerta de su casa extendió el brazo derecho.",
                   "es")  # fmt: skip
    assert split.passed, split.reason
    repeated = _score(text, "Al aparecer Augusto, al aparecer Augusto a la puerta de su casa "
                      "extendió el brazo derecho.", "es")  # fmt: skip
    assert repeated.defects[0].code == DefectCode.REPEATED
    assert repeated.defects[0].words == "al aparecer augusto"


def test_duration_bounds_follow_each_language_s_pace() -> None:
    # 28 characters of Mandarin take longer than 28 letters of French.
    zh_low, _ = duration_bounds_s(LU_XUN, language="zh")
    fr_low, _ = duration_bounds_s("Il arriva chez nous un dimanche", language="fr")
    assert zh_low > 2 * fr_low
    slow_low, slow_high = duration_bounds_s(LU_XUN, language="zh", speed=0.5)
    assert slow_low == pytest.approx(2 * zh_low)
    assert _score(LU_XUN, LU_XUN, "zh").passed
    clipped = score(LU_XUN, LU_XUN, zh_low / 2, language="zh")
    assert clipped.defects[0].code == DefectCode.TRUNCATED


def test_english_scoring_is_unchanged_by_the_language_keyword() -> None:
    text = "Call me Ishmael."
    assert score(text, "call me ish milk", 1.2) == score(text, "call me ish milk", 1.2,
                                                          language="en")  # fmt: skip


def test_the_base_model_missing_is_a_config_error_naming_the_set_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whisper_files, "files_dir", lambda: tmp_path)
    with pytest.raises(ConfigError) as caught:
        whisper_files.base_model_dir()
    assert "model.bin" in caught.value.message
    assert "bootstrap.sh" in str(caught.value.hint)
    for name in (whisper_files.WEIGHTS, *whisper_files.SIDE_FILES):
        (tmp_path / name).write_bytes(b"{}")
    with pytest.raises(ConfigError, match="not 145,217,532"):
        whisper_files.base_model_dir()


def test_the_installed_base_model_is_whole() -> None:
    directory = whisper_files.base_model_dir()
    assert (directory / "model.bin").stat().st_size == whisper_files.WEIGHTS_BYTES
