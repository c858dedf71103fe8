"""What a practice session asks and how (pure): the questions in the order asked, and the settings
the candidate chose, as saved with the session."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from voice_interviewer.bank import Bank, Question
from voice_interviewer.errors import UsageError
from voice_interviewer.speech.endpointing import EndpointParams

__all__ = ["PracticeSettings", "select_questions"]


def select_questions(
    bank: Bank,
    ids: list[str] | None = None,
    categories: list[str] | None = None,
    count: int | None = None,
    shuffle: bool = False,
    seed: int | None = None,
) -> list[Question]:
    """Questions in the order asked: named ids in that order, else the bank (filtered by
    category)."""
    chosen = [bank.question(i) for i in ids] if ids else list(bank.questions)
    if categories:
        known = set(bank.categories())
        unknown = [c for c in categories if c not in known]
        if unknown:
            raise UsageError(
                f"unknown category {unknown[0]!r}: choose from {', '.join(sorted(known))}"
            )
        chosen = [q for q in chosen if q.category in categories]
    if shuffle:
        random.Random(seed).shuffle(chosen)
    if count is not None:
        if count < 1:
            raise UsageError("--count must be at least 1")
        chosen = chosen[:count]
    if not chosen:
        raise UsageError("no questions match the selection")
    return chosen


@dataclass
class PracticeSettings:
    speak: bool = True  # speak the questions
    tts: str = "auto"  # the voice: "auto" (Piper if installed, else espeak), "espeak" or "piper"
    voice: str | None = None
    rate: int | None = None
    output_device: str | None = None
    endpoint: EndpointParams = field(default_factory=EndpointParams)
    follow_ups: bool = False
    probes: int = 0  # probes on a missed point, at most this many per question (live.probes)
    show_example: bool = False  # show (and with speak_feedback, say) the example answer
    seed: int | None = None
    jsonl: bool = False
    cue: bool = True  # a short chime when an answer is over
    speak_feedback: bool = False  # say a one- or two-sentence summary after each answer
    kind: str = (
        "practice"  # what the session is saved as: 'practice' or 'demo' (store.SESSION_KINDS)
    )
    # Go straight on after feedback (demo, --auto-next); otherwise the front end's ``next_step``
    # waits for Next or Try again.
    auto_next: bool = True

    def saved(self, questions: list[Question], front_end: str | None = None) -> dict:
        """What the session's settings are saved as (``front_end``: "web" from the page)."""
        e = self.endpoint
        out = {
            "questions": [q.id for q in questions],
            "follow_ups": self.follow_ups,
            "probes": self.probes,
            "end_silence_s": e.end_silence_s,
            "max_answer_s": e.max_answer_s,
            "wait_s": e.wait_s,
            "grace_s": e.grace_s,
            "speak": self.speak,
            "auto_next": self.auto_next,
        }
        return out | ({"front_end": front_end} if front_end else {})

    def end_hint(self) -> str:
        """How an answer ends, in words, for the display."""
        e = self.endpoint
        if e.end_silence_s == float("inf"):
            return "press Enter when you are done; Ctrl-C ends the session"
        return (
            f"a {e.end_silence_s:g} s silence or Enter ends the answer (pause to think: "
            "it waits), Ctrl-C ends the session"
        )
