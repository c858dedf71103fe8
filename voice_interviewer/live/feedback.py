"""What the interviewer says back (pure): a short spoken-style summary, and which follow-up to ask."""

from __future__ import annotations

import random

from voice_interviewer.bank import Question
from voice_interviewer.wording import whole

STAR_PROBES = {
    "situation": "Can you set the scene: where were you, and what was going on?",
    "task": "What exactly was your responsibility there?",
    "action": "What did you personally do?",
    "result": "What was the result?",
}


def feedback_lines(a: dict) -> list[str]:
    """A few plain sentences about one answer, from the analysis dict."""
    lo, hi = a["target_seconds"]
    secs = whole(a["answer_s"])  # judged on the number said
    lines = []
    length = "a little short" if secs < lo else "a little long" if secs > hi else "on target"
    lines.append(f"You spoke for {secs:.0f} seconds ({length}; aim for {lo:.0f} to {hi:.0f}).")
    if a.get("words_per_minute") is not None:
        wpm = whole(a["words_per_minute"])
        pace = "slow" if wpm < 130 else "fast" if wpm > 160 else "a good pace"
        lines.append(f"Your pace was {wpm:.0f} words a minute: {pace}.")
    n_long = len(a.get("long_pauses", []))
    if n_long:
        lines.append(f"{n_long} long pause{'s' if n_long > 1 else ''} of two seconds or more.")
    fillers = a.get("fillers", [])
    if fillers:
        counts: dict[str, int] = {}
        for f in fillers:
            counts[f["text"]] = counts.get(f["text"], 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        top = ", ".join(f'"{k}" x{v}' for k, v in ranked[:3])
        rest = sum(v for _, v in ranked[3:])  # the total must add up to what is listed
        if rest:
            top += f" and {rest} other{'s' if rest > 1 else ''}"
        lines.append(f"{len(fillers)} filler{'s' if len(fillers) > 1 else ''}: {top}.")
    else:
        lines.append("No fillers.")
    points = a["rubric"]["points"]
    hit = [p for p in points if p["hit"]]
    missed = [p for p in points if not p["hit"]]
    lines.append(f"You covered {len(hit)} of {len(points)} points.")
    if missed:
        lines.append("Missed: " + "; ".join(p.get("text", p["id"]) for p in missed[:3]) + ".")
    star = a["rubric"].get("star")
    if star:
        gaps = [k for k in ("situation", "task", "action", "result") if not star[k]]
        if gaps:
            lines.append("STAR: the " + " and ".join(gaps) + " did not come through.")
    return lines


def choose_follow_up(question: Question, analysis: dict | None, rng: random.Random) -> str | None:
    """A probe for a missing STAR part first (that is what an interviewer would chase), else one of
    the question's follow-ups; None if there is nothing to ask."""
    star = (analysis or {}).get("rubric", {}).get("star")
    if question.star and star:
        for part in ("result", "action", "situation", "task"):
            if not star[part]:
                return STAR_PROBES[part]
    if question.follow_ups:
        return rng.choice(list(question.follow_ups))
    return None
