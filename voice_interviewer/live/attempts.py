"""What the practice engine keeps of the answers given (pure): one row per answer for the
session's summary, and a question's attempts (Try again), each new one compared with the one
before it (``scoring.compare``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from voice_interviewer.bank import Question
from voice_interviewer.live import events as ev
from voice_interviewer.live.probes import follow_up_kind
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.compare import AttemptComparison, compare_attempts

__all__ = ["AnswerRow", "Attempts", "summary_row"]


@dataclass
class AnswerRow:
    question: Question
    prompt: str
    status: str
    analysis: Analysis | None
    follow_up: bool = False
    attempt: int = 1  # 2, 3...: the same question asked again (Try again)


@dataclass
class Attempts:
    """One main question's attempts so far: the latest scored one is what the next is compared
    with (an attempt without speech has nothing to compare)."""

    question: Question
    number: int = 1  # the attempt being asked now
    _scored: list[tuple[int, Analysis]] = field(default_factory=list)

    def answered(self, row: AnswerRow) -> AttemptComparison | None:
        """Records the attempt's row; the comparison with the previous scored attempt, if any."""
        a = row.analysis
        if row.follow_up or a is None or not a.answered:
            return None
        previous = self._scored[-1] if self._scored else None
        self._scored.append((self.number, a))
        if previous is None:
            return None
        return compare_attempts(previous[1], a, before=previous[0], after=self.number)


def summary_row(r: AnswerRow) -> ev.SummaryRow:
    label = f"  ↳ {follow_up_kind(r.question, r.prompt)}" if r.follow_up else r.question.id
    if r.attempt > 1 and not r.follow_up:
        label += f" (attempt {r.attempt})"
    a = r.analysis
    if a is None:
        return ev.SummaryRow(label, r.status, None, None, None, None, None)
    return ev.SummaryRow(
        label,
        r.status,
        a.answer_s,
        a.words_per_minute,
        len(a.fillers),
        len(a.long_pauses),
        a.rubric.coverage if a.rubric.points else None,
    )
