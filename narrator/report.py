"""``report.md``: a short human-readable report of a book's manifest (chapters, words,
requests, flagged chunks, fixes)."""

from __future__ import annotations

from typing import Any

__all__ = ["report_markdown"]


def report_markdown(data: dict[str, Any]) -> str:
    """A short human-readable report of a manifest: chapters, then every flagged chunk."""
    chapters = data["chapters"]
    lines = [
        f"# {data['title']}",
        "",
        f"Audiobook: `{data['m4b']}`, {data['duration_s'] / 60:.1f} min "
        f"(engine `{data['engine']}`, verified with `{data['verifier']}`).",
        "",
        "| # | chapter | file | duration (s) | LUFS | peak (dBFS) | chunks | flagged | check |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    flagged: list[str] = []
    for ch in chapters:
        bad = [c for c in ch["chunks"] if c["flagged"]]
        lines.append(
            f"| {ch['index']} | {ch['title']} | `{ch['file']}` | {ch['duration_s']:.1f} "
            f"| {ch['lufs']:.1f} | {ch['peak_dbfs']:.1f} | {len(ch['chunks'])} | {len(bad)} "
            f"| {_verdict(ch['check'])} |"
        )
        flagged += [
            f"- `{c['id']}` ({c['start_s']:.1f}-{c['end_s']:.1f} s in `{ch['file']}`): "
            f"{_codes(c)}{c['reason']}\n  - text: {c['text']}\n  - heard: {c['heard']}"
            for c in bad
        ]
    rate = data.get("speaking_rate")
    if rate and not rate["passed"]:
        lines += ["", "## Speaking rate FAILED", "", rate["detail"]]
    lines += ["", "## Words", "", *_account_lines(data["account"])]
    if data.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in data["notes"]]
    if data.get("requests"):
        lines += ["", "## Requests", "", *_request_lines(data["requests"])]
    lines += ["", "## Flagged chunks", ""]
    lines += flagged or ["None: every chunk passed round-trip verification or was accepted."]
    fixed = [line for ch in chapters for c in ch["chunks"] if (line := _fixed(c))]
    if fixed:
        lines += ["", "## Accepted and corrected chunks", "", *fixed]
    return "\n".join(lines) + "\n"


def _verdict(check: dict[str, Any]) -> str:
    if check["passed"]:
        return f"{check['preset']} pass"
    return f"{check['preset']} FAIL: {', '.join(check['failed'])}"


def _fixed(chunk: dict[str, Any]) -> str:
    """The report's line on a chunk accepted by ear or corrected; empty for others."""
    done = ["accepted by ear"] if chunk["accepted"] else []
    if chunk["corrected_text"]:
        done.append(f"says {chunk['corrected_text']!r} instead of the manuscript's text")
    if chunk.get("revoiced"):
        done.append(f"spoken in the voice {chunk['voice']} chosen for it")
    return f"- `{chunk['id']}`: {'; '.join(done)}" if done else ""


def _account_lines(account: dict[str, Any]) -> list[str]:
    """Where the manuscript's words went, as report lines (``narrator.text.account``)."""
    skipped = account["skipped"]
    reasons = ", ".join(f"{reason} {n:,}" for reason, n in skipped.items())
    lines = [
        f"- in the source: {account['source']:,}",
        f"- narrated: {account['narrated']:,} (chapter titles included)",
        f"- skipped: {sum(skipped.values()):,}{f' ({reasons})' if reasons else ''}",
        f"- lost: {account['lost']:,}",
    ]
    for loss in account["losses"]:
        lines.append(
            f"  - **{loss['words']:,} words of `{loss['where']}` are neither narrated nor "
            f"skipped** (narrated anyway, with --allow-loss), starting {loss['first']!r}"
        )
    return lines


def _request_lines(requests: dict[str, Any]) -> list[str]:
    """The paid requests of the run, planned against made, as report lines."""

    def listed(counts: dict[str, int]) -> str:
        return ", ".join(f"{kind} {n}" for kind, n in counts.items()) or "none"

    planned, made = requests["planned"], requests["made"]
    lines = [
        f"- planned: {sum(planned.values())} ({listed(planned)}), if every chunk passes first time",
        f"- made: {sum(made.values())} ({listed(made)})",
    ]
    if requests.get("ledger") is not None:
        lines.append(f"- counted by the request budget: {requests['ledger']}")
    return lines


def _codes(chunk: dict[str, Any]) -> str:
    """The chunk's reason codes, e.g. "[silence, clipped] "."""
    codes = dict.fromkeys(d["code"] for d in chunk.get("defects", []))
    return f"[{', '.join(codes)}] " if codes else ""
