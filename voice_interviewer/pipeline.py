"""The scoring pipeline, stage by stage: audio -> voice activity -> stretches -> words -> analysis.

    load_audio -> SileroModel (speech probabilities) -> Endpointer (stretches) -> Transcriber (words)
      -> snap_words_to_speech -> detect_filled_pauses -> analyze

``Scorer`` owns the loaded models so a session loads them once. A live session feeds the same
stages block by block (see ``live``); both end in ``Scorer.finish``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .align import snap_words_to_speech
from .analysis import Analysis, AnalysisParams, analyze
from .audio import SAMPLE_RATE, load_audio
from .bank import Question
from .errors import NoSpeechError
from .filled_pauses import detect_filled_pauses
from .recognize import Recognition, recognize_recording
from .timeline import Word
from .transcribe import Transcriber
from .vad import SileroModel


@dataclass(frozen=True)
class ScoreOptions:
    filler_pass: bool = True  # find the filled pauses Whisper leaves out
    prompt_with_question: bool = True  # bias decoding toward the question's vocabulary


def question_context(question: Question) -> str:
    """The decoding prompt: the question as the interviewer asked it."""
    return question.text


class Scorer:
    def __init__(
        self,
        transcriber: Transcriber,
        vad: SileroModel | None = None,
        options: ScoreOptions = ScoreOptions(),
        params: AnalysisParams = AnalysisParams(),
    ) -> None:
        self.transcriber = transcriber
        self.vad = vad or SileroModel()
        self.options = options
        self.params = params
        # Seconds spent per stage on the last answer, for the benchmark and --verbose output.
        self.last_timings: dict[str, float] = {}

    def score_file(self, path: str | Path, question: Question) -> Analysis:
        audio = load_audio(path)
        analysis = self.score(audio, question)
        if not analysis.answered:
            raise NoSpeechError(f"{path}: no speech (nothing was said, or only noise)")
        return analysis

    def score(self, audio: np.ndarray, question: Question) -> Analysis:
        context = question_context(question) if self.options.prompt_with_question else ""
        t0 = time.perf_counter()
        rec = recognize_recording(audio, self.vad, self.transcriber, context)
        self.last_timings = {"recognize_s": time.perf_counter() - t0}
        return self.finish(audio, rec, question)

    def finish(self, audio: np.ndarray, rec: Recognition, question: Question) -> Analysis:
        words: list[Word] = snap_words_to_speech(rec.words, rec.speech)
        fillers = []
        t0 = time.perf_counter()
        if self.options.filler_pass and words:
            fillers = detect_filled_pauses(audio, rec.speech, words, self.transcriber)
        self.last_timings["filler_pass_s"] = time.perf_counter() - t0
        return analyze(
            question,
            len(audio) / SAMPLE_RATE,
            words,
            rec.speech,
            fillers,
            self.params,
            model=getattr(self.transcriber, "name", ""),
        )
