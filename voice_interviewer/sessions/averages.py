"""A session's averages as the `sessions` list and the `review` header show them: made from the
answers' measure columns (``saved.measure_columns``), so listing sessions parses no analysis and
imports no scoring, yet counting the same answers as the session's report: those standing for
their questions (``standing.standing_answers``: a question tried again counts by its latest scored
attempt), pace and fillers over every scored one, coverage over main answers only (a follow-up or
probe is judged on a point or two, not the question's rubric; see ``sessions.history``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voice_interviewer.sessions.records import RecordError, read_answer_row
from voice_interviewer.sessions.standing import standing_answers

# The ``answers`` columns a MeasuredRow is read from (those ``read_answer_row`` checks, and the
# measures).
MEASURED = (
    "seq, question_id, question_text, category, prompt_text, wav_path, follow_up_of, attempt, "
    "status, end_reason, transcript, words_per_minute, coverage, fillers_per_minute"
)


@dataclass(frozen=True)
class MeasuredRow:
    """An answer row as far as the averages need it (``standing.Attempted`` and its measures)."""

    question_id: str
    attempt: int
    follow_up_of: int | None
    scored: bool  # AnswerRecord.scored, from the columns: answered or cut short, words heard
    words_per_minute: float | None
    coverage: float | None
    fillers_per_minute: float | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> MeasuredRow | None:
        """The row's measures; None for a damaged row (reading the session leaves it out too)."""
        try:
            read_answer_row(row)
        except RecordError:
            return None
        spoken = row["status"] in ("answered", "interrupted") and bool(row["transcript"])
        return cls(
            row["question_id"],
            row["attempt"],
            row["follow_up_of"],
            spoken,
            _number(row["words_per_minute"]),
            _number(row["coverage"]),
            _number(row["fillers_per_minute"]),
        )


@dataclass(frozen=True)
class SessionAverages:
    words_per_minute: float | None  # None where no standing answer measured it
    coverage: float | None
    fillers_per_minute: float | None


def session_averages(rows: Iterable[Mapping[str, Any]]) -> SessionAverages:
    """The averages of one session's ``answers`` rows (in their order)."""
    measured = [m for r in rows if (m := MeasuredRow.of(r)) is not None]
    scored = [m for m in standing_answers(measured) if m.scored]
    return SessionAverages(
        _mean([m.words_per_minute for m in scored]),
        _mean([m.coverage for m in scored if m.follow_up_of is None]),
        _mean([m.fillers_per_minute for m in scored]),
    )


def _number(value: Any) -> float | None:
    """A stored measure; None for null, and for anything but a number (a hand-edited row)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


def _mean(xs: Sequence[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None
