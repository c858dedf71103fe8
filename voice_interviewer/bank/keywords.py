"""Keywords that cannot do their job: found when a bank is loaded or validated, not when an answer
silently misses a point.

* A keyword with no letters or digits (``.*``, ``!!!``) has no tokens: no answer can ever match it.
  Loading the bank fails on it (:func:`unmatchable_reason`).
* A keyword in a script other than Latin (``日本語``) matches a typed answer, but the speech models
  the tool ships write English in Latin letters, so a spoken answer never matches it: ``banks
  validate`` and ``banks add`` warn (:func:`keyword_warnings`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voice_interviewer.textnorm import tokens

if TYPE_CHECKING:
    from voice_interviewer.bank import Bank

__all__ = ["KeywordWarning", "keyword_warnings", "unmatchable_reason"]


@dataclass(frozen=True)
class KeywordWarning:
    question_id: str
    point_id: str
    keyword: str
    problem: str

    def __str__(self) -> str:
        return (
            f"question {self.question_id!r}, point {self.point_id!r}: keyword {self.keyword!r} "
            f"{self.problem}"
        )


def unmatchable_reason(keyword: str) -> str | None:
    """Why no answer can ever match ``keyword``, or None when one can."""
    if not tokens(keyword):
        return (
            "has no letters or digits, so no answer can match it (keywords are words, not patterns)"
        )
    return None


def _latin(token: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in token)


def keyword_warnings(bank: Bank) -> list[KeywordWarning]:
    """Keywords only a typed answer can match (not in Latin letters), for each point."""
    out = []
    for q in bank.questions:
        for p in q.points:
            for k in p.keywords:
                if not all(_latin(t) for t in tokens(k)):
                    out.append(
                        KeywordWarning(
                            q.id,
                            p.id,
                            k,
                            "is not in Latin letters: the speech models write English, so only "
                            "a typed answer (score --text) can match it",
                        )
                    )
    return out
