"""One practice session driven from a browser tab: the practice engine (``live.controller``) with
the page as its front end. The page streams its microphone (``PushedBlocks``), plays each question
it is sent and reports the sample count where playback ended (the answer is cut there, so the
response latency counts from the moment the question finished playing in the page), and sends
Done and Stop; the engine's events go back as the page's JSON messages (``web.wire``).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from voice_interviewer.bank import Bank, Question
from voice_interviewer.errors import VoiceInterviewerError
from voice_interviewer.live import events as ev
from voice_interviewer.live.controller import PracticeSession, PracticeSettings
from voice_interviewer.live.front_end import FrontEnd, NextStep, SessionStopped
from voice_interviewer.live.speaker import Speaker
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.web import wire
from voice_interviewer.web.pushed_blocks import PushedBlocks

__all__ = ["Controls", "PagePlayer", "ToPage", "run_browser_practice"]


class Controls:
    """What the page tells a running session (set from the event loop, read by the engine)."""

    def __init__(self) -> None:
        self.played: queue.Queue[float] = queue.Queue()  # cut times (s on the page's clock)
        self.done = threading.Event()
        self.stop = threading.Event()
        self.steps: queue.Queue[str] = queue.Queue()  # "next" | "retry", after feedback

    def next_step(self) -> NextStep:
        """Waits for the page's Next or Try again; its Stop, or the page going away, stops."""
        while not self.stop.is_set():
            try:
                return "retry" if self.steps.get(timeout=0.2) == "retry" else "next"
            except queue.Empty:
                continue
        raise SessionStopped()


class PagePlayer:
    """The page plays the question (its URL went out with the ``question`` message) and says when
    it ended, on its sample clock; Stop, or the page going away, stops the session."""

    def __init__(self, controls: Controls, blocks: PushedBlocks) -> None:
        self.controls, self.blocks = controls, blocks

    def play(self, speech: ev.Speech | None, source: object) -> float:
        # Audio keeps arriving meanwhile; ``LiveAnswer`` drops what came before the cut.
        while not (self.controls.stop.is_set() or self.blocks.closed.is_set()):
            try:
                return self.controls.played.get(timeout=0.2)
            except queue.Empty:
                continue
        raise SessionStopped()


class ToPage:
    """The page's subscriber: each event the page has a use for goes out as its message."""

    def __init__(self, send: Callable[[wire.Message], None], publish_audio) -> None:
        self.send, self.publish_audio = send, publish_audio

    def handle(self, event: ev.SessionEvent) -> None:
        if (m := wire.message(event, self.publish_audio)) is not None:
            self.send(m)


def _dropping_audio(blocks: PushedBlocks, wait: Callable[[], NextStep]) -> NextStep:
    with blocks.discarding():
        return wait()


def run_browser_practice(
    bank: Bank,
    questions: list[Question],
    scorer: Scorer,
    store: SessionStore,
    settings: PracticeSettings,
    blocks: PushedBlocks,
    controls: Controls,
    send: Callable[[wire.Message], None],
    publish_audio: Callable[[bytes], str],
) -> int:
    """Runs the session (in a worker thread); returns its id. ``send`` is thread-safe."""
    front = FrontEnd(
        lambda q, n: blocks,
        PagePlayer(controls, blocks),
        done_requested=controls.done.is_set,
        clear_done=controls.done.clear,
        stop_requested=controls.stop.is_set,
        # What the page hears while the candidate reads the feedback is no answer's.
        next_step=lambda: _dropping_audio(blocks, controls.next_step),
        name="web",
        microphone_hint="in the browser",
        errors_end_session=True,  # the server goes on: the session ends here, and the page is told
    )

    bus = ev.EventBus([ToPage(send, publish_audio)])
    speaker = None
    if settings.speak:  # the voice renders here; the page plays it
        from voice_interviewer.live.tts import make_synthesizer

        try:
            speaker = Speaker(
                make_synthesizer(settings.tts, settings.voice), settings.voice, settings.rate
            )
        except (VoiceInterviewerError, OSError, RuntimeError) as exc:
            bus.publish(ev.Notice(f"Could not speak the questions ({exc}); they are shown only."))
    session = PracticeSession(bank, questions, scorer, store, settings, front, speaker, bus)
    session.run()
    return session.session_id or 0
