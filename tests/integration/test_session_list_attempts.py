"""The `sessions` list and the `review` header average a session as its report does (issue 25): a
question tried again counts once, by its latest scored attempt with that attempt's follow-ups and
probes, and coverage counts main answers only (``sessions.standing``). Hand-made analyses, real
store, the real commands."""

from __future__ import annotations

import json

import pytest

from tests.integration.test_session_commands import parser
from tests.sessions_fixture import add_session, known_analysis
from voice_interviewer.reports.summary import summarize
from voice_interviewer.sessions.store import SessionStore

T, F = True, False


@pytest.fixture
def home(tmp_path, monkeypatch):
    """One session: overfitting tried twice (0 of 3 points at 100 wpm, 6 fillers/min; then 3 of 3
    at 150 wpm with a follow-up of 1 point missed at 120 wpm), missing-values once (2 of 3 at
    140 wpm)."""
    monkeypatch.setenv("COLUMNS", "400")
    root = tmp_path / "home"
    store = SessionStore(root)
    add_session(
        store,
        "2025-05-01T10:00:00+00:00",
        [
            known_analysis("overfitting", wpm=100, fpm=6.0, hits=(F, F, F)),
            ("attempt", 2, known_analysis("overfitting", wpm=150, fpm=1.0, hits=(T, T, T))),
            ("follow_up", known_analysis("overfitting", wpm=120, fpm=2.0, hits=(F,))),
            known_analysis("missing-values", wpm=140, fpm=0.0, hits=(T, T, F)),
        ],
    )
    report = summarize(store.load_session("last").answers)
    store.close()
    return root, report


def run(argv: list[str], capsys) -> str:
    args = parser().parse_args(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


def test_the_report_counts_the_latest_attempt_and_main_answers(home):
    _, report = home
    assert report.coverage == pytest.approx((1.0 + 2 / 3) / 2)
    assert report.avg_wpm == pytest.approx((150 + 120 + 140) / 3)
    assert report.fillers_per_minute == pytest.approx((1.0 + 2.0 + 0.0) / 3)


def test_sessions_list_averages_as_the_report(home, capsys):
    root, report = home
    (listed,) = json.loads(run(["sessions", "--data-dir", str(root), "--json"], capsys))
    assert listed["avg_coverage"] == pytest.approx(report.coverage)
    assert listed["avg_wpm"] == pytest.approx(report.avg_wpm)
    assert listed["avg_fillers_per_minute"] == pytest.approx(report.fillers_per_minute)
    table = run(["sessions", "--data-dir", str(root)], capsys)
    (row,) = [line.split() for line in table.splitlines() if line.strip().startswith("1 ")]
    assert f"{report.avg_wpm:.0f}" in row and f"{report.coverage:.0%}" in row
    assert f"{report.fillers_per_minute:.1f}" in row


def test_review_header_averages_as_the_report(home, capsys):
    root, report = home
    shown = json.loads(run(["review", "last", "--data-dir", str(root), "--json"], capsys))
    assert shown["avg_coverage"] == pytest.approx(report.coverage)
    assert shown["avg_wpm"] == pytest.approx(report.avg_wpm)
    assert shown["avg_fillers_per_minute"] == pytest.approx(report.fillers_per_minute)
    out = run(["review", "last", "--data-dir", str(root)], capsys)
    expected = (
        f"avg {report.avg_wpm:.0f} wpm, coverage {report.coverage:.0%}, "
        f"{report.fillers_per_minute:.1f} fillers/min"
    )
    assert expected in out
