"""The rubric by meaning: negation per clause, dominance, reference phrasings, STAR by meaning,
and the packaged sentence model on answers phrased unlike the keywords."""

from __future__ import annotations

import numpy as np
import pytest

from voice_interviewer.bank import Point, Question, resolve_bank
from voice_interviewer.scoring.clauses import plain
from voice_interviewer.scoring.phrasings import phrasings_for, shipped_phrasings
from voice_interviewer.scoring.rubric import score_rubric
from voice_interviewer.scoring.semantic import (
    answer_units,
    similarities,
    split_sentences,
)
from voice_interviewer.scoring.star import STAR_PARTS, StarResult, judge_star
from voice_interviewer.scoring.text_answer import rubric_of_text, text_words

from ._words import words_from


def units_of(text: str):
    words = text_words(text)
    return answer_units(words, split_sentences(words, timed=False))


class _ByPlainText(dict):
    """Unit texts are the plain words (no punctuation: ``scoring.clauses``); look them up by the
    words as written."""

    def __getitem__(self, key: str) -> bool:
        return super().__getitem__(" ".join(p for w in key.split() if (p := plain(w))))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict) and dict(self) == {
            " ".join(p for w in k.split() if (p := plain(w))): v for k, v in other.items()
        }


def negated_units(text: str) -> dict[str, bool]:
    return _ByPlainText({u.text: u.negated for u in units_of(text)})


# ---------------------------------------------------------------- negation, per clause (no model)


def test_a_dismissed_or_merely_intended_practice_is_denied_like_a_negated_one():
    units = negated_units(
        "We keep meaning to set up proper monitoring. Simple models are a waste of time, "
        "and I'd use gradient boosting. It's not overkill here."
    )
    # Cut from the words alone, "monitoring Simple models" is one clause: both deny, far apart.
    assert all(neg for text, neg in units.items() if "monitoring" in text), units
    assert all(neg for text, neg in units.items() if "Simple models" in text), units
    assert not units["and I'd use gradient boosting."]  # the dismissal stays in its clause
    assert not units["It's not overkill here."]  # "not" and "overkill" cancel: it is worth it


def test_negations_in_different_clauses_do_not_cancel():
    units = negated_units(
        "I don't bother with precision or recall there since it's not a classification problem."
    )
    assert all(neg for text, neg in units.items() if "recall" in text), units


def test_a_list_continued_with_or_keeps_its_negation():
    units = negated_units("I've never really used support vector machines or naive Bayes.")
    assert all(neg for text, neg in units.items() if "Bayes" in text), units


def test_a_short_but_never_clause_takes_back_the_one_before():
    units = negated_units("We've talked about encrypting the backups but never got round to it.")
    assert units["We've talked about encrypting the backups"] is True


def test_a_short_clause_that_only_dismisses_the_one_before_takes_it_back():
    units = negated_units("I'd skip the simple baseline, it's usually a waste of time.")
    assert units["I'd skip the simple baseline"] is True
    kept = negated_units("We tried streaming, it worked well.")
    assert kept["We tried streaming"] is False
    rare = negated_units("We use a feature store, which is rarely done.")
    assert rare["We use a feature store"] is False  # says the practice is rare, not dismissed


def test_a_clause_after_a_negated_one_still_counts():
    units = negated_units("We never ran an A/B test, but we monitor drift every day.")
    assert units["We never ran an A/B test"] is True
    assert units["but we monitor drift every day."] is False


def test_unseen_data_is_not_a_denial():
    assert negated_units("I test on data the model never saw.") == {
        "I test on data the model never saw.": False
    }


def test_two_negations_in_one_clause_cancel():
    assert negated_units("I never deploy without the full tests passing.") == {
        "I never deploy without the full tests passing.": False
    }


# ---------------------------------------------------------------- dominance (fake embedder)


class BagOfWords:
    """A fake embedder: each text is its normalised bag of (lower-case) words over a vocabulary."""

    def __init__(self, vocabulary: list[str]) -> None:
        self.vocabulary = vocabulary

    def embed(self, texts):
        rows = []
        for t in texts:
            toks = [w.strip(".,").lower() for w in t.split()]
            v = np.array([toks.count(w) for w in self.vocabulary], dtype=np.float32) + 1e-3
            rows.append(v / np.linalg.norm(v))
        return np.array(rows)


def test_a_unit_makes_a_point_by_meaning_only_when_it_is_mostly_about_it():
    points = (
        Point("a", "apples apples", ()),
        Point("b", "apples pears pears", ()),
    )
    words = words_from("We grow apples and pears and pears here.")
    sims = similarities(points, words, split_sentences(words), BagOfWords(["apples", "pears"]))
    best_b, at_b = sims.best(1, dominance=0.0)
    assert at_b is not None and best_b > 0.9
    # The same unit is closer to b than to a: with dominance it does not count for a.
    assert sims.best(0, dominance=0.0)[1] is None
    assert sims.best(0)[1] is not None  # without, it would


def test_short_units_do_not_make_points_by_meaning():
    points = (Point("a", "at scale", ()),)
    words = words_from("At scale.")
    sims = similarities(points, words, split_sentences(words), BagOfWords(["at", "scale"]))
    assert sims.best(0) == (-1.0, None)


# ---------------------------------------------------------------- reference phrasings


def test_every_point_of_the_shipped_bank_has_phrasings_for_its_current_text():
    bank = resolve_bank(None)
    shipped = shipped_phrasings()
    ids = {(q.id, p.id) for q in bank.questions for p in q.points}
    assert set(shipped) == ids, sorted(set(shipped) ^ ids)
    for q in bank.questions:
        for p in q.points:
            says = phrasings_for(q, p)
            assert len(says) >= 2, (q.id, p.id)
            assert all(len(s.split()) >= 4 for s in says), (q.id, p.id)


def test_phrasings_apply_only_while_the_point_text_is_unchanged():
    q = resolve_bank(None).question("overfitting")
    p = q.points[0]
    assert phrasings_for(q, p)
    assert phrasings_for(q, Point(p.id, p.text + " (edited)", p.keywords)) == ()


# ---------------------------------------------------------------- STAR


def test_star_by_cues_without_a_model():
    story = [
        "At my last job we ran the search service.",
        "My goal was to halve its latency.",
        "So I built a cache.",
        "As a result latency fell by 40 percent.",
    ]
    assert judge_star(story, None) == StarResult(True, True, True, True)
    assert judge_star(["I like tidy code."], None).missing() == list(STAR_PARTS)


# ---------------------------------------------------------------- the packaged model


@pytest.fixture(scope="module")
def embedder():
    from voice_interviewer.scoring.semantic_model import shared_embedder

    return shared_embedder()


@pytest.fixture(scope="module")
def bank():
    return resolve_bank(None)


def hits(bank, embedder, qid: str, text: str) -> dict[str, bool]:
    return {p.id: p.hit for p in rubric_of_text(bank.question(qid), text, embedder).points}


def test_a_point_made_in_everyday_words_is_a_hit(bank, embedder):
    # The example: early stopping without the words "early stopping".
    got = hits(
        bank, embedder, "overfitting", "I'd stop training once the held back score stops improving."
    )
    assert got["training-techniques"] is True
    assert sum(got.values()) == 1, got


def test_a_negated_point_is_missed(bank, embedder):
    said = hits(
        bank, embedder, "model-evaluation", "After launch we ran an A/B test against the old model."
    )
    denied = hits(
        bank,
        embedder,
        "model-evaluation",
        "We never ran an A/B test or watched the model after launch.",
    )
    assert said["online-evaluation"] is True
    assert denied["online-evaluation"] is False


def test_a_point_named_only_to_dismiss_it_is_missed(bank, embedder):
    text = (
        "I know the textbook answer is the bias variance trade-off but honestly I never think "
        "about it that way. I just stop training when the validation curve flattens out."
    )
    assert hits(bank, embedder, "overfitting", text)["bias-variance"] is False


def test_a_non_answer_makes_no_point(bank, embedder):
    text = "Honestly I'm just very organised, I've never missed a deadline in my life."
    assert not any(hits(bank, embedder, "prioritization", text).values())


def test_evidence_is_the_sentence_that_makes_the_point_with_its_times(bank, embedder):
    q = bank.question("model-evaluation")
    words = words_from(
        "We had lots of data from the shop. I keep a separate test set that the model never "
        "sees while it trains."
    )
    r = score_rubric(q, words, embedder)
    held = next(p for p in r.points if p.id == "held-out-data")
    assert held.hit and 0.5 <= held.score <= 1.0
    assert len(held.sentences) == 1
    ev = held.sentences[0]
    assert ev.text.startswith("I keep a separate test set")
    first = next(w for w in words if w.text == "I")
    assert ev.start == first.start and ev.end == words[-1].end


def test_star_parts_told_without_cue_phrases_are_found_by_meaning(embedder):
    story = [
        "Last spring I worked on the search service for a big retailer.",
        "This happened on a data team at a large insurance firm.",
    ]
    for sentence in story:
        assert judge_star([sentence], None).situation is False  # no cue phrase for it
        assert judge_star([sentence], embedder).situation is True


def test_the_model_cache_returns_the_rows_it_computes(embedder):
    texts = ["a sentence about dropout", "another about early stopping", "a sentence about dropout"]
    first = embedder.embed(texts)
    again = embedder.embed(texts[::-1])
    assert np.allclose(first, again[::-1], atol=1e-6)
    assert np.allclose(first[0], first[2])
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_a_typed_answer_has_no_times(bank, embedder):
    r = rubric_of_text(bank.question("overfitting"), "I'd add dropout to the network.", embedder)
    reg = next(p for p in r.points if p.id == "regularization")
    assert reg.hit and reg.sentences[0].start is None


def test_a_question_without_phrasings_still_matches_by_point_text(embedder):
    q = Question(
        "custom",
        "technical",
        "How do you keep secrets?",
        (30, 60),
        False,
        (),
        (),
        (),
        (
            Point("vault", "Keeps credentials in a secrets manager, never in code", ("vault",)),
            Point("rotate", "Rotates keys regularly", ("rotate",)),
            Point("audit", "Audits who read which secret", ("audit",)),
        ),
    )
    r = score_rubric(q, text_words("We rotate every key each month."), embedder, timed=False)
    assert [p.id for p in r.points if p.hit] == ["rotate"]


def test_prepared_points_leave_only_the_answer_to_embed(bank):
    from voice_interviewer.scoring.rubric import prepare_rubric
    from voice_interviewer.scoring.semantic_model import MiniLMEmbedder

    model = MiniLMEmbedder()
    ran: list[str] = []
    run = model._run
    model._run = lambda texts: (ran.extend(texts), run(texts))[1]
    q = bank.question("overfitting")
    prepare_rubric(q, model)
    assert len(ran) >= 3 * len(q.points)  # point texts and phrasings
    ran.clear()
    answer = "I'd add dropout. Then I'd stop training early."
    rubric_of_text(q, answer, model)
    assert set(ran) <= {u.text for u in units_of(answer)}, ran


def test_a_strength_dressed_up_as_a_failure_makes_no_point(bank, embedder):
    boast = "If I'm honest my real failure is that I'm too much of a perfectionist."
    real = "My failure was a pricing bug I shipped that undercharged customers for a whole day."
    assert not any(hits(bank, embedder, "failure", boast).values())
    assert hits(bank, embedder, "failure", real)["real-failure"] is True
