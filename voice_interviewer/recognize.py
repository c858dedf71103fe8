"""Stretch-by-stretch recognition: the same path for a whole file and for a live microphone.

The endpointer closes a stretch of speech at each phrase gap; each stretch is transcribed on its
own (padded a little, prompted with the question and the previous stretch so the domain words come
out right) and its words are shifted to recording time. A live session does this in a worker
thread while the candidate is still talking, so only the last stretch is left at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .endpointing import Endpointer, EndpointParams, StretchClosed
from .timeline import Span, Word
from .transcribe import Transcriber
from .vad import FRAME_SAMPLES, SileroModel, speech_spans

SAMPLE_RATE = 16000
PAD_S = 0.2  # context on each side of a stretch; stretches are >= 0.6 s apart
PROMPT_TAIL_CHARS = 200


@dataclass
class Recognition:
    """What the recognizer found in one recording."""

    probs: np.ndarray  # per 32 ms frame speech probability
    speech: list[Span]  # fine-grained speech spans (pauses are the gaps between them)
    stretches: list[Span]  # what was transcribed, one decode each
    words: list[Word] = field(default_factory=list)  # raw Whisper words in recording time


class StretchTranscriber:
    """Transcribes stretches of a (possibly still growing) recording, in order."""

    def __init__(self, transcriber: Transcriber, context: str = "") -> None:
        self.transcriber = transcriber
        self.context = context.strip()  # e.g. the question text
        self.words: list[Word] = []
        self._previous_text = ""

    def prompt(self) -> str | None:
        parts = [self.context, self._previous_text[-PROMPT_TAIL_CHARS:]]
        text = " ".join(p for p in parts if p)
        return text or None

    def transcribe(self, audio: np.ndarray, span: Span, floor: float = 0.0) -> list[Word]:
        """``audio`` is the recording from time 0; ``floor`` keeps padding off earlier stretches."""
        start = max(floor, span.start - PAD_S, 0.0)
        end = min(span.end + PAD_S, len(audio) / SAMPLE_RATE)
        clip = audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        words = [
            Word(w.text, round(w.start + start, 3), round(w.end + start, 3), w.probability)
            for w in self.transcriber.transcribe(clip, prompt=self.prompt())
        ]
        # Whisper may place an edge word slightly outside the clip's speech; keep it in the stretch.
        words = [Word(w.text, max(w.start, start), min(w.end, end), w.probability) for w in words]
        if words:
            self._previous_text = (
                self._previous_text + " " + " ".join(w.text for w in words)
            ).strip()
        self.words.extend(words)
        return words


def recognize_recording(
    audio: np.ndarray,
    vad: SileroModel,
    transcriber: Transcriber,
    context: str = "",
    params: EndpointParams = EndpointParams(),
) -> Recognition:
    """A whole recording through the same endpointing a live session uses."""
    stream = vad.stream()
    endpointer = Endpointer(params)
    probs_parts: list[np.ndarray] = []
    stretches: list[Span] = []
    for i in range(0, len(audio), FRAME_SAMPLES * 32):
        probs = stream.feed(audio[i : i + FRAME_SAMPLES * 32])
        probs_parts.append(probs)
        stretches += [e.span for e in endpointer.push(probs) if isinstance(e, StretchClosed)]
    tail = stream.flush()
    probs_parts.append(tail)
    stretches += [e.span for e in endpointer.push(tail) if isinstance(e, StretchClosed)]
    stretches += [e.span for e in endpointer.finish("eof") if isinstance(e, StretchClosed)]
    probs = np.concatenate(probs_parts) if probs_parts else np.zeros(0, np.float32)
    st = StretchTranscriber(transcriber, context)
    floor = 0.0
    for span in stretches:
        st.transcribe(audio, span, floor)
        floor = span.end
    return Recognition(probs, speech_spans(probs, params.vad), stretches, st.words)
