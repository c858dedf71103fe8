"""What a practice session tells its front ends: typed, immutable events.

The session controller (``live.controller``) publishes one event object per thing that happens;
subscribers (the Rich display in ``live.display``, the ``--jsonl`` writer in ``live.jsonl``, any
later front end) receive them through :class:`Subscriber`. Nothing is passed as a string name plus
a dict: each event is a frozen dataclass, and the ``--jsonl`` contract lives in one place, each
event's :meth:`jsonl` (None for events the ``--jsonl`` stream has never carried).

Events that only a front end shows (``jsonl()`` is None) carry what the web page needs too: the
session's id (``SessionStarted``), the question's rendered audio (``QuestionAsked.speech``), the
listening limits, the growing transcript (``StretchTranscribed``), an answer not heard
(``NoAnswer``); ``web.wire`` turns each into the page's JSON message.

The ``--jsonl`` events and their keys (a contract: keep them exactly)::

    question        id, text, follow_up
    listening
    speech_start    at_s
    answer_end      reason
    feedback        id, analysis, decision_to_feedback_s
    compare         id, before, after, measures   (added with Try again: a question's attempts)
    waiting         id, attempt, last             (added: feedback shown, waiting for Next)
    session_saved   session_id, path

(each line also has ``event`` and ``t``, the wall-clock time it was written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from voice_interviewer.speech.endpointing import EndpointParams, EndReason

if TYPE_CHECKING:
    import numpy as np

    from voice_interviewer.scoring.analysis import Analysis
    from voice_interviewer.scoring.compare import AttemptComparison

__all__ = [
    "AnswerClosing",
    "AnswerEnded",
    "AnswerResumed",
    "AttemptsCompared",
    "EventBus",
    "ExampleAnswer",
    "FeedbackReady",
    "LevelChanged",
    "LevelStatus",
    "ListeningStarted",
    "NoAnswer",
    "Notice",
    "QuestionAsked",
    "SessionEvent",
    "SessionSaved",
    "SessionStarted",
    "SessionSummary",
    "Speech",
    "SpeechStarted",
    "StretchTranscribed",
    "Subscriber",
    "SummaryRow",
    "WaitingForNext",
]


@dataclass(frozen=True)
class LevelStatus:
    """What the live meter shows."""

    rms_dbfs: float
    elapsed_s: float  # since recording began
    speaking: bool
    speech_started: bool


@dataclass(frozen=True)
class Speech:
    """A question rendered by the interviewer's voice: mono samples at ``rate``."""

    samples: np.ndarray
    rate: int


class _Event:
    def jsonl(self) -> dict[str, Any] | None:
        """The ``--jsonl`` object for this event (without ``t``), or None if it is display-only."""
        return None


@dataclass(frozen=True)
class SessionStarted(_Event):
    """The session is saved under ``session_id`` and will ask ``questions`` main questions
    (display only)."""

    session_id: int
    questions: int


@dataclass(frozen=True)
class QuestionAsked(_Event):
    """A question (or a follow-up) is about to be spoken."""

    question_id: str
    text: str
    follow_up: bool
    number: int  # 1-based position of the main question in the session
    of: int  # how many main questions the session asks
    category: str
    seq: int = 0  # 1-based position of this answer in the session (follow-ups count)
    target_seconds: tuple[float, float] = (0.0, 0.0)  # the answer's target length
    # The rendered question, for a front end that plays it itself (the page); None: not spoken.
    speech: Speech | None = field(default=None, compare=False, repr=False)
    attempt: int = 1  # 2, 3...: the candidate chose Try again (display only)
    # A probe (``live.probes``): the text of the point the answer missed, which it asks about;
    # None for a main question or a bank follow-up (display only).
    probe_point: str | None = None

    def jsonl(self) -> dict[str, Any]:
        return {
            "event": "question",
            "id": self.question_id,
            "text": self.text,
            "follow_up": self.follow_up,
        }


@dataclass(frozen=True)
class ListeningStarted(_Event):
    """The question has been spoken: the answer is being recorded."""

    target_seconds: tuple[float, float]
    end_hint: str  # how the answer ends, in words ("a 3 s silence or Enter ends the answer")
    endpoint: EndpointParams = field(default_factory=EndpointParams)  # the answer's limits

    def jsonl(self) -> dict[str, Any]:
        return {"event": "listening"}


@dataclass(frozen=True)
class LevelChanged(_Event):
    """The microphone level and answer state, about ten times a second (display only)."""

    level: LevelStatus
    target_seconds: tuple[float, float]


@dataclass(frozen=True)
class SpeechStarted(_Event):
    at_s: float  # seconds from the start of the recording

    def jsonl(self) -> dict[str, Any]:
        return {"event": "speech_start", "at_s": self.at_s}


@dataclass(frozen=True)
class AnswerClosing(_Event):
    """The candidate has been silent long enough: the answer ends at ``ends_at_s`` (seconds from
    the start of the recording) unless they go on speaking (display only)."""

    ends_at_s: float


@dataclass(frozen=True)
class AnswerResumed(_Event):
    """Speech resumed during the grace period: it continues the same answer (display only)."""


@dataclass(frozen=True)
class StretchTranscribed(_Event):
    """A stretch of the answer has been transcribed: the growing transcript (display only).
    Published from the transcription thread, while the answer goes on."""

    start: float  # seconds from the start of the recording
    end: float
    words: tuple[str, ...]
    fillers: tuple[str, ...]  # filled pauses heard in it ("um", "uh")


@dataclass(frozen=True)
class AnswerEnded(_Event):
    reason: EndReason

    def jsonl(self) -> dict[str, Any]:
        return {"event": "answer_end", "reason": self.reason}


@dataclass(frozen=True)
class FeedbackReady(_Event):
    question_id: str
    analysis: Analysis  # serialized (``to_dict``, the `score --json` object) only at the edges
    lines: tuple[str, ...]  # the feedback in plain sentences
    decision_to_feedback_s: float
    seq: int = 0  # the answer's position in the session (``QuestionAsked.seq``)
    end_reason: EndReason = "silence"  # what ended the answer

    def jsonl(self) -> dict[str, Any]:
        return {
            "event": "feedback",
            "id": self.question_id,
            "analysis": self.analysis.to_dict(),
            "decision_to_feedback_s": round(self.decision_to_feedback_s, 3),
        }


@dataclass(frozen=True)
class NoAnswer(_Event):
    """Nothing was said (or nothing before the session was stopped): no feedback (display only)."""

    question_id: str
    seq: int
    end_reason: EndReason


@dataclass(frozen=True)
class AttemptsCompared(_Event):
    """The candidate's latest attempt at a question beside the one before it."""

    question_id: str
    comparison: AttemptComparison

    def jsonl(self) -> dict[str, Any]:
        return {"event": "compare", "id": self.question_id, **self.comparison.to_dict()}


@dataclass(frozen=True)
class WaitingForNext(_Event):
    """Feedback is shown: the session waits for the candidate's Next, Try again or Stop (with
    --auto-next it does not wait and this is not published)."""

    question_id: str
    attempt: int
    last: bool  # the session's last question: Next ends the session

    def jsonl(self) -> dict[str, Any]:
        return {
            "event": "waiting",
            "id": self.question_id,
            "attempt": self.attempt,
            "last": self.last,
        }


@dataclass(frozen=True)
class Notice(_Event):
    """Something the candidate should read (display only)."""

    text: str
    level: str = "info"  # "info" | "warning"


@dataclass(frozen=True)
class ExampleAnswer(_Event):
    """The question's example answer (``Question.example_answer``), shown after its feedback when
    the candidate asked for it (display only; the page takes it from the feedback message)."""

    question_id: str
    text: str


@dataclass(frozen=True)
class SummaryRow:
    label: str  # question id, or a follow-up marker
    status: str
    answer_s: float | None
    words_per_minute: float | None
    fillers: int | None
    long_pauses: int | None
    coverage: float | None  # None: not scored (no answer, or a follow-up without points)


@dataclass(frozen=True)
class SessionSummary(_Event):
    rows: tuple[SummaryRow, ...]
    interrupted: bool


@dataclass(frozen=True)
class SessionSaved(_Event):
    session_id: int
    path: str
    interrupted: bool = False  # ended early (Ctrl-C, a signal, the page's Stop)

    def jsonl(self) -> dict[str, Any]:
        return {"event": "session_saved", "session_id": self.session_id, "path": self.path}


SessionEvent = (
    SessionStarted
    | QuestionAsked
    | ListeningStarted
    | LevelChanged
    | SpeechStarted
    | AnswerClosing
    | AnswerResumed
    | StretchTranscribed
    | AnswerEnded
    | FeedbackReady
    | NoAnswer
    | AttemptsCompared
    | WaitingForNext
    | Notice
    | ExampleAnswer
    | SessionSummary
    | SessionSaved
)


class Subscriber(Protocol):
    """A front end: receives every event, in order, on the session's thread (``StretchTranscribed``
    comes from the transcription thread)."""

    def handle(self, event: SessionEvent) -> None: ...


class EventBus:
    """Hands each published event to every subscriber in turn."""

    def __init__(self, subscribers: list[Subscriber] | None = None) -> None:
        self.subscribers: list[Subscriber] = list(subscribers or [])

    def subscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.append(subscriber)

    def publish(self, event: SessionEvent) -> None:
        for s in self.subscribers:
            s.handle(event)
