"""From a parsed book to its speech requests, and what a run would cost."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import Field

from narrator.budget import PRESETS
from narrator.models import Book, Chapter, Chunk, Frozen
from narrator.speech.timing import expected_duration_s
from narrator.text.chunking import pack_chunks
from narrator.verify.batching import plan_batches


class Requests(Frozen):
    """Engine calls a run makes when every chunk passes on its first attempt."""

    synthesis: int = Field(ge=0)
    verification: int = Field(ge=0)
    total: int = Field(ge=0)


class Plan(Frozen):
    """What ``narrate plan`` reports (its JSON keys are a public contract, issues #2, #3)."""

    title: str
    engine: str = Field(description="embedded or remote")
    chapters: int = Field(ge=0)
    characters: int = Field(ge=0, description="characters sent to the engine")
    sentences: int = Field(ge=0)
    chunks: int = Field(ge=0)
    requests: Requests
    paid_requests: int = Field(
        ge=0, description="requests sent to a paid remote API (first attempts)"
    )
    per_sentence_requests: int = Field(
        ge=0, description="one synthesis and one transcription request per sentence (naive)"
    )
    max_input_chars: int = Field(ge=1)
    days: dict[str, int] = Field(
        default_factory=dict, description="budget days per plan preset (remote engine only)"
    )


BATCH_MAX_AUDIO_S = 15 * 60.0
"""Longest batch of chunks sent in one remote transcription request, seconds.

The 25 MB upload limit allows about 13 min of 16-kHz FLAC (``plan_batches`` applies
it); 15 min only caps batches on servers with a larger limit, keeping each request
well inside the default 120-s timeout of a GPU Whisper.
"""


def chunk_book(book: Book, max_chars: int, *, by_paragraph: bool) -> tuple[tuple[Chunk, ...], ...]:
    """Pack every chapter's sentences into chunks of at most ``max_chars`` characters."""
    return tuple(
        pack_chunks(ch, max_chars, by_paragraph=by_paragraph, source=book.source)
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
    speech is longer than ``max_part_minutes`` (ACX: at most 120 min per file; issue #5).
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
    chunks: Sequence[Chunk], *, remote: bool, speed: float
) -> list[tuple[Chunk, ...]]:
    """Group a chapter's chunks for verification: single chunks, or for a remote
    transcriber consecutive chunks of up to ``BATCH_MAX_AUDIO_S`` predicted seconds."""
    if not remote:
        return [(c,) for c in chunks]
    durations = [expected_duration_s(c.spoken, speed=speed) for c in chunks]
    return [
        tuple(chunks[i] for i in group)
        for group in plan_batches(durations, max_audio_s=BATCH_MAX_AUDIO_S)
    ]


def make_plan(
    book: Book,
    chunks: tuple[tuple[Chunk, ...], ...],
    max_chars: int,
    *,
    remote: bool = False,
    verify: str = "embedded",
    speed: float = 1.0,
) -> Plan:
    """Count chapters, characters, chunks and first-attempt requests of a chunked book.

    Synthesis is one request per chunk. Verification is one per chunk on the embedded
    transcriber, and one per batch of consecutive chunks (up to ``BATCH_MAX_AUDIO_S``
    of predicted speech) on a remote one. ``days`` divides the paid requests (remote
    engine and remote verification) by each plan's daily quota.
    """
    flat = [c for chapter in chunks for c in chapter]
    n = len(flat)
    sentences = sum(len(chapter.sentences) for chapter in book.chapters)
    remote_verify = verify == "remote"
    batches = sum(
        len(verification_batches(chapter, remote=remote_verify, speed=speed)) for chapter in chunks
    )
    verification = batches
    paid = (n if remote else 0) + (verification if remote_verify else 0)
    days = (
        {
            name: math.ceil(paid / limits.per_day)
            for name, limits in PRESETS.items()
            if limits.per_day is not None
        }
        if paid
        else {}
    )
    return Plan(
        title=book.title,
        engine="remote" if remote else "embedded",
        chapters=len(book.chapters),
        characters=sum(len(c.spoken) for c in flat),
        sentences=sentences,
        chunks=n,
        requests=Requests(synthesis=n, verification=verification, total=n + verification),
        paid_requests=paid,
        per_sentence_requests=2 * sentences,
        max_input_chars=max_chars,
        days=days,
    )
