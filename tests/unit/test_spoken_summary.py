"""The spoken summary after an answer (`--speak-feedback`): counts read as English."""

from __future__ import annotations

from tests.sessions_fixture import known_analysis
from voice_interviewer.live.spoken import spoken_summary
from voice_interviewer.scoring.analysis import Analysis


def test_a_single_missed_point_is_not_zero_of_one_points():
    said = spoken_summary(Analysis.from_dict(known_analysis("q", hits=(False,))))
    assert "0 of 1" not in said
    assert "You missed its point; next time, mention: q point 1." in said


def test_several_points_are_counted():
    said = spoken_summary(Analysis.from_dict(known_analysis("q", hits=(True, False, False))))
    assert "You covered 1 of 3 points; next time, mention: q point 2." in said
    assert spoken_summary(Analysis.from_dict(known_analysis("q", hits=(True, True)))).endswith(
        "You covered every point."
    )
