"""History across sessions with KNOWN measurements (hand-made analysis dicts, real store)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from tests.sessions_fixture import add_session, known_analysis
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.errors import UsageError
from voice_interviewer.reports.history import (
    collect_history,
    render_history_html,
    sparkline,
    weakest_question_ids,
)
from voice_interviewer.sessions.store import SessionStore

STAR = {"situation": True, "task": True, "action": True, "result": False}


def tech(wpm, fpm, hits, long_pauses=0, answer_s=90.0, qid="overfitting", category="technical"):
    return known_analysis(
        qid, category, wpm=wpm, fpm=fpm, hits=hits, long_pauses=long_pauses, answer_s=answer_s
    )


def behav(wpm, fpm, hits, answer_s=100.0):
    return known_analysis(
        "prioritization",
        "behavioral",
        wpm=wpm,
        fpm=fpm,
        hits=hits,
        answer_s=answer_s,
        target=(90, 180),
        star=STAR,
    )


T, F = True, False


@pytest.fixture
def home(tmp_path):
    """Five sessions, stored out of date order on purpose (history sorts by date):
    s1 2025-01-10  overfitting 120 wpm 4 fpm 1/3, 2 long pauses, 50 s (short)
                   prioritization 140 wpm 2 fpm 2/4, 100 s (within)
    s2 2025-02-10  overfitting 130 wpm 3 fpm 2/3, 1 long pause, 70 s (within)
                   missing-values (problem-solving) 150 wpm 1 fpm 3/3, 200 s (over)
    s3 2025-03-10  overfitting 150 wpm 1 fpm 3/3; prioritization 160 wpm 0 fpm 3/4, 95 s;
                   a follow-up 100 wpm 6 fpm 0/3 5 s (counts for pace and fillers only)
    s4 2025-03-15  another bank: x 200 wpm 1/2, y 200 wpm 2/4
    s5 2025-04-01  crashed: overfitting 140 wpm 2 fpm 2/3, then an answer left 'recording'
    """
    store = SessionStore(tmp_path / "home")
    ids = {}
    ids["s3"] = add_session(
        store,
        "2025-03-10T09:00:00+00:00",
        [
            tech(150, 1, (T, T, T)),
            behav(160, 0, (T, T, T, F), answer_s=95),
            (
                "follow_up",
                tech(100, 6, (F, F, F), answer_s=5, qid="prioritization", category="behavioral"),
            ),
        ],
    )
    ids["s1"] = add_session(
        store,
        "2025-01-10T09:00:00+00:00",
        [
            tech(120, 4, (T, F, F), long_pauses=2, answer_s=50),
            behav(140, 2, (T, T, F, F)),
        ],
    )
    ids["s2"] = add_session(
        store,
        "2025-02-10T09:00:00+00:00",
        [
            tech(130, 3, (T, T, F), long_pauses=1, answer_s=70),
            tech(150, 1, (T, T, T), answer_s=200, qid="missing-values", category="problem-solving"),
        ],
    )
    ids["s4"] = add_session(
        store,
        "2025-03-15T09:00:00+00:00",
        [
            tech(200, 0, (T, F), qid="x"),
            tech(200, 0, (T, T, F, F), qid="y"),
        ],
        bank_id="other-bank",
    )
    ids["s5"] = add_session(
        store,
        "2025-04-01T09:00:00+00:00",
        [
            tech(140, 2, (T, T, F)),
            ("recording", "missing-values"),
        ],
        end="incomplete",
    )
    yield store, ids, tmp_path / "home"
    store.close()


def test_trend_numbers_per_session_and_per_category(home):
    store, ids, _ = home
    h = collect_history(store, bank="amazon-mle")
    assert [s.id for s in h.sessions] == [ids["s1"], ids["s2"], ids["s3"], ids["s5"]]
    assert h.scopes == ["all", "technical", "behavioral", "problem-solving"]
    approx = pytest.approx
    assert h.series("all", "wpm") == approx([130, 140, (150 + 160 + 100) / 3, 140])
    assert h.series("all", "fillers_per_minute") == approx([3, 2, 7 / 3, 2])
    assert h.series("all", "long_pauses") == approx([1, 0.5, 0, 0])
    # Coverage and length: main answers only (the s3 follow-up is not held against it).
    assert h.series("all", "coverage") == approx(
        [(1 / 3 + 2 / 4) / 2, (2 / 3 + 1) / 2, (1 + 3 / 4) / 2, 2 / 3]
    )
    assert h.series("all", "within_target") == approx([0.5, 0.5, 1.0, 1.0])
    assert h.series("technical", "wpm") == approx([120, 130, 150, 140])
    assert h.series("behavioral", "wpm") == [140, None, approx(130), None]
    assert h.series("behavioral", "coverage") == [0.5, None, 0.75, None]
    assert h.series("problem-solving", "within_target") == [None, 0.0, None, None]
    assert h.overall["all"].wpm == approx((120 + 140 + 130 + 150 + 150 + 160 + 100 + 140) / 8)
    assert h.overall["technical"].coverage == approx((1 / 3 + 2 / 3 + 1 + 2 / 3) / 4)


def test_since_and_category_filters(home):
    store, ids, _ = home
    h = collect_history(store, since=date(2025, 2, 10))
    assert [s.id for s in h.sessions] == [ids["s2"], ids["s3"], ids["s4"], ids["s5"]]
    h = collect_history(store, bank="amazon-mle", category="behavioral")
    assert [s.id for s in h.sessions] == [ids["s1"], ids["s3"]]  # the others asked none
    assert h.scopes == ["all", "behavioral"]
    assert h.series("all", "wpm") == pytest.approx([140, 130])
    assert [q.question_id for q in h.weakest] == ["prioritization"]


def test_weakest_questions_and_most_missed_points(home):
    store, _, _ = home
    h = collect_history(store, bank="amazon-mle")
    weakest = [(q.question_id, round(q.avg_coverage, 4), q.misses, q.answers) for q in h.weakest]
    assert weakest == [
        ("prioritization", 0.625, 3, 2),
        ("overfitting", round((1 / 3 + 2 / 3 + 1 + 2 / 3) / 4, 4), 4, 4),
        ("missing-values", 1.0, 0, 1),
    ]
    missed = [(m.missed, m.answered, m.question_id, m.point_text) for m in h.missed]
    assert missed == [
        (3, 4, "overfitting", "overfitting point 3"),
        (2, 2, "prioritization", "prioritization point 4"),
        (1, 4, "overfitting", "overfitting point 2"),
        (1, 2, "prioritization", "prioritization point 3"),
    ]
    assert weakest_question_ids(store, "amazon-mle", 2) == ["prioritization", "overfitting"]
    # Same average coverage (50 %): the question with more missed points comes first.
    assert weakest_question_ids(store, "other-bank", 5) == ["y", "x"]
    assert weakest_question_ids(store, "no-such-bank", 3) == []


def test_damaged_session_is_listed_as_such(home):
    store, ids, _ = home
    h = collect_history(store)
    crashed = next(s for s in h.sessions if s.id == ids["s5"])
    assert crashed.status == "incomplete"
    assert crashed.problems == [
        "never ended: the program stopped mid-session",
        "1 answer never finished recording",
    ]
    assert (crashed.answered, crashed.asked) == (1, 2)
    assert all(not s.problems for s in h.sessions if s.id != ids["s5"])


def test_sparkline():
    assert sparkline([1, 2, None, 3]) == "▁▅·█"
    assert sparkline([5, 5]) == "▄▄" and sparkline([None, None]) == "··"


def test_history_command_terminal_json_and_html(home, capsys, monkeypatch, tmp_path):
    store, ids, root = home
    monkeypatch.setenv("COLUMNS", "200")
    page = tmp_path / "history.html"
    assert (
        run(["history", "--data-dir", str(root), "--bank", "amazon-mle", "--html", str(page)]) == 0
    )
    # --html writes the page and says where, nothing else (issue 25, defect 8)
    assert capsys.readouterr().out == f"History page: {page}\n"
    assert run(["history", "--data-dir", str(root), "--bank", "amazon-mle"]) == 0
    out = capsys.readouterr().out
    assert "History: 4 sessions (bank amazon-mle)" in out
    row = next(line for line in out.splitlines() if "words per minute" in line)
    assert re.search(r"[▁-█]{4}", row) and "130" in row and "140" in row
    assert "never ended: the program stopped mid-session" in out
    assert "prioritization: Question prioritization?" in out

    assert run(["history", "--data-dir", str(root), "--since", "2025-03-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["sessions"]] == [ids["s3"], ids["s4"], ids["s5"]]
    assert data["filters"] == {"bank": None, "category": None, "since": "2025-03-01"}

    html = page.read_text()
    assert html.count('class="card metric"') == 6  # pitch variation: the sixth
    assert html.count("<polyline") >= 5 and "<svg" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "never ended" in html

    with pytest.raises(UsageError, match="--since '1 March'"):
        run(["history", "--data-dir", str(root), "--since", "1 March"])


def test_history_of_an_empty_data_folder_is_an_error(tmp_path):
    from voice_interviewer.errors import SessionError

    with pytest.raises(SessionError, match="no saved sessions in"):
        run(["history", "--data-dir", str(tmp_path / "nothing")])


def test_history_page_renders_with_no_sessions(home):
    store, _, _ = home
    h = collect_history(store, since=date(2030, 1, 1))
    assert h.sessions == [] and h.weakest == []
    assert "0 sessions" in render_history_html(h)
