"""How every report shows one rubric point's verdict: made, missed or unclear, with the evidence
sentence and its times (terminal, HTML report and web page say it the same way)."""

from __future__ import annotations

from voice_interviewer.scoring.rubric import MADE, MISSED, UNCLEAR, EvidenceSentence, PointResult

MARKS = {MADE: "✓", MISSED: "✗", UNCLEAR: "?"}
LABELS = {MADE: "made", MISSED: "missed", UNCLEAR: "unclear: a near call, check it yourself"}


def status_of(p: PointResult) -> str:
    """The point's status; analyses saved before statuses existed have only ``hit``."""
    return p.status or (MADE if p.hit else MISSED)


def evidence_of(p: PointResult) -> list[EvidenceSentence]:
    """The sentences behind the verdict (older analyses: the evidence without times)."""
    return p.sentences or [EvidenceSentence(e, None, None) for e in p.evidence]


def times(e: EvidenceSentence) -> str:
    """' (12.3-15.1 s)', or '' for a typed answer."""
    if e.start is None:
        return ""
    return f" ({e.start:.1f}-{e.end:.1f} s)" if e.end is not None else f" ({e.start:.1f} s)"


def evidence_text(p: PointResult, most: int = 2) -> str:
    """'“sentence” (12.3-15.1 s); “...”' for the evidence, '' when there is none."""
    return "; ".join(f"“{e.text}”{times(e)}" for e in evidence_of(p)[:most])
