"""Recording one answer live: audio blocks -> WAV on disk + voice activity/endpointing, while a
worker thread transcribes each finished stretch of speech in the window it shares with its
neighbours (``PackedStretches``: the words ``score`` would give the same audio), so feedback is
ready soon after the answer ends; once the speech pauses, the stretch Enter would close is decoded
ahead (``_decode_ahead``), so Enter a moment after the last word finds that done too. With a core
to spare, that window decode runs in a thread of its own: the worker may still be finishing
earlier stretches (on real, disfluent speech, seconds of filler and lost-speech decodes).

The block source is a seam: ``audio_io.Microphone`` in a real session, ``FileFeed`` (a recording
played back in real time) in the demo and the latency benchmark. Both give blocks stamped on one
clock, so the answer can be cut exactly where the question finished playing.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_interviewer.bank import Question
from voice_interviewer.errors import DeviceError
from voice_interviewer.live import events as ev
from voice_interviewer.live.devices import CapturedBlock
from voice_interviewer.live.events import LevelStatus
from voice_interviewer.live.spare_core import core_to_spare
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.rubric import prepare_rubric
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.speech.endpointing import (
    AnswerClosing,
    AnswerEnded,
    AnswerResumed,
    EndpointParams,
    EndReason,
    Event,
    SpeechStarted,
    StretchClosed,
)
from voice_interviewer.speech.recognize import (
    AnswerListener,
    PackedStretches,
    Recognition,
    StretchInput,
    StretchResult,
    conclude,
)
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.speech.voice_tracks import TrackBuilder
from voice_interviewer.speech.wavfile import WavAppender

STALL_S = 3.0  # no audio for this long: the device has gone away
LEVEL_EVERY_S = 0.1


class BlockSource(Protocol):
    def read(self, timeout: float | None = None) -> CapturedBlock | None: ...

    def stream_time(self) -> float: ...


class FileFeed:
    """A pretend microphone that plays a recording in real time, then endless silence.

    Its clock starts at the first ``read`` or ``stream_time`` call, i.e. when listening begins."""

    shares_playback_clock = False

    def __init__(
        self, audio: np.ndarray, realtime: bool = True, block: int = 512, start_delay_s: float = 0.0
    ):
        lead = np.zeros(int(start_delay_s * SAMPLE_RATE), np.float32)
        self._audio = np.concatenate([lead, np.asarray(audio, np.float32)])
        self._realtime = realtime
        self._block = block
        self._pos = 0
        self._t0: float | None = None

    def stream_time(self) -> float:
        if self._t0 is None:
            self._t0 = time.monotonic()
        return time.monotonic() - self._t0

    def read(self, timeout: float | None = None) -> CapturedBlock | None:
        adc = self._pos / SAMPLE_RATE
        self.stream_time()  # starts the clock
        if self._realtime:
            # A block is "captured" once its last sample has been spoken.
            due = self._t0 + adc + self._block / SAMPLE_RATE
            wait = due - time.monotonic()
            if wait > 0:
                if timeout is not None and wait > timeout:
                    time.sleep(timeout)
                    return None
                time.sleep(wait)
        chunk = self._audio[self._pos : self._pos + self._block]
        if len(chunk) < self._block:
            chunk = np.concatenate([chunk, np.zeros(self._block - len(chunk), np.float32)])
        self._pos += self._block
        return CapturedBlock(chunk, adc)


__all__ = [
    "AnnouncingExecutor",
    "AnswerOutcome",
    "BlockSource",
    "FileFeed",
    "LevelStatus",
    "LiveAnswer",
]


@dataclass
class AnswerOutcome:
    end_reason: EndReason
    analysis: Analysis | None  # None when nothing was said
    recognition: Recognition
    decision_to_feedback_s: float | None  # from the end-of-answer decision to the analysis
    recorded_s: float


# Receives SpeechStarted, AnswerClosing, AnswerResumed and AnswerEnded as they happen.
EventCallback = Callable[[ev.SessionEvent], None]


class LiveAnswer:
    def __init__(
        self,
        scorer: Scorer,
        question: Question,
        params: EndpointParams,
        wav: WavAppender,
        executor: Executor,
        on_event: EventCallback = lambda event: None,
        on_level: Callable[[LevelStatus], None] | None = None,
        ahead_thread: bool | None = None,
    ) -> None:
        """``executor``: the worker, one thread running what it is handed in order.
        ``ahead_thread``: decode the window Enter would close in a thread of its own (default:
        when the transcriber runs two decodes at once, i.e. on 2+ cores, and each time while the
        machine has a core to spare: ``spare_core``); else the worker does it when idle."""
        self.scorer = scorer
        self.question = question
        self.listener = AnswerListener(scorer.vad, params)
        self.processor = scorer.processor(question)
        self.wav = wav
        self.executor = executor
        self.on_event = on_event
        self.on_level = on_level
        # Only the worker thread touches ``stretches`` until every future is done.
        self.stretches = PackedStretches(self.processor)
        self._futures: list[Future[StretchResult | None]] = []
        # The stretch decoded ahead as if the answer ended now (``_decode_ahead``); None once
        # speech resumes, which drops it if the worker has not started it yet.
        self._tentative: StretchInput | None = None
        self._last_closed: StretchInput | None = None  # the last stretch handed to the worker
        self._closed: list[StretchInput] = []  # every stretch handed to it (capture thread)
        self._ahead_if_spare = ahead_thread is None
        if ahead_thread is None:
            ahead_thread = getattr(scorer.transcriber, "parallel", 1) > 1
        self._ahead = ThreadPoolExecutor(1, "decode-ahead") if ahead_thread else None
        self._ahead_future: Future[None] | None = None
        # Held while the ahead thread hands the worker a step, and by the decision before it
        # collects the worker's futures: a step is handed before that, or not at all.
        self._handing = threading.Lock()
        if scorer.embedder is not None:  # first in the worker's queue: the question's rubric points
            executor.submit(prepare_rubric, question, scorer.embedder)
        # The voice's tracks, measured 10 s at a time in the worker while the answer grows.
        self.tracks = TrackBuilder()
        self._track_futures: list[Future[None]] = []
        self.max_rms_dbfs = -120.0  # loudest block: a muted microphone delivers exact zeros
        # Set when Ctrl-C (or SIGTERM/SIGHUP) ended the answer: what was said up to then.
        self.partial: AnswerOutcome | None = None

    def run(
        self,
        source: BlockSource,
        cut_time: float,
        stop_requested: Callable[[], bool] = lambda: False,
    ) -> AnswerOutcome:
        """Records until the endpointer, Enter, or Ctrl-C ends the answer. ``cut_time`` is when the
        question finished playing, on the source's clock: earlier audio is not part of the
        answer."""
        ended: AnswerEnded | None = None
        try:
            ended = self._capture(source, cut_time, stop_requested)
        except KeyboardInterrupt:
            ended = self._handle(self.listener.finish("interrupted"))
            decided = time.monotonic()
            ended = ended or AnswerEnded("interrupted", self.listener.duration_s)
            self.on_event(ev.AnswerEnded(ended.reason))
            # Keep what was said: finish the stretches already handed out, then re-raise.
            self.partial = self._conclude(ended, decided)
            raise
        decided = time.monotonic()
        self.on_event(ev.AnswerEnded(ended.reason))
        return self._conclude(ended, decided)

    def _capture(self, source: BlockSource, cut_time: float, stop_requested) -> AnswerEnded:
        last_block = time.monotonic()
        last_level = 0.0
        while True:
            block = source.read(timeout=0.2)
            now = time.monotonic()
            if block is None:
                if now - last_block > STALL_S:
                    raise DeviceError(
                        "the microphone stopped delivering audio: check it is plugged in"
                    )
                samples = None
            else:
                last_block = now
                samples = _after(block, cut_time)
            if samples is not None and len(samples):
                self.wav.append(samples)
                self.max_rms_dbfs = max(self.max_rms_dbfs, _dbfs(samples))
                if ended := self._handle(self.listener.feed(samples)):
                    return ended
                self._decode_ahead()
                self._measure_ahead()
                if self.on_level and now - last_level >= LEVEL_EVERY_S:
                    last_level = now
                    self.on_level(self._level(samples))
            if stop_requested() and (ended := self._handle(self.listener.finish("enter"))):
                return ended

    def _level(self, samples: np.ndarray) -> LevelStatus:
        rms = float(np.sqrt(np.mean(np.square(samples)))) if len(samples) else 0.0
        ep = self.listener.endpointer
        speaking = bool(self.listener.probs and self.listener.probs[-1] >= 0.5)
        return LevelStatus(
            20 * np.log10(max(rms, 1e-6)),
            self.listener.duration_s,
            speaking,
            ep.speech_start is not None,
        )

    def _handle(self, events: list[Event]) -> AnswerEnded | None:
        ended = None
        for e in events:
            if isinstance(e, SpeechStarted):
                self.on_event(ev.SpeechStarted(e.t))
            elif isinstance(e, AnswerClosing):
                self.on_event(ev.AnswerClosing(e.ends_at))
            elif isinstance(e, AnswerResumed):
                self.on_event(ev.AnswerResumed())
            elif isinstance(e, StretchClosed):
                # Cut now, in the capture thread: the listener's audio keeps growing.
                stretch = self._last_closed = self.listener.stretch_input(e.span)
                self._closed.append(stretch)
                self._futures.append(self.executor.submit(self._decode, stretch))
            elif isinstance(e, AnswerEnded):
                ended = e
        return ended

    def _measure_ahead(self) -> None:
        """Hands the worker the next 10 s of the voice to measure, once it is recorded."""
        if self.listener.duration_s < self.tracks.handed_s + TrackBuilder.CHUNK_S + 1.0:
            return  # cheap test first: ``listener.audio`` joins the blocks
        if (chunk := self.tracks.next_chunk(self.listener.audio)) is not None:
            self._track_futures.append(self.executor.submit(self.tracks.add, *chunk))

    def _decode_ahead(self) -> None:
        """Once the open stretch has fallen silent (``TENTATIVE_AFTER_S``), hands the worker the
        stretch Enter would close now, if the worker is idle (one decode ahead at a time, never a
        queue of them): then Enter, or the phrase gap, finds its window decoded."""
        pending = self.listener.endpointer.pending_stretch()
        if pending is None:
            self._tentative = None  # speech resumed (or the stretch closed): drop it
            return
        if self._tentative is not None and self._tentative.span == pending:
            return
        own_thread = self._ahead is not None and (not self._ahead_if_spare or core_to_spare())
        if own_thread:
            if self._ahead_future is not None and not self._ahead_future.done():
                return  # one decode ahead at a time
        # One worker runs the futures in order: the last one done means the worker is idle (this
        # runs on every block, so it does not walk the whole answer's futures).
        elif self._futures and not self._futures[-1].done():
            return
        if (stretch := self.listener.tentative_input()) is None:
            return
        self._tentative = stretch
        if not own_thread:
            self._futures.append(self.executor.submit(self._decode_tentative, stretch))
        else:
            inputs = [*self._closed, stretch]
            self._ahead_future = self._ahead.submit(self._decode_window_ahead, stretch, inputs)

    def _wanted(self, stretch: StretchInput) -> bool:
        """Not once speech resumed, nor once the answer has ended or the phrase gap closed the
        stretch (the stretch that closed is next in the worker's queue: ``_decode`` goes on from
        the work done so far)."""
        return self._tentative is stretch and not self.listener.endpointer.ended

    def _decode_window_ahead(self, stretch: StretchInput, inputs: list[StretchInput]) -> None:
        """In the ahead thread: the window decoded, then its stretches handed to the worker to
        finish (one thread finishes stretches; the worker waits for a window decoded here rather
        than decoding it again)."""
        if not self._wanted(stretch):
            return
        self.stretches.decode_ahead(inputs)
        with self._handing:
            if self._wanted(stretch):
                self._futures.append(self.executor.submit(self._decode_tentative, stretch))

    def _decode_tentative(self, stretch: StretchInput) -> None:
        if self._wanted(stretch):
            wanted = functools.partial(self._wanted, stretch)
            self._warm_analysis(self.stretches.decode_tentative(stretch, wanted))

    def caught_up(self) -> None:
        """Waits until the ahead thread and the worker have done everything handed to them (for
        tests that press Enter once the work is done)."""
        if self._ahead_future is not None:
            self._ahead_future.result()
        with self._handing:
            futures = list(self._futures)
        for f in futures:
            f.result()

    def _warm_analysis(self, results: list[StretchResult]) -> None:
        """Analyses the answer so far and drops the result: the sentence model remembers each
        sentence it embedded, so the analysis after the answer ends embeds only sentences that
        changed since (on a 120 s answer, 0.2 s of its 0.3 s after a silence ending)."""
        if not results or self.listener.endpointer.ended:
            return  # after the end, the analysis itself follows
        rec = Recognition(self.listener.duration_s, list(self.listener.endpointer.speech), results)
        if rec.words:
            self.scorer.analyze(rec, self.question)

    def _decode(self, stretch: StretchInput) -> StretchResult | None:
        """The stretch's words as its window now reads them (None when a later stretch is
        already queued)."""
        self.stretches.add(stretch)
        if stretch is not self._last_closed:
            # The worker is behind and a later stretch is queued: its decode of the window
            # supersedes this one's (the window only grows), so this one would be decoded and
            # its stretches finished for nothing, putting the worker further behind. (On real
            # speech, lost-speech decodes put the worker seconds behind; these decodes were then
            # most of the time after the decision.) The windows already full are decoded.
            self.stretches.decode_full()
            return None
        results = self.stretches.decode_open()
        self._warm_analysis(results)
        return results[-1] if results else None

    def _conclude(self, ended: AnswerEnded, decided: float) -> AnswerOutcome:
        if self._ahead is not None:
            # A decode ahead still running is of a stretch that did not end the answer (else
            # ``results`` waits for it): its thread goes when it is done.
            self._ahead.shutdown(wait=False)
        with self._handing:
            futures = self._futures + self._track_futures
        for f in futures:
            f.result()  # the worker is done with ``stretches`` (and its errors surface here)
        rec = conclude(self.listener, self.processor, self.stretches.results())
        analysis = None
        if rec.words:
            tracks = self.tracks.finish(self.listener.audio)  # only the last seconds are left
            analysis = self.scorer.analyze(rec, self.question, tracks=tracks)
        latency = time.monotonic() - decided
        return AnswerOutcome(ended.reason, analysis, rec, latency, self.listener.duration_s)


def _dbfs(samples: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(samples)))) if len(samples) else 0.0
    return 20 * float(np.log10(max(rms, 1e-6)))


def _after(block: CapturedBlock, cut_time: float) -> np.ndarray | None:
    """The part of a block captured at or after ``cut_time`` (None if all of it is earlier)."""
    n = len(block.samples)
    end = block.adc_time + n / SAMPLE_RATE
    if end <= cut_time:
        return None
    if block.adc_time >= cut_time:
        return block.samples
    return block.samples[int(round((cut_time - block.adc_time) * SAMPLE_RATE)) :]


class AnnouncingExecutor:
    """An executor wrapper: each transcribed stretch is announced when done (the growing
    transcript)."""

    def __init__(self, executor: ThreadPoolExecutor, on_done: Callable[[Future], None]) -> None:
        self._executor = executor
        self._on_done = on_done

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut = self._executor.submit(fn, *args, **kwargs)
        fut.add_done_callback(self._on_done)
        return fut
