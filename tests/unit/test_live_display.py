"""The Rich display as a subscriber: user text printed as text (never markup), the meter shows the
grace countdown, and it never redirects stdout (so --jsonl events cannot be swallowed)."""

from __future__ import annotations

import io
import sys

from rich.console import Console

from voice_interviewer.live import events as ev
from voice_interviewer.live.display import RichDisplay


def console(terminal: bool = False) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, width=140, force_terminal=terminal, color_system=None), buf


def test_user_text_with_markup_is_printed_as_text():
    c, buf = console()
    d = RichDisplay(c)
    d.handle(ev.QuestionAsked("q", "What is [/] or [bold]x[/bold]?", False, 1, 2, "technical"))
    d.handle(ev.FeedbackReady("q", {}, ("Missed: [draft] points [/].",), 0.1))
    d.handle(ev.Notice("Could not speak [red]", "warning"))
    d.handle(ev.SessionSaved(3, "/tmp/[draft]/sessions/3"))
    out = buf.getvalue()
    assert "What is [/] or [bold]x[/bold]?" in out
    assert "Missed: [draft] points [/]." in out and "Could not speak [red]" in out
    assert "/tmp/[draft]/sessions/3" in out and "Question 1 of 2 · technical" in out


def test_feedback_shows_what_was_said_first(monkeypatch):
    # `demo` and `practice` showed the feedback but never the transcript (issue 25, defect 5).
    import json
    from pathlib import Path

    from voice_interviewer.scoring.analysis import Analysis

    data = Path(__file__).resolve().parents[1] / "data" / "analysis_overfitting.json"
    saved = json.loads(data.read_text())
    analysis = Analysis.from_dict(saved)
    c, buf = console()
    monkeypatch.delenv("VOICE_INTERVIEWER_LAUNCHER", raising=False)
    d = RichDisplay(c)
    d.handle(ev.FeedbackReady("overfitting", analysis, ("You covered every point.",), 0.1))
    out = buf.getvalue()
    said = " ".join(w["text"] for w in saved["words"][:6])
    assert out.index("What you said") < out.index(said) < out.index("Feedback")
    d.handle(ev.SessionSaved(3, "/tmp/sessions/3"))
    assert "`voice-interviewer review 3`" in buf.getvalue()
    # Started by ./run.sh, the hint names it so: `voice-interviewer` is not on PATH there.
    monkeypatch.setenv("VOICE_INTERVIEWER_LAUNCHER", "./run.sh")
    d.handle(ev.SessionSaved(4, "/tmp/sessions/4"))
    assert "`./run.sh review 4`" in buf.getvalue()


def test_meter_counts_down_the_grace_period_and_stops_on_answer_end():
    c, buf = console(terminal=True)
    d = RichDisplay(c)
    saved_stdout = sys.stdout
    d.handle(ev.ListeningStarted((60.0, 120.0), "a 3 s silence or Enter ends the answer"))
    assert sys.stdout is saved_stdout  # the live meter does not redirect stdout
    d.handle(ev.LevelChanged(ev.LevelStatus(-20.0, 10.0, True, True), (60.0, 120.0)))
    d.handle(ev.AnswerClosing(16.0))
    d.handle(ev.LevelChanged(ev.LevelStatus(-55.0, 13.4, False, True), (60.0, 120.0)))
    d._live.refresh()
    assert "ends in 3 s: keep talking to go on" in buf.getvalue()
    d.handle(ev.AnswerResumed())
    d.handle(ev.LevelChanged(ev.LevelStatus(-20.0, 14.0, True, True), (60.0, 120.0)))
    d._live.refresh()
    assert buf.getvalue().rstrip().endswith("speaking")
    d.handle(ev.AnswerEnded("silence"))
    assert d._live is None
    d.close()


def test_summary_marks_unscored_coverage():
    c, buf = console()
    RichDisplay(c).handle(
        ev.SessionSummary(
            (
                ev.SummaryRow("overfitting", "answered", 62.0, 140.0, 2, 1, 0.67),
                ev.SummaryRow("  ↳ follow-up", "answered", 30.0, 150.0, 0, 0, None),
                ev.SummaryRow("failure", "unanswered", None, None, None, None, None),
            ),
            interrupted=True,
        )
    )
    out = buf.getvalue()
    assert "(interrupted)" in out and "67%" in out and "not scored" in out


def test_a_second_attempt_is_shown_beside_the_first_and_the_choice_is_said():
    from voice_interviewer.scoring.compare import AttemptComparison, MeasureChange

    c, buf = console()
    d = RichDisplay(c)
    d.handle(ev.QuestionAsked("q", "Why?", False, 1, 2, "technical", 2, attempt=2))
    compared = AttemptComparison(1, 2, (MeasureChange("pace", "118 wpm", "142 wpm", "better"),))
    d.handle(ev.AttemptsCompared("q", compared))
    d.handle(ev.WaitingForNext("q", 2, last=False))
    d.handle(ev.WaitingForNext("q", 1, last=True))
    out = buf.getvalue()
    assert "Question (attempt 2): Why?" in out
    assert "Attempt 1 and attempt 2" in out
    row = next(line for line in out.splitlines() if "pace" in line)
    assert "118 wpm" in row and "142 wpm" in row and "better" in row
    assert "Press Enter to go on to the next question, r then Enter to try" in out
    assert "Press Enter to end the session" in out


def test_a_notice_names_the_tool_as_it_was_started(monkeypatch):
    # After ./run.sh, `voice-interviewer` is not on PATH: a notice's hint must say ./run.sh.
    monkeypatch.setenv("VOICE_INTERVIEWER_LAUNCHER", "./run.sh")
    c, buf = console()
    RichDisplay(c).handle(ev.Notice("Could not speak (try `voice-interviewer check`)", "warning"))
    assert "`./run.sh check`" in buf.getvalue()
