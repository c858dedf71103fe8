"""Rich rendering of an answer for the terminal, from the analysis dict (the ``score --json`` schema).

Rendering from the dict rather than live objects means ``score``, ``practice`` and ``review`` of a
saved session all show the same thing.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

STAR_PARTS = ("situation", "task", "action", "result")


def transcript_text(a: dict) -> Text:
    """The transcript with fillers highlighted and long pauses written in where they happened."""
    text = Text()
    pauses = sorted(a.get("long_pauses") or [], key=lambda p: p["start"])
    k = 0
    for i, w in enumerate(a.get("words", [])):
        while k < len(pauses) and pauses[k]["end"] <= w["start"] + 0.05:
            text.append(
                f" [pause {pauses[k]['end'] - pauses[k]['start']:.1f}s]", style="bold magenta"
            )
            k += 1
        if i:
            text.append(" ")
        text.append(w["text"], style="bold yellow" if w.get("filler") else None)
    return text


def _fmt(x: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def measurements_table(a: dict) -> Table:
    v = a.get("verdicts", {})
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    t.add_column("measurement")
    t.add_column("value", justify="right")
    t.add_column("verdict")
    if a.get("duration_s") is None:  # a typed answer: only the rubric is measured
        t.add_row("rubric coverage", f"{a['rubric']['coverage']:.0%}", v.get("coverage", ""))
        return t
    t.add_row("answer length", _fmt(a.get("answer_s"), " s"), v.get("length", ""))
    t.add_row("response latency", _fmt(a.get("response_latency_s"), " s"), v.get("latency", ""))
    t.add_row("words per minute", _fmt(a.get("words_per_minute"), "", 0), v.get("pace", ""))
    t.add_row(
        "articulation rate",
        _fmt(a.get("articulation_wpm"), " wpm", 0),
        "pace with pauses taken out",
    )
    t.add_row("pauses (>= 0.5 s)", str(len(a.get("pauses", []))), v.get("pauses", ""))
    fillers = a.get("fillers", [])
    filled = sum(f.get("kind") == "filled_pause" for f in fillers)
    t.add_row("fillers", f"{filled} filled, {len(fillers) - filled} lexical", v.get("fillers", ""))
    h = a.get("hesitation")
    if fillers and h:
        where = f"{h['in_first_10s']} in the first 10 s, {h['inside_sentences']} mid-sentence, "
        where += f"{h['before_key_terms']} just before a key term"
        per100 = a.get("fillers_per_100_words")
        t.add_row("", f"{per100:.1f} per 100 words" if per100 is not None else "", where)
    reps = a.get("repetitions", [])
    if reps:
        t.add_row("repetitions", str(len(reps)), Text(", ".join(r["text"] for r in reps[:3])))
    t.add_row("rubric coverage", f"{a['rubric']['coverage']:.0%}", v.get("coverage", ""))
    return t


def rubric_table(a: dict) -> Table:
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column(width=2)
    t.add_column()
    for p in a["rubric"]["points"]:
        mark = Text("✓", style="green") if p["hit"] else Text("✗", style="red")
        body = Text(p.get("text", p["id"]))
        if p["hit"] and p.get("evidence"):  # the sentence(s) that make the point
            body.append("\n  “" + "” “".join(p["evidence"][:2]) + "”", style="dim")
        elif not p["hit"]:
            body.append("  (missed)", style="dim")
        t.add_row(mark, body)
    star = a["rubric"].get("star")
    if star is not None:
        parts = [
            Text(f"{'✓' if star[k] else '✗'} {k}", style="green" if star[k] else "red")
            for k in STAR_PARTS
        ]
        t.add_row(Text("★"), Text("  ").join(parts))
    return t


def render_analysis(console: Console, a: dict, title: str | None = None) -> None:
    q = a["question"]
    head = Text(q["text"], style="bold")
    source = "typed answer" if a.get("duration_s") is None else f"model {a.get('model', '?')}"
    head.append(f"\n{q['id']} · {q['category']} · {source}", style="dim")
    if not a.get("words"):
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
