"""The page's microphone as a block source (issue 25): what the page sends while the session waits
for Next or Try again is counted on the clock and dropped, never kept for the next answer."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("starlette", reason="the [web] extra is not installed")

from voice_interviewer.web.pushed_blocks import PushedBlocks  # noqa: E402

BLOCK = 800  # 50 ms at 16 kHz, as the page sends


def pcm(value: int, n: int = BLOCK) -> bytes:
    return np.full(n, value, "<i2").tobytes()


def blocks() -> PushedBlocks:
    ticks = itertools.count(0.0, 60.0)  # a clock far ahead: no test trips the rate check
    return PushedBlocks(clock=lambda: next(ticks))


def drain(b: PushedBlocks) -> list:
    out = []
    while (block := b.read(timeout=0)) is not None:
        out.append(block)
    return out


def test_audio_sent_during_the_wait_is_dropped_and_the_clock_goes_on():
    b = blocks()
    b.push(pcm(100))  # the end of an answer the engine stopped reading
    with b.discarding():
        for _ in range(40):  # two seconds of the candidate talking while reading the feedback
            b.push(pcm(9000))
        assert b.read(timeout=0) is None
    b.push(pcm(200))  # after Next: kept, stamped where it was captured
    (kept,) = drain(b)
    assert kept.adc_time == pytest.approx(41 * BLOCK / 16000)
    assert np.allclose(kept.samples, 200 / 32768)
    assert b.stream_time() == pytest.approx(42 * BLOCK / 16000)


def test_audio_kept_before_the_wait_goes_when_it_begins():
    """Blocks queued between the answer's end and the wait are before any later answer's start:
    the wait drops them too, so nothing piles up."""
    b = blocks()
    for _ in range(10):
        b.push(pcm(500))
    with b.discarding():
        assert drain(b) == []


def test_the_page_going_away_during_the_wait_still_ends_reading():
    b = blocks()
    with b.discarding():
        b.push(pcm(1))
        b.close()
    assert b.read(timeout=0) is None and b.closed.is_set()
