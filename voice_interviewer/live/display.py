"""The terminal display of a practice session: a Rich subscriber to the session's events.

It prints the questions, a live level meter while the answer is recorded, the feedback and the
summary. The meter never redirects ``sys.stdout`` or ``sys.stderr`` (Rich's default): with
``--jsonl`` the events go to stdout and must all get there. Text that comes from a bank or a path
is printed as text, never parsed as Rich markup.
"""

from __future__ import annotations

import numpy as np
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from voice_interviewer.live import events as ev
from voice_interviewer.reports.attempts import comparison_table
from voice_interviewer.reports.terminal import transcript_text
from voice_interviewer.wording import as_launched

__all__ = ["RichDisplay"]

METER_WIDTH = 30


class RichDisplay:
    """A :class:`~voice_interviewer.live.events.Subscriber` drawing on a Rich console."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._live: Live | None = None
        self._closing_at: float | None = None  # the answer ends then unless speech resumes

    def handle(self, event: ev.SessionEvent) -> None:
        if isinstance(event, ev.LevelChanged):
            self._meter(event)
            return
        if isinstance(event, ev.AnswerClosing):
            self._closing_at = event.ends_at_s
            return
        if isinstance(event, ev.AnswerResumed):
            self._closing_at = None
            return
        if isinstance(event, ev.SpeechStarted | ev.StretchTranscribed | ev.SessionStarted):
            return  # the meter shows speech; the transcript waits for the feedback
        self._stop_meter()  # anything else is printed below the meter, which goes
        c = self.console
        if isinstance(event, ev.QuestionAsked):
            if not event.follow_up:
                c.rule(Text(f"Question {event.number} of {event.of} · {event.category}"))
            label = "Follow-up" if event.follow_up else "Question"
            if event.attempt > 1 and not event.follow_up:
                label = f"Question (attempt {event.attempt})"
            if event.probe_point is not None:  # a probe on a point the answer missed
                label = "Probe"
                c.print(
                    Text.assemble(
                        (f"Probe on question {event.number}, a point you missed: ", "cyan"),
                        event.probe_point,
                    )
                )
            c.print(Text.assemble((f"{label}: ", "bold cyan"), (event.text, "bold")))
        elif isinstance(event, ev.ListeningStarted):
            lo, hi = event.target_seconds
            c.print(Text(f"Listening… answer in {lo:.0f}-{hi:.0f} s; {event.end_hint}.", "dim"))
            self._closing_at = None
            self._live = Live(
                console=c,
                transient=True,
                refresh_per_second=10,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()
        elif isinstance(event, ev.FeedbackReady):
            if event.analysis:  # what was heard, as the page and the report show it
                c.print(Text("What you said", style="bold green"))
                c.print(transcript_text(event.analysis))
            c.print(Text("Feedback", style="bold green"))
            for line in event.lines:
                c.print(Text(f"  {line}"))
        elif isinstance(event, ev.AttemptsCompared):
            c.print(comparison_table(event.comparison))
        elif isinstance(event, ev.WaitingForNext):
            then = "end the session" if event.last else "go on to the next question"
            c.print(
                Text(f"Press Enter to {then}, r then Enter to try this question again.", "bold")
            )
        elif isinstance(event, ev.NoAnswer):
            c.print(Text("No answer heard; moving on.", style="yellow"))
        elif isinstance(event, ev.Notice):
            style = "yellow" if event.level == "warning" else "bold"
            c.print(Text(as_launched(event.text), style=style))
        elif isinstance(event, ev.ExampleAnswer):
            c.print(Text("An example answer", style="bold cyan"))
            c.print(Text(f"  {event.text}"))
        elif isinstance(event, ev.SessionSummary):
            c.print(_summary_table(event))
        elif isinstance(event, ev.SessionSaved):
            c.print(
                Text.assemble(
                    "Session ",
                    (str(event.session_id), "bold"),
                    f" saved in {event.path} "
                    + as_launched(
                        f"(review it with `voice-interviewer review {event.session_id}`)."
                    ),
                )
            )

    def close(self) -> None:
        self._stop_meter()

    def _stop_meter(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _meter(self, event: ev.LevelChanged) -> None:
        if self._live is None:
            return
        st = event.level
        level = int(np.clip((st.rms_dbfs + 60) / 60, 0, 1) * METER_WIDTH)
        lo, hi = event.target_seconds
        if self._closing_at is not None and not st.speaking:
            left = max(0.0, self._closing_at - st.elapsed_s)
            state = f"ends in {left:.0f} s: keep talking to go on"
        else:
            state = (
                "speaking"
                if st.speaking
                else ("pausing" if st.speech_started else "waiting for you")
            )
        colour = "green" if lo <= st.elapsed_s <= hi else ("yellow" if st.elapsed_s < lo else "red")
        bar = "█" * level + "░" * (METER_WIDTH - level)
        self._live.update(
            Text.assemble(
                ("mic ", "dim"),
                (bar, "green" if st.speaking else "white"),
                f" {st.rms_dbfs:5.0f} dB  ",
                (f"{st.elapsed_s:5.1f} s", colour),
                f" / {lo:.0f}-{hi:.0f} s  ",
                (state, "dim"),
            )
        )


def _summary_table(summary: ev.SessionSummary) -> Table:
    t = Table(title="Session summary" + (" (interrupted)" if summary.interrupted else ""))
    for col in ("question", "status", "length", "wpm", "fillers", "long pauses", "coverage"):
        t.add_column(col)
    for r in summary.rows:
        if r.answer_s is None:
            t.add_row(Text(r.label), r.status, "-", "-", "-", "-", "-")
            continue
        coverage = "not scored" if r.coverage is None else f"{r.coverage:.0%}"
        t.add_row(
            Text(r.label),
            r.status,
            f"{r.answer_s:.0f} s",
            f"{r.words_per_minute or 0:.0f}",
            str(r.fillers),
            str(r.long_pauses),
            coverage,
        )
    return t
