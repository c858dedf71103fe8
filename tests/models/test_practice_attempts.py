"""Issue 25, "your pace between questions": after feedback the engine waits for the front end's
Next or Try again (``FrontEnd.next_step``); Try again asks the same question again, the store
keeps every attempt with its number, and the second attempt is compared with the first. Real
pipeline (Whisper tiny.en) on recorded answers fed through FileFeed; the front end is a fake.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from voice_interviewer.bank import resolve_bank
from voice_interviewer.live import events as ev
from voice_interviewer.live.capture import FileFeed
from voice_interviewer.live.controller import PracticeSession, PracticeSettings
from voice_interviewer.live.front_end import FrontEnd
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
OVERFITTING = ROOT / "audio_fixtures" / "a01_overfitting_en-us_140_clean.flac"


class Recorder:
    def __init__(self) -> None:
        self.events: list[ev.SessionEvent] = []

    def handle(self, event: ev.SessionEvent) -> None:
        self.events.append(event)


@pytest.fixture(scope="module")
def clips():
    audio = load_audio(OVERFITTING)
    # A short first attempt (its opening), then a longer one: the measures differ.
    return [audio[: 8 * 16000], audio[: 16 * 16000], audio[: 8 * 16000]]


def run(tmp_path, scorer, clips, steps, *, auto_next=False, count=2):
    bank = resolve_bank(None)
    questions = list(bank.questions[:count])
    store = SessionStore(tmp_path)
    rec = Recorder()
    feeds = iter(clips)
    asked_steps = iter(steps)
    waited: list[str] = []

    def next_step():
        waited.append("waited")
        return next(asked_steps)

    settings = PracticeSettings(
        speak=False,
        cue=False,
        seed=0,
        auto_next=auto_next,
        endpoint=replace(LIVE_DEFAULTS, wait_s=5.0, end_silence_s=1.0, grace_s=0.0),
    )
    front = FrontEnd(
        lambda q, n: FileFeed(next(feeds), realtime=False), next_step=next_step, name="fake"
    )
    s = PracticeSession(bank, questions, scorer, store, settings, front, None, ev.EventBus([rec]))
    assert s.run() == 0
    return store, s.session_id, rec.events, waited


def test_try_again_asks_the_same_question_and_keeps_both_attempts(tmp_path, scorer, clips):
    store, sid, events, waited = run(tmp_path, scorer, clips, ["retry", "next", "next"])
    asked = [(e.question_id, e.attempt) for e in events if isinstance(e, ev.QuestionAsked)]
    first, second = resolve_bank(None).questions[:2]
    assert asked == [(first.id, 1), (first.id, 2), (second.id, 1)]
    # The wait comes after each feedback, before the next question is asked.
    kinds = [type(e).__name__ for e in events]
    i = kinds.index("FeedbackReady")
    assert kinds[i + 1 : i + 2] == ["WaitingForNext"] and kinds[i + 2] == "QuestionAsked"
    assert len(waited) == 3  # after the last question too: it can be tried again
    [compared] = [e for e in events if isinstance(e, ev.AttemptsCompared)]
    assert compared.question_id == first.id
    assert (compared.comparison.before, compared.comparison.after) == (1, 2)
    by_name = {m.measure: m for m in compared.comparison.measures}
    assert set(by_name) == {"length", "pace", "fillers", "pauses", "coverage"}
    assert by_name["length"].before != by_name["length"].after  # 8 s of speech against 16 s
    assert kinds.index("AttemptsCompared") > kinds.index("FeedbackReady")
    # Saved: both attempts of the first question, numbered.
    answers = store.load_session(sid).answers
    assert [(a.question_id, a.attempt, a.status) for a in answers] == [
        (first.id, 1, "answered"),
        (first.id, 2, "answered"),
        (second.id, 1, "answered"),
    ]
    assert store.load_session(sid).settings["auto_next"] is False


def test_stop_while_waiting_ends_the_session_as_interrupted(tmp_path, scorer, clips):
    store, sid, events, _ = run(tmp_path, scorer, clips, ["stop"])
    assert [type(e).__name__ for e in events][-3:] == [
        "WaitingForNext",
        "SessionSummary",
        "SessionSaved",
    ]
    saved = store.load_session(sid)
    assert saved.status == "interrupted" and len(saved.answers) == 1


def test_auto_next_goes_straight_on_without_waiting(tmp_path, scorer, clips):
    _, _, events, waited = run(tmp_path, scorer, clips, [], auto_next=True)
    assert waited == []
    assert not any(isinstance(e, ev.WaitingForNext) for e in events)
    assert sum(isinstance(e, ev.QuestionAsked) for e in events) == 2
