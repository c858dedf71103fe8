"""The Enter key: a line typed on stdin ends the current answer; after feedback, the line typed
says what comes next (``next_step``)."""

from __future__ import annotations

import queue
import sys
import threading

__all__ = ["EnterKey", "step_for_line"]

RETRY_KEYS = ("r", "retry", "again")
STOP_KEYS = ("q", "quit", "stop")


def step_for_line(line: str | None) -> str:
    """What a line typed after feedback asks for: "retry" (r), "stop" (q), else "next" (Enter;
    None, the end of stdin, goes on too, so a session fed no keys runs through)."""
    word = (line or "").strip().lower()
    return "retry" if word in RETRY_KEYS else "stop" if word in STOP_KEYS else "next"


class EnterKey:
    """Lines typed on stdin (Enter) end the current answer. A daemon thread; harmless at EOF."""

    def __init__(self) -> None:
        self._pressed = threading.Event()
        self._lines: queue.Queue[str | None] = queue.Queue()  # None: stdin ended
        self._eof = False
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=self._read, name="enter-key", daemon=True).start()
        else:
            self._eof = True

    def _read(self) -> None:
        try:
            for line in sys.stdin:
                self._lines.put(line)
                self._pressed.set()
        except (OSError, ValueError):
            pass
        self._lines.put(None)

    def clear(self) -> None:
        self._pressed.clear()

    def pressed(self) -> bool:
        return self._pressed.is_set()

    def next_step(self) -> str:
        """Waits for the line typed after feedback (lines typed before, such as the Enter that
        ended the answer, are dropped): "next", "retry" or "stop"."""
        while not self._eof:
            try:
                if self._lines.get_nowait() is None:
                    self._eof = True
            except queue.Empty:
                break
        if self._eof:
            return "next"
        line = self._lines.get()
        self._eof = line is None
        self._pressed.clear()
        return step_for_line(line)
