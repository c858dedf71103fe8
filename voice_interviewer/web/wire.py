"""The practice page's wire format: each typed session event (``live.events``) as the JSON message
the page's script (``static/practice.js``) handles, the way pipecat's serializers turn frames into
a transport's messages. The one place the page's message names and fields are written.

    session        session_id, count
    question       seq, n, of, id, category, text, follow_up, audio (a URL or null), target_seconds,
                   attempt, probe (added: the missed point a probe asks about, or null)
    listening      end_silence_s, grace_s, max_answer_s, wait_s
    level          rms_dbfs, elapsed_s, speaking, speech_started
    speech_start   at_s
    closing        ends_at_s
    resumed
    stretch        start, end, words, fillers
    answer_end     reason
    feedback       seq, id, analysis, lines, end_reason, decision_to_feedback_s, html,
                   example (the question's example answer, or null: after a follow-up or probe)
    unanswered     seq, id, end_reason
    compare        id, before, after, measures (measure, before, after, change), html
    waiting        id, attempt, last   (feedback shown: the page offers Next and Try again)
    notice         message
    session_saved  session_id, interrupted, report

(``error`` messages come from the WebSocket handler, not from events.) ``end_reason`` says "done"
where the terminal says "enter": on the page, the Done button ends an answer.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np

from voice_interviewer.live import events as ev
from voice_interviewer.reports.attempts import comparison_html
from voice_interviewer.web import pages

__all__ = ["message", "wav_bytes"]

Message = dict[str, Any]


def message(event: ev.SessionEvent, publish_audio: Callable[[bytes], str]) -> Message | None:
    """The page's message for ``event`` (None: the page has no use for it). ``publish_audio``
    keeps a question's WAV for the page to fetch and returns its URL."""
    match event:
        case ev.SessionStarted():
            return {"type": "session", "session_id": event.session_id, "count": event.questions}
        case ev.QuestionAsked():
            speech = event.speech
            audio = publish_audio(wav_bytes(speech.samples, speech.rate)) if speech else None
            return {
                "type": "question",
                "seq": event.seq,
                "n": event.number,
                "of": event.of,
                "id": event.question_id,
                "category": event.category,
                "text": event.text,
                "follow_up": event.follow_up,
                "audio": audio,
                "target_seconds": list(event.target_seconds),
                "attempt": event.attempt,
                "probe": event.probe_point,
            }
        case ev.ListeningStarted(endpoint=e):
            return {
                "type": "listening",
                "end_silence_s": e.end_silence_s,
                "grace_s": e.grace_s,
                "max_answer_s": e.max_answer_s,
                "wait_s": e.wait_s,
            }
        case ev.LevelChanged():
            fields = asdict(event.level)
            rounded = {k: round(v, 2) if isinstance(v, float) else v for k, v in fields.items()}
            return {"type": "level", **rounded}
        case ev.AnswerClosing():
            return {"type": "closing", "ends_at_s": round(event.ends_at_s, 2)}
        case ev.AnswerResumed():
            return {"type": "resumed"}
        case ev.StretchTranscribed():
            return {
                "type": "stretch",
                "start": round(event.start, 2),
                "end": round(event.end, 2),
                "words": list(event.words),
                "fillers": list(event.fillers),
            }
        case ev.FeedbackReady():
            lines = list(event.lines)
            return {
                "type": "feedback",
                "seq": event.seq,
                "id": event.question_id,
                "analysis": event.analysis.to_dict(),
                "lines": lines,
                "end_reason": _page_reason(event.end_reason),
                "decision_to_feedback_s": round(event.decision_to_feedback_s, 3),
                "html": pages.feedback_html(event.analysis, lines),
                # Revealed by the page's "Show an example answer" button; a follow-up's or a
                # probe's question has none (``FollowUp.as_question``).
                "example": event.analysis.question.example_answer(),
            }
        case ev.NoAnswer():
            reason = _page_reason(event.end_reason)
            return {
                "type": "unanswered",
                "seq": event.seq,
                "id": event.question_id,
                "end_reason": reason,
            }
        case ev.AttemptsCompared():
            return {
                "type": "compare",
                "id": event.question_id,
                **event.comparison.to_dict(),
                "html": comparison_html(event.comparison),
            }
        case ev.WaitingForNext():
            return {
                "type": "waiting",
                "id": event.question_id,
                "attempt": event.attempt,
                "last": event.last,
            }
        case ev.Notice():
            return {"type": "notice", "message": event.text}
        case ev.SessionSaved():
            return {
                "type": "session_saved",
                "session_id": event.session_id,
                "interrupted": event.interrupted,
                "report": f"/sessions/{event.session_id}/",
            }
        case ev.SpeechStarted() | ev.AnswerEnded():
            fields = event.jsonl()  # the same names and keys as --jsonl
            return {"type": fields.pop("event"), **fields}
    return None  # SessionSummary: the page links the report instead


def _page_reason(reason: str) -> str:
    return "done" if reason == "enter" else reason


def wav_bytes(audio: np.ndarray, rate: int) -> bytes:
    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, np.asarray(audio, np.float32), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()
