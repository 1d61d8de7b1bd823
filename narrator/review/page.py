"""``review.html``: one self-contained page to listen to a finished book's flagged chunks
and fix them.

The page is static HTML with inline CSS and SVG, no script and nothing fetched from a
network. Each chunk's player plays the chunk's own verified audio from the book's
chunk store (``cache/chunks/<key>.flac``, linked by a relative path), so the page
itself stays small (a few KB per flagged chunk) and the audio is never copied.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from narrator.atomic import write_text_atomic
from narrator.review.diff import word_diff
from narrator.review.loudness import LoudnessSeries, chapter_loudness
from narrator.review.plot import Span, clock, loudness_svg
from narrator.store import BookPaths

_TEMPLATE = Template(files("narrator.review").joinpath("page.html").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class FixCommands:
    """The ``narrate`` commands that fix one chunk of a book narrated from ``manuscript``
    into ``out_dir`` (both absolute, so each command works from any folder)."""

    manuscript: Path
    out_dir: Path

    def __call__(self, verb: str, chunk_id: str, text: str | None = None) -> str:
        """``narrate VERB MANUSCRIPT --chunk ID --out DIR [--text TEXT]``, shell-quoted."""
        args = ["narrate", verb, str(self.manuscript), "--chunk", chunk_id]
        args += ["--out", str(self.out_dir)]
        if text is not None:
            args += ["--text", text]
        return shlex.join(args)


def write_review(paths: BookPaths, commands: FixCommands) -> Path:
    """Write the book's ``review.html`` from its manifest and chapter masters; return it."""
    data = json.loads(paths.manifest.read_text(encoding="utf-8"))
    loudness = {
        ch["index"]: chapter_loudness(paths, ch["index"], ch["duration_s"])
        for ch in data["chapters"]
    }
    write_text_atomic(paths.review, review_html(data, loudness, commands))
    return paths.review


def review_html(
    data: Mapping[str, Any], loudness: Mapping[int, LoudnessSeries], commands: FixCommands
) -> str:
    """The review page of the manifest ``data`` (its paths relative to the page)."""
    chapters = data["chapters"]
    entries = [(ch, c) for ch in chapters for c in ch["chunks"]]
    flagged = [_entry(ch, c, commands) for ch, c in entries if c["flagged"]]
    fixed = [
        _entry(ch, c, commands)
        for ch, c in entries
        if not c["flagged"] and (c.get("accepted") or c.get("corrected_text") or c.get("revoiced"))
    ]
    intro = (
        f"{escape(data['title'])}{' by ' + escape(data['author']) if data.get('author') else ''}: "
        f"{len(chapters)} chapters, {clock(data['duration_s'])}, "
        f'{len(entries)} chunks. Audiobook <a href="{escape(data["m4b"])}">'
        f"{escape(data['m4b'])}</a>; spoken by <code>{escape(data['engine'])}</code>, "
        f"verified with <code>{escape(data['verifier'])}</code>."
    )
    return _TEMPLATE.substitute(
        title=escape(data["title"]),
        intro=intro,
        summary="\n".join(_summary_row(ch) for ch in chapters),
        flagged_count=len(flagged),
        flagged="\n".join(flagged)
        or "<p>None: every chunk passed round-trip verification or was accepted.</p>",
        fixed_count=len(fixed),
        fixed="\n".join(fixed) or "<p>None.</p>",
        chapters="\n".join(_chapter(ch, loudness[ch["index"]], commands) for ch in chapters),
    )


def _summary_row(ch: Mapping[str, Any]) -> str:
    check = ch["check"]
    verdict = (
        f'<span class="pass">{escape(check["preset"])} pass</span>'
        if check["passed"]
        else f'<span class="fail">{escape(check["preset"])} FAIL: '
        f"{escape(', '.join(check['failed']))}</span>"
    )
    flagged = sum(c["flagged"] for c in ch["chunks"])
    cells = [
        f'<td class="num">{ch["index"]}</td>',
        f'<td><a href="#chapter-{ch["index"]}">{escape(ch["title"])}</a></td>',
        f'<td class="num">{clock(ch["duration_s"])}</td>',
        f'<td class="num">{ch["lufs"]:.1f}</td>',
        f'<td class="num">{ch["peak_dbfs"]:.1f}</td>',
        f'<td class="num">{len(ch["chunks"])}</td>',
        f'<td class="num{" fail" if flagged else ""}">{flagged}</td>',
        f'<td class="num">{sum(bool(c.get("accepted")) for c in ch["chunks"])}</td>',
        f"<td>{verdict}</td>",
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _evidence(c: Mapping[str, Any]) -> str:
    """The reason a chunk failed: each defect with where it is, else the verdict's reason."""
    defects: Sequence[Mapping[str, Any]] = c.get("defects") or ()
    if not defects:
        return escape(c.get("reason") or "none recorded")
    rows = []
    for d in defects:
        where = (
            f"{d['start_s']:.2f}-{d['end_s']:.2f} s"
            if d.get("start_s") is not None and d.get("end_s") is not None
            else ""
        )
        rows.append(
            f"<tr><td><code>{escape(d['code'])}</code></td><td>{escape(d.get('detail') or '')}"
            f"</td><td>{where}</td><td>{escape(d.get('words') or '')}</td></tr>"
        )
    return (
        '<table class="defects"><thead><tr><th scope="col">Defect</th><th scope="col">Detail'
        '</th><th scope="col">Where</th><th scope="col">Words</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _entry(ch: Mapping[str, Any], c: Mapping[str, Any], commands: FixCommands) -> str:
    """One chunk to review: player, expected and heard texts, evidence, attempts, commands."""
    cid = escape(c["id"])
    said = c.get("corrected_text") or c["text"]
    expected, heard = word_diff(said, c["heard"])
    state = "flagged" if c["flagged"] else "accepted" if c.get("accepted") else "corrected"
    rows = [
        ("Expected", expected),
        ("Heard", heard or "<em>nothing</em>"),
        ("Reason", _evidence(c) if not c["passed"] else "passed verification"),
        ("Attempts", str(c["attempts"])),
        ("Errors", f"WER {c['wer']:.2f}, CER {c['cer']:.2f}"),
    ]
    if c.get("corrected_text"):
        rows.insert(0, ("Manuscript", escape(c["text"])))
    if c.get("revoiced"):
        rows.append(("Voice", f"{escape(c['voice'])}, chosen for this chunk"))
    if c.get("accepted"):
        rows.append(("Accepted", "by ear; it stays accepted until its text or voice changes"))
    fixes = [("Redo it", commands("redo", c["id"])),
             ("Redo with corrected text", commands("redo", c["id"], said))]  # fmt: skip
    if c["flagged"]:
        fixes.append(("Accept it as it is", commands("accept", c["id"])))
    items = "".join(f"<li>{label}: <code>{escape(cmd)}</code></li>" for label, cmd in fixes)
    audio = escape(c.get("audio") or "")
    in_chapter = f"{escape(ch['file'])}#t={c['start_s']:.2f},{c['end_s']:.2f}"
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<article class="chunk {"fixed" if state != "flagged" else "flagged"}" id="chunk-{cid}" '
        f'data-chunk="{cid}" aria-labelledby="h-{cid}">'
        f'<h3 id="h-{cid}">{cid} ({state}): chapter {ch["index"]}, {escape(ch["title"])}, '
        f"{clock(c['start_s'])}-{clock(c['end_s'])}</h3>"
        f'<audio controls preload="metadata" src="{audio}" aria-label="audio of chunk {cid}">'
        f'<a href="{audio}">audio of {cid}</a></audio>'
        f'<p><a href="{in_chapter}">Play it in the chapter file</a></p>'
        f"<dl>{details}</dl>"
        f'<ul class="commands">{items}</ul></article>'
    )


def _chapter(ch: Mapping[str, Any], series: LoudnessSeries, commands: FixCommands) -> str:
    """A chapter's loudness plot, and every chunk's id with the command to redo it."""
    index = ch["index"]
    spans = [
        Span(c["start_s"], c["end_s"], c["id"], "flagged" if c["flagged"] else "accepted")
        for c in ch["chunks"]
        if c["flagged"] or c.get("accepted")
    ]
    label = f"Loudness of chapter {index}, {ch['title']}, over time"
    plot = loudness_svg(series, ch["duration_s"], ch["lufs"], spans, ident=f"plot-{index}",
                        label=label)  # fmt: skip
    rows = "".join(
        f"<tr><td><code>{escape(c['id'])}</code></td>"
        f'<td class="num">{clock(c["start_s"])}</td>'
        f"<td>{_state(c)}</td><td><code>{escape(commands('redo', c['id']))}</code></td></tr>"
        for c in ch["chunks"]
    )
    return (
        f'<section id="chapter-{index}" aria-labelledby="chapter-{index}-h">'
        f'<h3 id="chapter-{index}-h">{index}. {escape(ch["title"])} '
        f"({escape(ch['file'])})</h3>{plot}"
        f"<details><summary>All {len(ch['chunks'])} chunks</summary><table><thead><tr>"
        '<th scope="col">Chunk</th><th scope="col">Starts</th><th scope="col">State</th>'
        f'<th scope="col">Redo</th></tr></thead><tbody>{rows}</tbody></table></details></section>'
    )


def _state(c: Mapping[str, Any]) -> str:
    if c["flagged"]:
        return f'<a class="fail" href="#chunk-{escape(c["id"])}">flagged</a>'
    if c.get("accepted"):
        return "accepted"
    return "passed, corrected" if c.get("corrected_text") or c.get("revoiced") else "passed"
