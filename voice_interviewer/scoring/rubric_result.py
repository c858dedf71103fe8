"""What the rubric found in one answer: each point made, missed or unclear, with its evidence.

The result of ``rubric.score_rubric``; each type writes and reads its own part of the ``rubric``
object of ``score --json`` (the shapes are in ``serialization``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voice_interviewer.scoring.serialization import (
    EvidenceSentenceDict,
    JsonObject,
    PointDict,
    RubricDict,
)
from voice_interviewer.scoring.star import StarResult

MADE, MISSED, UNCLEAR = "made", "missed", "unclear"


@dataclass(frozen=True)
class EvidenceSentence:
    text: str
    start: float | None  # seconds from the start of the audio; None for a typed answer
    end: float | None

    def to_dict(self) -> EvidenceSentenceDict:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, o: JsonObject) -> EvidenceSentence:
        return cls(o.string("text"), o.number("start", null=True), o.number("end", null=True))


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    hit: bool
    evidence: list[str]  # the sentence(s) of the answer that make the point, as spoken
    score: float = 0.0  # 0..1, how surely the answer makes the point; hit when >= 0.5
    keywords: list[str] = field(default_factory=list)  # the keywords that matched, as spoken
    # evidence with times; for an unclear point, the sentence that came closest
    sentences: list[EvidenceSentence] = field(default_factory=list)
    status: str = ""  # made, missed or unclear ("" in analyses saved before it existed)

    def to_dict(self) -> PointDict:
        return {
            "id": self.id,
            "text": self.text,
            "hit": self.hit,
            "evidence": self.evidence,
            "score": self.score,
            "keywords": self.keywords,
            "evidence_sentences": [e.to_dict() for e in self.sentences],
            "status": self.status,  # type: ignore[typeddict-item]  # one of PointDict's
        }

    @classmethod
    def from_dict(cls, o: JsonObject) -> PointResult:
        pid = o.string("id")
        return cls(
            id=pid,
            text=o.string("text", pid),
            hit=o.boolean("hit"),
            evidence=o.strings("evidence", optional=True),
            score=o.number("score", 0.0),
            keywords=o.strings("keywords", optional=True),
            sentences=o.items("evidence_sentences", EvidenceSentence.from_dict, optional=True),
            status=o.string("status", MADE if o.d.get("hit") else MISSED),
        )


@dataclass(frozen=True)
class RubricResult:
    coverage: float
    points: list[PointResult]
    star: StarResult | None
    key_terms: list[tuple[float, float]] = field(default_factory=list)  # (start, end) of each match
    about: str | None = None  # the question the answer seems to be about instead (off topic)

    def to_dict(self) -> RubricDict:
        """The ``rubric`` object (``key_terms`` are not saved: only the hesitation counts use
        them, and those are saved)."""
        return {
            "coverage": self.coverage,
            "points": [p.to_dict() for p in self.points],
            "about": self.about,
            "star": None if self.star is None else self.star.to_dict(),
        }

    @classmethod
    def from_dict(cls, o: JsonObject) -> RubricResult:
        star = o.obj("star", optional=True)
        about = o.d.get("about")
        return cls(
            coverage=o.number("coverage"),
            points=o.items("points", PointResult.from_dict),
            star=None if star is None else StarResult.from_dict(star),
            about=about if isinstance(about, str) else None,
        )
