"""Reference phrasings: sentences a candidate might say when making a rubric point.

A point's text describes what an interviewer listens for ("Owns the mistake personally instead of
blaming others"); an answer says it in its own words ("that's on me, not on the client"). A
sentence-embedding model scores two sentences that *say* the same thing much closer than a
sentence and a description of it, so each point of the shipped bank comes with a few plain
phrasings, written from the point's text and keywords (``*.phrasings.toml`` beside this module).
They apply to a point only while its text is the one they were written for: a bank that reuses a
question and point id with other words gets none.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from voice_interviewer.bank import Point, Question

PHRASING_FILES = ("amazon-mle.phrasings.toml",)


@dataclass(frozen=True)
class PointPhrasings:
    question_id: str
    point_id: str
    text: str  # the point text they were written for
    says: tuple[str, ...]


@functools.cache
def shipped_phrasings() -> dict[tuple[str, str], PointPhrasings]:
    """Every shipped entry by (question id, point id)."""
    out: dict[tuple[str, str], PointPhrasings] = {}
    folder = resources.files("voice_interviewer.scoring")
    for name in PHRASING_FILES:
        data = tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        for qid, points in data.items():
            for pid, entry in points.items():
                out[(qid, pid)] = PointPhrasings(qid, pid, entry["text"], tuple(entry["says"]))
    return out


def phrasings_for(question: Question, point: Point) -> tuple[str, ...]:
    return phrasings_of(question.id, point)


def phrasings_of(question_id: str, point: Point) -> tuple[str, ...]:
    entry = shipped_phrasings().get((question_id, point.id))
    return entry.says if entry is not None and entry.text == point.text else ()
