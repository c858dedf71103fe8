"""Rich rendering of an analysis for the terminal: transcript with marks, measurements, rubric."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .analysis import Analysis


def transcript_text(a: Analysis, long_pause_s: float = 2.0) -> Text:
    """The transcript with fillers highlighted and long pauses written in where they happened."""
    text = Text()
    pauses = sorted(a.long_pauses, key=lambda p: p.start)
    k = 0
    for i, w in enumerate(a.words):
        while k < len(pauses) and pauses[k].end <= w.start + 0.05:
            text.append(f" [pause {pauses[k].duration:.1f}s]", style="bold magenta")
            k += 1
        if i:
            text.append(" ")
        text.append(w.text, style="bold yellow" if w.filler else None)
    return text


def _fmt(x: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def measurements_table(a: Analysis) -> Table:
    v = a.verdicts
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    t.add_column("measurement")
    t.add_column("value", justify="right")
    t.add_column("verdict")
    lo, hi = a.question.target_seconds
    t.add_row("answer length", f"{a.answer_s:.1f} s", v.get("length", ""))
    t.add_row("response latency", _fmt(a.response_latency_s, " s"), v.get("latency", ""))
    t.add_row("words per minute", _fmt(a.words_per_minute, "", 0), v.get("pace", ""))
    t.add_row(
        "articulation rate",
        _fmt(a.articulation_wpm, " wpm", 0),
        "words per minute of speaking time",
    )
    t.add_row("pauses (>= 0.5 s)", str(len(a.pauses)), v.get("pauses", ""))
    filled = sum(f.kind == "filled_pause" for f in a.fillers)
    lexical = len(a.fillers) - filled
    t.add_row("fillers", f"{filled} filled, {lexical} lexical", v.get("fillers", ""))
    if a.repetitions:
        t.add_row(
            "repetitions", str(len(a.repetitions)), ", ".join(r.text for r in a.repetitions[:3])
        )
    t.add_row("rubric coverage", f"{a.rubric.coverage:.0%}", v.get("coverage", ""))
    return t


def rubric_table(a: Analysis) -> Table:
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column(width=2)
    t.add_column()
    for p in a.rubric.points:
        mark = Text("✓", style="green") if p.hit else Text("✗", style="red")
        body = Text(p.text)
        if p.evidence:
            body.append("  — " + "; ".join(f'"{e}"' for e in p.evidence[:3]), style="dim")
        t.add_row(mark, body)
    if a.rubric.star is not None:
        parts = []
        for k in ("situation", "task", "action", "result"):
            ok = getattr(a.rubric.star, k)
            parts.append(Text(f"{'✓' if ok else '✗'} {k}", style="green" if ok else "red"))
        t.add_row(Text("★"), Text("  ").join(parts))
    return t


def render_analysis(console: Console, a: Analysis, title: str | None = None) -> None:
    q = a.question
    head = Text(q.text, style="bold")
    head.append(f"\n{q.id} · {q.category} · model {a.model}", style="dim")
    if not a.answered:
        console.print(
            Panel(Group(head, Text("\nNo speech was heard.", style="bold red")), title=title)
        )
        return
    console.print(
        Panel(
            Group(
                head,
                Text(""),
                transcript_text(a),
                Text(""),
                measurements_table(a),
                Text(""),
                Text("Rubric", style="bold"),
                rubric_table(a),
            ),
            title=title or "Answer report",
            title_align="left",
        )
    )
