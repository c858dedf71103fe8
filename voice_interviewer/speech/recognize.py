"""Stretch-by-stretch recognition: the same path, and the same words, for a whole file and for a
live microphone.

``AnswerListener`` takes audio blocks, runs voice activity and endpointing, and keeps the audio.
Each time the endpointer closes a stretch of speech (a phrase gap), its padded clip goes to
``PackedStretches``, which lays the clips end to end into shared windows (``packing``) decoded with
the question as the prompt; each window's words go back to their stretches, and
``StretchProcessor`` (``stretch_processor``) snaps them to voice activity and looks for the filled
pauses Whisper left out. ``score`` has the whole recording at once and decodes its windows one
after the other (``recognize_file``). ``practice`` decodes the window still being filled each time
a stretch closes, in a worker thread while the candidate is still talking: packing is greedy, so a
window once full never changes, and the last decode of each window is the one ``score`` makes. So
only the last window's stretches are left when the answer ends, and live and file give the same
words for the same audio. Once the open stretch has been followed by ``TENTATIVE_AFTER_S`` of
silence, the worker also decodes its window as it would be if the answer ended now
(``decode_tentative``): Enter pressed a moment after the last word then finds even the last window
decoded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from voice_interviewer.speech.endpointing import (
    Endpointer,
    EndpointParams,
    EndReason,
    Event,
    StretchClosed,
)
from voice_interviewer.speech.held_voice import detect_held_fillers
from voice_interviewer.speech.packing import PAD_S, Window, pack, unpack_words, window_audio
from voice_interviewer.speech.stretch_processor import (
    VERBATIM_PREFIX,
    StretchProcessor,
    StretchResult,
    plausible_rate,
)
from voice_interviewer.speech.timeline import SAMPLE_RATE, Filler, Span, Word
from voice_interviewer.speech.vad import SileroModel

# StretchProcessor and StretchResult live in ``stretch_processor``; named here too for the
# modules that import them from this one.
__all__ = [
    "PAD_S",
    "TENTATIVE_AFTER_S",
    "VERBATIM_PREFIX",
    "AnswerListener",
    "PackedStretches",
    "Recognition",
    "StretchInput",
    "StretchProcessor",
    "StretchResult",
    "conclude",
    "plausible_rate",
    "recognize_file",
]

# A live answer decodes its open stretch as if the answer ended now once this much silence follows
# it, so Enter finds the decode done. At least PAD_S: the clip then reaches its final end. Well
# under the 0.6 s phrase gap, so most of the decode is done by the time Enter is pressed. 0.3 ->
# 0.2 s (benchmarks.latency, tiny.en): Enter 0.5 s after the last word 1.27/0.67/1.48 ->
# 1.04/0.51/0.70 s on the 30 s, 120 s and real answers, for 6/26/25 window decodes instead of
# 5/17/23 while the candidate talks.
TENTATIVE_AFTER_S = 0.2


@dataclass(frozen=True)
class StretchInput:
    """A closed stretch and what its decode needs: the padded clip, where it starts, the speech
    spans inside it."""

    span: Span
    clip: np.ndarray
    clip_start: float
    speech: list[Span]


@dataclass
class Recognition:
    """Everything recognition found in one recording."""

    duration_s: float
    speech: list[Span]  # fine-grained speech spans (pauses are the gaps between them)
    stretches: list[StretchResult] = field(default_factory=list)
    held_fillers: list[Filler] = field(default_factory=list)  # hums outside every speech span

    @property
    def words(self) -> list[Word]:
        return [w for s in self.stretches for w in s.words]

    @property
    def fillers(self) -> list[Filler]:
        found = [f for s in self.stretches for f in s.fillers] + self.held_fillers
        return sorted(found, key=lambda f: f.start)

    @property
    def breaks(self) -> list[Span]:
        return [b for s in self.stretches for b in s.breaks]

    @property
    def unclear(self) -> list[Span]:
        return [u for s in self.stretches for u in s.unclear]

    @property
    def fallback_decodes(self) -> int:
        return sum(s.fallback_decodes for s in self.stretches)


class AnswerListener:
    """Voice activity + endpointing over a growing recording; holds the audio. No threads, no
    I/O."""

    def __init__(self, vad: SileroModel, params: EndpointParams = EndpointParams()) -> None:
        self._vad = vad.stream()
        self.endpointer = Endpointer(params)
        self._blocks: list[np.ndarray] = []
        self._audio: np.ndarray | None = None
        self.samples = 0
        self.probs: list[float] = []
        self._floor = 0.0  # where the last stretch cut ended

    def feed(self, samples: np.ndarray) -> list[Event]:
        samples = np.asarray(samples, dtype=np.float32).ravel()
        self._blocks.append(samples)
        self._audio = None
        self.samples += len(samples)
        probs = self._vad.feed(samples)
        self.probs.extend(probs.tolist())
        return self.endpointer.push(probs)

    def finish(self, reason: EndReason) -> list[Event]:
        return self.endpointer.finish(reason)

    @property
    def audio(self) -> np.ndarray:
        if self._audio is None:
            self._audio = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
            self._blocks = [self._audio]
        return self._audio

    @property
    def duration_s(self) -> float:
        return self.samples / SAMPLE_RATE

    def stretch_input(self, span: Span) -> StretchInput:
        """A stretch just closed, cut from the audio so far: its padded clip (from where the
        previous stretch ended at the earliest: clips never overlap), the speech spans inside."""
        cut = self._cut(span)
        self._floor = span.end
        return cut

    def tentative_input(self, after_s: float = TENTATIVE_AFTER_S) -> StretchInput | None:
        """The stretch ``finish`` would close now, cut as ``stretch_input`` would cut it, once
        ``after_s`` of silence follows it (None before, or while someone speaks). Nothing moves:
        if Enter comes next, with no speech between, the stretch it closes is this one."""
        span = self.endpointer.pending_stretch()
        if span is None or self.endpointer.t - span.end < after_s:
            return None
        return self._cut(span)

    def _cut(self, span: Span) -> StretchInput:
        start = max(self._floor, span.start - PAD_S, 0.0)
        end = min(span.end + PAD_S, self.duration_s)
        clip = self.audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)].copy()
        speech = [
            s
            for s in self.endpointer.speech
            if s.start >= span.start - 1e-6 and s.end <= span.end + 1e-6
        ]
        return StretchInput(span, clip, start, speech)


class PackedStretches:
    """The stretches of one answer packed into shared windows as they close, each window decoded
    on its own with the question as the only prompt (so its words never depend on another
    window's), and the words finished stretch by stretch in order.

    ``pack`` is greedy, so adding a stretch never changes a window before the last: the live path
    can decode the window still being filled after each stretch (``decode_open``), and when the
    next stretch overflows it, that decode was of the final window. It can also decode the window
    as it would be if the answer ended now (``decode_tentative``): decodes and finished stretches
    are remembered by what they were made from (the window's clips, the stretch's bounds and
    words), never by position alone, so a tentative stretch that later grows, or never comes,
    is decoded afresh and its words never reach ``results``. One worker thread adds, decodes and
    finishes (the capture thread waits for it before ``results``); only ``decode_ahead`` may run
    in a second thread: a window being decoded there is waited for, not decoded twice.
    """

    def __init__(self, processor: StretchProcessor) -> None:
        self.processor = processor
        self.prompt = processor.window_prompt()
        self.inputs: list[StretchInput] = []
        # Each window decoded (its pieces: which clips, from where, how long) -> each stretch's
        # words. The recording never changes, so equal pieces mean equal audio.
        self._decoded: dict[Window, dict[int, list[Word]]] = {}
        # Windows some thread is decoding now -> done when their words are in ``_decoded``.
        self._decoding: dict[Window, Future[None]] = {}
        self._lock = threading.Lock()  # guards ``_decoding`` (and the claim of a window)
        # (stretch, its bounds, its words) -> (its result, the lost-speech prompt it was made
        # with): a stretch is finished again only when one of these changed (the prompt only if
        # it was used).
        self._finished: dict[tuple, tuple[StretchResult, str | None]] = {}

    def add(self, stretch: StretchInput) -> None:
        self.inputs.append(stretch)

    def windows(self, inputs: list[StretchInput] | None = None) -> list[Window]:
        inputs = self.inputs if inputs is None else inputs
        return pack([i.clip for i in inputs], [i.clip_start for i in inputs])

    def decode(self, windows: list[Window], inputs: list[StretchInput] | None = None) -> None:
        """Decodes the windows not decoded yet, each on its own, up to ``transcriber.parallel``
        at once. One per call: in one batch, faster-whisper carries the last word's time from a
        window into the next one's word timing (its "first word after a pause" rule), so the same
        window would be timed one way in ``score`` and another live ("uh For" read as "For uh").
        Side by side on two 1-thread replicas, the 2-minute answer's five windows take 2.5 s
        wall instead of 4.0 s, for the same CPU and the same words."""
        clips = [i.clip for i in (self.inputs if inputs is None else inputs)]
        transcriber = self.processor.transcriber
        todo, elsewhere = self._claim(windows)

        def decode_one(w: Window) -> list[Word]:
            (words,) = transcriber.transcribe_windows([window_audio(w, clips)], prompt=self.prompt)
            return words

        try:
            if len(todo) > 1 and transcriber.parallel > 1:
                with ThreadPoolExecutor(min(transcriber.parallel, len(todo))) as pool:
                    decoded = list(pool.map(decode_one, todo))
            else:
                decoded = [decode_one(w) for w in todo]
            for w, words in zip(todo, decoded, strict=True):
                self._decoded[w] = unpack_words(w, words)
        finally:
            self._release(todo)
        for running in elsewhere:
            running.result()
        if elsewhere and (failed := [w for w in windows if w not in self._decoded]):
            self.decode(failed, inputs)  # the other thread's decode raised: its error is its own

    def decode_ahead(self, inputs: list[StretchInput]) -> None:
        """The last window of ``inputs`` decoded, nothing finished: the one step that may run in
        a second thread, beside the worker (``LiveAnswer``: the window Enter would close, decoded
        on the second core while the worker finishes earlier stretches). ``inputs`` are the
        stretches closed so far and the tentative one, as the capture thread saw them."""
        windows = self.windows(inputs)
        if windows:
            self.decode(windows[-1:], inputs)

    def _claim(self, windows: list[Window]) -> tuple[list[Window], list[Future[None]]]:
        """The windows still to decode that this thread now owns, and the decodes of the others
        under way in another thread (to wait for)."""
        todo, elsewhere = [], []
        with self._lock:
            for w in dict.fromkeys(windows):
                if w in self._decoded:
                    continue
                if (running := self._decoding.get(w)) is not None:
                    elsewhere.append(running)
                else:
                    self._decoding[w] = Future()
                    todo.append(w)
        return todo, elsewhere

    def _release(self, windows: list[Window]) -> None:
        with self._lock:
            done = [self._decoding.pop(w) for w in windows]
        for f in done:
            f.set_result(None)

    def decode_open(self) -> list[StretchResult]:
        """The live step after each stretch: decode the window still being filled and finish
        its stretches ahead (so the end of the answer finds them done unless its words change);
        every stretch's result so far, for the growing transcript."""
        windows = self.windows()
        if not windows:
            return []
        self.decode(windows[-1:])
        return self.results()

    def decode_full(self) -> None:
        """The live step when the worker is behind (a later stretch is queued): only the
        windows already full are decoded and their stretches finished, since they never change;
        the window still being filled is left to the later step (the answer's end otherwise
        finds every window of a long answer still to decode)."""
        windows = self.windows()
        full = sum(len(w.pieces) for w in windows[:-1])
        if full:
            self._results(self.inputs[:full])

    def decode_tentative(
        self, stretch: StretchInput, wanted: Callable[[], bool] = lambda: True
    ) -> list[StretchResult]:
        """The live step when the open stretch falls silent: its window decoded and its
        stretches finished as they would be if ``stretch`` closed the answer now, without adding
        it. If it does (``add`` of an equal stretch), ``results`` finds the work done; if speech
        resumes, the stretch that closes differs and none of this is used, so the work stops
        (empty result) at the first step after ``wanted`` turns False: a stretch's filler pass and
        lost-speech decodes can cost seconds on real speech, and the worker has real work next."""
        inputs = [*self.inputs, stretch]
        self.decode(self.windows(inputs)[-1:], inputs)
        return self._results(inputs, wanted)

    def results(self) -> list[StretchResult]:
        """Every stretch finished in order from its window's words (decoding what is missing)."""
        return self._results(self.inputs)

    def _results(
        self, inputs: list[StretchInput], wanted: Callable[[], bool] = lambda: True
    ) -> list[StretchResult]:
        windows = self.windows(inputs)
        self.decode(windows, inputs)
        raw: dict[int, list[Word]] = {}
        for w in windows:
            raw.update(self._decoded[w])
        proc = self.processor
        proc.previous_text = ""
        out = []
        for n, item in enumerate(inputs):
            words = raw.get(n, [])
            key = (n, item.span, item.clip_start, len(item.clip), tuple(words))
            prompt = proc.prompt()
            done = self._finished.get(key)
            # The words before a stretch reach its result only through the prompt of its
            # lost-speech decodes: if it made none, it stands whatever was said before (live, the
            # open window's earlier words change each time it grows; on a real 60 s answer most
            # stretches were finished again for that alone).
            if done is None or (done[0].fallback_decodes and done[1] != prompt):
                if not wanted():
                    return []
                result = proc.finish(item.span, item.clip, item.clip_start, item.speech, words)
                self._finished[key] = (result, prompt)
            else:
                result = done[0]
                proc.follow(result.words)
            out.append(result)
        return out


def recognize_file(
    blocks: Iterable[np.ndarray],
    vad: SileroModel,
    processor: StretchProcessor,
    params: EndpointParams = EndpointParams(),
) -> Recognition:
    """A whole recording known in advance: the stretches a live session would cut, packed and
    decoded as a live session's last decode of each window is."""
    listener = AnswerListener(vad, params)
    stretches = PackedStretches(processor)

    def collect(events: list[Event]) -> None:
        for e in events:
            if isinstance(e, StretchClosed):
                stretches.add(listener.stretch_input(e.span))

    for block in blocks:
        collect(listener.feed(block))
    collect(listener.finish("eof"))
    return conclude(listener, processor, stretches.results())


def conclude(
    listener: AnswerListener, processor: StretchProcessor, results: list[StretchResult]
) -> Recognition:
    """The recognition of a finished answer: the stretches, and the hums between them that voice
    activity did not call speech (``held_voice``), looked for in the whole recording."""
    rec = Recognition(listener.duration_s, list(listener.endpointer.speech), results)
    if processor.filler_pass and rec.words:
        t0 = time.perf_counter()
        covered = [Span(x.start, x.end) for x in [*rec.words, *rec.fillers]]
        rec.held_fillers = detect_held_fillers(
            listener.audio, rec.speech, covered, processor.transcriber
        )
        processor.filler_s += time.perf_counter() - t0
    return rec
