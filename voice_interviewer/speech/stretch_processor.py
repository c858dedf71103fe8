"""Finishing one stretch of speech after its window's decode: its words checked and snapped to
voice activity, the speech left without words decoded again on its own (``lost_speech``), the
filled pauses Whisper left out found (``filled_pauses``), and its short breaks.

``StretchProcessor`` keeps what the next stretch needs (the words so far, the prompts) and the
lost-speech decodes it made, remembered by what they were made from; ``recognize.PackedStretches``
calls it stretch by stretch in order, for a whole file and for a live answer alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from voice_interviewer.speech.align import align_transcript
from voice_interviewer.speech.breaks import level_dips, quiet_breaks
from voice_interviewer.speech.filled_pauses import (
    RepeatLabeler,
    detect_filled_pauses,
    without_overlaps,
)
from voice_interviewer.speech.lost_speech import REDECODE_S, UNCLEAR_S, LostSpeech
from voice_interviewer.speech.packing import PAD_S
from voice_interviewer.speech.timeline import SAMPLE_RATE, Filler, Span, Word
from voice_interviewer.speech.whisper import Transcriber

PROMPT_TAIL_CHARS = 200
# Whisper writes in the style of its prompt: the windows' decodes open theirs with filled pauses,
# and Whisper then writes more of the ones it hears. Taken out once because noisy espeak clips lost
# words (that was a skipped stretch, now decoded again: ``lost_speech``); real speakers' filled
# pauses found fell from 16 of 20 to 7 without it. Back: 9 -> 19 of 20 on the five speakers of
# shared/audio/speakers, 17 -> 18 of 18 on the one of real/ (benchmarks/results/real_speakers.md).
VERBATIM_PREFIX = "Um, uh, hmm."


@dataclass(frozen=True)
class StretchResult:
    span: Span
    words: list[Word]  # snapped to voice activity, in recording time
    fillers: list[Filler]  # filled pauses found acoustically
    breaks: list[Span] = field(default_factory=list)  # short silences inside speech spans
    unclear: list[Span] = field(default_factory=list)  # speech left without words (``lost_speech``)
    fallback_decodes: int = 0  # lost-speech decodes made for it


class StretchProcessor:
    """Finishes stretches in order; keeps the previous text as context for the next decode."""

    def __init__(
        self,
        transcriber: Transcriber,
        context: str = "",
        filler_pass: bool = True,
        fillers_under_words: bool = False,
    ) -> None:
        self.transcriber = transcriber
        self.under_words = fillers_under_words  # see ``ScoreOptions``
        self.labeler = RepeatLabeler(transcriber)  # the filler pass's; remembers repeated batches
        self.context = context.strip()  # e.g. the question text
        self.filler_pass = filler_pass
        self.filler_s = 0.0  # time spent in the filler pass, reported by the benchmark
        # The words of the stretches finished so far: the tail of the prompt for the decodes of
        # lost speech. ``PackedStretches`` sets it when it finishes a stretch again.
        self.previous_text = ""
        # Lost-speech decodes by what they were made from (the piece, where its clip starts, the
        # prompt): live, a stretch of the open window is finished again each time the window
        # grows, mostly with the same pieces left without words (real 60 s answer: 21 s behind).
        self._alone: dict[tuple, list[Word]] = {}

    def prompt(self) -> str | None:
        """The plain prompt (lost speech's decodes): the question and the words so far."""
        parts = [self.context, self.previous_text[-PROMPT_TAIL_CHARS:]]
        return " ".join(p for p in parts if p) or None

    def window_prompt(self) -> str:
        """The packed windows' prompt: ``VERBATIM_PREFIX``, then the question."""
        return " ".join(p for p in (VERBATIM_PREFIX, self.context) if p)

    def finish(
        self, span: Span, clip: np.ndarray, clip_start: float, speech: list[Span], raw: list[Word]
    ) -> StretchResult:
        """Everything after the decode: the stretch's words (``raw``, in recording time) checked,
        snapped to speech and completed, its filled pauses and breaks."""
        if not plausible_rate(raw, speech):
            # A repetition loop ("uh uh uh ..." 222 times: base on real/uhuh.wav), led on by the
            # verbatim opening of the prompt: the stretch is speech without words, decoded again
            # on its own with the plain prompt by the lost-speech net below.
            raw = []
        # Content words snapped to speech; the filled pauses Whisper wrote, placed in the voice (one
        # sound each: the voice is cut into sounds at its level dips).
        dips = level_dips(clip, speech, clip_start)
        words, fillers = align_transcript(raw, speech, dips)
        net = LostSpeech(speech, dips, partial(self._decode_alone, clip, clip_start))
        words, fillers = net.recover(words, fillers, REDECODE_S)
        if self.filler_pass and words:
            t0 = time.perf_counter()
            shifted = [
                Word(w.text, w.start - clip_start, w.end - clip_start)
                for w in [*words, *(Word(f.text, f.start, f.end) for f in fillers)]
            ]
            local = [Span(s.start - clip_start, s.end - clip_start) for s in speech]
            local_dips = [Span(d.start - clip_start, d.end - clip_start) for d in dips]
            found = detect_filled_pauses(
                clip, local, shifted, self.labeler, self.under_words, local_dips
            )
            heard = [
                Filler(f.text, round(f.start + clip_start, 3), round(f.end + clip_start, 3), f.kind)
                for f in found
            ]
            fillers = sorted(fillers + without_overlaps(heard, fillers), key=lambda f: f.start)
            self.filler_s += time.perf_counter() - t0
        words, fillers = net.recover(words, fillers, UNCLEAR_S)
        self.follow(words)
        return StretchResult(
            span,
            words,
            fillers,
            quiet_breaks(clip, speech, clip_start),
            net.unclear(words, fillers),
            net.decodes,
        )

    def follow(self, words: list[Word]) -> None:
        """A stretch's words join ``previous_text`` (finished now, or earlier from the same
        words)."""
        if words:
            self.previous_text = f"{self.previous_text} {' '.join(w.text for w in words)}".strip()

    def _decode_alone(self, clip: np.ndarray, clip_start: float, piece: Span) -> list[Word]:
        """The lost-speech decode of ``piece`` (in recording time) of a stretch's clip: its own
        window with ``PAD_S`` around it, the plain prompt, one beam search; [] unless plausible
        for its voice. When that hears nothing, a second or more of speech gets Whisper's own
        decode with its temperature fallback (quieter crosstalk it doubts at first: ami_meo015's
        first 3.4 s). Only then: on a hard 1 s clip that fallback took 7 s."""
        a = max(0, int((piece.start - PAD_S - clip_start) * SAMPLE_RATE))
        b = min(len(clip), int((piece.end + PAD_S - clip_start) * SAMPLE_RATE))
        offset = clip_start + a / SAMPLE_RATE
        prompt = self.prompt()
        key = (piece, clip_start, a, b, prompt)  # the recording never changes under a key
        if key not in self._alone:
            (heard,) = self.transcriber.transcribe_windows([clip[a:b]], prompt=prompt)
            if not (heard and plausible_rate(heard, [piece])) and piece.duration >= REDECODE_S:
                heard = self.transcriber.transcribe(clip[a:b], prompt=prompt)
            words = [
                Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
                for w in heard
            ]
            self._alone[key] = words if plausible_rate(words, [piece]) else []
        return self._alone[key]


# Nobody articulates more than ~7 words per second of voiced time; Whisper's inventions on laughter
# or a cough ("Thank you very much." over 0.2 s of voice activity) do.
MAX_WORDS_PER_SPEECH_S = 8.0


def plausible_rate(words: list[Word], speech: list[Span]) -> bool:
    voiced = sum(s.duration for s in speech)
    return len(words) <= max(1.0, voiced * MAX_WORDS_PER_SPEECH_S)
