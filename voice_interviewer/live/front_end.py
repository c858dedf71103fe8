"""What the practice engine (``live.controller``) needs from where the candidate sits: the terminal
(microphone, sound card, Enter key) or a browser tab (``web.browser_session``).

A front end gives the engine its audio, says when the question has been heard (where the answer
starts), and passes on the candidate's signals: done with this answer, stop the session, and after
feedback: next question or try this one again. It hears
back through the engine's typed events (``live.events``), never through a side channel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from voice_interviewer.live.capture import BlockSource
from voice_interviewer.live.events import Speech

if TYPE_CHECKING:
    from voice_interviewer.bank import Question
    from voice_interviewer.live.devices import Microphone
    from voice_interviewer.live.keys import EnterKey
    from voice_interviewer.live.speaker import Speaker

__all__ = [
    "FrontEnd",
    "NextStep",
    "QuestionPlayer",
    "SessionStopped",
    "SoundCard",
    "terminal_front_end",
]

NextStep = Literal["next", "retry", "stop"]


class SessionStopped(Exception):
    """The front end ended the session (the page's Stop, or the page going away): what was recorded
    is kept and the session is saved as interrupted."""


class QuestionPlayer(Protocol):
    def play(self, speech: Speech | None, source: BlockSource) -> float:
        """Has the question heard (``speech`` None: it is only shown) and returns when it ended,
        on ``source``'s clock: the answer starts there. May raise ``SessionStopped``."""
        ...


class SoundCard:
    """The terminal's player: the speaker plays the question on this computer's sound card."""

    def __init__(self, speaker: Speaker | None) -> None:
        self.speaker = speaker

    def play(self, speech: Speech | None, source: BlockSource) -> float:
        end = self.speaker.play(speech) if speech is not None and self.speaker else None
        # A microphone shares PortAudio's clock with playback; a FileFeed has its own.
        if end is not None and getattr(source, "shares_playback_clock", True):
            return end
        return source.stream_time()


@dataclass
class FrontEnd:
    """The engine's inputs from one front end. The defaults are the terminal's."""

    open_source: Callable[[Question, int], BlockSource]  # (question, n) -> its answer's audio
    player: QuestionPlayer | None = None  # None: ``SoundCard`` with the session's speaker
    done_requested: Callable[[], bool] = lambda: False  # Enter, or the page's Done
    clear_done: Callable[[], None] = lambda: None  # forget a Done given before the answer
    # The page's Stop: it ends the answer like Done, then the session (Ctrl-C raises instead).
    stop_requested: Callable[[], bool] = lambda: False
    # After feedback (unless --auto-next): waits for the candidate's choice, "next" | "retry"
    # (the same question again) | "stop" (end the session). Enter or r in the terminal; the
    # page's Next, Try again and Stop buttons. May raise ``SessionStopped``.
    next_step: Callable[[], NextStep] = lambda: "next"
    name: str | None = None  # saved with the session's settings as "front_end" when set
    microphone_hint: str = "(try `voice-interviewer check`)"  # how to fix a silent microphone
    # An error ends the session as interrupted (a server outlives it and tells the page why);
    # otherwise it keeps no end and is listed as incomplete, as after a crash.
    errors_end_session: bool = False


def terminal_front_end(mic: Microphone, keys: EnterKey) -> FrontEnd:
    """The terminal's inputs: one microphone, open for the whole session (opening it through
    PulseAudio can take a second), Enter to end an answer, and the line typed after feedback.
    While that line is awaited the microphone's audio is dropped (``Microphone.discarding``), as
    the page's is (``web.pushed_blocks``): it used to queue until the next answer skipped it."""

    def next_step() -> NextStep:
        with mic.discarding():
            return keys.next_step()

    return FrontEnd(
        lambda q, n: mic,
        done_requested=keys.pressed,
        clear_done=keys.clear,
        next_step=next_step,
    )
