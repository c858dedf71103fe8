"""The Enter key: a line typed on stdin ends the current answer; after feedback, the line typed
says what comes next (``next_step``)."""

from __future__ import annotations

import queue
import sys
import threading
import time

from voice_interviewer.live import events as ev

__all__ = ["EnterKey", "step_for_line"]

RETRY_KEYS = ("r", "retry", "again")
STOP_KEYS = ("q", "quit", "stop")


def step_for_line(line: str | None) -> str:
    """What a line typed after feedback asks for: "retry" (r), "stop" (q), else "next" (Enter;
    None, the end of stdin, goes on too, so a session fed no keys runs through)."""
    word = (line or "").strip().lower()
    return "retry" if word in RETRY_KEYS else "stop" if word in STOP_KEYS else "next"


class EnterKey:
    """Lines typed on stdin (Enter) end the current answer. A daemon thread; harmless at EOF.

    Subscribed to the session's events ahead of the display and the --jsonl writer, it notes when
    the session starts waiting (``WaitingForNext``): a line typed before that (the Enter that
    ended the answer) is not the choice, one typed once the prompt is out is, however soon."""

    def __init__(self) -> None:
        self._pressed = threading.Event()
        self._lines: queue.Queue[tuple[float, str | None]] = queue.Queue()  # None: stdin ended
        self._eof = False
        self._waiting_since: float | None = None
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=self._read, name="enter-key", daemon=True).start()
        else:
            self._eof = True

    def _read(self) -> None:
        try:
            for line in sys.stdin:
                self._lines.put((time.monotonic(), line))
                self._pressed.set()
        except (OSError, ValueError):
            pass
        self._lines.put((time.monotonic(), None))

    def handle(self, event: ev.SessionEvent) -> None:
        if isinstance(event, ev.WaitingForNext):
            self._waiting_since = time.monotonic()

    def clear(self) -> None:
        self._pressed.clear()

    def pressed(self) -> bool:
        return self._pressed.is_set()

    def next_step(self) -> str:
        """Waits for the line typed after feedback: "next", "retry" or "stop"."""
        since = self._waiting_since if self._waiting_since is not None else time.monotonic()
        self._waiting_since = None
        while not self._eof:
            typed_at, line = self._lines.get()
            if line is None:
                self._eof = True
            elif typed_at >= since:
                self._pressed.clear()
                return step_for_line(line)
        return "next"
