"""Where every word of a manuscript went: narrated, skipped with a reason, or lost.

A reader that drops text by mistake leaves no trace: the chapter is simply shorter. So
the words are counted twice, from both ends. Each reader says what a person sees in
each source document (``Document.sources``: the text of an EPUB spine document's body,
rendered Markdown, a Word document's paragraphs) and what each of its rules left out,
with the reason (``Document.left_out``: a note, a table, a copyright page). The other
end is what the book became: the words of every chunk and every chapter title. A word
of the source that is in neither is lost.

Words are compared as written, before ``spoken_form`` spells out numbers, so "1851"
is one word on both sides. Counting is by multiset per group of source documents read
together (one EPUB file and the chapters it holds; for a single file, the whole book),
so it costs one pass over the text; only where words are lost is the text aligned, to
say where the loss starts.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from pydantic import Field

from narrator.models import Chapter, Chunk, Frozen
from narrator.text.document import Document
from narrator.text.load import ZERO_WIDTH

# A word: letters (with apostrophes inside, "don't", "o'clock") or digits. Letters and
# digits are words of their own, so a note marker glued to its word on the page
# ("row<sup>1</sup>" shows as "row1") is the word plus the marker, as the reader reads it.
# Chinese and Japanese have no spaces to find words by: each kanji, hanzi or kana is a
# word, so a paragraph wrapped over two lines ("你好\n世界") counts as it is narrated.
_CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = rf"(?![{_CJK}])[^\W\d_]"
_WORD = re.compile(rf"[{_CJK}]|{_LETTER}+(?:['’]{_LETTER}+)*|\d+")

LOST_WORDS_ALLOWED = 5
"""Lost words of one group of source documents that are not yet a loss: "more than a
handful". Measured with ``narrate split`` on the sample, the test books and fifteen real
e-book files, 1.4 million words in all (Standard Ebooks EPUBs of Alice, Pride and
Prejudice, Moby-Dick, A Christmas Carol and Frankenstein; Project Gutenberg plain text
and HTML of Alice, Pride and Prejudice, Moby-Dick, A Christmas Carol and The Prince): no
group lost a word. Five leave room for a stray difference between how a page shows a
word and how a reader reads it, yet catch a lost sentence: of 43 paragraphs dropped from
those books on purpose (1 to 296 words), each of the 36 longer than five words was
reported in the file it came from, 34 of them quoted from their first words. A lost
reply of three words ("He nodded twice.") is counted in ``lost`` but passes."""


# What the readers delete inside words (``narrator.text.load.clean_text``, and the soft
# hyphens of markup): control characters (Unicode category Cc) but whitespace,
# zero-width characters and the soft hyphen. One regular expression: with clean_text's
# test of each character, accounting for Moby-Dick (216,000 words) took 0.56 s, not 0.34 s.
_INVISIBLE = re.compile(rf"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad{ZERO_WIDTH}]")


def words(text: str) -> list[str]:
    """The words of ``text`` as written, in order (see ``_WORD``).

    Characters the readers delete are deleted first (``_INVISIBLE``), and accents are
    composed (NFC), so "won\\u00adder" and "wonder" are one word.
    """
    return _WORD.findall(unicodedata.normalize("NFC", _INVISIBLE.sub("", text)))


def _keys(text: str) -> list[str]:
    return [w.casefold() for w in words(text)]


class Loss(Frozen):
    """Words of the source that are neither narrated nor skipped with a reason."""

    where: str = Field(description="the source documents, e.g. 'EPUB/text/chapter-01.xhtml'")
    words: int = Field(ge=1, description="how many words are missing")
    first: str = Field(description="the first missing words, as written")

    def sentence(self) -> str:
        """'120 words of EPUB/ch01.xhtml are neither narrated nor skipped, starting "..."'."""
        return (
            f"{self.words:,} words of {self.where} are neither narrated nor skipped, "
            f"starting {self.first!r}"
        )


class SourceWords(Frozen):
    """The words of one group of source documents read together, by where they went.

    A group is one EPUB file with the chapters it holds (several files when a chapter
    runs on over them), or the whole manuscript for a single-file format.
    """

    name: str = Field(description="the documents, e.g. 'EPUB/text/chapter-01.xhtml'")
    source: int = Field(ge=0, description="words a reader sees in them")
    narrated: int = Field(ge=0, description="of those, words in a chunk or a chapter title")
    skipped: dict[str, int] = Field(description="of those, words left out, by reason")
    lost: int = Field(ge=0, description="of those, words in neither")


class WordAccount(Frozen):
    """Every word of a manuscript: in the source, narrated, skipped by reason, and lost."""

    source: int = Field(ge=0, description="words a reader sees in the manuscript")
    narrated: int = Field(ge=0, description="of those, words in a chunk or a chapter title")
    skipped: dict[str, int] = Field(description="of those, words left out, by reason")
    lost: int = Field(ge=0, description="of those, words neither narrated nor skipped")
    added: int = Field(
        ge=0,
        description="words narrated that the page does not show: table-of-contents labels "
        "as titles, alt text read on request",
    )
    losses: tuple[Loss, ...] = Field(
        description=f"groups with more than {LOST_WORDS_ALLOWED} lost words: a reader bug"
    )
    documents: tuple[SourceWords, ...] = Field(description="the account of each group")

    def summary(self) -> str:
        """One line: '3,210 words: 3,100 narrated, 110 skipped (note 10, ...), 0 lost'."""
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{reason} {n:,}" for reason, n in self.skipped.items())
        return (
            f"{self.source:,} words in the source: {self.narrated:,} narrated, "
            f"{skipped:,} skipped{f' ({reasons})' if reasons else ''}, {self.lost:,} lost"
        )


def account_words(
    document: Document,
    chapters: Sequence[Chapter],
    chunks: Sequence[Sequence[Chunk]],
    *,
    announced: bool,
) -> WordAccount:
    """Account for every word of ``document``'s sources.

    ``chapters`` were assembled from ``document.sections``, one for one, and ``chunks``
    are each chapter's chunks; with ``announced`` the chunks already say each chapter's
    title, else the title is counted beside them.
    """
    names = [source.name for source in document.sources]
    groups = _groups(names, [section.sources for section in document.sections])
    texts = {source.name: source.text for source in document.sources}
    rows = []
    losses = []
    added = 0
    for members in groups:
        member_set = set(members)
        seen = [w for name in members for w in words(texts[name])]
        narrated = [
            key
            for section, chapter, chapter_chunks in zip(
                document.sections, chapters, chunks, strict=True
            )
            if (section.sources or names[:1])[0] in member_set
            for key in _narrated(chapter, chapter_chunks, announced=announced)
        ]
        left_out = [(x.reason, _keys(x.text)) for x in document.left_out if x.source in member_set]
        row, extra = _row(", ".join(members), seen, narrated, left_out)
        rows.append(row)
        added += extra
        if row.lost > LOST_WORDS_ALLOWED:
            first = _first_missing(seen, narrated, [keys for _, keys in left_out])
            losses.append(Loss(where=row.name, words=row.lost, first=first))
    skipped: Counter[str] = Counter()
    for row in rows:
        skipped.update(row.skipped)
    return WordAccount(
        source=sum(r.source for r in rows),
        narrated=sum(r.narrated for r in rows),
        skipped=dict(skipped),
        lost=sum(r.lost for r in rows),
        added=added,
        losses=tuple(losses),
        documents=tuple(rows),
    )


def _narrated(chapter: Chapter, chunks: Sequence[Chunk], *, announced: bool) -> list[str]:
    """The words a chapter became: its chunks, and its title where they do not say it."""
    said = [key for chunk in chunks for key in _keys(chunk.text)]
    if chapter.title and not announced:
        return _keys(chapter.title) + said
    return said


def _groups(names: list[str], sections: Iterable[list[str]]) -> list[list[str]]:
    """The source documents in groups read together: documents that share a chapter are
    one group (union-find), each group in reading order, groups in reading order."""
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for members in sections:
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in names:
        grouped[root(name)].append(name)
    return list(grouped.values())


def _row(
    name: str, seen: list[str], narrated: list[str], left_out: list[tuple[str, list[str]]]
) -> tuple[SourceWords, int]:
    """One group's account by multiset, and how many narrated words it does not show."""
    source = Counter(w.casefold() for w in seen)
    said = Counter(narrated)
    rest = source - said
    skipped: Counter[str] = Counter()
    for reason, keys in left_out:
        covered = Counter(keys) & rest
        if covered:
            skipped[reason] += covered.total()
            rest -= covered
    row = SourceWords(
        name=name,
        source=source.total(),
        narrated=(source & said).total(),
        skipped=dict(skipped),
        lost=rest.total(),
    )
    return row, (said - source).total()


_RESYNC = 4
"""Words in a row that must agree before the alignment in :func:`_unmatched` resumes
after a gap: three common words ("of the sea") recur too often to mark a place."""
_SHOWN = 12  # missing words quoted in a message
_RUN_GAP = 3  # missing words at most this far apart are one passage


def _unmatched(seen: list[str], narrated: list[str]) -> list[int]:
    """Positions of ``seen`` (keys, in reading order) that ``narrated`` does not follow.

    Greedy and linear: equal words are matched in turn; at a difference, the next place
    in ``seen`` where the next :data:`_RESYNC` narrated words occur skips a gap (what
    was left out), and where there is none the narrated word is one the page does not
    show (a table-of-contents label) and is passed over.
    """
    grams: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for p in range(len(seen) - _RESYNC + 1):
        grams[tuple(seen[p : p + _RESYNC])].append(p)
    unmatched: list[int] = []
    i = j = 0
    while i < len(seen) and j < len(narrated):
        if seen[i] == narrated[j]:
            i, j = i + 1, j + 1
            continue
        gram = tuple(narrated[j : j + _RESYNC])
        if len(gram) == _RESYNC:
            positions = grams.get(gram, [])
            k = bisect_left(positions, i)
            at = positions[k] if k < len(positions) else None
        else:  # the last few narrated words: look for them one place at a time
            ends = range(i, len(seen) - len(gram) + 1)
            at = next((p for p in ends if tuple(seen[p : p + len(gram)]) == gram), None)
        if at is None:
            j += 1
        else:
            unmatched.extend(range(i, at))
            i = at
    unmatched.extend(range(i, len(seen)))
    return unmatched


def _first_missing(seen: list[str], narrated: list[str], left_out: list[list[str]]) -> str:
    """The first missing words of a group, as written.

    Of the source's words that the narration does not follow, a word is skipped when,
    inside that stretch, a window of :data:`_RESYNC` words around it, or a whole
    skipped text shorter than that (a note marker, a page number), is skipped text too:
    so a lost paragraph is told apart from the copyright page or the notes beside it even
    when they share common words. Quoted as the source has it, from the first passage of
    several missing words; a single missing word is more often a page's drawing than a
    lost passage.
    """
    keys = [w.casefold() for w in seen]
    windows = {
        tuple(piece[k : k + _RESYNC]) for piece in left_out for k in range(len(piece) - _RESYNC + 1)
    }
    windows |= {tuple(piece) for piece in left_out if 0 < len(piece) < _RESYNC}
    sizes = sorted({_RESYNC, *(len(piece) for piece in left_out if 0 < len(piece) < _RESYNC)})
    stretches: list[list[int]] = []
    for p in _unmatched(keys, narrated):
        if stretches and p == stretches[-1][-1] + 1:
            stretches[-1].append(p)
        else:
            stretches.append([p])
    missing = []
    for stretch in stretches:
        covered = [False] * len(stretch)
        for size in sizes:
            for k in range(len(stretch) - size + 1):
                if tuple(keys[stretch[k] : stretch[k] + size]) in windows:
                    covered[k : k + size] = [True] * size
        missing += [p for p, skipped in zip(stretch, covered, strict=True) if not skipped]
    runs: list[list[int]] = []
    for p in missing:
        if runs and p - runs[-1][-1] <= _RUN_GAP:
            runs[-1].append(p)
        else:
            runs.append([p])
    run = next((r for r in runs if len(r) >= _RUN_GAP), runs[0] if runs else [])
    if not run:  # the narration follows the page throughout: the words are spread out
        return "(no one passage: words missing here and there)"
    passage = seen[run[0] : run[-1] + 1]  # as it stands, a skipped word inside included
    return " ".join(passage[:_SHOWN]) + (" ..." if len(passage) > _SHOWN else "")
