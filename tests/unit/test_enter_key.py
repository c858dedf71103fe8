"""The terminal's keys after feedback (issue 25): the Enter that ended the answer is not taken for
the choice; a line typed once the session waits is, however soon; r tries again, q ends."""

from __future__ import annotations

import os
import sys
import threading

from voice_interviewer.live import events as ev
from voice_interviewer.live.keys import EnterKey, step_for_line


def test_the_line_typed_after_the_prompt_is_the_choice(monkeypatch):
    read_end, write_end = os.pipe()
    monkeypatch.setattr(sys, "stdin", os.fdopen(read_end))
    key = EnterKey()
    typed = threading.Event()
    os.write(write_end, b"\n")  # Enter: ends the answer
    while not key.pressed():
        typed.wait(0.01)
    key.handle(ev.WaitingForNext("q", 1, last=False))  # the prompt is out
    os.write(write_end, b"r\n")
    assert key.next_step() == "retry"  # not "next" for the Enter that ended the answer
    key.handle(ev.WaitingForNext("q", 2, last=False))
    os.write(write_end, b"\n")
    assert key.next_step() == "next"
    os.close(write_end)  # stdin ends: the session goes on by itself
    key.handle(ev.WaitingForNext("q", 1, last=True))
    assert key.next_step() == "next"


def test_the_keys():
    assert step_for_line("\n") == "next"
    assert step_for_line(" R\n") == "retry"
    assert step_for_line("q\n") == "stop"
    assert step_for_line(None) == "next"
