"""Filled pauses, words and unwritten speech on recordings of real people, per speaker: the
pipeline and plain faster-whisper as recognizers of a clip, and the tally of what they heard.

Shared by ``benchmarks.real`` (the per-speaker table) and the real-speech guards in
``tests/models`` (per-speaker floors, nothing lost silently), so neither imports the other.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial

import numpy as np

from evaluation.real_clips import RealClip, split_heard
from evaluation.truth import SHARED_CLIP_QUESTION, edit_distance


@dataclass(frozen=True)
class Heard:
    """What one recognizer made of one clip: its words in order (filled pauses included)."""

    words: tuple[str, ...]
    seconds: float  # compute time
    unwritten_s: tuple[float, float] = (0.0, 0.0)  # speech without words: pieces >= 1 s, >= 0.5 s
    fallbacks: int = 0  # the pipeline's fallback decodes
    unclear: int = 0  # pieces of speech the pipeline reported as unclear
    unclear_s: float = 0.0  # and their seconds


@dataclass
class Tally:
    """Pooled numbers of one recognizer over a group of clips."""

    found: int = 0
    true: int = 0
    reported: int = 0
    false_on_negatives: int = 0
    negatives: int = 0
    errors: int = 0
    ref_words: int = 0
    seconds: float = 0.0
    audio_s: float = 0.0
    unwritten_1s: float = 0.0
    unwritten_05s: float = 0.0
    fallbacks: int = 0
    unclear: int = 0
    unclear_s: float = 0.0
    rows: list[tuple[str, int, int, str]] = field(default_factory=list)  # name, fp, true, text

    def add(self, clip: RealClip, heard: Heard, audio_s: float) -> None:
        n_filled, content = split_heard(heard.words, clip.backchannels)
        self.found += min(n_filled, clip.filled)
        self.true += clip.filled
        self.reported += n_filled
        if clip.filled == 0:
            self.negatives += 1
            self.false_on_negatives += n_filled
        if clip.content is not None:
            self.errors += edit_distance(list(clip.content), content)
            self.ref_words += len(clip.content)
        self.seconds += heard.seconds
        self.audio_s += audio_s
        self.unwritten_1s += heard.unwritten_s[0]
        self.unwritten_05s += heard.unwritten_s[1]
        self.fallbacks += heard.fallbacks
        self.unclear += heard.unclear
        self.unclear_s += heard.unclear_s
        self.rows.append((clip.name, n_filled, clip.filled, " ".join(heard.words)))

    def merged(self, other: Tally) -> Tally:
        out = Tally()
        for name in Tally.__dataclass_fields__:
            a, b = getattr(self, name), getattr(other, name)
            setattr(out, name, a + b)
        return out

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.reported if self.reported else 1.0

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else 0.0


# ---- the recognizers ----------------------------------------------------------------------------
@cache
def _vad():
    from voice_interviewer.speech.vad import SileroModel

    return SileroModel()


def _speech_spans(audio: np.ndarray):
    """Voice activity as the pipeline's listener finds it (the yardstick for unwritten speech)."""
    from voice_interviewer.speech.recognize import AnswerListener

    listener = AnswerListener(_vad())
    for i in range(0, len(audio), 16000):
        listener.feed(audio[i : i + 16000])
    listener.finish("eof")
    return list(listener.endpointer.speech)


def unwritten_speech(
    audio: np.ndarray, spans: Sequence[tuple[float, float]]
) -> tuple[float, float]:
    """Seconds of voice activity no word or filler covers, in pieces of >= 1 s and >= 0.5 s."""
    from voice_interviewer.speech.filled_pauses import uncovered_speech
    from voice_interviewer.speech.timeline import Word

    speech = _speech_spans(audio)
    covered = [Word("w", a, b) for a, b in spans]
    return tuple(  # type: ignore[return-value]
        round(sum(s.duration for s in uncovered_speech(speech, covered, m)), 2) for m in (1.0, 0.5)
    )


def pipeline_recognizer(
    model: str, fillers_under_words: bool = False
) -> Callable[[np.ndarray], Heard]:
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    scorer = Scorer(
        WhisperTranscriber(resolve_model(model)),
        options=ScoreOptions(semantic_rubric=False, fillers_under_words=fillers_under_words),
    )
    question = resolve_bank(None).question(SHARED_CLIP_QUESTION)

    def run(audio: np.ndarray) -> Heard:
        t0 = time.perf_counter()
        analysis = scorer.score(audio, question)
        seconds = time.perf_counter() - t0
        rec = getattr(scorer, "last_recognition", None)
        return Heard(
            tuple(w.text for w in analysis.words),
            seconds,
            unwritten_speech(audio, [(w.start, w.end) for w in analysis.words]),
            getattr(rec, "fallback_decodes", 0),
            len(analysis.unclear),
            round(sum(u.duration for u in analysis.unclear), 2),
        )

    return run


def plain_recognizer(model: str) -> Callable[[np.ndarray], Heard]:
    """faster-whisper as its README shows it: defaults, the whole clip, no VAD, no prompt."""
    from faster_whisper import WhisperModel

    from voice_interviewer.speech.models import resolve_model

    ref = resolve_model(model)
    fw = WhisperModel(ref.location, device="cpu", compute_type="int8", local_files_only=ref.local)

    def run(audio: np.ndarray) -> Heard:
        t0 = time.perf_counter()
        segments, _ = fw.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
        words = [w for s in segments for w in (s.words or []) if w.word.strip()]
        seconds = time.perf_counter() - t0
        return Heard(
            tuple(w.word.strip() for w in words),
            seconds,
            unwritten_speech(audio, [(w.start, w.end) for w in words]),
        )

    return run


RECOGNIZERS = {"pipeline": pipeline_recognizer, "plain faster-whisper": plain_recognizer}
UNDER_WORDS = "pipeline, fillers under words"  # ScoreOptions.fillers_under_words, opt-in


def measure(
    model: str, clips: Sequence[RealClip], log=print, under_words: bool = False
) -> dict[str, Tally]:
    """recognizer -> its tally over every clip."""
    by = measure_by_speaker(model, clips, log, under_words)
    return {label: _all(t, list(t)) for label, t in by.items()}


def measure_by_speaker(
    model: str,
    clips: Sequence[RealClip],
    log=print,
    under_words: bool = False,
    plain: bool = True,
) -> dict[str, dict[str, Tally]]:
    """recognizer -> speaker -> its tally."""
    from voice_interviewer.speech.decode import load_audio

    audios = {c.name: load_audio(c.path) for c in clips}
    out: dict[str, dict[str, Tally]] = {}
    recognizers = dict(RECOGNIZERS) if plain else {"pipeline": pipeline_recognizer}
    if under_words:
        recognizers[UNDER_WORDS] = partial(pipeline_recognizer, fillers_under_words=True)
    for label, make in recognizers.items():
        recognize = make(model)
        by_speaker: dict[str, Tally] = {}
        for c in clips:
            heard = recognize(audios[c.name])
            by_speaker.setdefault(c.speaker, Tally()).add(c, heard, len(audios[c.name]) / 16000)
            log(f"  [{model} {label}] {c.speaker} {c.name}: {' '.join(heard.words)!r}")
        out[label] = by_speaker
    return out


def _all(by_speaker: dict[str, Tally], speakers: Sequence[str]) -> Tally:
    total = Tally()
    for s in speakers:
        total = total.merged(by_speaker[s])
    return total
