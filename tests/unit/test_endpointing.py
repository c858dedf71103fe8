"""endpointing: the Endpointer state machine on hand-made probabilities (frame n ends at
n*32 ms)."""

from __future__ import annotations

import pytest

from voice_interviewer.speech.endpointing import (
    AnswerClosing,
    AnswerEnded,
    AnswerResumed,
    Endpointer,
    EndpointParams,
    SpeechStarted,
    StretchClosed,
)
from voice_interviewer.speech.timeline import Span

HI, LO = 0.9, 0.0


def test_speech_started_reports_the_span_start():
    ep = Endpointer()
    assert ep.push([LO] * 10 + [HI]) == []  # one speech frame is not yet speech
    assert ep.push([HI]) == [SpeechStarted(0.32)]  # frame 10 * 32 ms
    assert ep.speech_start == 0.32
    assert ep.push([HI] * 5) == []  # reported once


def test_speech_started_at_time_zero():
    assert Endpointer().push([HI, HI]) == [SpeechStarted(0.0)]


def test_blip_is_not_speech():
    ep = Endpointer()
    assert ep.push([LO, HI, LO, LO, LO, LO] + [LO] * 40) == []
    assert ep.speech_start is None and ep.speech == []


def test_defaults():
    p = EndpointParams()
    assert (p.stretch_gap_s, p.min_stretch_s, p.long_gap_s, p.max_stretch_s) == (
        0.6,
        6.0,
        1.2,
        20.0,
    )
    assert p.end_silence_s == p.max_answer_s == p.wait_s == float("inf")


def test_stretch_closes_after_stretch_gap():
    ep = Endpointer(EndpointParams(min_stretch_s=0.0))  # any stretch is long enough
    # speech frames 10..29 -> span (0.32, 0.96), closed by VAD at frame 32
    events = ep.push([LO] * 10 + [HI] * 20 + [LO] * 18)  # 48 frames: t = 1.536 < 0.96 + 0.6
    assert events == [SpeechStarted(0.32)]
    assert ep.speech == [Span(0.32, 0.96)]
    assert ep.push([LO]) == [StretchClosed(Span(0.32, 0.96))]  # t = 1.568 >= 1.56
    assert ep.push([LO] * 50) == []  # default params: never ends by itself
    assert ep.ended is None


def test_long_stretch_closes_after_stretch_gap_with_default_params():
    ep = Endpointer()
    # speech frames 10..197 -> span (0.32, 6.336): 6.016 s >= min_stretch_s
    events = ep.push([LO] * 10 + [HI] * 188 + [LO] * 18)  # t = 6.912 < 6.336 + 0.6
    assert events == [SpeechStarted(0.32)]
    assert ep.push([LO]) == [StretchClosed(Span(0.32, 6.336))]  # t = 6.944


def test_short_stretch_waits_for_long_gap_with_default_params():
    ep = Endpointer()
    # span (0.32, 0.96) is shorter than min_stretch_s: it closes only after long_gap_s (1.2 s)
    assert ep.push([LO] * 10 + [HI] * 20 + [LO] * 37) == [SpeechStarted(0.32)]  # t = 2.144
    assert ep.push([LO]) == [StretchClosed(Span(0.32, 0.96))]  # t = 2.176 >= 0.96 + 1.2


def test_gaps_shorter_than_long_gap_join_short_phrases_into_one_stretch():
    ep = Endpointer()
    # spans (0.32, 0.96) and (1.76, 2.4): a 0.8 s gap (> stretch_gap_s, < long_gap_s)
    events = ep.push([LO] * 10 + [HI] * 20 + [LO] * 25 + [HI] * 20 + [LO] * 37)
    assert events == [SpeechStarted(0.32)]
    assert ep.speech == [Span(0.32, 0.96), Span(1.76, 2.4)]
    assert ep.push([LO]) == [StretchClosed(Span(0.32, 2.4))]  # 113 frames: 3.616 >= 3.6


def test_phrase_gap_shorter_than_stretch_gap_joins_spans_into_one_stretch():
    ep = Endpointer(EndpointParams(min_stretch_s=0.0))
    # spans (0.32, 0.96) and (1.28, 1.92) with a 0.32 s gap between them
    events = ep.push([LO] * 10 + [HI] * 20 + [LO] * 10 + [HI] * 20 + [LO] * 18)
    assert events == [SpeechStarted(0.32)]
    assert ep.speech == [Span(0.32, 0.96), Span(1.28, 1.92)]
    assert ep.push([LO]) == [StretchClosed(Span(0.32, 1.92))]  # 79 frames: 2.528 >= 2.52


def test_long_stretch_is_closed_at_the_next_short_silence():
    ep = Endpointer(EndpointParams(max_stretch_s=1.0))
    # spans (0, 0.64) and (0.8, 1.44): together 1.44 s >= 1.0 s
    events = ep.push([HI] * 20 + [LO] * 5 + [HI] * 20 + [LO] * 2)
    assert events == [SpeechStarted(0.0)]
    # the third quiet frame closes span 2: the stretch is flushed at once, not a gap later
    assert ep.push([LO]) == [StretchClosed(Span(0.0, 1.44))]
    assert ep.push([LO] * 30) == []


def test_answer_ends_after_end_silence():
    ep = Endpointer(EndpointParams(end_silence_s=1.0))
    # span (0, 0.64); the answer ends at t >= 1.64 (frame count 52), before the stretch's long
    # gap (1.84), so the end flushes the stretch
    events = ep.push([HI] * 20 + [LO] * 31)
    assert events == [SpeechStarted(0.0)]
    assert ep.ended is None
    assert ep.push([LO, LO, LO]) == [
        StretchClosed(Span(0.0, 0.64)),
        AnswerEnded("silence", 1.664),
    ]
    assert ep.ended == AnswerEnded("silence", 1.664)


def test_answer_ends_at_max_answer_after_first_speech():
    ep = Endpointer(EndpointParams(max_answer_s=1.0))
    # speech from 0.32 s on, never stopping: ends at t >= 1.32, i.e. after 42 frames (1.344 s)
    events = ep.push([LO] * 10 + [HI] * 100)
    assert events == [
        SpeechStarted(0.32),
        StretchClosed(Span(0.32, 1.344)),  # the open span is cut at the decision
        AnswerEnded("max", 1.344),
    ]
    assert ep.speech == [Span(0.32, 1.344)]


def test_no_answer_after_wait():
    ep = Endpointer(EndpointParams(wait_s=1.0))
    assert ep.push([LO] * 31) == []  # t = 0.992
    assert ep.push([LO, HI, HI]) == [AnswerEnded("no_answer", 1.024)]


def test_wait_is_satisfied_by_speech_before_it():
    ep = Endpointer(EndpointParams(wait_s=1.0, end_silence_s=0.5))
    events = ep.push([LO] * 20 + [HI] * 10 + [LO] * 40)
    # span (0.64, 0.96); ends by silence at t >= 1.46 (46 frames = 1.472), not as no_answer
    assert events == [
        SpeechStarted(0.64),
        StretchClosed(Span(0.64, 0.96)),
        AnswerEnded("silence", 1.472),
    ]


def test_finish_enter_flushes_the_open_span_and_stretch():
    ep = Endpointer()
    assert ep.push([HI] * 20) == [SpeechStarted(0.0)]
    assert ep.finish("enter") == [StretchClosed(Span(0.0, 0.64)), AnswerEnded("enter", 0.64)]
    assert ep.speech == [Span(0.0, 0.64)]


def test_finish_enter_flushes_a_closed_but_unsent_stretch():
    ep = Endpointer()
    ep.push([HI] * 20 + [LO] * 10)  # span closed at frame 22, stretch waiting for its gap
    assert ep.finish("enter") == [StretchClosed(Span(0.0, 0.64)), AnswerEnded("enter", 0.96)]


def test_finish_enter_without_speech_is_no_answer():
    ep = Endpointer()
    ep.push([LO] * 10 + [HI])  # a one-frame blip does not count
    assert ep.finish("enter") == [AnswerEnded("no_answer", 0.352)]


@pytest.mark.parametrize("reason", ["eof", "interrupted"])
def test_finish_eof_or_interrupt_keeps_its_reason_without_speech(reason):
    ep = Endpointer()
    ep.push([LO] * 5)
    assert ep.finish(reason) == [AnswerEnded(reason, 0.16)]


def test_no_events_after_the_end():
    ep = Endpointer(EndpointParams(end_silence_s=0.5))
    ep.push([HI] * 10 + [LO] * 30)
    assert ep.ended is not None
    ended = ep.ended
    assert ep.push([HI] * 20 + [LO] * 30) == []
    assert ep.finish("enter") == []
    assert ep.ended is ended


def test_nothing_after_finish():
    ep = Endpointer()
    ep.push([HI] * 5)
    ep.finish("eof")
    assert ep.push([HI] * 20 + [LO] * 40) == []
    assert ep.finish("enter") == []


def test_speech_started_equals_first_span_start_after_an_early_dip():
    ep = Endpointer()
    # frame 0 starts speech, frame 1 dips (bridged: < 3 quiet frames), speech continues
    events = ep.push([HI, 0.1, HI] + [HI] * 5 + [LO] * 30)
    assert ep.speech == [Span(0.0, 0.256)]
    assert events[0] == SpeechStarted(ep.speech[0].start)  # actual: SpeechStarted(0.032)


# ---------------------------------------------------------------- forgiving end: growth and grace

FRAMES_PER_S = 31.25  # 32 ms frames


def frames(seconds: float) -> int:
    return round(seconds * FRAMES_PER_S)


def test_end_silence_grows_with_the_answer_up_to_its_cap():
    ep = Endpointer(
        EndpointParams(end_silence_s=3.0, end_silence_growth=0.1, end_silence_max_s=5.0)
    )
    assert ep.end_silence_after(0.0) == 3.0
    assert ep.end_silence_after(10.0) == pytest.approx(4.0)
    assert ep.end_silence_after(60.0) == 5.0
    # a cap below the base never shortens the base
    assert (
        Endpointer(EndpointParams(end_silence_s=3.0, end_silence_max_s=1.0)).end_silence_after(9.0)
        == 3.0
    )


def test_a_pause_shorter_than_the_grown_silence_does_not_end_the_answer():
    ep = Endpointer(
        EndpointParams(end_silence_s=1.0, end_silence_growth=0.5, end_silence_max_s=9.0)
    )
    # 4 s of speech: the answer now needs 1 + 0.5 * 4 = 3 s of silence; a 2.5 s pause is kept
    events = ep.push([HI] * frames(4.0) + [LO] * frames(2.5) + [HI] * frames(1.0))
    assert not any(isinstance(e, AnswerEnded) for e in events)
    assert len(ep.speech) == 1 and ep.ended is None  # the second span is still open
    # the same pause 0.5 s into the answer would have ended it (1 + 0.25 s)
    short = Endpointer(EndpointParams(end_silence_s=1.0, end_silence_growth=0.5))
    events = short.push([HI] * frames(0.5) + [LO] * frames(2.5))
    assert isinstance(events[-1], AnswerEnded) and events[-1].reason == "silence"


def test_grace_closing_then_resumed_continues_the_same_answer():
    ep = Endpointer(EndpointParams(end_silence_s=1.0, grace_s=2.0))
    events = ep.push([HI] * 20 + [LO] * 40)  # span (0, 0.64); closing at 1.64 s
    closing = [e for e in events if isinstance(e, AnswerClosing)]
    assert closing == [AnswerClosing(1.664, 3.64)]  # decided at frame 52; ends at 0.64 + 1 + 2
    assert ep.ended is None and ep.closing == closing[0]
    events = ep.push([HI] * 10)  # speech 1.92 s after the last word: inside the grace period
    assert [type(e) for e in events] == [AnswerResumed]
    assert ep.closing is None
    events = ep.push([LO] * 200)
    kinds = [type(e) for e in events]
    assert kinds.count(AnswerClosing) == 1 and kinds[-1] is AnswerEnded
    assert ep.ended.reason == "silence"
    assert len(ep.speech) == 2  # one answer, both spans


def test_grace_runs_out_and_the_answer_ends_at_silence_plus_grace():
    ep = Endpointer(EndpointParams(end_silence_s=1.0, grace_s=2.0))
    events = ep.push([HI] * 20 + [LO] * 200)
    ended = [e for e in events if isinstance(e, AnswerEnded)]
    assert ended == [AnswerEnded("silence", 3.648)]  # first frame with silence >= 3 s after 0.64
    assert ep.push([HI] * 20) == []  # over is over


@pytest.mark.parametrize("silence_frames", [5, 45])  # before the closing, and inside the grace
def test_done_ends_the_answer_at_once_whatever_the_grace(silence_frames):
    """Issue 25, "Done means done": Enter or the page's Done ends the answer then and there; the
    grace period is for a silence that might be a pause, not for an explicit Done."""
    ep = Endpointer(EndpointParams(end_silence_s=1.0, grace_s=2.0))
    ep.push([HI] * 20 + [LO] * silence_frames)
    assert (ep.closing is not None) == (silence_frames == 45)
    done_at = round(ep.t, 3)
    events = ep.finish("enter")
    assert events[-1] == AnswerEnded("enter", done_at) and ep.ended == events[-1]
    assert ep.push([LO] * 200) == [] and ep.ended == AnswerEnded("enter", done_at)


def test_no_grace_keeps_the_old_behaviour():
    ep = Endpointer(EndpointParams(end_silence_s=1.0))
    events = ep.push([HI] * 20 + [LO] * 40)
    assert not any(isinstance(e, AnswerClosing | AnswerResumed) for e in events)
    assert ep.ended == AnswerEnded("silence", 1.664)


@pytest.mark.parametrize("pause_s", [3.0, 4.5, 6.0])
@pytest.mark.parametrize("at_s", [5.0, 20.0, 60.0])
def test_live_defaults_never_cut_a_thinking_pause_of_up_to_6_s(pause_s, at_s):
    from voice_interviewer.speech.endpointing import LIVE_DEFAULTS

    ep = Endpointer(LIVE_DEFAULTS)
    events = ep.push([LO] * 30 + [HI] * frames(at_s) + [LO] * frames(pause_s) + [HI] * 30)
    assert not any(isinstance(e, AnswerEnded) for e in events), (pause_s, at_s)
