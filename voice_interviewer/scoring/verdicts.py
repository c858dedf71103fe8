"""The plain-words verdicts on one answer (pure), judged by the ``ScoringPolicy``.

A verdict is one short sentence per aspect ("slow: 112 words a minute (aim for 130-160)"). They are
part of the ``score --json`` contract (the ``verdicts`` object), so the field names below are its
keys and a verdict that does not apply is absent (None).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from voice_interviewer.scoring.policy import ScoringPolicy
from voice_interviewer.scoring.rubric_result import RubricResult
from voice_interviewer.scoring.serialization import JsonObject, VerdictsDict
from voice_interviewer.wording import plural


@dataclass(frozen=True)
class Verdicts:
    """One sentence per aspect of the answer; None where the aspect was not judged.

    ``answer`` is set alone when there was nothing to judge ("no speech was heard"); a typed answer
    has only ``coverage`` and ``star``.
    """

    answer: str | None = None
    length: str | None = None
    pace: str | None = None
    latency: str | None = None
    pauses: str | None = None
    fillers: str | None = None
    coverage: str | None = None
    star: str | None = None  # only when a STAR part is missing

    def to_dict(self) -> VerdictsDict:
        """The ``verdicts`` object: the verdicts given, in this order."""
        given = {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}
        return given  # type: ignore[return-value]  # the names are VerdictsDict's keys

    @classmethod
    def from_dict(cls, o: JsonObject) -> Verdicts:
        return cls(**{k: o.string(k) for k in VERDICT_NAMES if k in o.d})


VERDICT_NAMES = tuple(f.name for f in fields(Verdicts))


def length_verdict(answer_s: float, target: tuple[float, float], policy: ScoringPolicy) -> str:
    lo, hi = target
    match policy.length(answer_s, target):
        case "short":
            return f"short: {answer_s:.0f} s against a target of {lo:.0f}-{hi:.0f} s; say more"
        case "long":
            return f"long: {answer_s:.0f} s against a target of {lo:.0f}-{hi:.0f} s; tighten it"
        case _:
            return f"on target: {answer_s:.0f} s within {lo:.0f}-{hi:.0f} s"


def pace_verdict(wpm: float, policy: ScoringPolicy) -> str:
    band = policy.pace_band_text
    match policy.pace(wpm):
        case "slow":
            return f"slow: {wpm:.0f} words a minute (aim for {band})"
        case "fast":
            return f"fast: {wpm:.0f} words a minute (aim for {band}); slow down"
        case _:
            return f"good: {wpm:.0f} words a minute"


def latency_verdict(seconds: float, policy: ScoringPolicy) -> str:
    match policy.latency(seconds):
        case "quick":
            return f"quick start: {seconds:.1f} s"
        case "slow":
            return f"took {seconds:.1f} s to start; a short framing sentence buys thinking time"
        case _:
            return f"long wait of {seconds:.1f} s before answering"


def pauses_verdict(n_long: int, policy: ScoringPolicy) -> str:
    if n_long == 0:
        return "no long pauses"
    return f"{plural(n_long, 'long pause')} of {policy.long_pause_text}"


def fillers_verdict(count: int, per_minute: float, policy: ScoringPolicy) -> str:
    match policy.fillers(per_minute):
        case "few":
            return f"few fillers ({count})"
        case "some":
            return f"some fillers: {per_minute:.1f} a minute"
        case _:
            return f"frequent fillers: {per_minute:.1f} a minute; pause silently instead"


def rubric_verdicts(r: RubricResult) -> dict[str, str]:
    """The ``coverage`` verdict, and ``star`` when a STAR part is missing (as keyword arguments
    of ``Verdicts``)."""
    out: dict[str, str] = {}
    missed = [p.text for p in r.points if not p.hit]
    out["coverage"] = (
        "not scored: no points to cover (a follow-up without points of its own)"
        if not r.points
        else f"covered all {len(r.points)} points"
        if not missed
        else f"covered {len(r.points) - len(missed)} of {len(r.points)} points"
    )
    unclear = sum(p.status == "unclear" for p in r.points)
    if unclear:
        out["coverage"] += f" ({unclear} unclear)"
    if r.about is not None:
        out["coverage"] += f"; this answer seems to be about {about_text(r.about)}"
    return _with_star(out, r)


def about_text(about: str) -> str:
    """'"What is overfitting?..."' for another question's text, as the feedback quotes it."""
    if about.startswith("none of "):
        return about
    return f'"{about}"' if len(about) <= 80 else f'"{about[:77]}..."'


def _with_star(out: dict[str, str], r: RubricResult) -> dict[str, str]:
    if r.star is not None and r.star.missing():
        out["star"] = "missing STAR part(s): " + ", ".join(r.star.missing())
    return out
