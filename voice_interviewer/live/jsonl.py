"""The ``--jsonl`` writer: one JSON object per line on the process's real standard output.

It writes to a duplicate of file descriptor 1 taken when it is created, before the display starts,
so nothing that later redirects ``sys.stdout`` (Rich's live display does while its meter runs) or
file descriptor 1 (speech synthesis silences it) can swallow an event. With ``exclusive`` it then
points file descriptor 1 and ``sys.stdout`` at stderr until :meth:`close`: stray output (pyttsx3
prints "Audio saved to ..." from espeak's callback, sometimes after synthesis has returned) can
never land between the events. The event names and keys are
defined once, by each event's ``jsonl()`` (see ``live.events``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from typing import TextIO

from voice_interviewer.live.events import SessionEvent

__all__ = ["JsonlWriter"]


class JsonlWriter:
    """A :class:`~voice_interviewer.live.events.Subscriber` writing ``--jsonl`` lines."""

    def __init__(self, fd: int = 1, exclusive: bool = False) -> None:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        self._out: TextIO | None = os.fdopen(os.dup(fd), "w", encoding="utf-8", buffering=1)
        self._lock = threading.Lock()
        self._restore: tuple[int, TextIO] | None = None
        if exclusive:
            self._restore = (os.dup(1), sys.stdout)
            os.dup2(2, 1)
            sys.stdout = sys.stderr

    def handle(self, event: SessionEvent) -> None:
        fields = event.jsonl()
        if fields is None or self._out is None:
            return
        name = fields.pop("event")
        line = json.dumps({"event": name, "t": time.time(), **fields}, ensure_ascii=False)
        with self._lock:
            try:
                self._out.write(line + "\n")
                self._out.flush()
            except OSError:
                # The reader went away (a closed pipe): the session goes on and is saved.
                self._out = None

    def close(self) -> None:
        if self._restore is not None:
            saved_fd, saved_stdout = self._restore
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            os.dup2(saved_fd, 1)
            os.close(saved_fd)
            sys.stdout = saved_stdout
            self._restore = None
        if self._out is not None:
            with contextlib.suppress(OSError):
                self._out.close()
            self._out = None
