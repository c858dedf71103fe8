"""Chart labels say what they mean (issue 25, defect 4): a tick at 0.25 reads 0.25, not 0.2, and
the pace chart's "words/min" sits above the plot, where no pace line can run over it."""

from __future__ import annotations

import re

from voice_interviewer.reports.charts import line_chart_svg, pace_svg
from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord


def tick_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]+)<', svg)


def test_tick_labels_show_the_decimals_their_step_needs():
    svg = line_chart_svg(["#1", "#2"], [("all", "#000", [0.1, 0.9])], None, "{:.1f}", (0.0, None))
    assert tick_labels(svg) == ["0.00", "0.25", "0.50", "0.75"]
    wpm = line_chart_svg(["#1", "#2"], [("all", "#000", [120.0, 170.0])], (130.0, 160.0))
    assert all(re.fullmatch(r"\d+", t) for t in tick_labels(wpm))
    pct = line_chart_svg(["#1"], [("all", "#000", [0.5])], None, "{:.0%}", (0.0, 1.0))
    assert tick_labels(pct) == ["0%", "25%", "50%", "75%", "100%"]


def test_the_pace_axis_title_is_above_the_plot():
    from tests.sessions_fixture import template

    a = Analysis.from_dict(template())
    # A fast stretch: 4 words a second (240 wpm), the line at the very top of the plot.
    fast = [AnalyzedWord("w", i * 0.25, i * 0.25 + 0.2, False) for i in range(80)]
    svg = pace_svg(Analysis(**{**a.__dict__, "words": fast}))
    title_y = float(re.search(r'<text[^>]*y="([\d.]+)"[^>]*>words/min<', svg).group(1))
    line = re.search(r'<polyline points="([^"]+)"', svg).group(1)
    top_of_line = min(float(p.split(",")[1]) for p in line.split())
    top_tick = min(
        float(y) for y in re.findall(r'<text x="\d+" y="([\d.]+)" text-anchor="end"', svg)
    )
    assert title_y + 4 < top_of_line and title_y + 4 < top_tick - 8, (title_y, top_of_line)
