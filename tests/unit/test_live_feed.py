"""live: cutting a captured block at the question's end, and FileFeed without real-time pacing."""

from __future__ import annotations

import numpy as np
import pytest

from voice_interviewer.live.capture import FileFeed, _after
from voice_interviewer.live.devices import CapturedBlock

BLOCK = np.arange(512, dtype=np.float32)  # sample i has value i


def block_at(adc: float) -> CapturedBlock:
    return CapturedBlock(BLOCK, adc)


def test_after_whole_block_when_captured_after_the_cut():
    assert _after(block_at(1.0), 0.5) is BLOCK
    assert _after(block_at(1.0), 1.0) is BLOCK  # at the cut counts as after


def test_after_none_when_block_ends_before_or_at_the_cut():
    assert _after(block_at(1.0), 2.0) is None
    assert _after(block_at(1.0), 1.032) is None  # block covers [1.0, 1.032)


def test_after_cuts_inside_the_block():
    out = _after(block_at(1.0), 1.0 + 100 / 16000)
    assert len(out) == 412 and out[0] == 100
    out = _after(block_at(2.0), 2.03)  # 0.03 s = 480 samples in
    assert len(out) == 32 and out[0] == 480


def test_file_feed_blocks_adc_times_and_silence_after_the_end():
    audio = np.arange(1, 1001, dtype=np.float32)
    feed = FileFeed(audio, realtime=False)
    b1, b2, b3 = feed.read(), feed.read(), feed.read()
    assert b1.adc_time == 0.0 and b2.adc_time == 0.032 and b3.adc_time == 0.064
    np.testing.assert_array_equal(b1.samples, audio[:512])
    assert len(b2.samples) == 512
    np.testing.assert_array_equal(b2.samples[:488], audio[512:])
    assert not b2.samples[488:].any()  # padded with zeros
    assert len(b3.samples) == 512 and not b3.samples.any()  # endless silence
    assert all(b.samples.dtype == np.float32 for b in (b1, b2, b3))


@pytest.mark.parametrize("block", [160, 1600])
def test_file_feed_block_size_and_start_delay(block):
    audio = np.ones(3200, dtype=np.float32)
    feed = FileFeed(audio, realtime=False, block=block, start_delay_s=0.1)  # 1600 zeros first
    blocks = [feed.read() for _ in range(40)]
    assert all(len(b.samples) == block for b in blocks)
    assert [b.adc_time for b in blocks[:3]] == [0.0, block / 16000, 2 * block / 16000]
    samples = np.concatenate([b.samples for b in blocks])
    assert not samples[:1600].any()
    assert samples[1600:4800].all()
    assert not samples[4800:].any()


def test_file_feed_clock_starts_at_first_use():
    feed = FileFeed(np.zeros(10, np.float32), realtime=False)
    assert feed._t0 is None
    t = feed.stream_time()
    assert 0.0 <= t < 0.5
    assert FileFeed.shares_playback_clock is False
