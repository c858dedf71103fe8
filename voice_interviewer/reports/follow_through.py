"""What follows a main answer in a saved session (pure): which follow-ups were probes on a missed
point (``live.probes`` asks them), and where each question's example answer is shown.

A probe is told from a follow-up by what was saved, so older sessions read the same: it follows up
on an answer, is judged on exactly one point, and that point is one its parent answer missed (a
bank's follow-up is judged on points of its own).
"""

from __future__ import annotations

from collections.abc import Sequence

from voice_interviewer.bank import Bank
from voice_interviewer.sessions.saved import AnswerRecord

__all__ = ["example_answers", "probe_seqs"]


def probe_seqs(answers: Sequence[AnswerRecord]) -> set[int]:
    """The ``seq`` of every answer that is a probe on a point its parent answer missed."""
    by_seq = {a.seq: a for a in answers}
    out = set()
    for a in answers:
        parent = by_seq.get(a.follow_up_of) if a.follow_up_of is not None else None
        if parent is None or a.analysis is None or parent.analysis is None:
            continue
        points = a.analysis.rubric.points
        missed = {p.id for p in parent.analysis.rubric.points if not p.hit}
        if len(points) == 1 and points[0].id in missed:
            out.add(a.seq)
    return out


def example_answers(answers: Sequence[AnswerRecord], bank: Bank | None) -> dict[int, str]:
    """answer ``seq`` -> the example answer shown after it: once per question, after the last
    answer to it (its attempts, follow-ups and probes), when the bank has one."""
    if bank is None:
        return {}
    known = {q.id: q.example_answer() for q in bank.questions}
    last = {a.question_id: a.seq for a in answers}
    return {seq: text for qid, seq in last.items() if (text := known.get(qid))}
