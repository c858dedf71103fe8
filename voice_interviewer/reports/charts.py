"""Inline SVG charts of the reports: an answer's pace over time with its pauses, and trend lines.

Pure functions of typed values returning SVG text; nothing is fetched, so a page that embeds them
works offline and from file://.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from html import escape

from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord

PACE_WINDOW_S = 10.0


def pace_series(
    words: Sequence[AnalyzedWord], window_s: float = PACE_WINDOW_S, step_s: float = 0.5
) -> list[tuple[float, float]]:
    """Words per minute over time: (t, wpm) every ``step_s``, counting the spoken words (fillers
    excluded) whose middle lies in a ``window_s`` window centred on t. The window is clipped to the
    answer (first word start to last word end) and the count divided by what is left, so the
    curve does not sag at the start and end; an answer shorter than the window is one value."""
    spoken = [(w.start + w.end) / 2 for w in words if not w.filler]
    if not words or not spoken:
        return []
    first, last = min(w.start for w in words), max(w.end for w in words)
    if last - first <= 0:
        return []
    half = window_s / 2
    out = []
    t = first
    while t <= last + 1e-9:
        lo, hi = max(first, t - half), min(last, t + half)
        lo, hi = (first, last) if last - first < window_s else (lo, hi)
        n = sum(lo <= m <= hi for m in spoken)
        out.append((round(t, 3), round(n / (hi - lo) * 60, 1) if hi > lo else 0.0))
        t += step_s
    return out


def pace_svg(a: Analysis) -> str:
    """Pace over time (line, with the policy's pace band shaded) above a timeline of the pauses."""
    # The axis title sits in a strip above the plot: inside it, a fast pace ran over it.
    w, h, left, top, plot_h = 440, 182, 34, 22, 100
    duration = max(a.duration_s or 0, max((x.end for x in a.words), default=0), 1)
    series = pace_series(a.words)
    ymax = max([200.0] + [v for _, v in series])

    def x(t: float) -> float:
        return left + (w - left - 8) * t / duration

    def y(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    lo, hi = a.policy.pace_band_wpm
    parts = [
        f'<svg class="chart pace" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="Words per minute over time, and the pauses">',
        f'<rect x="{left}" y="{y(hi):.1f}" width="{w - left - 8}" height="{y(lo) - y(hi):.1f}" '
        f'fill="#dcf3e3"><title>target pace {a.policy.pace_band_text} wpm</title></rect>',
    ]
    for v in (0, 100, 200, 300):
        if v <= ymax:
            parts.append(
                f'<line x1="{left}" x2="{w - 8}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e6ec"/>'
            )
            parts.append(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    if series:
        pts = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in series)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="#2457c5" stroke-width="2"/>')
    lane = top + plot_h + 22  # the pause timeline under the pace line, labelled above it
    parts.append(f'<text x="{left}" y="{lane - 4}">pauses</text>')
    parts.append(
        f'<line x1="{left}" x2="{w - 8}" y1="{lane + 6}" y2="{lane + 6}" stroke="#c5cad3"/>'
    )
    long_ = set(a.long_pauses)
    for p in a.pauses:
        is_long = p in long_
        parts.append(
            f'<rect class="{"long-pause" if is_long else "short-pause"}" x="{x(p.start):.1f}" '
            f'y="{lane}" width="{max(x(p.end) - x(p.start), 2):.1f}" height="12" '
            f'fill="{"#b0309f" if is_long else "#e3a6da"}"><title>pause {p.duration:.1f} s'
            f" at {p.start:.1f} s</title></rect>"
        )
    step = 10 if duration <= 80 else 30 if duration <= 240 else 60
    for t in range(0, int(duration) + 1, step):
        parts.append(f'<text x="{x(t):.1f}" y="{h - 4}" text-anchor="middle">{t}s</text>')
    parts.append(f'<text class="axis-title" x="4" y="{top - 10}">words/min</text></svg>')
    return "".join(parts)


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi]."""
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def tick_label(value: float, step: float, fmt: str) -> str:
    """A tick's label in the chart's format (``{:.1f}``, ``{:.0%}``) with as many more decimals as
    its step needs: 0.25 and 0.75 read as such, not as 0.2 and 0.8."""
    percent = fmt.endswith("%}")
    scaled = step * 100 if percent else step
    need = next((d for d in range(6) if abs(round(scaled, d) - scaled) < 1e-9), 6)
    shown = re.search(r"\.(\d+)", fmt)
    decimals = max(need, int(shown.group(1)) if shown else 0)
    return f"{value:.{decimals}%}" if percent else f"{value:.{decimals}f}"


def line_chart_svg(
    x_labels: Sequence[str],
    lines: Sequence[tuple[str, str, Sequence[float | None]]],
    band: tuple[float, float] | None = None,
    fmt: str = "{:.0f}",
    y_range: tuple[float | None, float | None] = (None, None),
) -> str:
    """A small line chart: one polyline per (name, colour, values); None leaves a gap. ``y_range``
    pins either end of the axis (e.g. 0-100 % for a coverage). The legend is left to the page
    (HTML wraps on a phone; SVG text would not)."""
    w, h, left, top, plot_h = 440, 176, 40, 10, 126
    vals = [v for _, _, vs in lines for v in vs if v is not None] + list(band or ())
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    lo, hi = (lo - 1, hi + 1) if hi == lo else (lo - (hi - lo) * 0.08, hi + (hi - lo) * 0.08)
    lo = lo if y_range[0] is None else y_range[0]
    hi = hi if y_range[1] is None else y_range[1]
    n = max(len(x_labels), 1)

    def x(i: int) -> float:
        return left + (w - left - 8) * (i + 0.5) / n

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    out = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img">']
    if band:
        b0, b1 = max(band[0], lo), min(band[1], hi)
        out.append(
            f'<rect x="{left}" y="{y(b1):.1f}" width="{w - left - 8}" height="{y(b0) - y(b1):.1f}" '
            'fill="#dcf3e3"/>'
        )
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for v in ticks:
        out.append(
            f'<line x1="{left}" x2="{w - 8}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e6ec"/>'
        )
        label = tick_label(v, step, fmt)
        out.append(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{label}</text>')
    every = max(1, math.ceil(n / 6))
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            out.append(
                f'<text x="{x(i):.1f}" y="{h - 16}" text-anchor="middle">{escape(label)}</text>'
            )
    for name, colour, values in lines:
        run: list[str] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                run.append(f"{x(i):.1f},{y(v):.1f}")
                out.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" '
                    f'fill="{colour}"><title>{escape(name)}: {fmt.format(v)}</title></circle>'
                )
            elif run:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    'stroke-width="2"/>'
                )
                run = []
    out.append("</svg>")
    return "".join(out)
