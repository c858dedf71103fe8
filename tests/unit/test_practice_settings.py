"""The settings a practice session is saved with come from one builder, whatever the front end
(issue 27): the web page's sessions say so, and carry the same keys as the terminal's."""

from __future__ import annotations

from voice_interviewer.bank import resolve_bank
from voice_interviewer.live.practice_settings import PracticeSettings

KEYS = {
    "questions",
    "follow_ups",
    "probes",
    "end_silence_s",
    "max_answer_s",
    "wait_s",
    "grace_s",
    "speak",
    "auto_next",
}


def test_the_terminal_and_the_web_save_the_same_settings():
    q = resolve_bank(None).questions[0]
    terminal = PracticeSettings(speak=False).saved([q])
    web = PracticeSettings(speak=False).saved([q], "web")
    assert set(terminal) == KEYS and terminal["questions"] == [q.id]
    assert web == {**terminal, "front_end": "web"}
