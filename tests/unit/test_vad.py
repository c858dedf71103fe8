"""vad: hysteresis on hand-made probabilities (32 ms frames), gaps, and the Silero model itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voice_interviewer.speech.timeline import Span
from voice_interviewer.speech.vad import (
    FRAME_S,
    FRAME_SAMPLES,
    SileroModel,
    SpanTracker,
    VadParams,
    silent_gaps,
    speech_spans,
)

HI, MID, LO = 0.9, 0.4, 0.1  # MID lies between neg_threshold (0.35) and threshold (0.5)


def f(n: int) -> float:
    """Time of frame boundary n (frame i covers [i*32ms, (i+1)*32ms))."""
    return round(n * FRAME_S, 3)


def test_defaults_are_three_silence_frames_and_two_speech_frames():
    assert FRAME_S == 0.032
    t = SpanTracker()
    assert (t._min_silence, t._min_speech) == (3, 2)


def test_no_speech_no_spans():
    assert speech_spans(np.zeros(50)) == []
    assert speech_spans(np.full(50, MID)) == []  # MID never *starts* speech
    assert speech_spans(np.array([])) == []


def test_single_span_start_and_end_frames():
    # speech in frames 2..5, then silence: closes at the first quiet frame (6)
    probs = [0, 0, HI, HI, HI, HI, LO, LO, LO, 0, 0]
    assert speech_spans(np.array(probs)) == [Span(0.064, 0.192)]


def test_threshold_is_inclusive_and_neg_threshold_continues_speech():
    # 0.5 starts speech; 0.35 (== neg_threshold) keeps it going; 0.34 is quiet
    probs = [0.49, 0.5, 0.35, 0.35, 0.34, 0.34, 0.34, 0.0]
    assert speech_spans(np.array(probs)) == [Span(f(1), f(4))]


def test_mid_probabilities_extend_but_do_not_start():
    probs = [MID, MID, HI, MID, MID, MID, LO, LO, LO, MID, MID]
    assert speech_spans(np.array(probs)) == [Span(f(2), f(6))]


def test_short_gap_is_bridged_long_gap_splits():
    # 2 quiet frames (64 ms < 100 ms) bridged; 3 quiet frames (96 ms ~ 100 ms) split
    bridged = [HI] * 4 + [LO] * 2 + [HI] * 4 + [0] * 3
    assert speech_spans(np.array(bridged)) == [Span(0.0, f(10))]
    split = [HI] * 4 + [LO] * 3 + [HI] * 4 + [0] * 3
    assert speech_spans(np.array(split)) == [Span(0.0, f(4)), Span(f(7), f(11))]


def test_one_frame_blip_dropped_two_frames_kept():
    assert speech_spans(np.array([0, HI, 0, 0, 0, 0])) == []
    assert speech_spans(np.array([0, HI, HI, 0, 0, 0])) == [Span(f(1), f(3))]


def test_blip_at_end_of_input_dropped():
    assert speech_spans(np.array([0, 0, 0, HI])) == []


def test_open_span_at_end_closes_at_last_speech_frame():
    assert speech_spans(np.array([0, HI, HI, HI])) == [Span(f(1), f(4))]
    # two trailing quiet frames (not yet a closing silence) are not part of the span
    assert speech_spans(np.array([0, HI, HI, HI, LO, LO])) == [Span(f(1), f(4))]


def test_tracker_push_returns_span_exactly_when_it_closes():
    t = SpanTracker()
    out = [t.push(p) for p in [HI, HI, HI, LO, LO]]
    assert out == [None] * 5
    assert t.push(LO) == Span(0.0, f(3))
    assert t.frames == 6
    assert t.close() is None  # nothing open any more


def test_in_speech_needs_min_speech_frames():
    t = SpanTracker()
    t.push(HI)
    assert not t.in_speech
    t.push(HI)
    assert t.in_speech
    t.push(LO)  # one quiet frame: speaking frames are still 2
    assert t.in_speech


def test_custom_params():
    params = VadParams(threshold=0.8, neg_threshold=0.6, min_silence_s=0.2, min_speech_s=0.1)
    # min_silence = round(0.2/0.032) = 6 frames, min_speech = round(3.125) = 3 frames
    probs = [0.7, 0.8, 0.7, 0.7] + [0.5] * 5 + [0.7] + [0.0] * 6
    assert speech_spans(np.array(probs), params) == [Span(f(1), f(10))]
    assert speech_spans(np.array([0.9, 0.9, 0.0] + [0.0] * 6), params) == []


def test_silent_gaps():
    spans = [Span(0.0, 1.0), Span(1.25, 2.0), Span(3.0, 4.0), Span(4.5, 5.0)]
    assert silent_gaps(spans, 0.25) == [Span(1.0, 1.25), Span(2.0, 3.0), Span(4.0, 4.5)]
    assert silent_gaps(spans, 0.5) == [Span(2.0, 3.0), Span(4.0, 4.5)]
    assert silent_gaps(spans, 1.5) == []
    assert silent_gaps([Span(0.0, 1.0)], 0.0) == []
    assert silent_gaps([], 0.1) == []


# ---------------------------------------------------------------- the Silero model

SAMPLE = (
    Path(__file__).resolve().parents[2] / "voice_interviewer" / "samples" / "01-overfitting.flac"
)


@pytest.fixture(scope="module")
def silero() -> SileroModel:
    return SileroModel()


@pytest.fixture(scope="module")
def speech_audio() -> np.ndarray:
    import soundfile

    audio, rate = soundfile.read(SAMPLE, dtype="float32", frames=16000 * 4)
    assert rate == 16000 and audio.ndim == 1
    return audio


def test_silence_gives_low_probabilities(silero):
    probs = silero.probabilities(np.zeros(16000, dtype=np.float32))
    # 16000 samples = 31 full frames + a partial one, padded by flush
    assert probs.shape == (32,)
    assert probs.max() < 0.1
    assert speech_spans(probs) == []


def test_exact_frames_have_no_flush_frame(silero):
    assert silero.probabilities(np.zeros(3 * FRAME_SAMPLES, np.float32)).shape == (3,)
    stream = silero.stream()
    assert stream.feed(np.zeros(100, np.float32)).shape == (0,)
    assert stream.flush().shape == (1,)
    assert stream.flush().shape == (0,)


def test_speech_gives_high_probabilities(silero, speech_audio):
    probs = silero.probabilities(speech_audio)
    assert probs.shape == (125,)  # 64000 / 512
    assert probs.max() > 0.9
    assert len(speech_spans(probs)) >= 1


@pytest.mark.parametrize("block", [1, 7, 333, 512, 1500, 16384])
def test_streaming_equals_batch(silero, speech_audio, block):
    batch = silero.probabilities(speech_audio)
    stream = silero.stream()
    parts = [stream.feed(speech_audio[i : i + block]) for i in range(0, len(speech_audio), block)]
    streamed = np.concatenate(parts + [stream.flush()])
    assert streamed.shape == batch.shape
    np.testing.assert_array_equal(streamed, batch)
