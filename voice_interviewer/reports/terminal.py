"""Rich rendering of one answer for the terminal: transcript, measurements, rubric.

``score``, ``practice`` and ``review`` of a saved session all render the same typed ``Analysis``
(the store reads a saved one back typed), so they show the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from voice_interviewer.reports.marks import Mark, interleave
from voice_interviewer.reports.point_status import (
    LABELS,
    MARKS,
    evidence_of,
    evidence_text,
    status_of,
)
from voice_interviewer.reports.voice_view import voice_rows
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.rubric import MADE, MISSED, UNCLEAR
from voice_interviewer.scoring.verdicts import about_text

STAR_PARTS = ("situation", "task", "action", "result")


def transcript_text(a: Analysis) -> Text:
    """The transcript with fillers highlighted, and long pauses and unclear speech written in
    where they happened."""
    text = Text()
    for item in interleave(a):
        if text:
            text.append(" ")
        if isinstance(item, Mark):
            text.append(f"[{item.label()}]", style="bold magenta")
        else:
            text.append(item.text, style="bold yellow" if item.filler else None)
    return text


def id_column(ids: Iterable[str]) -> dict[str, Any]:
    """Options of a table column of ids a user types (`practice -q ID`, `--bank B`): as wide as
    the longest, never cut short or wrapped; the other columns wrap to make room."""
    return {"min_width": max((len(i) for i in ids), default=2), "no_wrap": True}


def _fmt(x: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def measurements_table(a: Analysis) -> Table:
    v = a.verdicts
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    t.add_column("measurement")
    t.add_column("value", justify="right")
    t.add_column("verdict")
    if a.typed:  # a typed answer: only the rubric is measured
        t.add_row("rubric coverage", f"{a.rubric.coverage:.0%}", v.coverage or "")
        return t
    t.add_row("answer length", _fmt(a.answer_s, " s"), v.length or "")
    t.add_row("response latency", _fmt(a.response_latency_s, " s"), v.latency or "")
    t.add_row("words per minute", _fmt(a.words_per_minute, "", 0), v.pace or "")
    t.add_row(
        "articulation rate", _fmt(a.articulation_wpm, " wpm", 0), "pace with pauses taken out"
    )
    t.add_row(f"pauses (>= {a.policy.pause_min_s:g} s)", str(len(a.pauses)), v.pauses or "")
    filled = sum(f.kind == "filled_pause" for f in a.fillers)
    t.add_row("fillers", f"{filled} filled, {len(a.fillers) - filled} lexical", v.fillers or "")
    h = a.hesitation
    if a.fillers and h is not None:
        where = f"{h.in_first_10s} in the first 10 s, {h.inside_sentences} mid-sentence, "
        where += f"{h.before_key_terms} just before a key term"
        per100 = a.fillers_per_100_words
        t.add_row("", f"{per100:.1f} per 100 words" if per100 is not None else "", where)
    if a.repetitions:
        t.add_row(
            "repetitions",
            str(len(a.repetitions)),
            Text(", ".join(r.text for r in a.repetitions[:3])),
        )
    for row in voice_rows(a):  # how it sounded: pitch, loudness, trailing off, microphone
        t.add_row(*row)
    t.add_row("rubric coverage", f"{a.rubric.coverage:.0%}", v.coverage or "")
    return t


STATUS_STYLE = {MADE: "green", MISSED: "red", UNCLEAR: "yellow"}


def rubric_table(a: Analysis) -> Table:
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column(width=2)
    t.add_column()
    for p in a.rubric.points:
        status = status_of(p)
        mark = Text(MARKS[status], style=STATUS_STYLE[status])
        body = Text(p.text)
        if status == UNCLEAR:
            body.append(f"  ({LABELS[UNCLEAR]})", style="yellow")
        if status != MISSED and evidence_of(p):  # the sentence(s) behind the verdict, with times
            body.append("\n  " + evidence_text(p), style="dim")
        elif status == MISSED:
            body.append("  (missed)", style="dim")
        t.add_row(mark, body)
    if a.rubric.about is not None:
        t.add_row(
            Text("!", style="yellow"),
            Text(f"this answer seems to be about {about_text(a.rubric.about)}", style="yellow"),
        )
    star = a.rubric.star
    if star is not None:
        marks = [(k, getattr(star, k)) for k in STAR_PARTS]
        parts = [
            Text(f"{'✓' if ok else '✗'} {k}", style="green" if ok else "red") for k, ok in marks
        ]
        t.add_row(Text("★"), Text("  ").join(parts))
    return t


def render_analysis(console: Console, a: Analysis, title: str | None = None) -> None:
    """One answer as a panel: the question, the transcript, the measurements and the rubric."""
    q = a.question
    head = Text(q.text, style="bold")
    source = "typed answer" if a.typed else f"model {a.model}"
    head.append(f"\n{q.id} · {q.category} · {source}", style="dim")
    if not a.answered:
        body = Group(head, Text("\nNo speech was heard.", style="bold red"))
        console.print(Panel(body, title=_title(title), title_align="left"))
        return
    body = Group(
        head,
        Text(""),
        transcript_text(a),
        Text(""),
        measurements_table(a),
        Text(""),
        Text("Rubric", style="bold"),
        rubric_table(a),
    )
    console.print(Panel(body, title=_title(title or "Answer report"), title_align="left"))


def _title(title: str | None) -> Text | None:
    """A panel title is read as markup on any console: a path with "[draft]" must stay text."""
    return None if title is None else Text(title)
