"""Examples the user taught by correcting a verdict (pure): "this sentence does make the point",
"this one does not".

A correction is saved with its session (``sessions``); every correction of a question's point made
in the same data folder becomes an example for that point on later answers. An answer unit at least
``taught_min`` close to a taught sentence takes that example's verdict for the point (the closest
example wins): one taught as making it makes the point, one taught as not making it cannot make
it by meaning (keywords still count: the author's word), so a candidate who says the same thing
again in other words gets the judgement the user gave, not the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voice_interviewer.bank import Question
from voice_interviewer.scoring.semantic import MIN_SEMANTIC_WORDS, Embedder, Similarities

# The score a sentence taught as making the point gives: clearly made, never "unclear".
TAUGHT_MADE = 0.9


@dataclass(frozen=True)
class TaughtExample:
    question_id: str
    point_id: str
    point_text: str  # the point as it read when taught: a reworded point gets none
    sentence: str  # the answer's words the verdict is about
    made: bool


@dataclass(frozen=True)
class LearnedExamples:
    examples: Sequence[TaughtExample] = field(default_factory=tuple)

    def for_point(self, question_id: str, point_id: str, text: str) -> list[TaughtExample]:
        return [
            e
            for e in self.examples
            if e.question_id == question_id and e.point_id == point_id and e.point_text == text
        ]


@dataclass(frozen=True)
class Vote:
    """What the taught examples say about one point of this answer."""

    made_at: int | None  # a unit close to a sentence taught as making the point
    vetoed: frozenset[int]  # units close to a sentence taught as not making it


def learned_votes(
    question: Question,
    sims: Similarities,
    embedder: Embedder,
    learned: LearnedExamples | None,
    taught_min: float,
) -> dict[int, Vote]:
    """Point index -> the vote of the taught examples, for the points they say something about.
    Each unit follows its closest taught example of the point when at least ``taught_min``
    close."""
    if learned is None or not learned.examples:
        return {}
    units = [u for u, unit in enumerate(sims.units) if len(unit.text.split()) >= MIN_SEMANTIC_WORDS]
    if not units:
        return {}
    out: dict[int, Vote] = {}
    for j, p in enumerate(question.points):
        examples = learned.for_point(question.id, p.id, p.text)
        if not examples:
            continue
        emb = embedder.embed([sims.units[u].text for u in units] + [e.sentence for e in examples])
        cos = emb[: len(units)] @ emb[len(units) :].T
        made_at, made_cos, vetoed = None, -1.0, set()
        for k, u in enumerate(units):
            e = int(cos[k].argmax())
            if cos[k, e] < taught_min:
                continue
            if not examples[e].made:
                vetoed.add(u)
            elif sims.counts(u, j) and cos[k, e] > made_cos:  # negated here: makes nothing
                made_at, made_cos = u, float(cos[k, e])
        if made_at is not None or vetoed:
            out[j] = Vote(made_at, frozenset(vetoed))
    return out
