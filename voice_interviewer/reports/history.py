"""Progress across saved sessions: trends of the measurements, weakest questions, missed points.

Everything is computed from the store's public API (``list_sessions`` + ``load_session``), so a
damaged session (never ended, answers left 'recording', recordings missing) is read like any other
and listed with what is wrong with it. Which answers count is as in ``report_text``: pace, fillers
and long pauses over every answered answer; coverage, length-within-target, weakest questions and
missed points over main answers only (a follow-up answers a probe, not the whole rubric).

A session's date is when it was practised: for an imported session that is the original date kept
in ``settings["imported_from"]["started_at"]`` (the store stamps imports with the import time).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from html import escape
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from voice_interviewer.reports.summary import PACE_BAND, is_scored, within_target
from voice_interviewer.sessions.store import AnswerRecord, SessionDetail, SessionStore
from voice_interviewer.wording import plural

ALL = "all"  # the scope holding every category
# (key, label, format, good band or None, y axis range): one trend row / chart each
METRICS = (
    ("wpm", "words per minute", "{:.0f}", PACE_BAND, (None, None)),
    ("fillers_per_minute", "fillers per minute", "{:.1f}", (0.0, 3.0), (0.0, None)),
    ("long_pauses", "long pauses/answer", "{:.1f}", None, (0.0, None)),
    ("coverage", "rubric coverage", "{:.0%}", None, (0.0, 1.0)),
    ("within_target", "within target length", "{:.0%}", None, (0.0, 1.0)),
)
SPARKS = "▁▂▃▄▅▆▇█"
COLOURS = ("#1d2330", "#2457c5", "#d9480f", "#1a7f37", "#8a1c7c", "#a15c00", "#0b7285")


def _mean(xs: Sequence[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


def metrics_for(answers: Sequence[AnswerRecord]) -> dict[str, float | None]:
    """The trend measurements of a set of answers (None where nothing was measured)."""
    scored = [a for a in answers if is_scored(a)]
    main = [a for a in scored if a.follow_up_of is None]
    return {
        "wpm": _mean([a.analysis.get("words_per_minute") for a in scored]),
        "fillers_per_minute": _mean([a.analysis.get("fillers_per_minute") for a in scored]),
        "long_pauses": _mean([len(a.analysis.get("long_pauses", [])) for a in scored]),
        "coverage": _mean([a.analysis["rubric"]["coverage"] for a in main]),
        "within_target": _mean([float(within_target(a.analysis)) for a in main]),
    }


def practised_at(d: SessionDetail) -> str:
    return (d.settings.get("imported_from") or {}).get("started_at") or d.started_at


def problems(d: SessionDetail) -> list[str]:
    """What is wrong with a saved session, in words; empty when it is whole."""
    out = []
    if d.status == "incomplete":
        out.append("never ended: the program stopped mid-session")
    elif d.status == "interrupted":
        out.append("interrupted")
    cut = sum(a.status == "incomplete" for a in d.answers)
    if cut:
        out.append(f"{cut} answer{'s' if cut > 1 else ''} never finished recording")
    lost = sum(not a.wav_exists for a in d.answers)
    if lost:
        out.append(f"{lost} recording{'s' if lost > 1 else ''} missing")
    return out


@dataclass
class SessionTrend:
    id: int
    started_at: str
    bank_id: str
    status: str
    answered: int
    asked: int
    problems: list[str]
    metrics: dict[str, dict[str, float | None]]  # scope ('all' or a category) -> metric -> value


@dataclass
class QuestionStat:
    question_id: str
    question_text: str
    category: str
    answers: int
    avg_coverage: float
    misses: int  # rubric points missed, summed over its answers


@dataclass
class MissedPoint:
    question_id: str
    question_text: str
    point_id: str
    point_text: str
    missed: int
    answered: int  # how many times the question was answered


@dataclass
class History:
    sessions: list[SessionTrend]  # oldest first
    scopes: list[str]  # 'all', then the categories in the order first seen
    overall: dict[str, dict[str, float | None]]  # scope -> metric -> value over all sessions
    weakest: list[QuestionStat]
    missed: list[MissedPoint]
    filters: dict[str, str | None] = field(default_factory=dict)

    def series(self, scope: str, metric: str) -> list[float | None]:
        return [s.metrics.get(scope, {}).get(metric) for s in self.sessions]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _when(iso: str) -> datetime:
    dt = datetime.fromisoformat(iso)
    return dt if dt.tzinfo else dt.astimezone()


def load_details(store: SessionStore, bank: str | None = None) -> list[SessionDetail]:
    practice = store.list_sessions(kinds=("practice",))  # demo sessions are not your progress
    return [store.load_session(s.id) for s in practice if bank in (None, s.bank_id)]


def collect_history(
    store: SessionStore,
    bank: str | None = None,
    category: str | None = None,
    since: date | None = None,
) -> History:
    details = load_details(store, bank)
    details = [d for d in details if since is None or _when(practised_at(d)).date() >= since]
    details.sort(key=lambda d: (_when(practised_at(d)), d.id))
    sessions, pooled = [], defaultdict(list)
    categories: list[str] = []
    for d in details:
        answers = [a for a in d.answers if category in (None, a.category)]
        if category is not None and not answers:
            continue  # this session never asked that category
        by_scope = defaultdict(list)
        for a in answers:
            if a.category not in categories:
                categories.append(a.category)
            by_scope[a.category].append(a)
        by_scope[ALL] = answers
        for scope, items in by_scope.items():
            pooled[scope] += items
        sessions.append(
            SessionTrend(
                d.id,
                practised_at(d),
                d.bank_id,
                d.status,
                sum(is_scored(a) for a in answers),
                len(answers),
                problems(d),
                {scope: metrics_for(items) for scope, items in by_scope.items()},
            )
        )
    main = [a for a in pooled[ALL] if is_scored(a) and a.follow_up_of is None]
    return History(
        sessions,
        [ALL, *categories],
        {scope: metrics_for(items) for scope, items in pooled.items()},
        weakest_questions(main),
        most_missed_points(main),
        {"bank": bank, "category": category, "since": since and since.isoformat()},
    )


def weakest_questions(main: Sequence[AnswerRecord]) -> list[QuestionStat]:
    """Lowest average coverage first; ties go to the question with the most missed points."""
    by_q: dict[str, list[AnswerRecord]] = defaultdict(list)
    for a in main:
        by_q[a.question_id].append(a)
    stats = [
        QuestionStat(
            qid,
            items[-1].question_text,
            items[-1].category,
            len(items),
            sum(a.analysis["rubric"]["coverage"] for a in items) / len(items),
            sum(not p["hit"] for a in items for p in a.analysis["rubric"]["points"]),
        )
        for qid, items in by_q.items()
    ]
    return sorted(stats, key=lambda s: (s.avg_coverage, -s.misses, s.question_id))


def most_missed_points(main: Sequence[AnswerRecord]) -> list[MissedPoint]:
    answered = Counter(a.question_id for a in main)
    missed: Counter[tuple[str, str]] = Counter()
    text: dict[tuple[str, str], tuple[str, str]] = {}
    for a in main:
        for p in a.analysis["rubric"]["points"]:
            key = (a.question_id, p["id"])
            text[key] = (a.question_text, p.get("text", p["id"]))
            missed[key] += not p["hit"]
    out = [
        MissedPoint(q, text[(q, p)][0], p, text[(q, p)][1], n, answered[q])
        for (q, p), n in missed.items()
        if n
    ]
    return sorted(out, key=lambda m: (-m.missed, m.question_id, m.point_id))


def weakest_question_ids(store: SessionStore, bank_id: str | None, n: int) -> list[str]:
    """The ``n`` questions to practise: lowest average rubric coverage over the saved main
    answers (ties: most missed points), optionally within one bank. Unanswered questions have no
    coverage and are not ranked."""
    return [q.question_id for q in collect_history(store, bank=bank_id).weakest[:n]]


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
    return "".join("·" if v is None else SPARKS[round((v - lo) / (hi - lo) * scale)] for v in values)  # fmt: skip


def _fmt(fmt: str, v: float | None) -> str:
    return "-" if v is None else fmt.format(v)


def render_history(console: Console, h: History) -> None:
    shown = ", ".join(f"{k} {v}" for k, v in h.filters.items() if v)
    console.print(Text(f"History: {plural(len(h.sessions), 'session')}" + (f" ({shown})" if shown else ""), style="bold"))  # fmt: skip
    if not h.sessions:
        console.print("No saved sessions match.")
        return
    for scope in h.scopes:
        t = Table(title=Text(f"Trends: {'all categories' if scope == ALL else scope}", style="italic"), title_justify="left")  # fmt: skip
        for col, just in (("metric", "left"), ("oldest → newest", "left"), ("first", "right"),
                          ("latest", "right"), ("all sessions", "right")):  # fmt: skip
            t.add_column(col, justify=just, no_wrap=col != "metric")
        for key, label, fmt, _, _ in METRICS:
            series = h.series(scope, key)
            vals = [v for v in series if v is not None]
            t.add_row(
                label,
                sparkline(series),
                _fmt(fmt, vals[0] if vals else None),
                _fmt(fmt, vals[-1] if vals else None),
                _fmt(fmt, h.overall.get(scope, {}).get(key)),
            )
        console.print(t)
    t = Table(title="Sessions (oldest first)", title_justify="left")
    for col in ("id", "date", "bank", "answered", "status", "notes"):
        t.add_column(col, no_wrap=col not in ("notes", "bank"))
    for s in h.sessions:
        notes = Text("; ".join(s.problems), style="red" if s.status == "incomplete" else "yellow")
        t.add_row(str(s.id), s.started_at[:16].replace("T", " "), Text(s.bank_id), f"{s.answered}/{s.asked}", s.status, notes)  # fmt: skip
    console.print(t)
    if h.weakest:
        t = Table(title="Weakest questions: practise these", title_justify="left")
        for col in ("question", "category", "answers", "avg coverage", "points missed"):
            t.add_column(col, justify="left" if col in ("question", "category") else "right")
        for q in h.weakest[:5]:
            t.add_row(Text(f"{q.question_id}: {q.question_text}"), Text(q.category), str(q.answers), f"{q.avg_coverage:.0%}", str(q.misses))  # fmt: skip
        console.print(t)
    if h.missed:
        t = Table(title="Rubric points missed most often", title_justify="left")
        for col in ("missed", "question", "point"):
            t.add_column(col, justify="right" if col == "missed" else "left")
        for m in h.missed[:10]:
            t.add_row(f"{m.missed} of {m.answered}", Text(m.question_id), Text(m.point_text))
        console.print(t)


# ---------------------------------------------------------------- HTML


def render_history_html(h: History) -> str:
    """A self-contained page: one inline SVG line chart per measurement (all categories and each
    category as its own line), the session list, weakest questions and most-missed points."""
    from voice_interviewer.reports.html import line_chart_svg, page

    labels = [f"#{s.id} {s.started_at[5:10]}" for s in h.sessions]
    colour = {scope: COLOURS[i % len(COLOURS)] for i, scope in enumerate(h.scopes)}
    legend = "".join(
        f'<span><svg width="12" height="12"><rect width="12" height="12" fill="{colour[s]}"/></svg> '
        f"{escape('all categories' if s == ALL else s)}</span>"
        for s in h.scopes
    )
    shown = ", ".join(f"{k} {v}" for k, v in h.filters.items() if v)
    body = [f'<section class="card"><h1>Practice history</h1><div class="meta">{plural(len(h.sessions), "session")}{escape(" · " + shown if shown else "")}</div></section>']  # fmt: skip
    for key, label, fmt, band, y_range in METRICS:
        lines = [(s, colour[s], h.series(s, key)) for s in h.scopes]
        body.append(
            f'<section class="card metric" data-metric="{key}"><h2>{escape(label)}</h2>'
            f'<div class="legend">{legend}</div>{line_chart_svg(labels, lines, band, fmt, y_range)}</section>'
        )
    rows = "".join(
        f"<tr><td>{s.id}</td><td class='nowrap'>{escape(s.started_at[:10])}</td>"
        f"<td class='hide-narrow'>{escape(s.bank_id)}</td><td class='num'>{s.answered}/{s.asked}</td>"
        f'<td><span class="badge {s.status}">{s.status}</span>'
        f'<div class="evidence">{escape("; ".join(s.problems))}</div></td></tr>'
        for s in h.sessions
    )
    body.append(f'<section class="card"><h2>Sessions</h2><div class="scroll"><table><tr><th>id</th><th>date</th><th class="hide-narrow">bank</th><th>answered</th><th>status</th></tr>{rows}</table></div></section>')  # fmt: skip
    rows = "".join(
        f"<tr><td>{escape(q.question_text)}<div class='evidence'>{escape(q.question_id)} · "
        f"{escape(q.category)} · answered {q.answers}×</div></td>"
        f"<td class='num'>{q.avg_coverage:.0%}</td><td class='num'>{q.misses}</td></tr>"
        for q in h.weakest[:10]
    )
    body.append(f'<section class="card"><h2>Weakest questions</h2><div class="scroll"><table><tr><th>question</th><th>coverage</th><th>points missed</th></tr>{rows}</table></div></section>')  # fmt: skip
    rows = "".join(
        f"<tr><td class='num'>{m.missed} of {m.answered}</td><td>{escape(m.point_text)}"
        f"<div class='evidence'>{escape(m.question_text)}</div></td></tr>"
        for m in h.missed[:15]
    )
    body.append(f'<section class="card"><h2>Rubric points missed most often</h2><div class="scroll"><table><tr><th>missed</th><th>point</th></tr>{rows}</table></div></section>')  # fmt: skip
    return page("Practice history", "".join(body))
