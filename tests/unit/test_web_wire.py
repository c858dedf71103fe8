"""The practice page's wire format (issue 27): each typed session event becomes the message the
page's script handles, with exactly the fields it reads; display-only events stay off --jsonl."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("starlette", reason="the [web] extra is not installed")

from tests.sessions_fixture import known_analysis  # noqa: E402
from voice_interviewer.live import events as ev  # noqa: E402
from voice_interviewer.scoring.analysis import Analysis  # noqa: E402
from voice_interviewer.scoring.compare import compare_attempts  # noqa: E402
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS  # noqa: E402
from voice_interviewer.web.wire import message  # noqa: E402

ANALYSIS = Analysis.from_dict(known_analysis("q"))
SPEECH = ev.Speech(np.zeros(1600, np.float32), 16000)
# (event, the page's message type, its fields): what static/practice.js reads.
PAGE = [
    (ev.SessionStarted(4, 2), "session", {"session_id", "count"}),
    (
        ev.QuestionAsked("q", "Why?", False, 1, 2, "technical", 1, (60.0, 120.0), SPEECH),
        "question",
        {
            "seq",
            "n",
            "of",
            "id",
            "category",
            "text",
            "follow_up",
            "audio",
            "target_seconds",
            "attempt",
            "probe",
        },
    ),
    (
        ev.ListeningStarted((60.0, 120.0), "hint", LIVE_DEFAULTS),
        "listening",
        {"end_silence_s", "grace_s", "max_answer_s", "wait_s"},
    ),
    (
        ev.LevelChanged(ev.LevelStatus(-30.123, 1.0, True, False), (60.0, 120.0)),
        "level",
        {"rms_dbfs", "elapsed_s", "speaking", "speech_started"},
    ),
    (ev.SpeechStarted(1.25), "speech_start", {"at_s"}),
    (ev.AnswerClosing(12.345), "closing", {"ends_at_s"}),
    (ev.AnswerResumed(), "resumed", set()),
    (
        ev.StretchTranscribed(1.0, 2.5, ("so", "um"), ("um",)),
        "stretch",
        {"start", "end", "words", "fillers"},
    ),
    (ev.AnswerEnded("enter"), "answer_end", {"reason"}),
    (
        ev.FeedbackReady("q", ANALYSIS, ("ok",), 0.12345, 3, "enter"),
        "feedback",
        {
            "seq",
            "id",
            "analysis",
            "lines",
            "end_reason",
            "decision_to_feedback_s",
            "html",
            "example",
        },
    ),
    (ev.NoAnswer("q", 2, "no_answer"), "unanswered", {"seq", "id", "end_reason"}),
    (
        ev.AttemptsCompared("q", compare_attempts(ANALYSIS, ANALYSIS)),
        "compare",
        {"id", "before", "after", "measures", "html"},
    ),
    (ev.WaitingForNext("q", 1, False), "waiting", {"id", "attempt", "last"}),
    (ev.Notice("hello"), "notice", {"message"}),
    (
        ev.SessionSaved(4, "/data/sessions/4", True),
        "session_saved",
        {"session_id", "interrupted", "report"},
    ),
]


@pytest.mark.parametrize(("event", "kind", "fields"), PAGE, ids=[k for _e, k, _f in PAGE])
def test_each_event_is_the_message_the_page_reads(event, kind, fields):
    published = []
    m = message(event, lambda wav: published.append(wav) or "/speech/k.wav")
    assert m.pop("type") == kind and set(m) == fields
    json.dumps(m)  # JSON all the way down (the analysis serialized at this edge)


def test_values_as_the_page_shows_them():
    published = []
    q = message(PAGE[1][0], lambda wav: published.append(wav) or "/speech/k.wav")
    assert q["audio"] == "/speech/k.wav" and published[0][:4] == b"RIFF"
    assert q["target_seconds"] == [60.0, 120.0]
    unspoken = message(ev.QuestionAsked("q", "Why?", True, 1, 2, "technical", 2), lambda w: "x")
    assert unspoken["audio"] is None and unspoken["follow_up"] is True
    assert q["probe"] is None and unspoken["probe"] is None  # a question, a bank follow-up
    # A probe names the missed point it asks about (the page titles it "Probe on question N").
    probe = ev.QuestionAsked("q", "And?", True, 1, 2, "technical", probe_point="Names PCA")
    assert message(probe, lambda w: "x")["probe"] == "Names PCA"
    feedback = message(PAGE[9][0], lambda w: "x")
    assert feedback["analysis"] == ANALYSIS.to_dict() and feedback["end_reason"] == "done"
    assert feedback["decision_to_feedback_s"] == 0.123 and feedback["lines"] == ["ok"]
    assert "<li>ok</li>" in feedback["html"] and ANALYSIS.words[0].text in feedback["html"]
    assert message(PAGE[3][0], lambda w: "x")["rms_dbfs"] == -30.12
    assert message(PAGE[-1][0], lambda w: "x")["report"] == "/sessions/4/"
    assert message(ev.SessionSummary((), False), lambda w: "x") is None
    # The page takes the example answer from the feedback message (its button), not this event.
    assert message(ev.ExampleAnswer("q", "An example."), lambda w: "x") is None


def test_what_only_the_page_shows_stays_off_jsonl():
    for event, *_ in PAGE:
        if isinstance(event, ev.SessionStarted | ev.StretchTranscribed | ev.NoAnswer):
            assert event.jsonl() is None


def test_feedback_carries_the_example_answer_for_the_page_button():
    from dataclasses import replace

    from voice_interviewer.bank import resolve_bank

    q = resolve_bank(None).question("overfitting")
    main = replace(ANALYSIS, question=q)
    shown = message(ev.FeedbackReady(q.id, main, ("ok",), 0.1, 1), lambda w: "x")
    assert shown["example"] == q.model_answer and q.model_answer
    # A follow-up's (or a probe's) question has no example answer of its own.
    probe = replace(ANALYSIS, question=q.follow_ups[0].as_question(q))
    assert message(ev.FeedbackReady(q.id, probe, ("ok",), 0.1, 2), lambda w: "x")["example"] is None
    # The example answer is bank text: the page sets it as text, and it is not in the html.
    assert q.model_answer not in shown["html"]


def test_the_start_message_carries_the_probes_setting():
    from voice_interviewer.errors import MessageError
    from voice_interviewer.web.messages import parse_start

    assert parse_start('{"type": "start"}').probes == 1
    assert parse_start('{"type": "start", "probes": "0"}').probes == 0
    assert parse_start('{"type": "start", "probes": 2}').probes == 2
    for bad in ('"many"', "-1", "11", "true", "1.5"):
        with pytest.raises(MessageError, match="'probes' must be a whole number from 0 to 10"):
            parse_start('{"type": "start", "probes": ' + bad + "}")
