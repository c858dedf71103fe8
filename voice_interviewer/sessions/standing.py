"""Which answers of a session stand for their questions: the one place this rule is written.

A question tried again in a session (Try again) counts once, by its latest scored attempt (with
that attempt's follow-ups and probes): the earlier tries are practice on the way to it, and
counting each would weigh a retried question more than the others.

The rule reads only what every form of a saved answer has (``Attempted``), so the typed answers of
history and reports (``AnswerRecord``) and the bare rows the session list averages in the store
(``store.MeasuredRow``, no analysis parsed, no scoring imported) pass through the same function.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Attempted(Protocol):
    """A saved answer as far as the rule needs it."""

    @property
    def question_id(self) -> str: ...

    @property
    def attempt(self) -> int: ...  # 1, 2...: the candidate's tries at the question

    @property
    def follow_up_of(self) -> int | None: ...  # None for an answer to the question itself

    @property
    def scored(self) -> bool: ...  # speech was heard and reported on


AnswerT = TypeVar("AnswerT", bound=Attempted)


def standing_answers(records: Sequence[AnswerT]) -> list[AnswerT]:
    """The answers of one session that stand for their questions, in order: of each question, its
    latest attempt with a scored main answer (else its latest attempt), with that attempt's
    follow-ups and probes. A question answered once keeps every answer it has."""
    scored: dict[str, int] = {}
    latest: dict[str, int] = {}
    for r in records:
        latest[r.question_id] = max(latest.get(r.question_id, 0), r.attempt)
        if r.follow_up_of is None and r.scored:
            scored[r.question_id] = max(scored.get(r.question_id, 0), r.attempt)
    return [r for r in records if r.attempt == scored.get(r.question_id, latest[r.question_id])]
