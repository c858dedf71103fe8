"""practice.select_questions on the shipped bank."""

from __future__ import annotations

import pytest

from voice_interviewer.bank import resolve_bank
from voice_interviewer.errors import BankError, UsageError
from voice_interviewer.live.controller import select_questions

BEHAVIORAL = [
    "failure",
    "prioritization",
    "influencing-decisions",
    "team-communication",
    "team-collaboration",
]


@pytest.fixture(scope="module")
def bank():
    return resolve_bank(None)


def ids(qs):
    return [q.id for q in qs]


def test_all_questions_in_bank_order(bank):
    assert ids(select_questions(bank)) == [q.id for q in bank.questions]
    assert len(bank.questions) == 20


def test_named_ids_in_the_given_order(bank):
    assert ids(select_questions(bank, ids=["overfitting", "failure", "missing-values"])) == [
        "overfitting",
        "failure",
        "missing-values",
    ]


def test_unknown_id_is_a_bank_error(bank):
    with pytest.raises(
        BankError, match="unknown question 'overfiting'.*did you mean 'overfitting'"
    ):
        select_questions(bank, ids=["overfiting"])


def test_category_filter(bank):
    assert ids(select_questions(bank, categories=["behavioral"])) == BEHAVIORAL
    both = select_questions(bank, categories=["behavioral", "technical"])
    assert len(both) == 10
    assert {q.category for q in both} == {"behavioral", "technical"}
    assert ids(both)[:5] == [
        "supervised-vs-unsupervised",
        "overfitting",
        "feature-selection",
        "classification-algorithms",
        "model-evaluation",
    ]  # bank order, not the order the categories were named


def test_unknown_category_is_a_usage_error(bank):
    with pytest.raises(UsageError, match="unknown category 'cooking'") as exc:
        select_questions(bank, categories=["behavioral", "cooking"])
    assert exc.value.exit_code == 2


def test_ids_and_category_that_do_not_intersect(bank):
    with pytest.raises(UsageError, match="no questions match"):
        select_questions(bank, ids=["overfitting"], categories=["behavioral"])


def test_count(bank):
    assert ids(select_questions(bank, categories=["behavioral"], count=2)) == BEHAVIORAL[:2]
    assert len(select_questions(bank, count=100)) == 20
    with pytest.raises(UsageError, match="at least 1"):
        select_questions(bank, count=0)


def test_shuffle_with_seed_is_deterministic(bank):
    a = ids(select_questions(bank, shuffle=True, seed=7))
    b = ids(select_questions(bank, shuffle=True, seed=7))
    assert a == b
    assert sorted(a) == sorted(q.id for q in bank.questions)  # a permutation
    assert a != [q.id for q in bank.questions]  # actually shuffled
    orders = {tuple(ids(select_questions(bank, shuffle=True, seed=s))) for s in range(5)}
    assert len(orders) == 5  # the seed matters


def test_shuffle_then_count_picks_from_the_shuffled_order(bank):
    full = ids(select_questions(bank, categories=["behavioral"], shuffle=True, seed=3))
    first = ids(select_questions(bank, categories=["behavioral"], shuffle=True, seed=3, count=2))
    assert first == full[:2]
    assert sorted(full) == sorted(BEHAVIORAL)
