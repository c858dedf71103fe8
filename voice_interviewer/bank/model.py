"""The typed values of a question bank: points, criteria, examples, follow-ups, questions, banks."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from voice_interviewer.errors import BankError

DEFAULT_BANK_ID = "amazon-mle"
MIN_POINTS, MAX_POINTS = 3, 6
MIN_FOLLOW_UP_POINTS = 1  # a follow-up asks about one thing; it may list a single point
# A follow-up asks about one thing: a shorter answer than the question's is expected.
FOLLOW_UP_TARGET_SECONDS = (20.0, 60.0)
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_RULE = "lowercase letters, digits and single hyphens, e.g. 'system-design'"
# A probe is one short spoken question; a model answer a spoken answer of a few minutes at most
# (4000 characters is about 700 words, over four minutes at 150 words a minute).
MAX_PROBE_CHARS, MAX_MODEL_ANSWER_CHARS = 300, 4000


MATCH_KEYWORDS, MATCH_MEANING = "keywords", "meaning"
MATCH_RULES = (MATCH_KEYWORDS, MATCH_MEANING)


@dataclass(frozen=True)
class Point:
    """One thing a good answer covers, detected through its keywords and its meaning.

    ``match``: "keywords" (the default) - a keyword said and not negated makes the point, the
    author's word; "meaning" - a keyword counts only in a sentence whose meaning is also close to
    the point (``match = "meaning"`` in the bank)."""

    id: str
    text: str
    keywords: tuple[str, ...]
    match: str = MATCH_KEYWORDS
    # The bank's probe: what the interviewer asks when an answer missed this point (``probe``).
    probe: str | None = None

    def probe_question(self) -> str:
        """What the interviewer asks when an answer missed this point: the bank's ``probe``, else
        one built from the point's text. A built one may say the point's keywords (a parroted
        reply would then make the point): a bank author who cares writes the probe."""
        if self.probe:
            return self.probe
        text = self.text.strip().rstrip(".!?;:, ")
        # "Names regularization" -> "names regularization"; "PCA", "A/B", "L1" and "I" stay.
        first = text.split(" ", 1)[0].rstrip(",:;").replace("-", "")
        if first.isalpha() and first[1:].islower():
            text = text[:1].lower() + text[1:]
        return f"You did not mention: {text}. Can you say something about that?"


@dataclass(frozen=True)
class Topic:
    """What a question of the bank is about: the rubric's off-topic guard compares an answer with
    the bank's other questions."""

    id: str
    text: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Criterion:
    """An evaluation dimension (e.g. role-related knowledge) questions can refer to."""

    id: str
    title: str


@dataclass(frozen=True)
class Example:
    """An example answer a bank author wrote, with the points it should hit (``banks validate``
    scores it and reports the points where the matcher disagrees)."""

    text: str
    hits: tuple[str, ...]  # point ids; every other point of the question should be missed


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question with its own expectations: no points means coverage is not scored;
    no target means ``FOLLOW_UP_TARGET_SECONDS``."""

    text: str
    points: tuple[Point, ...] = ()
    target_seconds: tuple[float, float] | None = None

    def as_question(self, parent: Question) -> Question:
        """The question the answer to this follow-up is scored against (same id and category as
        its parent, its own text, points and target; no STAR check, no further follow-ups)."""
        return Question(
            id=parent.id,
            category=parent.category,
            text=self.text,
            target_seconds=self.target_seconds or FOLLOW_UP_TARGET_SECONDS,
            star=False,
            criteria=parent.criteria,
            tags=parent.tags,
            follow_ups=(),
            points=self.points,
        )


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    text: str
    target_seconds: tuple[float, float]
    star: bool
    criteria: tuple[str, ...]
    tags: tuple[str, ...]
    follow_ups: tuple[FollowUp, ...]  # the plain strings and the [[questions.follow_up]] tables
    points: tuple[Point, ...]
    examples: tuple[Example, ...] = ()
    # A spoken-style example answer the bank author wrote (``model_answer``), shown on request
    # after feedback; not evidence that the rubric is right (the same author wrote both).
    model_answer: str | None = None
    # Every question of the bank, this one included (set by the bank loader); empty: no
    # off-topic guard.
    topics: tuple[Topic, ...] = field(default=(), compare=False, repr=False)

    def topic(self) -> Topic:
        return Topic(self.id, self.text, self.points)

    def example_answer(self) -> str | None:
        """What "show an example answer" shows: the ``model_answer``, else the text of the
        first ``[[questions.examples]]``; None when the bank has neither."""
        if self.model_answer:
            return self.model_answer
        return self.examples[0].text if self.examples else None


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    questions: tuple[Question, ...]
    source: str  # the file it was loaded from

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        ids = [q.id for q in self.questions]
        close = difflib.get_close_matches(question_id, ids, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise BankError(
            f"unknown question {question_id!r} in bank {self.id!r} (known: {', '.join(ids)}){hint}"
        )

    def categories(self) -> list[str]:
        """The categories in the order they first appear."""
        return list(dict.fromkeys(q.category for q in self.questions))
