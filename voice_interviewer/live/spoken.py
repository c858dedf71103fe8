"""What the interviewer says after an answer with ``--speak-feedback``: one or two sentences (pure).

It reads the analysis's verdicts, so the spoken words judge by the same thresholds as the printed
feedback (the scoring decides what is short, slow or frequent; this only words it for the ear).
"""

from __future__ import annotations

from typing import Any

__all__ = ["spoken_summary"]

_LENGTH = {"short": "a little short", "long": "a little long", "on target": "a good length"}
_PACE = {"slow": "a bit slow", "fast": "a bit fast", "good": "at a good pace"}
_FILLERS = {"some": "with some fillers", "frequent": "with a lot of fillers"}


def _say(words: dict[str, str], verdict: str) -> str:
    """How to say a verdict, from the judgement it opens with ("short: 32 s against ...")."""
    return next((said for judged, said in words.items() if verdict.startswith(judged)), "")


def spoken_summary(analysis: dict[str, Any]) -> str:
    """E.g. "That was 45 seconds, a little short, at a good pace. You covered 4 of 6 points; next
    time, mention regularization." """
    v = analysis.get("verdicts") or {}
    parts = [f"That was {analysis['answer_s']:.0f} seconds", _say(_LENGTH, v.get("length", ""))]
    parts.append(_say(_PACE, v.get("pace", "")))
    parts.append(_say(_FILLERS, v.get("fillers", "")))
    first = ", ".join(p for p in parts if p) + "."
    points = analysis["rubric"]["points"]
    if not points:
        return first
    missed = [p for p in points if not p["hit"]]
    if not missed:
        return f"{first} You covered every point."
    hint = missed[0].get("text", missed[0]["id"]).rstrip(".")
    hint = hint[:1].lower() + hint[1:]
    return f"{first} You covered {len(points) - len(missed)} of {len(points)} points; next time, mention: {hint}."
