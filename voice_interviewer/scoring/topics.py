"""The off-topic guard (pure): is each sentence, and the answer as a whole, about its question or
about another question of the bank?

An answer about overfitting scored against "supervised vs unsupervised" still has sentences loosely
close to some point ("collect more training data" ~ "gives supervised tasks"), and meaning alone
would credit them. Every point of the bank's other questions is embedded like the question's own
(text, list parts, reference phrasings), and:

- a sentence makes a point by meaning only if it is not clearly closer to a point of another
  question (``Elsewhere.cos``, used by ``Similarities.best``);
- when most of the answer's sentences are closest to one other question, or its sentences come
  closer on average to one other question's points than to its own question's (by more than
  ``RubricSettings.topic_margin``), or no sentence comes near any point, the answer is off topic:
  it earns no credit by meaning alone, and the feedback says what it seems to be about. Keywords
  the author chose still count (``rubric``), except on ``match = "meaning"`` points.

The average decides where the majority cannot: an answer on a system's speed against accuracy
has sentences split between "system trade-offs" and "speed vs accuracy", but on average it is
clearly about the one it answers. On the tuning sets it took cross-question credit from 3.2 % to
1.1 % of points for 2 of 578 points of agreement (benchmarks/results/rubric_trust.md); an answer
needs ``MIN_VOTES`` sentences for either rule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from voice_interviewer.bank import Question, Topic
from voice_interviewer.scoring.phrasings import phrasings_of
from voice_interviewer.scoring.semantic import (
    MIN_SEMANTIC_WORDS,
    Embedder,
    Similarities,
    embed_lasting,
    point_views,
)

NONE = Topic("", "none of this bank's questions", ())
# A sentence or two is too little to say an answer is about another question: a short answer's
# one sentence is often closer to some other point of a large bank.
MIN_VOTES = 4


@dataclass(frozen=True)
class Elsewhere:
    """Per answer unit, how close it comes to the bank's other questions."""

    cos: np.ndarray  # (units,) best cosine with any point of another question; -1 without one
    question: list[str]  # the id of that question per unit ("" without one)
    # (units, other questions): best cosine with a point of each other question, and their ids
    by_question: np.ndarray | None = None
    ids: tuple[str, ...] = ()


def topic_views(t: Topic) -> list[list[str]]:
    """Per point of ``t``, the texts it is compared through."""
    return [point_views(p, phrasings_of(t.id, p)) for p in t.points]


def other_topics(question: Question) -> list[Topic]:
    return [t for t in question.topics if t.id != question.id]


def embed_topics(question: Question, embedder: Embedder) -> None:
    """Embeds the other questions' points ahead of the answer (the packaged model caches)."""
    embed_lasting(
        embedder, [v for t in other_topics(question) for vs in topic_views(t) for v in vs]
    )


def elsewhere(question: Question, sims: Similarities, embedder: Embedder) -> Elsewhere | None:
    """None when the question has no bank around it (a follow-up, a hand-built question)."""
    if not other_topics(question) or not sims.units:
        return None
    flat, owner, ids = [], [], []
    for t in other_topics(question):
        n = sum(len(vs) for vs in topic_views(t))
        if n:
            flat += [v for vs in topic_views(t) for v in vs]
            owner += [len(ids)] * n
            ids.append(t.id)
    if not flat:
        return None
    cos = embedder.embed([u.text for u in sims.units]) @ embed_lasting(embedder, flat).T
    by_question = np.full((len(sims.units), len(ids)), -1.0, dtype=np.float32)
    for k, o in enumerate(owner):
        by_question[:, o] = np.maximum(by_question[:, o], cos[:, k])
    at = by_question.argmax(axis=1)
    return Elsewhere(by_question.max(axis=1), [ids[k] for k in at], by_question, tuple(ids))


def off_topic(
    question: Question,
    sims: Similarities,
    where: Elsewhere | None,
    floor: float,
    margin: float | None = None,
) -> Topic | None:
    """The question the answer seems to be about instead of its own (``NONE`` when it comes
    near no point at all), or None when it is about its own question. Judged on the units long
    enough to carry meaning: each goes to the question of its closest point; with ``margin``,
    also off topic when the units come closer to another question's points on average than to
    this question's, by more than ``margin``."""
    if where is None:
        return None
    long = [u for u, unit in enumerate(sims.units) if len(unit.text.split()) >= MIN_SEMANTIC_WORDS]
    if not long:
        return None
    own = sims.matrix[long].max(axis=1) if sims.matrix.size else np.zeros(len(long))
    if max(float(own.max()), float(where.cos[long].max())) < floor:
        return NONE
    if len(long) < MIN_VOTES:
        return None
    if margin is not None and where.by_question is not None:
        mean = where.by_question[long].mean(axis=0)
        k = int(mean.argmax())
        if float(mean[k]) > float(own.mean()) + margin:
            return next(t for t in question.topics if t.id == where.ids[k])
    votes = Counter(
        where.question[u] if where.cos[u] > own[k] else question.id for k, u in enumerate(long)
    )
    winner, n = votes.most_common(1)[0]
    if winner != question.id and n > len(long) / 2:
        return next(t for t in question.topics if t.id == winner)
    return None
