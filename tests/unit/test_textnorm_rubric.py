"""textnorm + rubric: matching keys, rubric coverage on the shipped 'overfitting' question, STAR."""

from __future__ import annotations

import pytest

from voice_interviewer.bank import Point, Question, resolve_bank
from voice_interviewer.scoring.rubric import StarResult, detect_star, score_rubric
from voice_interviewer.textnorm import match_keys, stem, tokens

from ._words import words_from


@pytest.fixture(scope="module")
def overfitting() -> Question:
    return resolve_bank(None).question("overfitting")


# ---------------------------------------------------------------- textnorm


@pytest.mark.parametrize(
    "forms",
    [
        ["regularise", "regularize", "regularized", "Regularising", "regularizing", "regularizes"],
        ["modelled", "modeling", "modelling", "models", "Model's", "model"],
        ["features", "feature"],
        ["dependencies", "dependency"],
        ["classes", "class"],
        ["memorises", "memorize", "memorized"],
        ["stopped", "stopping", "stop"],
    ],
)
def test_word_forms_share_one_key(forms):
    keys = {stem(t) for f in forms for t in tokens(f)}
    assert len(keys) == 1, keys


def test_distinct_words_keep_distinct_keys():
    assert stem("noise") != stem("nose")
    assert stem("model") != stem("modal")
    assert stem("l1") != stem("l2")


def test_tokens_split_punctuation_and_join_letter_digit():
    assert tokens("A/B-testing") == ["a", "b", "testing"]
    assert match_keys("A/B-testing") == match_keys("a b test") == ["a", "b", "test"]
    assert match_keys("L-1") == match_keys("l1") == match_keys("L 1") == ["l1"]
    assert tokens("It's the model’s fault.") == ["it's", "the", "model's", "fault"]
    assert match_keys("drop out") == ["drop", "out"]  # joined again by the rubric (see below)
    assert tokens("html2") == ["html2"]


@pytest.mark.parametrize("base,inflected", [("fill", "filled"), ("recall", "recalled")])
def test_double_consonant_words_match_their_ed_forms(base, inflected):
    assert stem(base) == stem(inflected)


# ---------------------------------------------------------------- rubric


def point(result, point_id):
    return next(p for p in result.points if p.id == point_id)


def test_score_rubric_hits_with_evidence_and_misses(overfitting):
    words = words_from(
        "Overfitting is when the model memorises noise. You can use L2 regularisation or drop out."
    )
    r = score_rubric(overfitting, words)
    assert [p.id for p in r.points] == [
        "definition",
        "detection",
        "regularization",
        "data-and-complexity",
        "training-techniques",
        "bias-variance",
    ]
    assert point(r, "definition").keywords == ["memorises", "noise"]
    assert point(r, "regularization").keywords == ["regularisation", "L2", "drop out"]
    assert [p.hit for p in r.points] == [True, False, True, False, False, False]
    assert point(r, "detection").keywords == []
    assert r.coverage == 0.333
    assert r.star is None  # the overfitting question is not a STAR question


def test_score_rubric_multiword_keywords_across_words_and_hyphens(overfitting):
    words = words_from(
        "Watch the Validation-Loss, use early stopping, and the bias variance trade-off."
    )
    r = score_rubric(overfitting, words)
    assert point(r, "detection").keywords == ["Validation-Loss"]
    assert point(r, "training-techniques").keywords == ["early stopping"]
    assert point(r, "bias-variance").keywords == ["bias variance"]  # "variance" is inside it
    assert r.coverage == 0.5


def test_keyword_must_match_whole_tokens(overfitting):
    # "l2" inside "html2", "gap" inside "Singapore", "ridge" inside "bridge", "noise" inside
    # "noisemaker"
    words = words_from("We rendered the html2 page in Singapore near a bridge with a noisemaker.")
    r = score_rubric(overfitting, words)
    assert r.coverage == 0.0
    assert all(p.keywords == [] for p in r.points)


def test_keyword_matches_plural_and_past_forms(overfitting):
    words = words_from("We penalized large weights and pruned the trees; ensembles helped.")
    r = score_rubric(overfitting, words)
    assert point(r, "regularization").keywords == ["penalized"]
    assert point(r, "data-and-complexity").keywords == ["pruned"]
    assert point(r, "training-techniques").keywords == ["ensembles"]


def test_keywords_match_inflected_forms():
    """Decision: keywords tolerate plural and -ed forms (rubric docstring), so "recall" should also
    match "recalled"; "recalls" already does."""
    q = Question(
        "q",
        "technical",
        "How do you evaluate?",
        (30.0, 60.0),
        False,
        (),
        (),
        (),
        (Point("metrics", "Names metrics", ("precision", "recall")),),
    )
    r = score_rubric(q, words_from("We checked the precisions only."))
    assert r.points[0].keywords == ["precisions"]
    assert score_rubric(q, words_from("It recalls everything")).points[0].keywords == ["recalls"]


def test_recall_keyword_matches_recalled():
    q = Question(
        "q",
        "technical",
        "How do you evaluate?",
        (30.0, 60.0),
        False,
        (),
        (),
        (),
        (Point("metrics", "Names metrics", ("recall",)),),
    )
    assert score_rubric(q, words_from("We recalled the model.")).points[0].hit


def test_forward_fill_keyword_matches_forward_filled():
    q = resolve_bank(None).question("missing-values")
    r = score_rubric(q, words_from("I forward filled the gaps in the sensor readings."))
    assert any(e == "forward filled" for p in r.points for e in p.keywords)


def test_empty_answer_covers_nothing(overfitting):
    r = score_rubric(overfitting, [])
    assert r.coverage == 0.0
    assert [p.hit for p in r.points] == [False] * 6


def test_star_question_gets_a_star_result():
    failure = resolve_bank(None).question("failure")
    assert failure.star
    r = score_rubric(failure, words_from("At my previous job I fixed it. As a result it worked."))
    assert r.star == StarResult(situation=True, task=False, action=True, result=True)
    assert r.star.missing() == ["task"]


# ---------------------------------------------------------------- STAR


def test_detect_star_full_story():
    story = (
        "At my previous job our pipeline was slow. My task was to cut latency. "
        "I decided to cache the features. As a result, latency dropped by 40%."
    )
    assert detect_star(story) == StarResult(True, True, True, True)
    assert detect_star(story).missing() == []


def test_detect_star_non_story():
    text = "Overfitting is when a model memorizes the noise in its training data."
    assert detect_star(text) == StarResult(False, False, False, False)
    assert detect_star(text).missing() == ["situation", "task", "action", "result"]


def test_detect_star_partial_and_case_insensitive():
    text = "BACK WHEN I was at a startup, we needed to ship fast. Then I rewrote the loader."
    assert detect_star(text) == StarResult(situation=True, task=True, action=True, result=False)
