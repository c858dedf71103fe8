"""The page's microphone as a ``BlockSource``: the 16 kHz mono PCM blocks the page streams over the
WebSocket, stamped on the page's own sample clock (the clock it reports playback ends on).

While the session waits for the candidate's Next or Try again (``discarding``), the page's audio
is counted on the clock and dropped: what the candidate says while reading the feedback is no
answer's, and a long read must not pile up in memory until the next answer.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np

from voice_interviewer.live.devices import CapturedBlock
from voice_interviewer.speech.timeline import SAMPLE_RATE

__all__ = ["MAX_BLOCK_SAMPLES", "PushedBlocks"]

MAX_BLOCK_SAMPLES = 8000  # 0.5 s: the page sends 50 ms blocks
# The page cannot deliver audio faster than it is captured: allow bursts after a stall, refuse
# floods.
MAX_AHEAD_S = 5.0
RATE_GRACE_S = 2.0


class PushedBlocks:
    """A ``BlockSource`` fed by the WebSocket. Time is the page's sample count / 16 kHz."""

    shares_playback_clock = True  # the page reports playback end on this same clock

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._q: queue.Queue[CapturedBlock | None] = queue.Queue()
        self._samples = 0
        self._clock = clock
        self._t0: float | None = None
        self.closed = threading.Event()
        self._dropping = False  # set by ``discarding``: blocks are counted, not kept
        self._lock = threading.Lock()  # a block is kept or dropped whole, never after a drain

    def push(self, pcm16: bytes) -> None:
        """One block from the page (little-endian int16). Raises ValueError on abuse."""
        if len(pcm16) % 2 or not pcm16:
            raise ValueError("an audio block must be a whole number of 16-bit samples")
        n = len(pcm16) // 2
        if n > MAX_BLOCK_SAMPLES:
            raise ValueError(f"audio block of {n} samples (at most {MAX_BLOCK_SAMPLES})")
        now = self._clock()
        if self._t0 is None:
            self._t0 = now
        if (self._samples + n) / SAMPLE_RATE > (now - self._t0) + MAX_AHEAD_S + RATE_GRACE_S:
            raise ValueError("audio arrives faster than real time")
        with self._lock:
            if not self._dropping:
                samples = np.frombuffer(pcm16, "<i2").astype(np.float32) / 32768.0
                self._q.put(CapturedBlock(samples, self._samples / SAMPLE_RATE))
            self._samples += n

    @contextlib.contextmanager
    def discarding(self) -> Iterator[None]:
        """While inside: the page's audio is dropped (the clock goes on), and what was kept since
        the last answer stopped reading goes too. Every later answer starts after this audio,
        where its question finished playing, so none of it can be part of one."""
        with self._lock:
            self._dropping = True
            while True:
                try:
                    block = self._q.get_nowait()
                except queue.Empty:
                    break
                if block is None:  # the page has gone: ``read`` must still see the end
                    self._q.put(None)
                    break
        try:
            yield
        finally:
            with self._lock:
                self._dropping = False

    def close(self) -> None:
        self.closed.set()
        self._q.put(None)

    def stream_time(self) -> float:
        return self._samples / SAMPLE_RATE

    def read(self, timeout: float | None = None) -> CapturedBlock | None:
        """The next block; None on timeout, or at once when the page has gone (the caller's stop
        check then ends the answer, keeping what was said)."""
        if self.closed.is_set() and self._q.empty():
            return None
        try:
            return self._q.get(timeout=timeout)
        except queue.Empty:
            return None
