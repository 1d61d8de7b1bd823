"""Frozen pydantic records passed between the pipeline's stages.

They are small (paths, hashes, durations, scores, never audio arrays or
clients), so Prefect can hash, persist and cache them cheaply.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for immutable records."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Boundary(StrEnum):
    """What follows a piece of text; it decides the length of the pause after it."""

    CLAUSE = "clause"  # a sentence too long for one request was split inside
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    SCENE = "scene"  # a scene-break line (* * *), never spoken
    END = "end"  # end of chapter


class Sentence(Frozen):
    """One sentence as written (emphasis markers removed), with its place in the chapter."""

    text: str
    paragraph: int = Field(ge=0, description="paragraph index within the chapter")
    boundary: Boundary = Field(description="what follows this sentence")


class Chapter(Frozen):
    """A chapter: an optional title and its sentences in reading order.

    When the chapter has a title, it is spoken first, as a paragraph of its own, so
    ``sentences[0]`` is the title.
    """

    index: int = Field(ge=1, description="1-based chapter number")
    title: str | None
    line: int = Field(ge=1, description="1-based line of the manuscript where the chapter starts")
    sentences: tuple[Sentence, ...]


class Skipped(Frozen):
    """A part of the source that is not narrated, and why (shown by ``narrate split``)."""

    name: str = Field(description="what was skipped, e.g. 'cover.xhtml' or 'Copyright'")
    reason: str = Field(description="why, e.g. 'epub:type copyright-page'")


class CoverRef(Frozen):
    """A cover image stored inside the source file (an EPUB's manifest item)."""

    archive: Path = Field(description="the file that holds the image")
    member: str = Field(description="the image's path inside the archive")
    media_type: str = Field(description="e.g. image/jpeg")


class Metadata(Frozen):
    """What the source says about itself; each field may be missing."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = Field(default=None, description="BCP 47 tag, e.g. 'en' or 'en-GB'")
    cover: CoverRef | None = None

    @property
    def author(self) -> str | None:
        """The authors as one credit ("A and B", "A, B and C"), or None."""
        if not self.authors:
            return None
        if len(self.authors) == 1:
            return self.authors[0]
        return ", ".join(self.authors[:-1]) + " and " + self.authors[-1]


class Book(Frozen):
    """A parsed manuscript."""

    source: Path
    title: str
    slug: str
    chapters: tuple[Chapter, ...]
    language: str = Field(
        default="en", description="BCP 47 tag of the language the book is narrated in"
    )
    metadata: Metadata = Metadata()
    skipped: tuple[Skipped, ...] = Field(
        default=(), description="parts of the source that are not narrated"
    )


class Chunk(Frozen):
    """The text of one speech request: consecutive sentences of one chapter.

    ``text`` is what the reader sees (sentences joined with single spaces);
    ``spoken`` is what the engine is asked to say (abbreviations expanded).
    """

    id: str = Field(description="stable id, e.g. 'c01-0003'")
    chapter: int = Field(ge=1)
    index: int = Field(ge=0, description="0-based position within the chapter")
    text: str
    spoken: str
    boundary: Boundary = Field(description="what follows this chunk; decides the pause after it")
    corrected_text: str | None = Field(
        default=None,
        description="text a person gave ``narrate redo`` to say instead of ``text``; "
        "``spoken`` is then its spoken form",
    )
    respelled: tuple[tuple[str, str], ...] = Field(
        default=(),
        description="(written, respelling) lexicon entries applied to spoken; verification "
        "compares the written form",
    )
    voice: str | None = Field(
        default=None,
        description="the voice that speaks it (the dialogue voice, or one chosen with "
        "`narrate redo --voice`); None: the main",
    )
    revoiced: bool = Field(
        default=False, description="a person chose ``voice`` with ``narrate redo --voice``"
    )


class ChunkAudio(Frozen):
    """A synthesized chunk stored on disk."""

    chunk_id: str
    path: Path
    sample_rate: int = Field(gt=0, description="Hz")
    duration_s: float = Field(ge=0, description="seconds")
    reference_s: float | None = Field(default=None, gt=0, description=(
        "seconds the chunk took as its engine's voice timed it (the take's own length, "
        "SpeechCapabilities.timed_takes), the yardstick of its speaking rate; None: the "
        "engine tells no timing (a remote API)"))  # fmt: skip


class DefectCode(StrEnum):
    """What a listener would notice in a chunk (the reason codes of the manifest)."""

    DROPPED = "dropped"  # words of the text are not said
    TRUNCATED = "truncated"  # the speech stops before the text ends
    REPEATED = "repeated"  # a phrase is said twice
    SILENCE = "silence"  # a pause longer than the text calls for
    RATE = "rate"  # spoken too fast or too slow
    CLIPPED = "clipped"  # the audio starts or ends inside a word
    NOISE = "noise"  # sound that is not the text's speech, or nothing heard
    MISMATCH = "mismatch"  # other words than the text's (misheard, babble, another text)
    UNSPEAKABLE = "unspeakable"  # every synthesis attempt failed; no usable audio


class Defect(Frozen):
    """One thing wrong with a chunk, with its evidence."""

    code: DefectCode
    detail: str = Field(description="one line for a person: what is wrong and where")
    start_s: float | None = Field(default=None, description="where it starts in the chunk, s")
    end_s: float | None = Field(default=None, description="where it ends in the chunk, s")
    words: str | None = Field(default=None, description="the expected or heard words concerned")


class Verification(Frozen):
    """The round-trip check of one chunk: what the transcriber heard and the verdict.

    ``reason`` is the one-line summary (the first defect's detail); ``defects`` holds
    every defect found, with its evidence.
    """

    heard: str
    wer: float = Field(ge=0, description="word error rate after normalization")
    cer: float = Field(ge=0, description="character error rate after normalization")
    duration_s: float = Field(ge=0, description="audio duration, seconds")
    passed: bool
    reason: str | None = Field(default=None, description="why it failed; None when it passed")
    defects: tuple[Defect, ...] = ()


class ChunkResult(Frozen):
    """A chunk after synthesis and verification, possibly after several attempts.

    ``flagged`` is True when every attempt failed verification: the best attempt is
    kept (never dropped) and reported. A flagged chunk a person listened to and
    accepted (``narrate accept``) is ``accepted`` and no longer ``flagged``.
    """

    chunk: Chunk
    audio: ChunkAudio
    verification: Verification
    attempts: int = Field(ge=1)
    flagged: bool
    accepted: bool = Field(default=False, description="failed verification, accepted by ear")


class ChunkPlacement(Frozen):
    """Where a chunk sits in its stitched chapter."""

    chunk_id: str
    start_s: float = Field(ge=0, description="seconds from the start of the chapter file")
    end_s: float = Field(ge=0, description="seconds from the start of the chapter file")


class ChapterAudio(Frozen):
    """A stitched, mastered and encoded chapter."""

    index: int = Field(ge=1)
    title: str
    file: Path = Field(description="the chapter MP3")
    master: Path = Field(description="lossless mastered chapter (FLAC), the source of the M4B")
    duration_s: float = Field(ge=0, description="seconds")
    lufs: float = Field(description="integrated loudness after mastering, LUFS")
    peak_dbfs: float = Field(description="sample peak after mastering, dBFS")
    placements: tuple[ChunkPlacement, ...]
    flagged: int = Field(ge=0, description="chunks kept although every attempt failed verification")


class BookResult(Frozen):
    """A finished book: where its files are and what was flagged."""

    title: str
    out_dir: Path
    m4b: Path
    manifest: Path
    report: Path
    chapters: tuple[ChapterAudio, ...]
    chunks: int
    flagged: int
    accepted: int = Field(default=0, ge=0, description="flagged chunks accepted by ear")
    duration_s: float = Field(ge=0, description="seconds")


AWAITING_BUDGET = "AwaitingBudget"
"""Name of the Completed state a run ends in when the request budget runs out."""


class BudgetWait(Frozen):
    """A run that stopped because the day's request budget is spent; it resumes later."""

    title: str
    done_chunks: int = Field(ge=0, description="chunks synthesized and verified so far")
    total_chunks: int = Field(ge=0)
    used: int = Field(ge=0, description="requests used in the current budget day")
    limit: int = Field(ge=0, description="requests allowed per budget day")
    resets_at: datetime = Field(description="when the next budget day starts, UTC")

    @property
    def message(self) -> str:
        """One line for the CLI, the Prefect state and the report."""
        return (
            f"waiting for budget: {self.done_chunks} of {self.total_chunks} chunks of "
            f"{self.title!r} are done; {self.used} of {self.limit} requests used today. "
            f"The budget resets at {self.resets_at:%Y-%m-%d %H:%M} UTC; run again then to "
            "continue (finished chunks are kept)."
        )
