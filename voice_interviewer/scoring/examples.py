"""A bank's example answers checked against the rubric matcher (``banks validate``).

Each ``[[questions.examples]]`` says which points its text makes; every other point of the
question should be missed. A disagreement is either a point whose text (or keywords) does not
say what the author means, or a matcher error: both are worth a look before the bank ships.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_interviewer.bank import Bank
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.text_answer import rubric_of_text


@dataclass(frozen=True)
class ExampleDisagreement:
    question_id: str
    example: int  # 1-based, in file order within the question
    point_id: str
    expected: bool  # what the example says
    score: float  # what the matcher gave (hit when >= 0.5)


@dataclass(frozen=True)
class ExampleCheck:
    examples: int
    points: int  # point judgements compared
    disagreements: list[ExampleDisagreement]


def check_examples(bank: Bank, embedder: Embedder | None) -> ExampleCheck:
    n_examples = n_points = 0
    out: list[ExampleDisagreement] = []
    for q in bank.questions:
        for i, ex in enumerate(q.examples, 1):
            n_examples += 1
            result = rubric_of_text(q, ex.text, embedder)
            for p in result.points:
                n_points += 1
                expected = p.id in ex.hits
                if p.hit != expected:
                    out.append(ExampleDisagreement(q.id, i, p.id, expected, p.score))
    return ExampleCheck(n_examples, n_points, out)
