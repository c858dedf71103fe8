"""What the transcript shows between its words (pure): long pauses, and speech that stayed
without words ("unclear speech at 0:07"), each where it happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.speech.timeline import Span
from voice_interviewer.wording import clock


@dataclass(frozen=True)
class Mark:
    kind: Literal["pause", "unclear"]
    span: Span

    def label(self, unit: str = "s") -> str:
        """ "pause 2.5s" ("pause 2.5 s" with ``unit=" s"``) or "unclear speech at 0:07"."""
        if self.kind == "pause":
            return f"pause {self.span.duration:.1f}{unit}"
        return f"unclear speech at {clock(self.span.start)}"


def transcript_marks(a: Analysis) -> list[Mark]:
    """The long pauses and unclear speech of an answer, in time order."""
    marks = [Mark("pause", p) for p in a.long_pauses] + [Mark("unclear", u) for u in a.unclear]
    return sorted(marks, key=lambda m: m.span.start)


def interleave(a: Analysis):
    """The answer's words and marks in time order: each mark before the first word that starts
    at or after its end (a mark after the last word comes last). Yields ``AnalyzedWord`` or
    ``Mark``."""
    marks = transcript_marks(a)
    k = 0
    for w in a.words:
        while k < len(marks) and marks[k].span.end <= w.start + 0.05:
            yield marks[k]
            k += 1
        yield w
    yield from marks[k:]
