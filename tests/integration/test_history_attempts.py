"""A question tried again in a session (Try again, issue 25) counts once in averages, history and
``--weakest``: by its latest scored attempt, with that attempt's follow-ups (the rule:
``sessions.history.standing_answers``). Hand-made analyses, real store."""

from __future__ import annotations

import pytest

from tests.sessions_fixture import add_session, known_analysis
from voice_interviewer.reports.history import collect_history, weakest_question_ids
from voice_interviewer.reports.summary import summarize
from voice_interviewer.sessions.history import ALL
from voice_interviewer.sessions.store import SessionStore

T, F = True, False


@pytest.fixture
def store(tmp_path):
    """One session: overfitting tried twice (0 of 3 points at 100 wpm, then 3 of 3 at 150 wpm
    with a follow-up at 120 wpm), missing-values once (2 of 3 at 140 wpm), and x answered (2 of 3
    at 130 wpm) then tried again without a word."""
    s = SessionStore(tmp_path / "home")
    add_session(
        s,
        "2025-05-01T10:00:00+00:00",
        [
            known_analysis("overfitting", wpm=100, hits=(F, F, F)),
            ("attempt", 2, known_analysis("overfitting", wpm=150, hits=(T, T, T))),
            ("follow_up", known_analysis("overfitting", wpm=120, hits=(T,))),
            known_analysis("missing-values", wpm=140, hits=(T, T, F)),
            known_analysis("x", wpm=130, hits=(T, F, T)),
            ("attempt", 2, ("unanswered", "x")),
        ],
    )
    yield s
    s.close()


def test_the_latest_scored_attempt_stands_for_its_question(store):
    h = collect_history(store)
    (session,) = h.sessions
    m = session.metrics[ALL]
    # Coverage and length over the main answers that stand: overfitting's 2nd attempt, missing-
    # values, x's 1st attempt (its 2nd said nothing).
    assert m.coverage == pytest.approx((1.0 + 2 / 3 + 2 / 3) / 3)
    # Pace over every scored answer that stands: the follow-up of the 2nd attempt counts.
    assert m.wpm == pytest.approx((150 + 120 + 140 + 130) / 4)
    assert (session.answered, session.asked) == (4, 4)
    assert h.overall[ALL].coverage == pytest.approx(m.coverage)


def test_weakest_and_missed_points_count_a_retried_question_once(store):
    h = collect_history(store)
    stats = {q.question_id: q for q in h.weakest}
    assert stats["overfitting"].answers == 1 and stats["overfitting"].avg_coverage == 1.0
    assert stats["overfitting"].misses == 0
    # The first attempt's misses were practice on the way: not "practise these" any more.
    assert weakest_question_ids(store, None, 1) != ["overfitting"]
    assert weakest_question_ids(store, None, 3)[-1] == "overfitting"
    assert not [m for m in h.missed if m.question_id == "overfitting"]


def test_the_session_report_averages_follow_the_same_rule(store):
    detail = store.load_session("last")
    s = summarize(detail.answers)
    assert s.coverage == pytest.approx((1.0 + 2 / 3 + 2 / 3) / 3)
    assert s.avg_wpm == pytest.approx((150 + 120 + 140 + 130) / 4)
    assert s.main_answered == 3
