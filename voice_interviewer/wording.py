"""Small rules of English every message shares, so each lives in one place."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 session``, ``2 sessions``, ``0 sessions``; ``many`` for irregular plurals."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"
