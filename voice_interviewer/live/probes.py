"""Probes on what an answer missed (pure): which point to probe, the probe as a follow-up judged on
that point alone, and what its feedback says.

The rule, written once here (``choose_probe_point``): after a heard answer, the first point of the
question, in bank order, that the answer missed; a point marked unclear is not probed (it may well
have been made: the candidate checks it in the report), and a point already made is never probed.

How probes combine with follow-ups (``--follow-ups``) and with each other: a probe follows a main
answer (an attempt) only, never a follow-up or another probe, and not when a follow-up was already
asked about that answer (one interviewer question after an answer is enough); ``--probes N`` caps
the probes per main question across its attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_interviewer.bank import FollowUp, Point, Question
from voice_interviewer.reports.point_status import status_of
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.rubric import MADE, MISSED, UNCLEAR

__all__ = [
    "Probe",
    "choose_probe_point",
    "follow_up_kind",
    "probe_follow_up",
    "probe_verdict",
    "probed_point",
    "wants_probe",
]


@dataclass(frozen=True)
class Probe(FollowUp):
    """A follow-up that is a probe on the one point (``points[0]``) its answer missed: front ends
    show it as a probe on that point, not as one of the bank's follow-ups."""

    @property
    def point(self) -> Point:
        return self.points[0]


def probed_point(follow_up: FollowUp | None) -> str | None:
    """The text of the missed point ``follow_up`` probes; None for a bank follow-up (or none)."""
    return follow_up.point.text if isinstance(follow_up, Probe) else None


def choose_probe_point(question: Question, analysis: Analysis | None) -> Point | None:
    """The point to probe after ``analysis`` of an answer to ``question``, or None: the first
    missed point in bank order; unclear and made points are skipped."""
    if analysis is None or not analysis.answered:
        return None
    status = {p.id: status_of(p) for p in analysis.rubric.points}
    for point in question.points:
        if status.get(point.id) == MISSED:
            return point
    return None


def follow_up_kind(question: Question, prompt: str) -> str:
    """ "probe" when ``prompt``, asked after an answer to ``question``, is a probe on one of its
    points (``Point.probe_question``), else "follow-up"."""
    return "probe" if any(p.probe_question() == prompt for p in question.points) else "follow-up"


def wants_probe(
    *, cap: int, asked: int, status: str, follow_up_asked: bool, analysis: Analysis | None
) -> bool:
    """Whether a probe may follow this main answer: probes allowed and not used up (``asked`` of
    ``cap`` for this question), the answer heard, and no follow-up asked about it already."""
    heard = status == "answered" and analysis is not None and analysis.answered
    return cap > asked and heard and not follow_up_asked


def probe_follow_up(point: Point) -> Probe:
    """The probe, asked like a follow-up: the point's probe text, judged on that point alone, with
    a follow-up's short target (``FOLLOW_UP_TARGET_SECONDS``)."""
    return Probe(point.probe_question(), points=(point,))


def probe_verdict(point: Point, analysis: Analysis | None) -> str:
    """What the probe's feedback adds: whether the point was made this time."""
    points = [] if analysis is None else analysis.rubric.points
    status = next((status_of(p) for p in points if p.id == point.id), MISSED)
    if status == MADE:
        return f"You made the point this time: {point.text}."
    if status == UNCLEAR:
        return f"Perhaps made this time (a near call, check it in the report): {point.text}."
    return f"The point still did not come through: {point.text}."
