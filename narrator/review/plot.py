"""A chapter's loudness over time as an inline SVG: no script, no external file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from narrator.review.loudness import LoudnessSeries

# Drawing area, in SVG user units (the plot scales to the page's width).
_WIDTH, _HEIGHT = 720, 170
_LEFT, _RIGHT, _TOP, _BOTTOM = 46, 8, 8, 24
# LUFS shown: room tone sits near -70 and a -19 LUFS chapter's speech peaks around -12
# short-term, so -60..-6 shows both pauses and the loudest sentences; quieter reads -60.
_FLOOR, _CEILING = -60.0, -6.0
_GRID_LUFS = (-50, -40, -30, -20, -10)
# Tick spacings, seconds: the first that gives at most 8 ticks is used.
_TICKS_S = (5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600)


@dataclass(frozen=True)
class Span:
    """A chunk shaded on the plot: seconds from the start of the chapter, and its state."""

    start_s: float
    end_s: float
    chunk_id: str
    state: str  # "flagged" or "accepted": the CSS class of its shading


def _x(t: float, duration_s: float) -> float:
    return _LEFT + (_WIDTH - _LEFT - _RIGHT) * min(max(t / duration_s, 0.0), 1.0)


def _y(lufs: float | None) -> float:
    value = _FLOOR if lufs is None else min(max(lufs, _FLOOR), _CEILING)
    return _TOP + (_HEIGHT - _TOP - _BOTTOM) * (_CEILING - value) / (_CEILING - _FLOOR)


def clock(seconds: float) -> str:
    """``seconds`` as m:ss (h:mm:ss from an hour on)."""
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def loudness_svg(
    series: LoudnessSeries,
    duration_s: float,
    integrated_lufs: float,
    spans: Sequence[Span],
    *,
    ident: str,
    label: str,
) -> str:
    """The plot of ``series`` for a chapter of ``duration_s`` seconds, with its integrated
    loudness (LUFS) as a dashed line and ``spans`` shaded; ``ident`` makes its element ids
    unique in the page and ``label`` names it for screen readers."""
    duration_s = max(duration_s, 1e-3)
    parts = [
        f'<svg class="plot" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(label)}</title>',
        f'<desc id="{ident}-d">{escape(_describe(series, integrated_lufs, spans))}</desc>',
    ]
    bottom = _HEIGHT - _BOTTOM
    for span in spans:
        x0, x1 = _x(span.start_s, duration_s), _x(span.end_s, duration_s)
        parts.append(
            f'<rect class="{span.state}" x="{x0:.1f}" y="{_TOP}" width="{max(x1 - x0, 1.5):.1f}" '
            f'height="{bottom - _TOP}"><title>{escape(span.chunk_id)} ({span.state})</title></rect>'
        )
    for lufs in _GRID_LUFS:
        y = _y(lufs)
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{lufs}</text>'
        )
    tick = next((t for t in _TICKS_S if duration_s / t <= 8), _TICKS_S[-1])
    for k in range(int(duration_s // tick) + 1):
        x = _x(k * tick, duration_s)
        parts.append(
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{bottom}"/>'
            f'<text x="{x:.1f}" y="{_HEIGHT - 6}" text-anchor="middle">{clock(k * tick)}</text>'
        )
    y = _y(integrated_lufs)
    parts.append(
        f'<line class="target" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}">'
        f"<title>integrated {integrated_lufs:.1f} LUFS</title></line>"
    )
    centre = series.window_s / 2
    points = " ".join(
        f"{_x(i * series.step_s + centre, duration_s):.1f},{_y(v):.1f}"
        for i, v in enumerate(series.lufs)
    )
    parts.append(f'<polyline class="level" points="{points}"/>')
    middle = (_TOP + bottom) / 2
    parts.append(
        f'<text x="12" y="{middle:.0f}" transform="rotate(-90 12 {middle:.0f})" '
        'text-anchor="middle">LUFS</text></svg>'
    )
    return "".join(parts)


def _describe(series: LoudnessSeries, integrated_lufs: float, spans: Sequence[Span]) -> str:
    heard = [v for v in series.lufs if v is not None]
    text = f"Short-term loudness ({series.window_s:g}-s windows, one every {series.step_s:g} s)"
    if heard:
        text += f" from {min(heard):.0f} to {max(heard):.0f} LUFS"
    text += f"; integrated {integrated_lufs:.1f} LUFS."
    if spans:
        text += " Shaded: " + ", ".join(f"{s.chunk_id} ({s.state})" for s in spans) + "."
    return text
