"""Stretch-by-stretch recognition: the same path for a whole file and for a live microphone.

``AnswerListener`` takes audio blocks, runs voice activity and endpointing, and keeps the audio.
Each time the endpointer closes a stretch of speech (a phrase gap), ``StretchProcessor`` transcribes
that stretch on its own (padded a little, prompted with the question and the previous stretch so the
domain words come out right), snaps its words to voice activity and looks for the filled pauses
Whisper left out. ``practice`` runs the processor in a worker thread while the candidate is still
talking, so only the last stretch is left when the answer ends. ``score`` has the whole recording
at once: ``recognize_file`` cuts the same stretches, packs their clips into shared windows decoded
as one batch (``packing``), then runs every later stage stretch by stretch as the live path does.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from voice_interviewer.speech.align import align_transcript
from voice_interviewer.speech.breaks import quiet_breaks
from voice_interviewer.speech.endpointing import (
    Endpointer,
    EndpointParams,
    EndReason,
    Event,
    StretchClosed,
)
from voice_interviewer.speech.filled_pauses import (
    detect_filled_pauses,
    uncovered_speech,
    without_overlaps,
)
from voice_interviewer.speech.held_voice import detect_held_fillers
from voice_interviewer.speech.packing import pack, unpack_words, window_audio
from voice_interviewer.speech.timeline import SAMPLE_RATE, Filler, Span, Word
from voice_interviewer.speech.vad import SileroModel
from voice_interviewer.speech.whisper import Transcriber

PAD_S = 0.2  # context on each side of a stretch; stretches are >= 0.6 s apart
PROMPT_TAIL_CHARS = 200
LOST_SPEECH_S = 1.0  # uncovered speech this long is words Whisper dropped, not a filled pause


@dataclass(frozen=True)
class StretchResult:
    span: Span
    words: list[Word]  # snapped to voice activity, in recording time
    fillers: list[Filler]  # filled pauses found acoustically
    breaks: list[Span] = field(default_factory=list)  # short silences inside speech spans


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


class AnswerListener:
    """Voice activity + endpointing over a growing recording; holds the audio. No threads, no I/O."""

    def __init__(self, vad: SileroModel, params: EndpointParams = EndpointParams()) -> None:
        self._vad = vad.stream()
        self.endpointer = Endpointer(params)
        self._blocks: list[np.ndarray] = []
        self._audio: np.ndarray | None = None
        self.samples = 0
        self.probs: list[float] = []

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

    def stretch_input(self, span: Span, floor: float = 0.0) -> tuple[np.ndarray, float, list[Span]]:
        """(padded clip, its start time, the speech spans inside ``span``) for the processor."""
        start = max(floor, span.start - PAD_S, 0.0)
        end = min(span.end + PAD_S, self.duration_s)
        clip = self.audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)].copy()
        speech = [
            s
            for s in self.endpointer.speech
            if s.start >= span.start - 1e-6 and s.end <= span.end + 1e-6
        ]
        return clip, start, speech


class StretchProcessor:
    """Transcribes stretches in order; keeps the previous text as context for the next."""

    def __init__(
        self, transcriber: Transcriber, context: str = "", filler_pass: bool = True
    ) -> None:
        self.transcriber = transcriber
        self.context = context.strip()  # e.g. the question text
        self.filler_pass = filler_pass
        self.filler_s = 0.0  # time spent in the filler pass, reported by the benchmark
        self._previous_text = ""

    def prompt(self) -> str | None:
        parts = [self.context, self._previous_text[-PROMPT_TAIL_CHARS:]]
        return " ".join(p for p in parts if p) or None

    def process(
        self, span: Span, clip: np.ndarray, clip_start: float, speech: list[Span]
    ) -> StretchResult:
        """Decodes the stretch on its own (the live path: one stretch at a time), then ``finish``."""
        clip_end = clip_start + len(clip) / SAMPLE_RATE
        raw = [
            Word(w.text, round(max(w.start + clip_start, clip_start), 3),
                 round(min(w.end + clip_start, clip_end), 3), w.probability)
            for w in self.transcriber.transcribe(clip, prompt=self.prompt())
        ]  # fmt: skip
        return self.finish(span, clip, clip_start, speech, raw)

    def finish(
        self, span: Span, clip: np.ndarray, clip_start: float, speech: list[Span], raw: list[Word]
    ) -> StretchResult:
        """Everything after the decode: the stretch's words (``raw``, in recording time) checked,
        snapped to speech and completed, its filled pauses and breaks."""
        if not plausible_rate(raw, speech):
            # A repetition loop ("uh uh uh ..." 222 times: base on real/uhuh.wav), from the
            # batched decode (no temperature fallback) or led on by the prompt: decoded again
            # alone and unprompted, with Whisper's fallback, before the stretch is given up.
            raw = [
                Word(
                    w.text,
                    round(w.start + clip_start, 3),
                    round(w.end + clip_start, 3),
                    w.probability,
                )
                for w in self.transcriber.transcribe(clip)
            ]
            if not plausible_rate(raw, speech):
                raw = []
        # Content words snapped to speech; the filled pauses Whisper wrote, placed in the voice.
        words, fillers = align_transcript(raw, speech)
        words, fillers = self._recover_lost_speech(words, fillers, speech, clip, clip_start)
        if self.filler_pass and words:
            t0 = time.perf_counter()
            local = [Span(s.start - clip_start, s.end - clip_start) for s in speech]
            shifted = [
                Word(w.text, w.start - clip_start, w.end - clip_start)
                for w in [*words, *(Word(f.text, f.start, f.end) for f in fillers)]
            ]
            heard = [
                Filler(f.text, round(f.start + clip_start, 3), round(f.end + clip_start, 3), f.kind)
                for f in detect_filled_pauses(clip, local, shifted, self.transcriber)
            ]
            fillers = sorted(fillers + without_overlaps(heard, fillers), key=lambda f: f.start)
            self.filler_s += time.perf_counter() - t0
        if words:
            self._previous_text = f"{self._previous_text} {' '.join(w.text for w in words)}".strip()
        return StretchResult(span, words, fillers, quiet_breaks(clip, speech, clip_start))

    def _recover_lost_speech(
        self,
        words: list[Word],
        fillers: list[Filler],
        speech: list[Span],
        clip: np.ndarray,
        clip_start: float,
    ) -> tuple[list[Word], list[Filler]]:
        """Decodes again any second or more of speech no word covers: Whisper sometimes stops a
        segment early and drops the phrase after a pause (base, fixture a03: 3 s of speech)."""
        covered = [*words, *(Word(f.text, f.start, f.end) for f in fillers)]
        lost = [c for c in uncovered_speech(speech, covered, LOST_SPEECH_S) if words]
        for c in lost:
            a = max(0, int((c.start - PAD_S - clip_start) * SAMPLE_RATE))
            b = min(len(clip), int((c.end + PAD_S - clip_start) * SAMPLE_RATE))
            offset = clip_start + a / SAMPLE_RATE
            extra = [
                Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
                for w in self.transcriber.transcribe(clip[a:b], prompt=self.prompt())
            ]
            inside = [s for s in speech if s.end > c.start and s.start < c.end]
            if extra and plausible_rate(extra, inside):
                more_words, more_fillers = align_transcript(extra, inside)
                words = sorted(words + more_words, key=lambda w: w.start)
                fillers = sorted(fillers + more_fillers, key=lambda f: f.start)
        return words, fillers


# Nobody articulates more than ~7 words per second of voiced time; Whisper's inventions on laughter
# or a cough ("Thank you very much." over 0.2 s of voice activity) do.
MAX_WORDS_PER_SPEECH_S = 8.0


def plausible_rate(words: list[Word], speech: list[Span]) -> bool:
    voiced = sum(s.duration for s in speech)
    return len(words) <= max(1.0, voiced * MAX_WORDS_PER_SPEECH_S)


def recognize_file(
    blocks: Iterable[np.ndarray],
    vad: SileroModel,
    processor: StretchProcessor,
    params: EndpointParams = EndpointParams(),
) -> Recognition:
    """A whole recording known in advance: the stretches a live session would cut, their clips
    packed into shared windows and decoded as one batch (see ``packing``); every later stage
    (checks, snapping, lost speech, filled pauses, breaks) is the live one, stretch by stretch."""
    listener = AnswerListener(vad, params)
    inputs: list[tuple[Span, np.ndarray, float, list[Span]]] = []
    floor = 0.0

    def collect(events: list[Event]) -> None:
        nonlocal floor
        for e in events:
            if isinstance(e, StretchClosed):
                inputs.append((e.span, *listener.stretch_input(e.span, floor)))
                floor = e.span.end

    for block in blocks:
        collect(listener.feed(block))
    collect(listener.finish("eof"))
    clips = [clip for _, clip, _, _ in inputs]
    windows = pack(clips, [start for _, _, start, _ in inputs])
    decoded = (
        processor.transcriber.transcribe_windows(
            [window_audio(w, clips) for w in windows], prompt=processor.prompt()
        )
        if windows  # silence: nothing to decode
        else []
    )
    raw: dict[int, list[Word]] = {}
    for window, words in zip(windows, decoded, strict=True):
        raw.update(unpack_words(window, words))
    results = [
        processor.finish(span, clip, start, speech, raw.get(i, []))
        for i, (span, clip, start, speech) in enumerate(inputs)
    ]
    return conclude(listener, processor, results)


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
