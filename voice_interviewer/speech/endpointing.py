"""Endpointing: a pure state machine fed with voice-activity probabilities, one per 32 ms frame.

It decides when the answer starts (first speech), when a stretch of speech is complete enough to
transcribe (a phrase gap), and when the answer is over (a long silence, the time limit, or no answer
at all).

A thinking pause must not end an answer, so the silence that ends one is forgiving: it grows as
the answer goes on (someone 90 s into an answer pauses longer to gather the next point than someone
starting out), and once it has passed the answer is only *closing*: for a grace period, speech
continues the same answer (``AnswerClosing``, then ``AnswerResumed`` or ``AnswerEnded``).

It knows nothing of devices, models or clocks: time is frames pushed x 32 ms, counted from
the start of the recording. ``score`` runs a whole file through it, ``practice`` a live microphone,
so both cut the same stretches and transcribe the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from voice_interviewer.speech.timeline import Span
from voice_interviewer.speech.vad import FRAME_S, SpanTracker, VadParams

EndReason = Literal["silence", "enter", "max", "no_answer", "eof", "interrupted"]


@dataclass(frozen=True)
class EndpointParams:
    vad: VadParams = field(default_factory=VadParams)
    # A stretch closes for transcription at a silence of stretch_gap_s once it is at least
    # min_stretch_s long, and at any silence of long_gap_s: a gap that long falls between phrases,
    # not inside words. Each decode costs about the same whatever its length (Whisper always
    # encodes a 30 s window), so fewer, longer stretches are cheaper and give Whisper more context;
    # long_gap_s below the end silence means the last stretch is decoded before the answer ends.
    stretch_gap_s: float = 0.6
    min_stretch_s: float = 6.0
    long_gap_s: float = 1.2
    # A stretch longer than this is closed at the next short silence, so no single decode is long.
    max_stretch_s: float = 20.0
    end_silence_s: float = math.inf  # answer closes after this much silence following speech
    # ... plus this many seconds per second of answer so far (up to end_silence_max_s): the longer
    # the answer, the longer the pause to gather the next point.
    end_silence_growth: float = 0.0
    end_silence_max_s: float = math.inf
    # After the silence, the answer is closing: speech within grace_s continues the same answer;
    # otherwise it ends ("silence") grace_s after it closed.
    grace_s: float = 0.0
    max_answer_s: float = math.inf  # ... or this long after the first speech
    wait_s: float = math.inf  # ... or with no answer if no speech starts by then


# What a live answer (`practice`, `demo`, the web page) uses unless told otherwise: a thinking pause
# of up to 6 s never ends an answer (3 s + 0.1 s per second answered, at most 5 s, then 3 s grace);
# `score` on a file uses the plain EndpointParams() and never ends early.
LIVE_DEFAULTS = EndpointParams(
    end_silence_s=3.0,
    end_silence_growth=0.1,
    end_silence_max_s=5.0,
    grace_s=3.0,
    max_answer_s=300.0,
    wait_s=20.0,
)


@dataclass(frozen=True)
class SpeechStarted:
    t: float


@dataclass(frozen=True)
class StretchClosed:
    span: Span  # a stretch of speech ready to transcribe


@dataclass(frozen=True)
class AnswerClosing:
    """The end silence has passed: the answer ends at ``ends_at`` unless speech resumes."""

    t: float
    ends_at: float


@dataclass(frozen=True)
class AnswerResumed:
    """Speech resumed while the answer was closing: it goes on."""

    t: float


@dataclass(frozen=True)
class AnswerEnded:
    reason: EndReason
    t: float  # when the decision was taken (time of the last frame pushed)


Event = SpeechStarted | StretchClosed | AnswerClosing | AnswerResumed | AnswerEnded


class Endpointer:
    def __init__(self, params: EndpointParams = EndpointParams()) -> None:
        self.params = params
        self._spans = SpanTracker(params.vad)
        self.speech: list[Span] = []  # every closed speech span so far
        self.speech_start: float | None = None
        self.ended: AnswerEnded | None = None
        self._stretch: Span | None = None  # closed spans not yet handed out for transcription
        self.closing: AnswerClosing | None = None  # set while in the grace period

    def end_silence_after(self, answered_s: float) -> float:
        """The silence that closes an answer whose speech so far spans ``answered_s`` seconds."""
        prm = self.params
        grown = prm.end_silence_s + prm.end_silence_growth * max(0.0, answered_s)
        return min(grown, max(prm.end_silence_s, prm.end_silence_max_s))

    @property
    def t(self) -> float:
        return self._spans.frames * FRAME_S

    def pending_stretch(self) -> Span | None:
        """The stretch ``finish`` would close now, when no speech span is open (so a finish now
        adds nothing to it): what a live session can decode ahead of Enter. None otherwise."""
        if self.ended or self._spans.open_start is not None:
            return None
        return self._stretch

    def push(self, probs) -> list[Event]:
        events: list[Event] = []
        for p in probs:
            if self.ended:
                break
            self._step(float(p), events)
        return events

    def finish(self, reason: EndReason) -> list[Event]:
        """Ends the answer from outside (Enter, end of file, Ctrl-C): flushes the open stretch."""
        if self.ended:
            return []
        events: list[Event] = []
        if (span := self._spans.close()) is not None:
            self._add_span(span, events)
        self._flush_stretch(events)
        if reason not in ("eof", "interrupted") and self.speech_start is None:
            reason = "no_answer"
        self.ended = AnswerEnded(reason, round(self.t, 3))
        events.append(self.ended)
        return events

    def _step(self, p: float, events: list[Event]) -> None:
        span = self._spans.push(p)
        if self.speech_start is None and self._spans.in_speech:
            self.speech_start = self._spans.open_start
            events.append(SpeechStarted(self.speech_start))
        if span is not None:
            self._add_span(span, events)
        t, prm = self.t, self.params
        if self.closing is not None and self._spans.in_speech:
            self.closing = None
            events.append(AnswerResumed(round(t, 3)))
        silent = not self._spans.in_speech
        if self._stretch is not None and silent:
            gap = t - self._stretch.end
            long_enough = self._stretch.duration >= prm.min_stretch_s
            if gap >= prm.long_gap_s or (gap >= prm.stretch_gap_s and long_enough):
                self._flush_stretch(events)
        if self.speech_start is None:
            if t >= prm.wait_s:
                self.ended = AnswerEnded("no_answer", round(t, 3))
        elif t - self.speech_start >= prm.max_answer_s:
            self._end("max", events)
        elif silent and self.speech:
            last = self.speech[-1].end
            # Measured at the last word, so the threshold does not grow during the pause itself.
            needed = self.end_silence_after(last - self.speech_start)
            if t - last >= needed + prm.grace_s:
                self._end("silence", events)
            elif prm.grace_s > 0 and t - last >= needed and self.closing is None:
                self.closing = AnswerClosing(round(t, 3), round(last + needed + prm.grace_s, 3))
                events.append(self.closing)
        if self.ended and (not events or events[-1] is not self.ended):
            events.append(self.ended)

    def _end(self, reason: EndReason, events: list[Event]) -> None:
        if (span := self._spans.close()) is not None:
            self._add_span(span, events)
        self._flush_stretch(events)
        self.ended = AnswerEnded(reason, round(self.t, 3))

    def _add_span(self, span: Span, events: list[Event]) -> None:
        self.speech.append(span)
        if self._stretch is None:
            self._stretch = span
        else:
            self._stretch = Span(self._stretch.start, span.end)
        if self._stretch.duration >= self.params.max_stretch_s:
            self._flush_stretch(events)

    def _flush_stretch(self, events: list[Event]) -> None:
        if self._stretch is not None:
            events.append(StretchClosed(self._stretch))
            self._stretch = None
