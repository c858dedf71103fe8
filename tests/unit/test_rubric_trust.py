"""Rubric coverage a candidate can trust (issue 24), with the packaged sentence model: the
author's keywords count, punctuation changes nothing, an off-topic answer earns nothing by
meaning, doubt is shown, and a user's correction teaches the next answer."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from voice_interviewer.bank import bank_from_toml, resolve_bank
from voice_interviewer.scoring.text_answer import rubric_of_text

DATA = Path(__file__).resolve().parents[1] / "data"

# A bank as the README tells an author to write one: points with keywords, no examples.
OWN_BANK = {
    "id": "own",
    "title": "My own bank",
    "questions": [
        {
            "id": "a-mistake",
            "category": "behavioral",
            "text": "Tell me about a mistake you made at work.",
            "target_seconds": [60, 120],
            "star": False,
            "points": [
                {"id": "owned", "text": "Owns the mistake openly", "keywords": ["told my manager"]},
                {"id": "what", "text": "Says what went wrong", "keywords": ["skipped"]},
                {"id": "fix", "text": "Fixes the process for next time", "keywords": ["automated"]},
                {"id": "numbers", "text": "Gives the cost in numbers", "keywords": ["percent"]},
            ],
        },
        {
            "id": "a-conflict",
            "category": "behavioral",
            "text": "Tell me about a disagreement with a colleague.",
            "target_seconds": [60, 120],
            "star": False,
            "points": [
                {"id": "listen", "text": "Listens to the other side", "keywords": ["listened"]},
                {"id": "data", "text": "Settles it with data", "keywords": ["experiment"]},
                {"id": "after", "text": "Keeps the relationship", "keywords": ["still work"]},
            ],
        },
    ],
}

ISSUE_ANSWER = (
    "I told my manager I skipped a check on data freshness and we added an automated freshness test"
)


@pytest.fixture(scope="module")
def embedder():
    from voice_interviewer.scoring.semantic_model import shared_embedder

    return shared_embedder()


def made(result) -> set[str]:
    return {p.id for p in result.points if p.hit}


def strip_punctuation(text: str) -> str:
    return " ".join(re.sub(r"[.,;:!?\"()]", " ", text).split())


@pytest.mark.parametrize(
    "text",
    [
        ISSUE_ANSWER,
        "I told my manager. I skipped a check on data freshness, and we added an automated "
        "freshness test.",
        "so yeah i told my manager that i skipped a check on data freshness and then added an "
        "automated freshness test",
    ],
)
def test_a_keyword_said_plainly_makes_its_point_in_a_bank_without_examples(embedder, text):
    q = bank_from_toml(OWN_BANK, "own.toml").question("a-mistake")
    r = rubric_of_text(q, text, embedder)
    assert made(r) == {"owned", "what", "fix"}
    assert all(p.status == "made" for p in r.points if p.hit)


def test_a_negated_keyword_makes_no_point(embedder):
    q = bank_from_toml(OWN_BANK, "own.toml").question("a-mistake")
    r = rubric_of_text(q, "I never told my manager and nothing was automated", embedder)
    assert not {"owned", "fix"} & made(r)


def test_match_meaning_asks_the_sentence_to_be_about_the_point(embedder):
    import copy

    said_in_passing = (
        "My colleague and I disagreed about the launch plan. I listened to her concerns first and "
        "we found common ground. Then we ran an experiment to settle it with data. We still work "
        "well together, and we skipped the blame entirely."
    )
    q = bank_from_toml(OWN_BANK, "own.toml").question("a-mistake")
    assert "what" in made(rubric_of_text(q, said_in_passing, embedder))  # the author's word
    data = copy.deepcopy(OWN_BANK)
    data["questions"][0]["points"][1]["match"] = "meaning"
    q = bank_from_toml(data, "own.toml").question("a-mistake")
    assert q.points[1].match == "meaning"
    # the answer is about a disagreement (the bank's other question), not a mistake
    r = rubric_of_text(q, said_in_passing, embedder)
    assert "what" not in made(r)
    assert r.about == "Tell me about a disagreement with a colleague."


def test_an_unknown_match_rule_is_a_one_line_bank_error():
    import copy

    from voice_interviewer.errors import BankError

    data = copy.deepcopy(OWN_BANK)
    data["questions"][0]["points"][1]["match"] = "exact"
    with pytest.raises(
        BankError, match="own.toml: .*point 'what'.*'match'.*'keywords' or 'meaning'"
    ):
        bank_from_toml(data, "own.toml")


def _text_sets():
    for path in sorted(DATA.glob("rubric_*.toml")):
        for i, a in enumerate(tomllib.loads(path.read_text())["answers"], 1):
            yield pytest.param(a["question"], a["text"], id=f"{path.stem}#{i}")


@pytest.mark.parametrize(("qid", "text"), list(_text_sets()))
def test_the_same_words_get_the_same_coverage_with_or_without_punctuation(embedder, qid, text):
    q = resolve_bank(None).question(qid)
    with_p = rubric_of_text(q, text, embedder)
    without = rubric_of_text(q, strip_punctuation(text), embedder)
    assert with_p.coverage == without.coverage
    assert [(p.id, p.hit, p.status) for p in with_p.points] == [
        (p.id, p.hit, p.status) for p in without.points
    ]


OVERFITTING = (
    "Overfitting is when a model memorizes the noise in the training data and then fails to "
    "generalize to unseen data. You can detect it by comparing training loss with validation "
    "loss. Collect more training data, simplify the model and use early stopping."
)


def test_an_answer_about_another_question_earns_nothing_by_meaning(embedder):
    bank = resolve_bank(None)
    r = rubric_of_text(bank.question("supervised-vs-unsupervised"), OVERFITTING, embedder)
    assert r.coverage == 0
    assert r.about is not None and "overfitting" in r.about.lower()
    own = rubric_of_text(bank.question("overfitting"), OVERFITTING, embedder)
    assert own.about is None and own.coverage >= 0.5


def test_the_feedback_says_what_an_off_topic_answer_seems_to_be_about(embedder):
    from voice_interviewer.scoring.verdicts import rubric_verdicts

    bank = resolve_bank(None)
    r = rubric_of_text(bank.question("supervised-vs-unsupervised"), OVERFITTING, embedder)
    assert "this answer seems to be about" in rubric_verdicts(r)["coverage"]


def test_an_answer_closer_on_average_to_another_question_is_off_topic(embedder):
    """The fraud-scoring answer to system-tradeoffs talks of speed against catching fraud: scored
    against speed-vs-accuracy, no majority of its sentences goes to system-tradeoffs, but on
    average they are clearly closer to it (``topic_margin``): nothing is credited there, while
    its own question keeps every point."""
    from dataclasses import replace

    from voice_interviewer.scoring.rubric import RubricSettings, score_rubric
    from voice_interviewer.scoring.text_answer import text_words

    answer = tomllib.loads((DATA / "rubric_answers.toml").read_text())["answers"][1]
    assert answer["question"] == "system-tradeoffs"
    bank = resolve_bank(None)
    words = text_words(answer["text"])
    other = bank.question("speed-vs-accuracy")
    votes_only = replace(RubricSettings(), topic_margin=10.0)  # the majority rule alone
    before = score_rubric(other, words, embedder, votes_only, timed=False)
    assert before.about is None and sum(p.hit for p in before.points) >= 2
    after = score_rubric(other, words, embedder, timed=False)
    assert after.about == bank.question("system-tradeoffs").text
    assert not any(p.hit for p in after.points)
    own = score_rubric(bank.question("system-tradeoffs"), words, embedder, timed=False)
    assert own.about is None and sum(p.hit for p in own.points) >= 4
