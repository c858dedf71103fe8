"""What the interviewer says back (pure): a short spoken-style summary, and which follow-up to ask.

The judgements (short or long, slow or fast, what a long pause is) are the scoring policy the
answer was judged by, so what is said agrees with the written verdicts.
"""

from __future__ import annotations

import random
from collections import Counter

from voice_interviewer.bank import FollowUp, Question
from voice_interviewer.live.voice_feedback import voice_feedback_lines
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.wording import clock, coverage_sentence, plural, whole

STAR_PROBES = {
    "situation": "Can you set the scene: where were you, and what was going on?",
    "task": "What exactly was your responsibility there?",
    "action": "What did you personally do?",
    "result": "What was the result?",
}
FILLERS_NAMED = 5  # distinct fillers named in the feedback; any others are counted ("and 3 more")
LENGTH_WORDS = {"short": "a little short", "long": "a little long", "on target": "on target"}
PACE_WORDS = {"slow": "slow", "fast": "fast", "good": "a good pace"}
# Spoken, a small whole number reads better as a word ("two seconds"); others stay digits.
NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


def _spoken_seconds(s: float) -> str:
    if s == int(s) and 0 <= s < len(NUMBER_WORDS):
        return NUMBER_WORDS[int(s)] + (" second" if s == 1 else " seconds")
    return f"{s:g} seconds"


def feedback_lines(a: Analysis) -> list[str]:
    """A few plain sentences about one answer."""
    p = a.policy
    lo, hi = a.question.target_seconds
    secs = whole(a.answer_s)  # said and judged as the same whole number
    lines = []
    length = LENGTH_WORDS[p.length(secs, (lo, hi))]
    lines.append(f"You spoke for {secs:.0f} seconds ({length}; aim for {lo:.0f} to {hi:.0f}).")
    if a.words_per_minute is not None:
        wpm = whole(a.words_per_minute)
        lines.append(f"Your pace was {wpm:.0f} words a minute: {PACE_WORDS[p.pace(wpm)]}.")
    if a.unclear:  # said, but in no transcript: the measures there rest on nothing
        at = ", ".join(clock(u.start) for u in a.unclear[:3])
        unclear = plural(len(a.unclear), "stretch", "stretches")
        lines.append(f"{unclear} of speech could not be made out (at {at}).")
    n_long = len(a.long_pauses)
    if n_long:
        lines.append(
            f"{plural(n_long, 'long pause')} of {_spoken_seconds(p.long_pause_s)} or more."
        )
    if a.fillers:
        counts = Counter(f.text for f in a.fillers)
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        top = ", ".join(f'"{k}" x{v}' for k, v in ranked[:FILLERS_NAMED])
        rest = sum(v for _, v in ranked[FILLERS_NAMED:])  # the total adds up to what is listed
        if rest:
            top += f" and {rest} more"
        lines.append(f"{plural(len(a.fillers), 'filler')}: {top}.")
    else:
        lines.append("No fillers.")
    lines += voice_feedback_lines(a)
    points = a.rubric.points
    missed = [pt for pt in points if not pt.hit]
    if not points:  # a follow-up with no points of its own
        lines.append("Coverage is not scored for this follow-up.")
    else:
        lines.append(coverage_sentence(len(points) - len(missed), len(points)) + ".")
    if missed:
        lines.append("Missed: " + "; ".join(pt.text for pt in missed[:3]) + ".")
    star = a.rubric.star
    if star is not None:
        gaps = star.missing()
        if gaps:
            lines.append("STAR: the " + " and ".join(gaps) + " did not come through.")
    return lines


def choose_follow_up(
    question: Question, analysis: Analysis | None, rng: random.Random
) -> FollowUp | None:
    """A probe for a missing STAR part first (that is what an interviewer would chase), else one of
    the question's follow-ups; None if there is nothing to ask."""
    star = None if analysis is None else analysis.rubric.star
    if question.star and star is not None:
        for part in ("result", "action", "situation", "task"):
            if not getattr(star, part):
                return FollowUp(STAR_PROBES[part])
    if question.follow_ups:
        return rng.choice(list(question.follow_ups))
    return None
