"""Scoring a round trip: compare the text a chunk should say with what a transcriber heard.

Pure functions, no models. Both sides are normalized the same way (``normalize_words``:
case, punctuation, numbers, contractions, abbreviations), then compared with jiwer 4.0.
The verdict is length-aware: a short sentence may lose one proper name to the
transcriber, while a long chunk may never lose a clause.

The constants here are English's, measured on tiny.en, and so are its spelling rules
(sound-alike keys, compounds, respellings). Other languages are compared in their own
units (``narrator.verify.units``) with thresholds measured per language
(``narrator.verify.languages``), and none of English's spelling rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import jiwer

from narrator.models import Defect, DefectCode, Verification
from narrator.speech.timing import expected_duration_s
from narrator.text.language import ENGLISH, name, primary
from narrator.text.lexicon import unrespell
from narrator.text.normalize import normalize_words
from narrator.verify.languages import MIN_REPEATED_LETTERS, rules_for
from narrator.verify.repetition import repeated_phrase
from narrator.verify.units import by_character, units

# --- thresholds -----------------------------------------------------------------------

WORD_ERRORS_BASE = 2
"""Word errors always tolerated, however short the text: one proper name.

A name costs two errors when the transcriber splits it ("Call me Ishmael." heard as
"call me ish milk" is one substitution plus one insertion), or when Whisper reformats a
date ("the 14th of March" heard as "14 March"). The voice said it; tiny.en cannot spell it.
"""

WORD_ERROR_RATE = 0.10
"""Word errors tolerated per reference word, on top of ``WORD_ERRORS_BASE``.

tts-audiobook-tool fails a take when word errors exceed ceil(words/10); Kokoro-FastAPI's
CI allows WER 0.25, and epub2tts a fuzzy score of 88 (about 0.12). On our Piper ->
tiny.en round trips of ~25-s chunks WER was 0.00-0.065 (median 0.036), so 0.10 leaves
margin for name-heavy chunks. There is no absolute cap: remote engines accept chunks of up
to 4,096 characters, where a cap would fail honest audio; a clause missing from a long
chunk is caught by ``MAX_WORDS_MISSING_IN_A_ROW`` instead.
"""

MAX_WORDS_MISSING_IN_A_ROW = 3
"""Most reference words that may be missing (or extra) in one stretch of errors.

A stretch of 4 or more dropped words is a lost clause, not a mis-hearing: on 19 full
round-trip chunks tiny.en never dropped or added more than 1 word in a row, and a split
name adds 1-2 ("ishmael" -> "ish milk"). Deleting 4 consecutive words from those
transcripts failed 186 of 190 trials, 5 words 190 of 190 (3 words: 14 of 190). The count
is the net difference between the reference and transcript words in one contiguous error
region, so "5 words heard as 1" counts 4.
"""

MAX_WORDS_MISHEARD_IN_A_ROW = 6
"""Most consecutive reference words that may be misheard in one error region.

Garbled names span 1-3 words (the worst region in our round trips was 3); 7 or more
consecutive wrong words means the engine babbled or spoke something else, even if the
chunk is long enough for the word-error allowance to absorb it.
"""

MATCHED_WITHIN_A_RUN = 2
"""Correctly heard words that may sit inside one run of misheard words.

A sentence replaced by another of the same shape keeps its little words in place ("The
postman wrapped a coil of rope on the quay" heard as "The old fairman lost an oil
skincope on the gallery"): its errors come in regions one or two words apart, each
within ``MAX_WORDS_MISHEARD_IN_A_ROW``, together 10 words. Counted this way, tiny.en's
worst run on the 73 clean chunks of ``bench/bench_defects.py`` was 5 words (timed and
untimed hearings alike).
"""

MIN_UNLIKE_WORDS = 4
"""Fewest words on both sides of one error region, with sounds unlike (``UNLIKE_SOUNDS``),
that are other speech, not a mis-hearing, however long the chunk.

A short sentence replaced by another ("It was wrong in colour." said as "They waited for
that.") stays within every other allowance of a long chunk. On 615 clean chunks of real
prose (Piper and Kokoro af_heart, ``bench/bench_false_alarms.py``) no region of unlike
sounds held more than 3 words either side (5 held 3: "ashamed of her" heard as "chained
her for"); the sentences replaced in ``bench/bench_defects.py`` hold 4 or more.
"""

UNLIKE_SOUNDS = 0.5
"""Share of the sound keys (``_sound_key``) of a region that must differ for its words to
be other words: a transcriber's spellings of the right words share most of their sounds
(the clean regions above differed by 0.53-0.75, a replaced sentence by 0.77)."""

CHAR_ERRORS_BASE = 5
"""Character edits always tolerated (compared with spaces removed, see ``score``).

"callmeishmael" vs "callmeishmilk" is 3 edits, and a short sentence with a garbled name
plus one misheard word ("Kilkenny ... potholes" heard as "Kakeni ... papples") is 8 of
41 characters, which the rate below covers; a wholly wrong short text is 10+ edits.
"""

CHAR_ERROR_RATE = 0.10
"""Character edits tolerated per reference character, on top of ``CHAR_ERRORS_BASE``.

Measured CER on full round trips was 0.00-0.042; text that is wrong throughout, where
each word is only slightly off so the word rule might not notice, is well above 0.10.
"""

SOUND_ERRORS_BASE = 1
SOUND_ERROR_RATE = 0.10
"""Allowed edits between the texts' sound keys (see ``_sound_key``): 1 + 10 % of them.

Calibrated on tiny.en transcripts of correct Piper audio: sound-alike spellings
("Maren"/"Maron", "quay"/"key", "Ada"/"a to") leave 5 key edits in 68, while a wrong
short sentence ("Call me Ishmael." heard as "The dog barked.") differs in 7 of 7.
"""

MIN_DURATION_FACTOR = 0.6
"""Shortest plausible audio as a fraction of the expected duration.

The 151 calibration sentences spanned 0.80-1.34 x the prediction, so audio under 0.6 x
is truncated (a 40 %-long chunk fails clearly).
"""

MAX_DURATION_FACTOR = 1.6
"""Longest plausible audio as a multiple of the expected duration (before the slack).

tts-audiobook-tool allows 1.5 s + 0.75 s per word, about 2 x real speech; we use
1.6 x plus ``DURATION_SLACK_S`` because the transcript check already catches babble
that Whisper can hear, and this rule is for long silences and unheard noise.
"""

DURATION_SLACK_S = 1.5
"""Extra seconds allowed above the ceiling, so one-word texts are not held to a fraction
of a second (the 1.5 s constant of tts-audiobook-tool's rule)."""


def _join_compounds(words: list[str], other: list[str]) -> list[str]:
    """Merge adjacent ``words`` that the other side writes as one ("some one" vs "someone").

    A pair is merged only when its concatenation is a word of ``other`` and ``other``
    does not contain the pair itself, so genuine two-word phrases are kept.
    """
    vocabulary = set(other)
    other_pairs = set(zip(other, other[1:], strict=False))
    merged: list[str] = []
    i = 0
    while i < len(words):
        if (
            i + 1 < len(words)
            and words[i] + words[i + 1] in vocabulary
            and (words[i], words[i + 1]) not in other_pairs
        ):
            merged.append(words[i] + words[i + 1])
            i += 2
        else:
            merged.append(words[i])
            i += 1
    return merged


# --- scoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class _ErrorRun:
    """The worst contiguous error region of an alignment."""

    missing: int  # net reference words without a transcript word
    extra: int  # net transcript words without a reference word
    misheard: int  # reference words in the region
    where: str  # the reference words around the region, for the reason
    at_end: bool  # the region reaches the end of the reference (the speech stopped early)
    heard: str  # the transcript words of the region


def _regions(expected: list[str], heard: list[str]) -> list[tuple[int, int, int, int]]:
    """Contiguous error regions ``(ref_start, ref_end, hyp_start, hyp_end)`` of an alignment.

    Adjacent non-equal alignment chunks (substitute/delete/insert) form one region, so a
    clause dropped next to a misheard word counts as one run.
    """
    alignment = jiwer.process_words(" ".join(expected), " ".join(heard)).alignments[0]
    regions: list[tuple[int, int, int, int]] = []
    for chunk in alignment:
        if chunk.type == "equal":
            continue
        if (
            regions
            and regions[-1][1] == chunk.ref_start_idx
            and regions[-1][3] == (chunk.hyp_start_idx)
        ):
            ref_start, _, hyp_start, _ = regions[-1]
            regions[-1] = (ref_start, chunk.ref_end_idx, hyp_start, chunk.hyp_end_idx)
        else:
            regions.append(
                (chunk.ref_start_idx, chunk.ref_end_idx, chunk.hyp_start_idx, chunk.hyp_end_idx)
            )
    return regions


def _worst_runs(
    expected: list[str], heard: list[str], regions: list[tuple[int, int, int, int]]
) -> _ErrorRun:
    """Find the largest net deletion, net insertion and run of misheard words (error
    regions at most ``MATCHED_WITHIN_A_RUN`` words apart count as one run)."""
    missing = extra = misheard = 0
    where = said = ""
    at_end = False
    run_words = run_ref = run_hyp = 0
    previous_end: int | None = None
    for ref_start, ref_end, hyp_start, hyp_end in regions:
        ref_len, hyp_len = ref_end - ref_start, hyp_end - hyp_start
        if previous_end is not None and ref_start - previous_end <= MATCHED_WITHIN_A_RUN:
            run_words += ref_len
        else:
            run_words, run_ref, run_hyp = ref_len, ref_start, hyp_start
        previous_end = ref_end
        worst_so_far = max(missing, extra, misheard)
        missing = max(missing, ref_len - hyp_len)
        extra = max(extra, hyp_len - ref_len)
        misheard = max(misheard, run_words)
        if max(missing, extra, misheard) > worst_so_far:
            if misheard == run_words > ref_len:  # the run, not this region, is the worst
                ref_start, hyp_start = run_ref, run_hyp
            context = expected[max(0, ref_start - 1) : max(ref_end, ref_start + 1) + 1]
            where = " ".join(context[:6])
            said = " ".join(heard[hyp_start:hyp_end][:12])
            at_end = ref_end == len(expected)
    return _ErrorRun(
        missing=missing, extra=extra, misheard=misheard, where=where, at_end=at_end, heard=said
    )


# Consonant classes that a small transcriber confuses (voicing, spelling variants).
_SOUND_DIGRAPHS = (("ph", "f"), ("ck", "k"), ("th", "t"), ("sh", "s"), ("ch", "k"), ("qu", "k"),
                   ("wh", "w"), ("gh", "g"), ("x", "ks"))  # fmt: skip
_SOUND_CLASSES = str.maketrans("bdgcqvzj", "ptkkkfss")


def _sound_key(text: str) -> str:
    """A rough phonetic key: the first letter, then consonant classes without repeats.

    "quay" and "key" share "k"; "Maren" and "Maron" share "mrn"; "Ada" and "a to" share
    "at". Enough to tell a transcriber's spelling guess from different words.
    """
    for digraph, sound in _SOUND_DIGRAPHS:
        text = text.replace(digraph, sound)
    text = text.translate(_SOUND_CLASSES)
    key = text[:1] + re.sub(r"[aeiouhwy]", "", text[1:])
    return re.sub(r"(.)\1+", r"\1", key)


def _sounds_alike(ref: str, hyp: str) -> bool:
    a, b = _sound_key(ref), _sound_key(hyp)
    if a == b:
        return True
    # One consonant of slack for keys of 3+ sounds ("docker"/"doctor", "lawbook"/"logbook").
    return min(len(a), len(b)) >= 3 and _edits(a, b) <= 1


def _edits(a: str, b: str) -> int:
    out = jiwer.process_characters(a, b)
    return out.substitutions + out.deletions + out.insertions


def _sounds(words: list[str]) -> str:
    """The text as sound keys, for a character comparison that ignores spelling guesses."""
    return "".join(_sound_key(word) for word in words)


def _sound_alike_errors(
    expected: list[str], heard: list[str], regions: list[tuple[int, int, int, int]]
) -> int:
    """How many word errors are sound-alike spellings ("quay" heard as "key").

    A region counts whole when its words, joined, sound alike ("Ada" / "a to"); otherwise
    each substituted pair that sounds alike counts one.
    """
    forgiven = 0
    for ref_start, ref_end, hyp_start, hyp_end in regions:
        ref, hyp = expected[ref_start:ref_end], heard[hyp_start:hyp_end]
        if ref and hyp and _sounds_alike("".join(ref), "".join(hyp)):
            forgiven += max(len(ref), len(hyp))
        elif len(ref) == len(hyp):
            forgiven += sum(_sounds_alike(r, h) for r, h in zip(ref, hyp, strict=True))
    return forgiven


def _unlike_region(
    expected: list[str], heard: list[str], regions: list[tuple[int, int, int, int]]
) -> tuple[str, str] | None:
    """The first error region with ``MIN_UNLIKE_WORDS`` or more words on both sides whose
    sounds differ by more than ``UNLIKE_SOUNDS``, as (expected, heard) text; None."""
    for ref_start, ref_end, hyp_start, hyp_end in regions:
        ref, hyp = expected[ref_start:ref_end], heard[hyp_start:hyp_end]
        if min(len(ref), len(hyp)) < MIN_UNLIKE_WORDS:
            continue
        a, b = _sounds(ref), _sounds(hyp)
        if _edits(a, b) > UNLIKE_SOUNDS * max(len(a), len(b)):
            return " ".join(ref), " ".join(hyp)
    return None


def duration_bounds_s(
    text: str, *, speed: float = 1.0, language: str = ENGLISH
) -> tuple[float, float]:
    """The shortest and longest plausible audio for ``text`` in ``language`` at
    ``speed``, seconds. English is timed by ``narrator.speech.timing`` (fitted on Piper);
    another language by Kokoro's measured time per unit (``HearingRules.seconds_per_unit``)."""
    if primary(language) == ENGLISH:
        expected = expected_duration_s(text, speed=speed)
    else:
        expected = rules_for(language).seconds_per_unit * _length(text, language) / speed
    return MIN_DURATION_FACTOR * expected, MAX_DURATION_FACTOR * expected + DURATION_SLACK_S


def _length(text: str, language: str) -> int:
    """How long ``text`` is in the units its duration is counted in: letters of its
    words, or characters of a language scored by characters."""
    parts = units(text, language=language)
    return len(parts) if by_character(language) else len("".join(parts))


def _verdict(
    expected: list[str], heard: list[str], chars: int, char_errors: int, word_errors: int
) -> Defect | None:
    n = len(expected)
    allowed_words = math.ceil(WORD_ERRORS_BASE + WORD_ERROR_RATE * n)
    allowed_chars = math.ceil(CHAR_ERRORS_BASE + CHAR_ERROR_RATE * chars)
    regions = _regions(expected, heard)
    repeated = repeated_phrase(expected, heard, regions)
    if repeated is not None:
        return repeated
    run = _worst_runs(expected, heard, regions)
    if run.missing > MAX_WORDS_MISSING_IN_A_ROW:
        code = DefectCode.TRUNCATED if run.at_end else DefectCode.DROPPED
        detail = f"{run.missing} words missing in a row near '{run.where}'"
        return Defect(code=code, detail=detail, words=run.where)
    if run.extra > MAX_WORDS_MISSING_IN_A_ROW:
        detail = f"{run.extra} extra words heard in a row near '{run.where}'"
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard)
    if run.misheard > MAX_WORDS_MISHEARD_IN_A_ROW:
        detail = f"{run.misheard} words misheard in a row near '{run.where}'"
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard)
    unlike = _unlike_region(expected, heard, regions)
    if unlike is not None:
        said, other = unlike
        detail = f"other words heard: '{other}' where the text says '{said}'"
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=other)
    # Sound-alike spellings are the small transcriber's guesses, not the speech's fault;
    # missing or garbled words are still caught by the run rules above and by CER.
    counted = word_errors - _sound_alike_errors(expected, heard, regions)
    if counted > allowed_words:
        detail = (
            f"{counted} word errors in {n} words (at most {allowed_words} allowed, "
            f"sound-alike spellings not counted)"
        )
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard or None)
    expected_sounds = _sounds(expected)
    allowed_sounds = math.ceil(SOUND_ERRORS_BASE + SOUND_ERROR_RATE * len(expected_sounds))
    # Spelling guesses inflate raw character errors ("quay" -> "key"); a chunk fails on
    # characters only when its sounds differ too.
    if char_errors > allowed_chars and _edits(expected_sounds, _sounds(heard)) > allowed_sounds:
        detail = (
            f"{char_errors} character errors in {chars} characters "
            f"(at most {allowed_chars} allowed)"
        )
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard or None)
    return None


def score(
    expected: str,
    heard: str,
    duration_s: float,
    *,
    speed: float = 1.0,
    respelled: Sequence[tuple[str, str]] = (),
    language: str = ENGLISH,
) -> Verification:
    """Score a round trip of ``expected`` text in ``language`` (a BCP 47 tag) heard as
    ``heard`` from ``duration_s`` seconds of audio synthesized at ``speed``.

    English: WER is on normalized words; CER on the normalized words with spaces removed,
    so compound splits ("some one" / "someone") cost nothing there. ``respelled`` are the
    lexicon entries (written, respelling) applied to ``expected``: both sides compare the
    written word, so the transcriber may spell either. Another language is scored in its
    own units (:func:`_score_in`).
    """
    if primary(language) != ENGLISH:
        return _score_in(expected, heard, duration_s, speed=speed, language=language)
    expected_words = unrespell(normalize_words(expected), respelled)
    heard_words = unrespell(normalize_words(heard), respelled)
    empty = _nothing_to_compare(heard, expected_words, heard_words, duration_s)
    if empty is not None:
        return empty
    ref = _join_compounds(expected_words, heard_words)
    hyp = _join_compounds(heard_words, expected_words)
    words = jiwer.process_words(" ".join(ref), " ".join(hyp))
    word_errors = words.substitutions + words.deletions + words.insertions
    ref_chars, hyp_chars = "".join(ref), "".join(hyp)
    chars = jiwer.process_characters(ref_chars, hyp_chars)
    char_errors = chars.substitutions + chars.deletions + chars.insertions

    bounds = duration_bounds_s(expected, speed=speed)
    defect = _duration_defect(duration_s, bounds, f"{len(' '.join(expected_words))} characters")
    if defect is None:
        defect = _verdict(ref, hyp, len(ref_chars), char_errors, word_errors)
    return _verification(heard, words.wer, chars.cer, duration_s, defect)


def _nothing_to_compare(
    heard: str, expected_units: list[str], heard_units: list[str], duration_s: float
) -> Verification | None:
    """The verdict when either side has nothing to compare; None when both have."""
    if not expected_units:
        defect = Defect(
            code=DefectCode.UNSPEAKABLE,
            detail="the expected text has no words to compare; do not synthesize it",
        )
        return _verification(heard, 0.0, 0.0, duration_s, defect)
    if not heard_units:
        defect = Defect(
            code=DefectCode.NOISE,
            detail=f"nothing was heard in {duration_s:.1f} s of audio",
            start_s=0.0,
            end_s=duration_s,
        )
        return _verification(heard, 1.0, 1.0, duration_s, defect)
    return None


def _duration_defect(duration_s: float, bounds: tuple[float, float], length: str) -> Defect | None:
    """A defect when ``duration_s`` is outside ``bounds`` (shortest, longest) for a text
    of ``length`` (said in the detail); None inside."""
    shortest, longest = bounds
    if duration_s < shortest:
        return Defect(
            code=DefectCode.TRUNCATED,
            detail=f"audio {duration_s:.1f} s is too short for {length} "
            f"(expected ≥ {shortest:.1f} s)",
            end_s=duration_s,
        )
    if duration_s > longest:
        return Defect(
            code=DefectCode.NOISE,
            detail=f"audio {duration_s:.1f} s is too long for {length} "
            f"(expected ≤ {longest:.1f} s)",
            start_s=longest,
            end_s=duration_s,
        )
    return None


def _score_in(
    expected: str, heard: str, duration_s: float, *, speed: float, language: str
) -> Verification:
    """:func:`score` for a language other than English: both sides in the language's
    units (``narrator.verify.units``), judged by its measured rules
    (``narrator.verify.languages``). Words are compared as written: English's sound-alike
    keys, compounds and respellings do not apply.

    The allowance is in characters: the letters of the words with spaces removed, or the
    units of a language scored by characters. Whisper base splits and joins words of the
    Romance languages freely ("cuor di leone" heard as "cuordileone", "Lázaro" as "la
    saro"), which costs whole words but few letters: on clean Kokoro speech its WER ran
    to 0.29-0.41 where its CER stayed under 0.11 (``bench/bench_language_thresholds.py``).
    A language scored by characters reports its character error rate as both WER and CER.
    """
    ref, hyp = units(expected, language=language), units(heard, language=language)
    empty = _nothing_to_compare(heard, ref, hyp, duration_s)
    if empty is not None:
        return empty
    wer = jiwer.process_words(" ".join(ref), " ".join(hyp)).wer
    if by_character(language):
        cer, chars, char_errors = wer, len(ref), _edits_of(ref, hyp)
        length = f"{chars} characters"
    else:
        ref_chars, hyp_chars = "".join(ref), "".join(hyp)
        cer, chars, char_errors = (
            jiwer.cer(ref_chars, hyp_chars),
            len(ref_chars),
            _edits(ref_chars, hyp_chars),
        )
        length = f"{chars} letters"
    bounds = duration_bounds_s(expected, speed=speed, language=language)
    defect = _duration_defect(duration_s, bounds, length)
    if defect is None:
        defect = _verdict_in(ref, hyp, chars, char_errors, language)
    return _verification(heard, wer, cer, duration_s, defect)


def _edits_of(ref: list[str], hyp: list[str]) -> int:
    out = jiwer.process_words(" ".join(ref), " ".join(hyp))
    return out.substitutions + out.deletions + out.insertions


def _verdict_in(
    expected: list[str], heard: list[str], chars: int, char_errors: int, language: str
) -> Defect | None:
    """The verdict on an alignment of units of a language other than English, with
    ``char_errors`` character edits in ``chars`` characters."""
    rules = rules_for(language)
    unit = "characters" if by_character(language) else "words"
    regions = _regions(expected, heard)
    repeated = repeated_phrase(
        expected, heard, regions, units_per_word=rules.units_per_word,
        min_letters=0 if by_character(language) else MIN_REPEATED_LETTERS,
    )  # fmt: skip
    if repeated is not None:
        return repeated
    run = _worst_runs(expected, heard, regions)
    if run.missing > rules.max_missing_in_a_row:
        code = DefectCode.TRUNCATED if run.at_end else DefectCode.DROPPED
        detail = f"{run.missing} {unit} missing in a row near '{run.where}'"
        return Defect(code=code, detail=detail, words=run.where)
    if run.extra > rules.max_missing_in_a_row:
        detail = f"{run.extra} extra {unit} heard in a row near '{run.where}'"
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard)
    if run.misheard > rules.max_misheard_in_a_row:
        detail = f"{run.misheard} {unit} misheard in a row near '{run.where}'"
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard)
    allowed = math.ceil(rules.errors_base + rules.error_rate * chars)
    if char_errors > allowed:
        detail = (
            f"{char_errors} character errors in {chars} characters ({name(language)}; at "
            f"most {allowed} allowed)"
        )
        return Defect(code=DefectCode.MISMATCH, detail=detail, words=run.heard or None)
    return None


def _verification(
    heard: str, wer: float, cer: float, duration_s: float, defect: Defect | None
) -> Verification:
    return Verification(
        heard=heard,
        wer=wer,
        cer=cer,
        duration_s=duration_s,
        passed=defect is None,
        reason=defect.detail if defect else None,
        defects=(defect,) if defect else (),
    )
