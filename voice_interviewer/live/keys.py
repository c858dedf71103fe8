"""The Enter key: a line typed on stdin ends the current answer."""

from __future__ import annotations

import sys
import threading

__all__ = ["EnterKey"]


class EnterKey:
    """Lines typed on stdin (Enter) end the current answer. A daemon thread; harmless at EOF."""

    def __init__(self) -> None:
        self._pressed = threading.Event()
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=self._read, name="enter-key", daemon=True).start()

    def _read(self) -> None:
        try:
            for _line in sys.stdin:
                self._pressed.set()
        except (OSError, ValueError):
            pass

    def clear(self) -> None:
        self._pressed.clear()

    def pressed(self) -> bool:
        return self._pressed.is_set()
