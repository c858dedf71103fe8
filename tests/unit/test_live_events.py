"""Typed session events: the --jsonl contract (names and keys exactly as before), the writer on its
own copy of stdout, and the signal guard (issue 11 controller; issue 14 item 2; issue 15 item 7)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.sessions_fixture import known_analysis
from voice_interviewer.live import events as ev
from voice_interviewer.live.jsonl import JsonlWriter
from voice_interviewer.live.signals import InterruptGuard, SessionInterrupted
from voice_interviewer.scoring.analysis import Analysis

LEVEL = ev.LevelStatus(-30.0, 1.0, True, True)
ANALYSIS = Analysis.from_dict(known_analysis("q"))
# The --jsonl contract: every event the stream has ever carried, with exactly these keys.
CONTRACT = [
    (
        ev.QuestionAsked("q", "Why?", False, 1, 2, "technical"),
        "question",
        {"id", "text", "follow_up"},
    ),
    (ev.ListeningStarted((60.0, 120.0), "hint"), "listening", set()),
    (ev.SpeechStarted(1.25), "speech_start", {"at_s"}),
    (ev.AnswerEnded("silence"), "answer_end", {"reason"}),
    (
        ev.FeedbackReady("q", ANALYSIS, ("ok",), 0.12345),
        "feedback",
        {"id", "analysis", "decision_to_feedback_s"},
    ),
    (ev.SessionSaved(7, "/data/sessions/7"), "session_saved", {"session_id", "path"}),
]
DISPLAY_ONLY = [
    ev.LevelChanged(LEVEL, (60.0, 120.0)),
    ev.AnswerClosing(12.0),
    ev.AnswerResumed(),
    ev.Notice("hello"),
    ev.SessionSummary((), False),
]


@pytest.mark.parametrize(("event", "name", "keys"), CONTRACT)
def test_jsonl_names_and_keys_are_the_contract(event, name, keys):
    obj = event.jsonl()
    assert obj.pop("event") == name and set(obj) == keys


def test_display_only_events_are_not_written():
    assert all(e.jsonl() is None for e in DISPLAY_ONLY)


def test_writer_writes_each_event_as_one_line_with_t(tmp_path):
    path = tmp_path / "out.jsonl"
    with open(path, "w") as f:
        writer = JsonlWriter(f.fileno())
    bus = ev.EventBus([writer])
    for event, _name, _keys in CONTRACT:
        bus.publish(event)
    for event in DISPLAY_ONLY:
        bus.publish(event)
    writer.close()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [x["event"] for x in lines] == [name for _e, name, _k in CONTRACT]
    assert all(list(x)[:2] == ["event", "t"] and isinstance(x["t"], float) for x in lines)
    assert (
        lines[4]["decision_to_feedback_s"] == 0.123 and lines[4]["analysis"] == ANALYSIS.to_dict()
    )


def test_exclusive_writer_keeps_stray_output_off_stdout(tmp_path):
    """Only events reach stdout: prints and C-level writes to fd 1 go to stderr meanwhile."""
    code = """
import os, sys
from voice_interviewer.live.events import SpeechStarted
from voice_interviewer.live.jsonl import JsonlWriter
w = JsonlWriter(exclusive=True)
print("Audio saved to /tmp/x.wav")
os.write(1, b"C-level noise\\n")
w.handle(SpeechStarted(1.5))
w.close()
print("after")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert json.loads(lines[0])["event"] == "speech_start" and lines[1:] == ["after"]
    assert "Audio saved" in out.stderr and "C-level noise" in out.stderr


def test_writer_survives_a_closed_reader():
    r, w = os.pipe()
    writer = JsonlWriter(w)
    os.close(w)
    os.close(r)
    old = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        writer.handle(ev.SpeechStarted(1.0))  # EPIPE: dropped, not raised
        writer.handle(ev.AnswerEnded("silence"))
    finally:
        signal.signal(signal.SIGPIPE, old)
    writer.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_first_signal_interrupts_later_ones_are_deferred(sig, capfd):
    with InterruptGuard() as guard:
        with pytest.raises(SessionInterrupted) as exc:
            os.kill(os.getpid(), sig)
            for _ in range(100):  # the handler runs between bytecodes
                pass
        assert isinstance(exc.value, KeyboardInterrupt) and exc.value.signum == sig
        assert guard.exit_code == 128 + sig
        os.kill(os.getpid(), signal.SIGINT)  # while saving: acknowledged, not raised
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):
            pass
        assert guard.ignored == 2
    assert "Still saving" in capfd.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_holding_guard_keeps_acknowledging_after_an_interrupt(capfd):
    """For a command line that exits next: a Ctrl-C after the block must not raise at shutdown."""
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with InterruptGuard(hold=True) as guard:
            guard.interrupted(KeyboardInterrupt())
        os.kill(os.getpid(), signal.SIGINT)  # after the block: still acknowledged, not raised
        for _ in range(100):
            pass
        assert guard.ignored == 1 and guard.exit_code == 130
        assert "Closing: one moment" in capfd.readouterr().err  # the save is over by then
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def test_a_holding_guard_restores_the_handlers_when_nothing_interrupted():
    with InterruptGuard(hold=True):
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_keyboard_interrupt_from_elsewhere_also_defers():
    with InterruptGuard() as guard:
        guard.interrupted(KeyboardInterrupt())
        assert guard.exit_code == 130
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):
            pass
        assert guard.ignored == 1
