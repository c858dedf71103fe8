"""A question's attempts side by side (Try again), for the HTML report, the practice page and
``review``: each measure of the earlier and the later attempt, the change marked better or worse
(the rule is ``scoring.compare``'s; this only shows it)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from voice_interviewer.scoring.compare import AttemptComparison
    from voice_interviewer.sessions.saved import AnswerRecord

__all__ = ["comparison_html", "comparison_markdown", "comparison_table", "comparisons_by_seq"]

CHANGE_STYLE = {"better": "green", "worse": "red", "same": "dim", "n/a": "dim"}


def comparison_table(c: AttemptComparison) -> Table:
    """The terminal's table (the live display and ``review``)."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=f"Attempt {c.before} and attempt {c.after}", title_justify="left")
    for name in ("measure", f"attempt {c.before}", f"attempt {c.after}", "change"):
        t.add_column(name)
    for m in c.measures:
        t.add_row(m.measure, m.before, m.after, Text(m.change, CHANGE_STYLE[m.change]))
    return t


def comparison_markdown(c: AttemptComparison) -> list[str]:
    lines = [f"Attempt {c.before} and attempt {c.after}:", ""]
    lines += [f"| measure | attempt {c.before} | attempt {c.after} | change |"]
    lines += ["| --- | --- | --- | --- |"]
    lines += [f"| {m.measure} | {m.before} | {m.after} | {m.change} |" for m in c.measures]
    return lines


def comparison_html(c: AttemptComparison) -> str:
    """A table: measure, attempt N, attempt M, better / worse / same."""
    rows = "".join(
        f"<tr><td>{escape(m.measure)}</td><td class='num'>{escape(m.before)}</td>"
        f"<td class='num'>{escape(m.after)}</td>"
        f"<td class='change {escape(m.change)}'>{escape(m.change)}</td></tr>"
        for m in c.measures
    )
    return (
        f'<div class="comparison"><h3>Attempt {c.before} and attempt {c.after}</h3>'
        '<div class="scroll"><table class="attempts">'
        f"<tr><th>measure</th><th>attempt {c.before}</th><th>attempt {c.after}</th>"
        f"<th>change</th></tr>{rows}</table></div></div>"
    )


def comparisons_by_seq(answers: list[AnswerRecord]) -> dict[int, AttemptComparison]:
    """Each later attempt's comparison with the question's previous scored attempt, keyed by the
    later answer's seq: computed on reading from the two stored analyses (the store keeps the
    analyses and attempt numbers, not the comparison, so a rule change shows at once)."""
    from voice_interviewer.scoring.compare import compare_attempts

    previous: dict[str, AnswerRecord] = {}
    out: dict[int, AttemptComparison] = {}
    for a in answers:
        if a.follow_up_of is not None or not a.scored or a.analysis is None:
            continue
        before = previous.get(a.question_id)
        if before is not None and before.analysis is not None and a.attempt > before.attempt:
            out[a.seq] = compare_attempts(
                before.analysis, a.analysis, before=before.attempt, after=a.attempt
            )
        previous[a.question_id] = a
    return out
