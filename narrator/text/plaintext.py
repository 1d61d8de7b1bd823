"""Plain-text conventions: chapter headings by their shape, contents lists, Project Gutenberg.

A plain-text book marks its chapters only by lines such as "CHAPTER XI." or
"Chapter One: The Pool". Whether such a line is a heading or a sentence that
happens to start with "Chapter" is decided by its shape and its neighbours
(:func:`find_headings`). A list of those lines one after another is a table of
contents, and Project Gutenberg files wrap the book in a header and a licence;
:func:`prepare` finds both so that they are not narrated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from narrator.models import Metadata, Skipped
from narrator.text.numerals import CHINESE, DIGITS, NUMBER_WORD, ROMAN, value

# The words that head a chapter or a group of chapters, in narrator's languages.
_KEYS = (
    "chapter|part|book"
    "|chapitre|partie|livre|tome"  # French
    "|capítulo|capitulo|parte|libro|tomo"  # Spanish, Italian, Portuguese
    "|capitolo|livro"
    "|kapitel|teil|buch"  # German
    "|अध्याय|भाग|परिच्छेद"  # Hindi
)
_ALONE = "prologue|epilogue|épilogue|prólogo|epílogo|prologo|epilogo|prolog|epilog|प्रस्तावना"
# What a title after the number may start with: a capital, a quote or bracket, Spanish
# inverted marks, or a letter of a script without case (Devanagari, Chinese, Japanese).
_TITLE_START = "A-ZÀ-ÖØ-Þ\"'“‘(«¿¡„\u0900-\u097f\u3000-\u9fff"
_HEADING = re.compile(
    rf"(?:(?P<key>(?i:{_KEYS}))\s+(?:(?P<roman>{ROMAN})(?:er|re|e)?|(?P<digits>{DIGITS})[ºª]?"
    rf"|(?P<word>(?i:{NUMBER_WORD})))"
    rf"|(?P<alone>(?i:{_ALONE}))"
    # An ordinal before the word: "Première partie", "Primera parte", "Second Book".
    rf"|(?P<ordinal>(?i:{NUMBER_WORD}))\s+(?P<after>(?i:{_KEYS}))"
    # Chinese and Japanese: 第一章, 第1回, 第十二章 (chapter, episode, volume, part...).
    rf"|第(?P<cjk>{CHINESE}|{DIGITS})(?P<unit>[章回卷部篇節节話话幕]))"
    # After the number: nothing, a separator and a title, or a capitalised title.
    # "Chapter 12 was long." is prose: a lower-case word follows the number.
    rf"(?:\s*(?P<sep>[.:—–\-：、])\s*(?P<rest>.*)|\s+(?P<cap>[{_TITLE_START}].*))?"
)
_MAX_HEADING_CHARS = 80  # a longer line is prose
_SENTENCE_END = ".!?"
# Words a title leaves in lower case (Chicago Manual of Style: prepositions, conjunctions).
_MINOR_WORDS = frozenset(
    {"about", "above", "across", "after", "along", "among", "around", "before", "below"}
    | {"beside", "between", "beyond", "down", "during", "from", "into", "like", "near"}
    | {"onto", "over", "past", "since", "than", "that", "till", "toward", "under", "until"}
    | {"unto", "upon", "with", "within", "without"}
)
_MIN_CONTENTS = 3  # headings of one kind (chapters) listed one after another
_CONTENTS_TITLE = re.compile(r"(?i:(?:table of )?contents)\.?")
_CONTENTS_LOOKBACK = 3  # non-blank lines ('ETYMOLOGY.') allowed between 'CONTENTS' and the list


@dataclass(frozen=True)
class _Candidate:
    """A line shaped like a heading: its title after the number, and its prefix shape."""

    rest: str
    shape: tuple[str, ...]
    number: str  # 'chapter i', 'part two', 'epilogue': which heading it is


def _candidate(line: str) -> _Candidate | None:
    m = _HEADING.fullmatch(line)
    if not m or len(line) > _MAX_HEADING_CHARS:
        return None
    rest = (m["rest"] or m["cap"] or "").strip()
    if m["alone"]:
        return _Candidate(rest=rest, shape=(m["alone"].lower(),), number=m["alone"].lower())
    if m["ordinal"]:
        number = f"{m['after']} {m['ordinal']}".lower()
        return _Candidate(rest=rest, shape=(m["after"], "ordinal", m["sep"] or ""), number=number)
    if m["cjk"]:
        number = f"第{value(m['cjk'])}{m['unit']}"
        return _Candidate(rest=rest, shape=("第", m["unit"], m["sep"] or ""), number=number)
    number = m["roman"] or m["digits"] or m["word"]
    kind = "roman" if m["roman"] else "digits" if m["digits"] else "word"
    return _Candidate(
        rest=rest, shape=(m["key"], kind, m["sep"] or ""), number=f"{m['key']} {number}".lower()
    )


def title_case(text: str) -> bool:
    """'Advice from a Caterpillar' is a title; 'That was where the story' is prose."""
    return all(not w[:1].islower() for w in text.split() if len(w) >= 4 and w not in _MINOR_WORDS)


def _short(text: str, ends: str) -> bool:
    return len(text) <= _MAX_HEADING_CHARS and text[-1:] not in tuple(ends)


def _subtitle(line: str) -> bool:
    """'Down the Rabbit-Hole' or 'Who Stole the Tarts?' under 'CHAPTER XI.'."""
    return _short(line, ".,;:") and title_case(line)


def _reads_as_title(rest: str) -> bool:
    """'Who Stole the Tarts?' is a title; 'It was raining hard.' is a sentence."""
    return title_case(rest) or not (rest[-1:] in tuple(_SENTENCE_END) and len(rest.split()) > 3)


def find_headings(lines: list[str], ignore: Collection[int] = ()) -> dict[int, tuple[int, str]]:
    """Chapter headings among stripped ``lines``: {index: (lines it spans, its title)}.

    A heading starts a paragraph (a blank line or the file's start before it) and is
    followed by a blank line, by a short title-case subtitle and then a blank line
    ('CHAPTER XI.' / 'Who Stole the Tarts?'), or, when it has no end punctuation and
    a title-case title, directly by text that starts a sentence. Alone in its
    paragraph, a heading may end in any punctuation if its title reads as a title or
    its prefix has the shape most of the book's headings share ('CHAPTER <roman>.');
    its title may then also be on the next line whatever its case, or wrap onto it.
    Lines in ``ignore`` (a contents list) are never headings.
    """

    def blank(i: int) -> bool:
        return i < 0 or i >= len(lines) or not lines[i]

    candidates = {
        i: c
        for i, line in enumerate(lines)
        if i not in ignore and (c := _candidate(line)) and (blank(i - 1) or c.shape[0] == "第")
    }
    shapes = Counter(c.shape for c in candidates.values())
    common = {shape for shape, n in shapes.items() if n >= 2 and n == max(shapes.values())}
    headings: dict[int, tuple[int, str]] = {}
    for i, c in candidates.items():
        line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
        if blank(i + 1):
            if c.shape in common or _reads_as_title(c.rest):
                headings[i] = (1, line)
        elif blank(i + 2) and (_subtitle(nxt) or (c.shape in common and _short(nxt, ",;:"))):
            # 'CHAPTER V.' / 'Advice from a Caterpillar'; a lower-case start is a wrapped title.
            joined = f"{line} {nxt}" if nxt[:1].islower() else join_titles(line, nxt)
            headings[i] = (2, joined)
        elif (
            _short(line, _SENTENCE_END + ",;:")
            and title_case(c.rest)
            and not nxt[:1].islower()  # a lower-case next line goes on the sentence
        ):
            headings[i] = (1, line)
    for i, heading in _numbered(lines, ignore).items():
        headings.setdefault(i, heading)
    return headings


# A line holding a numeral, after a word or alone: "II.", "1", "一", "Canto Primo",
# "Book Two:", "Stave III. The Second of the Three Spirits".
_NUMBERED = re.compile(
    rf"(?:(?P<word>[^\W\d_][^\W\d_'’]*)\s+)?"
    rf"(?:(?P<roman>{ROMAN})|(?P<digits>{DIGITS})|(?P<chinese>{CHINESE})"
    rf"|(?P<words>(?i:{NUMBER_WORD})))"
    r"(?P<sep>[.:]?)(?:\s+(?P<rest>\S.*))?"
)
_MAX_NUMBERED_CHARS = 60  # "Canto Primo" and a short title; a longer line is prose
# Text between two numbered headings: a chapter holds more than a list item ("1." /
# "Buy milk.") or a numbered stanza of a poem (four lines of verse, about 150 characters).
_MIN_CHAPTER_CHARS = 200


@dataclass(frozen=True)
class _Numbered:
    """A line that may head a chapter in a numbered sequence."""

    index: int
    value: int


def _numbered_line(lines: list[str], i: int) -> tuple[tuple[str, str, str], int] | None:
    """The series of line ``i`` (the word before its numeral, the numeral's kind and the
    stop after it) and its value, when it is shaped like a numbered heading: it starts a
    paragraph, is short, has a capitalised word if any and a title-case title if any, and
    the line after it (if any) does not go on with a lower-case word."""
    line = lines[i]
    m = _NUMBERED.fullmatch(line)
    if m is None or (i > 0 and lines[i - 1]) or len(line) > _MAX_NUMBERED_CHARS:
        return None
    if (m["word"] and not m["word"][0].isupper()) or (m["rest"] and not title_case(m["rest"])):
        return None
    if i + 1 < len(lines) and lines[i + 1][:1].islower():
        return None
    kind = next(k for k in ("roman", "digits", "chinese", "words") if m[k])
    number = value(m[kind])
    if number is None:
        return None
    return ((m["word"] or "").casefold(), kind, m["sep"]), number


def _numbered(lines: list[str], ignore: Collection[int] = ()) -> dict[int, tuple[int, str]]:
    """Headings found by the sequence they form: {index: (1, the line)}.

    A line that starts a paragraph and holds a numeral, alone ("I", "II.", "1.", "一") or
    after a capitalised word no list knows ("Canto Primo", "Stave Two"), heads a chapter
    when the next line of its series (same word, same kind of numeral, same stop) counts
    on by one with a chapter's worth of text between them (``_MIN_CHAPTER_CHARS``), or
    the previous one counted up to it so. A lone "I." or "1." is not a heading; nor is a
    run of numbers with little between them (a list, a table of contents, stanzas).
    """
    series: dict[tuple[str, str, str], list[_Numbered]] = {}
    for i in range(len(lines)):
        if i not in ignore and (found := _numbered_line(lines, i)):
            key, number = found
            series.setdefault(key, []).append(_Numbered(i, number))
    headings: dict[int, tuple[int, str]] = {}
    for members in series.values():
        for a, b in zip(members, members[1:], strict=False):
            between = sum(len(lines[k]) for k in range(a.index + 1, b.index))
            if b.value == a.value + 1 and between >= _MIN_CHAPTER_CHARS:
                headings[a.index] = (1, lines[a.index])
                headings[b.index] = (1, lines[b.index])
    return headings


def join_titles(first: str, second: str) -> str:
    """'PART ONE' + 'CHAPTER I' -> 'PART ONE. CHAPTER I'; keeps existing punctuation."""
    return f"{first} {second}" if first[-1:] in ".:!?—–-" else f"{first}. {second}"


@dataclass
class Prepared:
    """A plain-text file's stripped lines with what is not the book found.

    ``lines`` has one entry per line of the file (so line numbers stay right);
    lines outside the book (a Project Gutenberg header and licence) are blank
    unless ``include_all`` was asked, and so are picture marks. ``unread`` keeps
    each blanked line with the reason, for the word account. ``contents`` holds the
    indices of a table of contents' lines.
    """

    lines: list[str]
    metadata: Metadata = Metadata()
    skipped: list[Skipped] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)
    contents: set[int] = field(default_factory=set)


def prepare(text: str, *, include_all: bool = False) -> Prepared:
    """Split ``text`` into stripped lines; find a Gutenberg frame and a contents list."""
    prepared = Prepared(lines=[line.strip() for line in text.split("\n")])
    _gutenberg(prepared, include_all=include_all)
    _contents(prepared)
    return prepared


# --- Project Gutenberg ---------------------------------------------------------------

_PG_START = re.compile(
    r"\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*|\*END\*THE SMALL PRINT.*",
    re.IGNORECASE,
)
_PG_END = re.compile(
    r"\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*"
    r"|End of (?:the )?Project Gutenberg(?:'s|’s)? .*",
    re.IGNORECASE,
)
_MAX_ILLUSTRATION_LINES = 40  # a longer "caption" is a missing ']', so the text is kept
_PG_FIELD = re.compile(r"(Title|Author|Language):\s*(.+)")
# The language names Project Gutenberg's headers use, as BCP 47 tags (the most
# common catalogue languages; another name leaves the language unknown).
_LANGUAGES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "finnish": "fi",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "polish": "pl",
    "russian": "ru",
    "latin": "la",
    "greek": "el",
    "chinese": "zh",
    "japanese": "ja",
}


def _gutenberg(prepared: Prepared, *, include_all: bool) -> None:
    """Find the START and END markers; blank the header, licence and illustration
    marks; read the header's metadata."""
    lines = prepared.lines
    start = next((i for i, line in enumerate(lines) if _PG_START.fullmatch(line)), None)
    if start is None:
        return
    end = next((i for i in range(start + 1, len(lines)) if _PG_END.fullmatch(lines[i])), None)
    fields: dict[str, list[str]] = {}
    for line in lines[:start]:
        if m := _PG_FIELD.fullmatch(line):
            fields.setdefault(m[1], []).append(m[2].strip())
    language = fields.get("Language", [""])[0]
    prepared.metadata = Metadata(
        title=fields.get("Title", [None])[0],
        authors=tuple(fields.get("Author", ())),
        language=_LANGUAGES.get(language.lower().split(",")[0].strip()),
    )
    prepared.skipped.append(
        Skipped(
            name="Project Gutenberg header",
            reason=f"lines 1-{start + 1}: catalogue data and terms of use before the START marker",
        )
    )
    if end is not None:
        last = len(lines) - (lines[-1] == "")  # a final newline does not start a line
        prepared.skipped.append(
            Skipped(
                name="Project Gutenberg licence",
                reason=f"lines {end + 1}-{last}: the END marker and the licence after it",
            )
        )
    _illustrations(prepared)
    if include_all:
        return
    licence = range(end if end is not None else len(lines), len(lines))
    for reason, where in (
        ("Project Gutenberg header", range(start + 1)),
        ("Project Gutenberg licence", licence),
    ):
        prepared.unread.append((reason, "\n".join(lines[i] for i in where)))
        for i in where:
            lines[i] = ""


def _illustrations(prepared: Prepared) -> None:
    """Blank Gutenberg's picture marks: '[Illustration]', '[Illustration: caption]'.

    A caption may run over several lines and hold brackets of its own. A chapter
    heading drawn inside the picture ('[Illustration: ... Chapter I.]') is kept.
    """
    lines = prepared.lines
    i = 0
    while i < len(lines):
        if not lines[i].startswith("[Illustration"):
            i += 1
            continue
        depth, end = 0, i
        for end in range(i, min(len(lines), i + _MAX_ILLUSTRATION_LINES)):
            depth += lines[end].count("[") - lines[end].count("]")
            if depth <= 0:
                break
        if depth > 0:
            i += 1
            continue
        caption = []
        for k in range(i, end + 1):
            inner = lines[k].strip("[]").strip()
            if not _candidate(inner):
                caption.append(lines[k])
                inner = ""
            lines[k] = inner
        prepared.unread.append(("illustration caption", "\n".join(caption)))
        i = end + 1


# --- Table of contents ---------------------------------------------------------------


def _contents(prepared: Prepared) -> None:
    """Find headings listed one after another with nothing but blank lines between.

    Real chapters have text between their headings, so such a list is a table of
    contents ('CHAPTER I. Down the Rabbit-Hole' / 'CHAPTER II. The Pool of Tears' /
    ...). An entry may wrap onto a second line; a number seen before ('CHAPTER I.'
    again) starts the book itself. The 'Contents' title above the list belongs to it.
    """
    lines = prepared.lines
    entries: list[int] = []  # the list's heading lines
    numbers: set[str] = set()
    end = 0  # the list's last line
    for i, line in enumerate(lines):
        if not line:
            continue
        candidate = _candidate(line)
        if candidate and candidate.number not in numbers:
            entries.append(i)
            numbers.add(candidate.number)
            end = i
        elif not candidate and entries and end == entries[-1] == i - 1:
            end = i  # the entry's title goes on on this line
        else:
            _record_contents(prepared, entries, end)
            entries = [i] if candidate else []
            numbers = {candidate.number} if candidate else set()
            end = i
    _record_contents(prepared, entries, end)


def _record_contents(prepared: Prepared, entries: list[int], end: int) -> None:
    kinds = Counter(c.shape[0].lower() for i in entries if (c := _candidate(prepared.lines[i])))
    if max(kinds.values(), default=0) < _MIN_CONTENTS:
        return  # 'BOOK ONE' / 'PART ONE' / 'CHAPTER 1' is one heading, not a list
    first = _contents_title(prepared.lines, entries[0])
    prepared.contents.update(range(first, end + 1))
    prepared.skipped.append(
        Skipped(
            name="table of contents",
            reason=f"lines {first + 1}-{end + 1}: {len(entries)} headings listed "
            "with no text between them",
        )
    )


def _contents_title(lines: list[str], first: int) -> int:
    """The index of a 'Contents' line just above the list at ``first``, else ``first``."""
    above = [i for i in range(first) if lines[i]][-(_CONTENTS_LOOKBACK + 1) :]
    titles = [i for i in above if _CONTENTS_TITLE.fullmatch(lines[i])]
    return titles[-1] if titles else first
