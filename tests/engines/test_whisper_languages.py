"""Hearing books not in English: Kokoro speaks one short sentence of real prose in each
language, Whisper base hears it told the language, and the verdict passes it; the remote
transcriber tells `narrate serve` the language the same way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from narrator.budget import SYSTEM_CLOCK, BudgetLimits, SQLiteLedger
from narrator.provider import Provider, RetryPolicy, Timeouts
from narrator.speech.kokoro import KokoroEngine
from narrator.verify.faster_whisper import WhisperTranscriber
from narrator.verify.verdict import hear_and_judge, heard_text

pytestmark = pytest.mark.slow

SENTENCES = {
    "es": ("ef_dora", "Mi nacimiento fue dentro del río Tormes."),
    "fr": ("ff_siwis", "Il arriva chez nous un dimanche de novembre."),
    "it": ("if_sara", "Questo matrimonio non s'ha da fare, né domani, né mai."),
    "pt-BR": ("pf_dora", "O sertanejo é, antes de tudo, um forte."),
    "hi": ("hm_omega", "हामिद ने अपनी दादी के लिए मेले से एक चिमटा खरीदा।"),
    "zh": ("zf_xiaoxiao", "其实地上本没有路，走的人多了，也便成了路。"),
    "ja": ("jf_alpha", "吾輩は猫である。名前はまだ無い。"),
}
"""One sentence of a public-domain novel or story per language (Lazarillo de Tormes,
Alain-Fournier, Manzoni, Euclides da Cunha, Premchand, Lu Xun, Natsume Sōseki), and the
Kokoro voice that speaks it."""


def _spoken(directory: Path, language: str) -> Path:
    voice, text = SENTENCES[language]
    speech = KokoroEngine(voice).synthesize(text)
    path = directory / f"{language}.wav"
    sf.write(path, speech.samples, speech.sample_rate)
    return path


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_base_hears_a_clean_sentence_in_its_language_and_passes_it(
    language: str, tmp_path: Path
) -> None:
    path = _spoken(tmp_path, language)
    transcriber = WhisperTranscriber(language=language)
    words = transcriber.transcribe_timed(path)
    verdict = hear_and_judge(transcriber, path, SENTENCES[language][1], heard_text(words),
                             speed=1.0, words=words, language=language)  # fmt: skip
    assert verdict.passed, f"{verdict.heard!r}: {verdict.reason}"
    assert verdict.cer <= 0.2


def test_the_remote_transcriber_tells_narrate_serve_the_language(tmp_path: Path) -> None:
    from narrator.server import ServeConfig, SpeechServer
    from narrator.server.config import TRANSCRIPTION_MODEL
    from narrator.verify.openai_compat import RemoteTranscriber

    path = _spoken(tmp_path, "fr")
    with SpeechServer(ServeConfig(port=0)) as server:
        provider = Provider(
            base_url=server.url,
            api_key="sk-test",
            timeouts=Timeouts(cap_s=120),
            ledger=SQLiteLedger(
                tmp_path / "ledger.sqlite", BudgetLimits(), account="test", clock=SYSTEM_CLOCK
            ),  # fmt: skip
            policy=RetryPolicy(max_attempts=1, max_total_s=120),
            clock=SYSTEM_CLOCK,
        )
        french = RemoteTranscriber(provider, model=TRANSCRIPTION_MODEL, language="fr")
        heard = french.transcribe(path, label="fr-1")
        timed = french.transcribe_timed(path, label="fr-1")
    assert french.identity.endswith("/fr")
    # tiny.en, told English, turns French into English words; base, told French, writes it.
    assert "novembre" in heard.lower()
    assert "novembre" in heard_text(timed).lower()


def test_an_english_run_never_loads_base(tmp_path: Path) -> None:
    """With base's directory gone, English is still heard (by tiny.en), and only a
    transcriber of another language says how to install base."""
    path = _spoken(tmp_path, "fr")
    script = f"""
from pathlib import Path
from narrator.errors import ConfigError
from narrator.verify import whisper_files
from narrator.verify.faster_whisper import WhisperTranscriber
whisper_files.files_dir = lambda: Path({str(tmp_path / "nowhere")!r})
WhisperTranscriber().transcribe(Path({str(path)!r}))
try:
    WhisperTranscriber(language="fr").transcribe(Path({str(path)!r}))
except ConfigError as exc:
    print(exc.hint)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=300)  # fmt: skip
    assert "bootstrap.sh" in done.stdout
