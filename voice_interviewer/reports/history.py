"""Progress across saved sessions, rendered: trend tables with sparklines, and an HTML page of
charts.

The statistics (trends, weakest questions, most-missed points) are computed in
``sessions.history``; ``collect_history`` and ``weakest_question_ids`` are re-exported here for the
callers that import them from the reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text

from voice_interviewer.reports.terminal import id_column
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.sessions.history import (
    ALL,
    History,
    collect_history,
    weakest_question_ids,
)
from voice_interviewer.wording import plural

__all__ = [
    "collect_history",
    "metric_specs",
    "render_history",
    "render_history_html",
    "sparkline",
    "weakest_question_ids",
]


@dataclass(frozen=True)
class MetricSpec:
    """How one trend measurement is shown: a row of the table, a chart of the page."""

    name: str  # a ``TrendMetrics`` field
    label: str
    fmt: str
    good: tuple[float, float] | None  # the band shaded as good, from the scoring policy
    y_range: tuple[float | None, float | None]  # pinned ends of the chart's axis


def metric_specs(policy: ScoringPolicy = DEFAULT_POLICY) -> tuple[MetricSpec, ...]:
    """One spec per trend measurement; the good bands are the policy's (history spans sessions
    scored over time, so it is judged by the current goals)."""
    return (
        MetricSpec("wpm", "words per minute", "{:.0f}", policy.pace_band_wpm, (None, None)),
        MetricSpec(
            "fillers_per_minute",
            "fillers per minute",
            "{:.1f}",
            (0.0, policy.fillers_few_per_minute),
            (0.0, None),
        ),
        MetricSpec("long_pauses", "long pauses/answer", "{:.1f}", None, (0.0, None)),
        MetricSpec("coverage", "rubric coverage", "{:.0%}", None, (0.0, 1.0)),
        MetricSpec("within_target", "within target length", "{:.0%}", None, (0.0, 1.0)),
        MetricSpec(
            "pitch_variation_st", "pitch variation (semitones)", "{:.1f}", None, (0.0, None)
        ),
    )


SPARKS = "▁▂▃▄▅▆▇█"
COLOURS = ("#1d2330", "#2457c5", "#d9480f", "#1a7f37", "#8a1c7c", "#a15c00", "#0b7285")


# ---------------------------------------------------------------- terminal


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, scaled between the smallest and largest; '·' = no value."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "·" * len(values)
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-9:
        return "".join("·" if v is None else SPARKS[3] for v in values)
    scale = len(SPARKS) - 1
    return "".join(
        "·" if v is None else SPARKS[round((v - lo) / (hi - lo) * scale)] for v in values
    )


def _fmt(fmt: str, v: float | None) -> str:
    return "-" if v is None else fmt.format(v)


def empty_history_text(h: History) -> str:
    """Why there is nothing to show: no session matches, or only demo sessions were saved."""
    if h.left_out_demos and not any(h.filters.values()):
        demos = plural(h.left_out_demos, "demo session")
        return (
            f"No practice sessions yet: {demos} saved, and demo sessions are left out of "
            "history (their answers are bundled samples, not yours). Practise with your own "
            "answers and your progress shows here."
        )
    if h.left_out_demos:
        return "No practice sessions match (demo sessions are left out of history)."
    return "No saved sessions match."


def render_history(console: Console, h: History) -> None:
    shown = ", ".join(f"{k} {v}" for k, v in h.filters.items() if v)
    console.print(
        Text(
            f"History: {plural(len(h.sessions), 'session')}" + (f" ({shown})" if shown else ""),
            style="bold",
        )
    )
    if not h.sessions:
        console.print(empty_history_text(h))
        return
    for scope in h.scopes:
        t = Table(
            title=Text(f"Trends: {'all categories' if scope == ALL else scope}", style="italic"),
            title_justify="left",
        )
        for col, just in (
            ("metric", "left"),
            ("oldest → newest", "left"),
            ("first", "right"),
            ("latest", "right"),
            ("all sessions", "right"),
        ):
            t.add_column(col, justify=just, no_wrap=col != "metric")
        for m in metric_specs():
            series = h.series(scope, m.name)
            vals = [v for v in series if v is not None]
            t.add_row(
                m.label,
                sparkline(series),
                _fmt(m.fmt, vals[0] if vals else None),
                _fmt(m.fmt, vals[-1] if vals else None),
                _fmt(m.fmt, getattr(h.overall.get(scope), m.name, None)),
            )
        console.print(t)
    t = Table(title="Sessions (oldest first)", title_justify="left")
    for col in ("id", "date", "bank", "answered", "status", "notes"):
        t.add_column(col, no_wrap=col not in ("notes", "bank"))
    for s in h.sessions:
        notes = Text("; ".join(s.problems), style="red" if s.status == "incomplete" else "yellow")
        t.add_row(
            str(s.id),
            s.started_at[:16].replace("T", " "),
            Text(s.bank_id),
            f"{s.answered}/{s.asked}",
            s.status,
            notes,
        )
    console.print(t)
    if h.weakest:
        t = Table(title="Weakest questions: practise these", title_justify="left")
        # "id: text" wraps at its spaces; the column is wide enough for the longest "id:", so
        # an id (what `practice -q` takes) is never cut.
        widest = max(len(q.question_id) + 1 for q in h.weakest[:5])
        t.add_column("question", min_width=widest)
        for col in ("category", "answers", "avg\ncoverage", "points\nmissed"):
            t.add_column(col, justify="left" if col == "category" else "right")
        for q in h.weakest[:5]:
            t.add_row(
                Text(f"{q.question_id}: {q.question_text}"),
                Text(q.category),
                str(q.answers),
                f"{q.avg_coverage:.0%}",
                str(q.misses),
            )
        console.print(t)
    if h.missed:
        t = Table(title="Rubric points missed most often", title_justify="left")
        t.add_column("missed", justify="right")
        t.add_column("question", **id_column(m.question_id for m in h.missed[:10]))
        t.add_column("point")
        for m in h.missed[:10]:
            t.add_row(f"{m.missed} of {m.answered}", Text(m.question_id), Text(m.point_text))
        console.print(t)


# ---------------------------------------------------------------- HTML


def render_history_html(h: History) -> str:
    """A self-contained page: one inline SVG line chart per measurement (all categories and each
    category as its own line), the session list, weakest questions and most-missed points."""
    from voice_interviewer.reports.charts import line_chart_svg
    from voice_interviewer.reports.html import page

    labels = [f"#{s.id} {s.started_at[5:10]}" for s in h.sessions]
    colour = {scope: COLOURS[i % len(COLOURS)] for i, scope in enumerate(h.scopes)}
    legend = "".join(
        '<span><svg width="12" height="12"><rect width="12" height="12" '
        f'fill="{colour[s]}"/></svg> '
        f"{escape('all categories' if s == ALL else s)}</span>"
        for s in h.scopes
    )
    shown = ", ".join(f"{k} {v}" for k, v in h.filters.items() if v)
    head = (
        f'<section class="card"><h1>Practice history</h1><div class="meta">'
        f"{plural(len(h.sessions), 'session')}{escape(' · ' + shown if shown else '')}</div>"
    )
    if not h.sessions:  # no empty charts: say why there is nothing
        return page("Practice history", f"{head}<p>{escape(empty_history_text(h))}</p></section>")
    body = [head + "</section>"]
    for m in metric_specs():
        lines = [(s, colour[s], h.series(s, m.name)) for s in h.scopes]
        chart = line_chart_svg(labels, lines, m.good, m.fmt, m.y_range)
        if not any(v is not None for _, _, values in lines for v in values):
            chart = '<p class="dim">Not measured in these sessions.</p>'  # not an empty chart
        body.append(
            f'<section class="card metric" data-metric="{m.name}"><h2>{escape(m.label)}</h2>'
            f'<div class="legend">{legend}</div>{chart}</section>'
        )
    rows = "".join(
        f"<tr><td>{s.id}</td><td class='nowrap'>{escape(s.started_at[:10])}</td>"
        f"<td class='hide-narrow'>{escape(s.bank_id)}</td>"
        f"<td class='num'>{s.answered}/{s.asked}</td>"
        f'<td><span class="badge {s.status}">{s.status}</span>'
        f'<div class="evidence">{escape("; ".join(s.problems))}</div></td></tr>'
        for s in h.sessions
    )
    body.append(
        '<section class="card"><h2>Sessions</h2><div class="scroll"><table><tr><th>id</th>'
        '<th>date</th><th class="hide-narrow">bank</th><th>answered</th><th>status</th></tr>'
        f"{rows}</table></div></section>"
    )
    rows = "".join(
        f"<tr><td>{escape(q.question_text)}<div class='evidence'>{escape(q.question_id)} · "
        f"{escape(q.category)} · answered {q.answers}×</div></td>"
        f"<td class='num'>{q.avg_coverage:.0%}</td><td class='num'>{q.misses}</td></tr>"
        for q in h.weakest[:10]
    )
    body.append(
        '<section class="card"><h2>Weakest questions</h2><div '
        'class="scroll"><table><tr><th>question</th><th>coverage</th><th>points '
        f"missed</th></tr>{rows}</table></div></section>"
    )
    rows = "".join(
        f"<tr><td class='num'>{m.missed} of {m.answered}</td><td>{escape(m.point_text)}"
        f"<div class='evidence'>{escape(m.question_text)}</div></td></tr>"
        for m in h.missed[:15]
    )
    body.append(
        '<section class="card"><h2>Rubric points missed most often</h2><div class="scroll">'
        f"<table><tr><th>missed</th><th>point</th></tr>{rows}</table></div></section>"
    )
    return page("Practice history", "".join(body))
