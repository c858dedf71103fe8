"""Small rules of English every message shares, so each lives in one place."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 session``, ``2 sessions``, ``0 sessions``; ``many`` for irregular plurals."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def whole(x: float) -> int:
    """The whole number a message shows for ``x``. A verdict judges on this same number, so 129.7
    words a minute is shown as 130 and judged as 130 (within 130-160), never "130: slow"."""
    return round(x)
