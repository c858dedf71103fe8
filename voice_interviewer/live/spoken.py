"""What the interviewer says after an answer with ``--speak-feedback``: one or two sentences (pure).

The judgements (short or long, slow or fast, how many fillers is a lot) are the scoring policy the
answer was judged by, so the spoken words agree with the printed feedback and the verdicts. When
the voice or the microphone needs attention (``live.voice_feedback``), a short sentence says so.
"""

from __future__ import annotations

from voice_interviewer.live.voice_feedback import voice_spoken_sentence
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.wording import coverage_sentence

__all__ = ["spoken_summary"]

_LENGTH = {"short": "a little short", "long": "a little long", "on target": "a good length"}
_PACE = {"slow": "a bit slow", "fast": "a bit fast", "good": "at a good pace"}
_FILLERS = {"few": "", "some": "with some fillers", "frequent": "with a lot of fillers"}


def spoken_summary(a: Analysis) -> str:
    """E.g. "That was 45 seconds, a little short, at a good pace. You covered 4 of 6 points; next
    time, mention: regularization." """
    p = a.policy
    parts = [
        f"That was {a.answer_s:.0f} seconds",
        _LENGTH[p.length(a.answer_s, a.question.target_seconds)],
    ]
    if a.words_per_minute is not None:
        parts.append(_PACE[p.pace(a.words_per_minute)])
    parts.append(_FILLERS[p.fillers(a.fillers_per_minute or 0.0)])
    first = ", ".join(part for part in parts if part) + "."
    if voice := voice_spoken_sentence(a):  # a problem with the voice or the microphone
        first += " " + voice
    points = a.rubric.points
    if not points:  # a follow-up without points of its own: coverage is not scored
        return first
    missed = [pt for pt in points if not pt.hit]
    covered = coverage_sentence(len(points) - len(missed), len(points))
    if not missed:
        return f"{first} {covered}."
    hint = missed[0].text.rstrip(".")
    hint = hint[:1].lower() + hint[1:]
    return f"{first} {covered}; next time, mention: {hint}."
