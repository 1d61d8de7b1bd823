"""Find quoted speech in a paragraph: "…", “…”, '…', ‘…’, «…», „…“, 「…」, 『…』 and the
dash that opens dialogue in Romance languages.

Double quotes are unambiguous. A single quote is also an apostrophe, so one counts as
opening a quotation only where it stands before a word and after a space, a dash, an
opening bracket or the paragraph's start, and is not an elision ('tis, 'em, '90s); and
as closing one only where it stands after a word and before a space, punctuation or the
end, and is not inside a word (don't, o'clock). A plural possessive ("the dogs' bowls")
looks like a closing quote; it closes the quotation only when no later closing quote
does. An opening single quote that is never closed was an apostrophe.

A double (or curly single) quotation still open at the paragraph's end runs to the end:
novels leave a quotation that continues into the next paragraph open. So do guillemets
(« », with or without the spaces French sets inside them), German low quotes („ “) and
Japanese and Chinese corner brackets (「」 and 『』), which nest: « a « b » c » is one.

A paragraph that starts with a dash (—, – or ―) is dialogue in French, Spanish, Italian
and Portuguese novels: "— Bonjour, dit-il." Its speech runs to the paragraph's end, but
for a narrator's aside set off by dashes, Spanish style: in "—Hola —dijo Pedro—. ¿Qué
tal?" the aside runs from the dash after a space to the next dash (or to the end when
none closes it), and speech resumes after it. A French aside without dashes ("dit-il")
stays in the speech: nothing marks where it starts.
"""

from __future__ import annotations

import re

_DOUBLE_OPEN = "“"
_DOUBLE_CLOSE = "”"
_SINGLE_OPEN = "‘"
_APOSTROPHES = "'’"

ELISIONS = frozenset(
    {
        "tis",
        "twas",
        "twere",
        "twill",
        "twould",
        "em",
        "til",
        "cause",
        "bout",
        "round",
        "n",
        "neath",
        "ere",
        "nuff",
        "ello",
        "ow",
        "im",
        "er",
        "alf",
        "appen",
        "ome",
        "ave",
        "ad",
        "un",
        "s",
        "cept",
        "specially",
        "fraid",
    }  # fmt: skip
)
"""Words that begin with an apostrophe for a dropped letter ('tis, 'em, 'round, 'ello):
a quote before them is an apostrophe, not an opening quote."""

_WORD_START = re.compile(r"[A-Za-z]+")
_BEFORE_OPEN = set(' \t\n([{—–-"“')
_LEADING_MARKS = re.compile(r"[.,;:!?…)\]]+\s*")


def _is_single_open(text: str, i: int) -> bool:
    """Whether the single quote at ``i`` can open a quotation."""
    if i + 1 >= len(text) or not text[i + 1].isalnum():
        return False
    if i > 0 and text[i - 1] not in _BEFORE_OPEN:
        return False
    if text[i + 1].isdigit():
        return False  # '90s, '45
    word = _WORD_START.match(text, i + 1)
    return not (word and word[0].lower() in ELISIONS)


def _is_single_close(text: str, i: int) -> bool:
    """Whether the single quote at ``i`` can close a quotation (not inside a word)."""
    if i == 0 or text[i - 1].isspace():
        return False
    return i + 1 >= len(text) or not text[i + 1].isalnum()


def _is_possessive(text: str, i: int) -> bool:
    """ "dogs' bowls": an s, the quote, a space and a word."""
    return text[i - 1] in "sS" and text[i + 1 : i + 2] == " " and text[i + 2 : i + 3].isalpha()


def _single_close(text: str, start: int, closers: str) -> int | None:
    """Index of the quote closing the single quotation opened before ``start``."""
    closes = [
        i for i in range(start, len(text)) if text[i] in closers and _is_single_close(text, i)
    ]
    for i in closes:
        if not _is_possessive(text, i) or i == closes[-1]:
            return i
    return None


# Quotation marks that open a quotation, and the marks that close it.
_PAIRS = {
    '"': '"',
    _DOUBLE_OPEN: _DOUBLE_CLOSE + '"',
    "«": "»",
    "„": "“”",
    "「": "」",
    "『": "』",
    "‹": "›",
}
_DASHES = "—–―"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of the quotations in ``text`` (one paragraph),
    quote marks included, in order and not overlapping."""
    if text.lstrip()[:1] in tuple(_DASHES):
        return _dash_spans(text)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _PAIRS:
            end = _closing(text, i)
            spans.append((i, end + 1))
            i = end + 1
            continue
        if (char == _SINGLE_OPEN or char in _APOSTROPHES) and _is_single_open(text, i):
            close = _single_close(text, i + 1, "’" if char == _SINGLE_OPEN else char)
            if close is None and char == _SINGLE_OPEN:
                close = len(text) - 1
            if close is not None:
                spans.append((i, close + 1))
                i = close + 1
                continue
        i += 1
    return spans


def _closing(text: str, start: int) -> int:
    """Index of the mark closing the quotation opened at ``start`` (nested pairs of the
    same marks skipped), or the last index when it is never closed."""
    opener, closers = text[start], _PAIRS[text[start]]
    depth = 0
    for j in range(start + 1, len(text)):
        if text[j] in closers:
            if depth == 0:
                return j
            depth -= 1
        elif text[j] == opener and opener not in closers:
            depth += 1
    return len(text) - 1


def _dash_spans(text: str) -> list[tuple[int, int]]:
    """The speech of a paragraph that opens with a dialogue dash: all of it but the
    narrator's asides, each from a dash after a space to the next dash."""
    spans: list[tuple[int, int]] = []
    start: int | None = len(text) - len(text.lstrip())
    i = start + 1
    while i < len(text):
        if text[i] in _DASHES and text[i - 1] == " " and start is not None:
            spans.append((start, i - 1))  # an aside opens: "—Hola —dijo"
            start = None
        elif text[i] in _DASHES and start is None:
            start = i + 1  # the aside closes: "Pedro—. ¿Qué tal?"
        i += 1
    if start is not None and any(c.isalnum() for c in text[start:]):
        spans.append((start, len(text)))
    return spans


def split_quotes(
    text: str, spans: list[tuple[int, int]], offset: int = 0
) -> list[tuple[str, bool]]:
    """Cut ``text`` (which starts at ``offset`` of the paragraph ``spans`` were found in)
    into ``(segment, quoted)`` pieces, stripped of surrounding spaces, in order.

    Punctuation after a closing quote (the full stop of '"no".') stays with the quote,
    and a piece with nothing to say joins the piece before it, or the one after when it
    comes first: an engine cannot speak it alone.
    """
    cuts = sorted(
        {0, len(text)} | {min(max(edge - offset, 0), len(text)) for span in spans for edge in span}
    )
    pieces: list[tuple[str, bool]] = []
    silent = ""
    for start, end in zip(cuts, cuts[1:], strict=False):
        segment = text[start:end].strip()
        if not any(c.isalnum() for c in segment):
            if pieces:
                pieces[-1] = (pieces[-1][0] + segment, pieces[-1][1])
            else:
                silent += segment
            continue
        middle = offset + (start + end) / 2
        quoted = any(a <= middle < b for a, b in spans)
        lead = _LEADING_MARKS.match(segment)
        if pieces and lead:  # the full stop after a closing quote: '"no". Then'
            pieces[-1] = (pieces[-1][0] + lead[0].strip(), pieces[-1][1])
            segment = segment[lead.end() :]
        pieces.append((silent + segment, quoted))
        silent = ""
    return pieces or [(text.strip(), False)]
