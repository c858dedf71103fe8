"""What a saved session reads back as: ``SessionSummary``, ``SessionDetail`` and its
``AnswerRecord``s, each answer carrying its typed ``Analysis`` (``SessionStore`` reads and writes
them; ``to_dict`` is their JSON form, the analysis as its ``score --json`` object).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # read answers carry it; listing sessions imports no scoring (nor numpy)
    from voice_interviewer.scoring.analysis import Analysis


def now_iso() -> str:
    """Local time with its UTC offset, to the second: 2025-11-27T09:40:12+01:00."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class SessionSummary:
    id: int
    started_at: str
    ended_at: str | None
    bank_id: str
    bank_title: str
    model: str
    interrupted: bool
    # 'complete' | 'interrupted' | 'running' (not ended, its process is recording it now) |
    # 'incomplete' (never ended and its process is gone: a crash)
    status: str
    answered: int  # answers with a report (an answer cut by Ctrl-C is scored for what it holds)
    asked: int  # questions and follow-ups asked
    # Averages as the session's report makes them (``sessions.averages``); None when nothing
    # was measured.
    avg_wpm: float | None
    avg_coverage: float | None
    avg_fillers_per_minute: float | None
    kind: str = "practice"  # 'practice' | 'demo' (see SESSION_KINDS)
    planned: int | None = None  # questions the session set out to ask (follow-ups aside)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AnswerRecord:
    id: int
    seq: int
    question_id: str
    question_text: str
    category: str
    prompt_text: str  # what was spoken: the question, or the follow-up prompt
    follow_up_of: int | None  # seq of the answer this follows up on (same session)
    # 'answered' | 'unanswered' | 'interrupted' | 'recording' (its session is running now) |
    # 'incomplete' (left 'recording' by a process that is gone)
    status: str
    end_reason: str | None
    wav_path: Path
    wav_exists: bool
    analysis: Analysis | None
    attempt: int = 1  # 2, 3...: the same question answered again (Try again); follow-ups share it

    @property
    def scored(self) -> bool:
        """A report of speech: what counts as answered and goes into averages. An answer cut short
        by Ctrl-C counts for what it holds; an answer without speech does not."""
        answered = self.status in ("answered", "interrupted")
        return answered and self.analysis is not None and self.analysis.answered

    @property
    def recording_lost(self) -> bool:
        """A recording that was made (its answer was scored) and is gone from disk: lost data.
        A question asked but never answered has no recording, and that is no loss."""
        return not self.wav_exists and self.analysis is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields, the WAV path as a string, the analysis as its ``score --json``
        object (or null)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["wav_path"] = str(self.wav_path)
        d["analysis"] = None if self.analysis is None else self.analysis.to_dict()
        return d


@dataclass
class SessionDetail(SessionSummary):
    settings: dict = field(default_factory=dict)
    answers: list[AnswerRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the summary, settings and answers (``AnswerRecord.to_dict``)."""
        d = {f.name: getattr(self, f.name) for f in fields(SessionSummary)}
        d["settings"] = json.loads(json.dumps(self.settings))  # a copy, as asdict made
        d["answers"] = [a.to_dict() for a in self.answers]
        return d


def measure_columns(a: Analysis | None) -> dict[str, Any]:
    """The answer's columns the session list averages (``sessions.averages``); null where
    ``score --json`` has null (no analysis; a typed answer's timing)."""
    if a is None:
        return dict.fromkeys(
            ("transcript", "answer_s", "words_per_minute", "fillers_per_minute", "coverage")
        ) | {"long_pauses": None}
    timed = not a.typed
    return {
        "transcript": a.transcript,
        "answer_s": a.answer_s if timed else None,
        "words_per_minute": a.words_per_minute if timed else None,
        "fillers_per_minute": a.fillers_per_minute if timed else None,
        # A follow-up without points of its own has no coverage: it must not lower the average.
        "coverage": a.rubric.coverage if a.rubric.points else None,
        "long_pauses": len(a.long_pauses) if timed else None,
    }
