"""Ending a session from outside: Ctrl-C, ``kill`` (SIGTERM) and a closed terminal (SIGHUP) all end
it the same way, keeping what was recorded.

The first signal raises :class:`SessionInterrupted` (a ``KeyboardInterrupt``) in the main thread,
wherever the session is: speaking a question, recording, transcribing. From then on the session is
saving what it has (the partial answer is transcribed and analysed, the session marked ended), and
further signals are only acknowledged: a second, impatient Ctrl-C must not abort the save.

A command line that exits after the session asks the guard to *hold*: once interrupted, signals
stay acknowledged after the block too, through the program's last moments (closing the
microphone, joining threads). A save takes a fraction of a second; a second Ctrl-C landing just
after it used to raise ``KeyboardInterrupt`` at interpreter shutdown and end the process by
SIGINT instead of with 130, what was saved intact but the exit status lost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from types import FrameType

__all__ = ["HANDLED_SIGNALS", "InterruptGuard", "SessionInterrupted"]

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_STILL_SAVING = b"\nStill saving what was recorded: one moment.\n"
_CLOSING = b"\nClosing: one moment.\n"  # a holding guard's block is over: nothing left to save


class SessionInterrupted(KeyboardInterrupt):
    """The session was ended by ``signum`` (SIGINT for Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class InterruptGuard:
    """Installs the handlers for the duration of a ``with`` block (main thread only; elsewhere,
    e.g. a web worker thread, it does nothing: signals are delivered to the main thread).

    Attributes:
        hold: Once interrupted, leave the acknowledging handlers in place after the block (for a
            caller that ends the process next); otherwise the previous handlers are restored.
    """

    def __init__(self, *, hold: bool = False) -> None:
        self.hold = hold
        self.signum: int | None = None  # the signal that ended the session
        self.ignored = 0  # signals received while saving
        self._saved: dict[int, object] = {}
        self._message = _STILL_SAVING

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number (130 for Ctrl-C)."""
        return 128 + (self.signum or signal.SIGINT)

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            for s in HANDLED_SIGNALS:
                self._saved[s] = signal.signal(s, self._first)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.hold and self.signum is not None:
            # The process is ending: later signals keep being acknowledged to the end.
            self._message = _CLOSING
            return
        for s, handler in self._saved.items():
            signal.signal(s, handler)  # type: ignore[arg-type]
        self._saved.clear()

    def interrupted(self, exc: KeyboardInterrupt) -> None:
        """Called when a ``KeyboardInterrupt`` not raised by this guard (e.g. raised by a library)
        is caught: later signals are deferred in the same way."""
        if self.signum is None:
            self.signum = exc.signum if isinstance(exc, SessionInterrupted) else signal.SIGINT
        self._defer()

    def _defer(self) -> None:
        for s in self._saved:
            signal.signal(s, self._later)

    def _first(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum
        self._defer()
        raise SessionInterrupted(signum)

    def _later(self, signum: int, frame: FrameType | None) -> None:
        self.ignored += 1
        with contextlib.suppress(OSError):
            os.write(2, self._message)
