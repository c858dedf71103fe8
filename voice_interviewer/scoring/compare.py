"""Two attempts at the same question, side by side (pure): what changed, marked better or worse.

The one place that says what "better" means for each measure, judged with the later attempt's
``ScoringPolicy`` (each analysis carries the policy it was scored with):

    length     closer to the question's target (0 inside it), in whole seconds
    pace       closer to the policy's pace band (0 inside it), in whole words a minute
    fillers    fewer
    pauses     fewer long pauses
    coverage   more of the rubric's points covered (only when the question has points)

A measure either attempt lacks (a typed answer has no timing, a question without points no
coverage) is "n/a"; equal values are "same".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:
    from voice_interviewer.scoring.analysis import Analysis

__all__ = ["AttemptComparison", "MeasureChange", "compare_attempts"]

Change = Literal["better", "worse", "same", "n/a"]


class MeasureChangeDict(TypedDict):
    measure: str
    before: str
    after: str
    change: Change


@dataclass(frozen=True)
class MeasureChange:
    measure: str  # "length" | "pace" | "fillers" | "pauses" | "coverage"
    before: str  # the earlier attempt's value as shown ("42 s", "151 wpm", "3", "60%"; "-")
    after: str
    change: Change

    def to_dict(self) -> MeasureChangeDict:
        return MeasureChangeDict(
            measure=self.measure, before=self.before, after=self.after, change=self.change
        )


@dataclass(frozen=True)
class AttemptComparison:
    """Attempt ``before`` (1-based) against the later attempt ``after`` of the same question."""

    before: int
    after: int
    measures: tuple[MeasureChange, ...]

    def to_dict(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "measures": [m.to_dict() for m in self.measures],
        }

    def lines(self) -> list[str]:
        """One plain line per measure: "pace: 118 -> 142 wpm (better)"."""
        return [
            f"{m.measure}: {m.before} -> {m.after}"
            + ("" if m.change == "n/a" else f" ({m.change})")
            for m in self.measures
        ]


def _distance(value: float, band: tuple[float, float]) -> float:
    lo, hi = band
    return max(lo - value, value - hi, 0.0)


def _judge(before: float | None, after: float | None, lower_is_better: bool) -> Change:
    if before is None or after is None:
        return "n/a"
    if before == after:
        return "same"
    return "better" if (after < before) == lower_is_better else "worse"


def _shown(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.0f}{unit}"


def compare_attempts(
    a: Analysis, b: Analysis, *, before: int = 1, after: int = 2
) -> AttemptComparison:
    """How attempt ``b`` compares with the earlier ``a`` (see the module's rules)."""
    policy = b.policy
    target = b.question.target_seconds
    timed_a, timed_b = not a.typed, not b.typed

    def length(x: Analysis, timed: bool) -> float | None:
        return float(round(x.answer_s)) if timed and x.answered else None

    def pace(x: Analysis, timed: bool) -> float | None:
        wpm = x.words_per_minute
        return float(round(wpm)) if timed and wpm is not None else None

    len_a, len_b = length(a, timed_a), length(b, timed_b)
    pace_a, pace_b = pace(a, timed_a), pace(b, timed_b)
    pauses_a = float(len(a.long_pauses)) if timed_a else None
    pauses_b = float(len(b.long_pauses)) if timed_b else None
    fill_a, fill_b = float(len(a.fillers)), float(len(b.fillers))
    scored = bool(a.rubric.points) and bool(b.rubric.points)
    cov_a = 100 * a.rubric.coverage if scored else None
    cov_b = 100 * b.rubric.coverage if scored else None

    def off(value: float | None, band: tuple[float, float]) -> float | None:
        return None if value is None else _distance(value, band)

    measures = (
        MeasureChange(
            "length",
            _shown(len_a, " s"),
            _shown(len_b, " s"),
            _judge(off(len_a, target), off(len_b, target), lower_is_better=True),
        ),
        MeasureChange(
            "pace",
            _shown(pace_a, " wpm"),
            _shown(pace_b, " wpm"),
            _judge(
                off(pace_a, policy.pace_band_wpm),
                off(pace_b, policy.pace_band_wpm),
                lower_is_better=True,
            ),
        ),
        MeasureChange(
            "fillers", _shown(fill_a), _shown(fill_b), _judge(fill_a, fill_b, lower_is_better=True)
        ),
        MeasureChange(
            "pauses",
            _shown(pauses_a),
            _shown(pauses_b),
            _judge(pauses_a, pauses_b, lower_is_better=True),
        ),
        MeasureChange(
            "coverage",
            _shown(cov_a, "%"),
            _shown(cov_b, "%"),
            _judge(
                None if cov_a is None else round(cov_a),
                None if cov_b is None else round(cov_b),
                lower_is_better=False,
            ),
        ),
    )
    return AttemptComparison(before, after, measures)
