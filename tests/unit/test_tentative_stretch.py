"""The stretch a live answer decodes ahead (``AnswerListener.tentative_input``) is the one Enter
closes when no speech follows it, cut the same way; and there is none while someone speaks."""

from __future__ import annotations

import numpy as np

from voice_interviewer.speech.endpointing import StretchClosed
from voice_interviewer.speech.recognize import TENTATIVE_AFTER_S, AnswerListener, StretchInput
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.speech.vad import FRAME_S, FRAME_SAMPLES


class LoudIsSpeech:
    """A stand-in for Silero in a test of pure logic: a 32 ms frame is speech when not silent."""

    def stream(self) -> LoudIsSpeech:
        self._pending = np.zeros(0, np.float32)
        return self

    def feed(self, samples: np.ndarray) -> np.ndarray:
        buf = np.concatenate([self._pending, samples])
        n = len(buf) // FRAME_SAMPLES
        self._pending = buf[n * FRAME_SAMPLES :]
        frames = buf[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES)
        return (np.abs(frames).max(axis=1) > 0).astype(np.float32)


def sound(seconds: float, level: float = 0.1) -> np.ndarray:
    return np.full(int(round(seconds / FRAME_S)) * FRAME_SAMPLES, level, np.float32)


def silence(seconds: float) -> np.ndarray:
    return sound(seconds, 0.0)


def closed(listener: AnswerListener, events) -> list[StretchInput]:
    return [listener.stretch_input(e.span) for e in events if isinstance(e, StretchClosed)]


def same(a: StretchInput, b: StretchInput) -> bool:
    return (
        a.span == b.span
        and a.clip_start == b.clip_start
        and np.array_equal(a.clip, b.clip)
        and a.speech == b.speech
    )


def test_after_a_short_silence_the_tentative_stretch_is_the_one_enter_closes():
    listener = AnswerListener(LoudIsSpeech())
    first = closed(listener, listener.feed(np.concatenate([silence(1), sound(2), silence(1.5)])))
    assert len(first) == 1  # closed by the long phrase gap
    listener.feed(sound(2))
    assert listener.tentative_input() is None  # speaking
    listener.feed(silence(TENTATIVE_AFTER_S - 0.1))
    assert listener.tentative_input() is None  # a pause too short to bet on yet
    listener.feed(silence(0.2))
    tentative = listener.tentative_input()
    assert tentative is not None and tentative.span.start > first[0].span.end
    assert same(listener.tentative_input(), tentative)  # asking again moves nothing
    listener.feed(silence(0.2))  # Enter a little later, nothing said since
    (ended,) = closed(listener, listener.finish("enter"))
    assert same(ended, tentative)


def test_speech_resumed_after_the_tentative_stretch_closes_a_longer_one():
    listener = AnswerListener(LoudIsSpeech())
    listener.feed(np.concatenate([silence(1), sound(2), silence(0.4)]))
    tentative = listener.tentative_input()
    assert tentative is not None
    listener.feed(sound(0.5))  # "... and one more thing"
    assert listener.tentative_input() is None
    (ended,) = closed(listener, listener.finish("enter"))
    assert ended.span.start == tentative.span.start and ended.span.end > tentative.span.end + 0.8
    assert len(ended.clip) > len(tentative.clip)
    assert ended.clip_start == tentative.clip_start


def test_the_clip_of_a_tentative_stretch_is_complete():
    """It ends PAD_S after the speech, as the clip Enter cuts much later does."""
    listener = AnswerListener(LoudIsSpeech())
    listener.feed(np.concatenate([silence(1), sound(2), silence(TENTATIVE_AFTER_S + 0.05)]))
    tentative = listener.tentative_input()
    listener.feed(silence(0.5))
    (ended,) = closed(listener, listener.finish("enter"))
    assert len(tentative.clip) == len(ended.clip)
    assert tentative.clip_start + len(tentative.clip) / SAMPLE_RATE > tentative.span.end + 0.19
