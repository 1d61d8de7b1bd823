"""From a parsed book to its speech requests, and what a run would cost."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import Field, computed_field

from narrator.budget import PRESETS
from narrator.config import NarrationParams
from narrator.models import Book, Chapter, Chunk, Frozen
from narrator.speech.base import SpeechCapabilities
from narrator.speech.timing import expected_duration_s
from narrator.text.chunking import pack_chunks
from narrator.verify.base import TranscriberCapabilities
from narrator.verify.batching import plan_batches


class Requests(Frozen):
    """Engine calls a run makes when every chunk passes on its first attempt."""

    synthesis: int = Field(ge=0)
    verification: int = Field(ge=0)
    total: int = Field(ge=0)
    paid: int = Field(ge=0, description="requests sent to a paid API")


class Plan(Frozen):
    """What ``narrate plan`` reports (its JSON keys are a public contract)."""

    title: str
    engine: str = Field(description="embedded (Piper), kokoro or remote")
    chapters: int = Field(ge=0)
    characters: int = Field(ge=0, description="characters sent to the engine")
    sentences: int = Field(ge=0)
    chunks: int = Field(ge=0)
    requests: Requests
    per_sentence_requests: int = Field(
        ge=0, description="one synthesis and one transcription request per sentence (naive)"
    )
    max_input_chars: int = Field(ge=1)
    days: dict[str, int] = Field(
        default_factory=dict, description="budget days per plan preset (remote engine only)"
    )
    dialogue_chunks: int = Field(
        default=0, ge=0, description="chunks of quoted speech (with a dialogue voice)"
    )
    dialogue_extra_paid: int = Field(
        default=0,
        ge=0,
        description="paid requests a dialogue voice adds over narrating in one voice",
    )

    @computed_field(description="requests sent to a paid remote API (first attempts)")
    @property
    def paid_requests(self) -> int:
        """``requests.paid``, also a top-level key of the JSON."""
        return self.requests.paid


def chunk_book(
    book: Book, max_chars: int, *, by_paragraph: bool, dialogue_voice: str | None = None
) -> tuple[tuple[Chunk, ...], ...]:
    """Pack every chapter's sentences into chunks of at most ``max_chars`` characters
    (quoted speech into chunks of its own with a ``dialogue_voice``), each chunk's spoken
    text in the book's language."""
    return tuple(
        pack_chunks(
            ch,
            max_chars,
            by_paragraph=by_paragraph,
            source=book.source,
            dialogue_voice=dialogue_voice,
            language=book.language,
        )
        for ch in book.chapters
    )


class Part(Frozen):
    """One chapter file: a whole chapter, or a part of one too long for one file."""

    index: int = Field(ge=1, description="1-based file number in the book")
    title: str
    chunks: tuple[Chunk, ...]


PART_PLANNING_FACTOR = 0.85
"""Parts are cut where the *predicted* speaking time reaches 85 % of the limit: the
prediction is within about 15 % of real speech, so a part stays under ACX's 120 min."""


def book_parts(
    book: Book,
    chunks: tuple[tuple[Chunk, ...], ...],
    *,
    max_part_minutes: float,
    speed: float = 1.0,
) -> tuple[Part, ...]:
    """The book's chapter files: each chapter whole, or in equal parts when its predicted
    speech is longer than ``max_part_minutes`` (ACX: at most 120 min per file).
    A part is titled "<chapter> (Part i of n)"; parts end at chunk boundaries."""
    limit_s = max_part_minutes * 60 * PART_PLANNING_FACTOR
    parts: list[Part] = []
    for chapter, chapter_chunks in zip(book.chapters, chunks, strict=True):
        title = chapter_title(book, chapter)
        seconds = [expected_duration_s(c.spoken, speed=speed) for c in chapter_chunks]
        count = max(1, math.ceil(sum(seconds) / limit_s))
        groups = _even_groups(chapter_chunks, seconds, count)
        for i, group in enumerate(groups, 1):
            name = title if len(groups) == 1 else f"{title} (Part {i} of {len(groups)})"
            parts.append(Part(index=len(parts) + 1, title=name, chunks=group))
    return tuple(parts)


def _even_groups(
    chunks: Sequence[Chunk], seconds: Sequence[float], count: int
) -> list[tuple[Chunk, ...]]:
    """Cut ``chunks`` into at most ``count`` consecutive groups of about equal duration."""
    share = sum(seconds) / count
    groups: list[list[Chunk]] = [[]]
    elapsed = 0.0
    for chunk, duration in zip(chunks, seconds, strict=True):
        if groups[-1] and elapsed + duration / 2 > share * len(groups) and len(groups) < count:
            groups.append([])
        groups[-1].append(chunk)
        elapsed += duration
    return [tuple(g) for g in groups]


def chapter_title(book: Book, chapter: Chapter) -> str:
    """The title shown for a chapter: its heading, else the book title or 'Chapter N'."""
    if chapter.title:
        return chapter.title
    return book.title if len(book.chapters) == 1 else f"Chapter {chapter.index}"


def verification_batches(
    chunks: Sequence[Chunk], transcriber: TranscriberCapabilities, *, speed: float
) -> list[tuple[Chunk, ...]]:
    """Group a chapter's chunks for verification: single chunks, or for a transcriber
    that batches, chunks of up to its ``batch_s`` predicted seconds (``plan_batches``),
    longest batch first."""
    if transcriber.batch_s is None:
        return [(c,) for c in chunks]
    durations = [expected_duration_s(c.spoken, speed=speed) for c in chunks]
    return [
        tuple(chunks[i] for i in group)
        for group in plan_batches(durations, max_audio_s=transcriber.batch_s)
    ]


def count_requests(
    groups: Sequence[Sequence[Chunk]],
    speech: SpeechCapabilities,
    transcriber: TranscriberCapabilities,
    *,
    speed: float,
) -> Requests:
    """Engine requests for ``groups`` of consecutive chunks (chapters, or parts of them)
    when every chunk passes on its first attempt.

    Synthesis is one request per chunk. Verification is one per chunk, or one per batch
    (``verification_batches``) when the transcriber batches. Paid requests are those of
    the engines that are paid.
    """
    synthesis = sum(len(group) for group in groups)
    verification = sum(
        len(verification_batches(group, transcriber, speed=speed)) for group in groups
    )
    paid = (synthesis if speech.paid else 0) + (verification if transcriber.paid else 0)
    return Requests(
        synthesis=synthesis,
        verification=verification,
        total=synthesis + verification,
        paid=paid,
    )


def make_plan(book: Book, chunks: tuple[tuple[Chunk, ...], ...], params: NarrationParams) -> Plan:
    """Count chapters, characters, chunks and first-attempt requests (``count_requests``)
    of a book chunked for the engines ``params`` select. ``days`` divides the paid
    requests by each plan's daily quota.
    """
    # Imported here: the engines module imports the OpenAI SDK (about a second), which
    # every CLI command would pay for, as the CLI imports this module.
    from narrator.engines import engine_kind, speech_capabilities, transcriber_capabilities

    speech = speech_capabilities(params)
    transcriber = transcriber_capabilities(params)
    requests = count_requests(chunks, speech, transcriber, speed=params.speed)
    flat = [c for chapter in chunks for c in chapter]
    sentences = sum(len(chapter.sentences) for chapter in book.chapters)
    days = (
        {
            name: math.ceil(requests.paid / limits.per_day)
            for name, limits in PRESETS.items()
            if limits.per_day is not None
        }
        if requests.paid
        else {}
    )
    return Plan(
        title=book.title,
        engine=engine_kind(params),
        chapters=len(book.chapters),
        characters=sum(len(c.spoken) for c in flat),
        sentences=sentences,
        chunks=len(flat),
        requests=requests,
        per_sentence_requests=2 * sentences,
        max_input_chars=speech.max_input_chars,
        days=days,
        dialogue_chunks=sum(c.voice is not None for c in flat),
        dialogue_extra_paid=_dialogue_extra(book, requests, speech, transcriber, params),
    )


def _dialogue_extra(
    book: Book,
    requests: Requests,
    speech: SpeechCapabilities,
    transcriber: TranscriberCapabilities,
    params: NarrationParams,
) -> int:
    """Paid requests the dialogue voice adds: ``requests`` less those of one voice."""
    if params.dialogue_voice is None:
        return 0
    one_voice = chunk_book(book, speech.max_input_chars, by_paragraph=speech.packs_by_paragraph)
    return requests.paid - count_requests(one_voice, speech, transcriber, speed=params.speed).paid
