"""The scoring pipeline, stage by stage: audio -> voice activity -> stretches -> words -> analysis.

    load_audio -> AnswerListener (Silero VAD + Endpointer: speech spans, stretches)
      -> stretches packed into shared windows, decoded as one batch (recognize_file)
      -> StretchProcessor (words snapped to speech; filled pauses Whisper left out)
      -> analyze (timing, pace, pauses, fillers, rubric, verdicts)

``Scorer`` owns the loaded models so a session loads them once. A live session feeds the same
stages block by block (see ``live``); both end in ``Scorer.analyze``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_interviewer.bank import Question
from voice_interviewer.errors import NoSpeechError
from voice_interviewer.scoring.analysis import Analysis, AnalysisParams, analyze
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.text_answer import score_text
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.recognize import Recognition, StretchProcessor, recognize_file
from voice_interviewer.speech.vad import SileroModel
from voice_interviewer.speech.whisper import Transcriber

BLOCK_SAMPLES = 512 * 32  # ~1 s blocks: how a file is fed through the live path


@dataclass(frozen=True)
class ScoreOptions:
    filler_pass: bool = True  # find the filled pauses Whisper leaves out
    prompt_with_question: bool = True  # bias decoding toward the question's vocabulary
    semantic_rubric: bool = True  # judge rubric points by meaning too, not only by keywords


class Scorer:
    def __init__(
        self,
        transcriber: Transcriber,
        vad: SileroModel | None = None,
        options: ScoreOptions = ScoreOptions(),
        params: AnalysisParams = AnalysisParams(),
        embedder: Embedder | None = None,
    ) -> None:
        """``embedder`` None: the packaged sentence model (loaded here, once per process, so the
        first answer's feedback does not wait for it)."""
        self.transcriber = transcriber
        if embedder is None and options.semantic_rubric:
            from voice_interviewer.scoring.semantic_model import shared_embedder

            embedder = shared_embedder()
        self._embedder = embedder
        self.vad = vad or SileroModel()
        self.options = options
        self.params = params
        # Seconds spent per stage on the last answer, for the benchmark.
        self.last_timings: dict[str, float] = {}

    @property
    def embedder(self) -> Embedder | None:
        return self._embedder if self.options.semantic_rubric else None

    def processor(self, question: Question) -> StretchProcessor:
        """A fresh per-answer processor, prompted with the question when enabled."""
        context = question.text if self.options.prompt_with_question else ""
        return StretchProcessor(self.transcriber, context, self.options.filler_pass)

    def score_file(self, path: str | Path, question: Question) -> Analysis:
        return self.score_recording(load_audio(path), question, str(path))

    def score_recording(self, audio: np.ndarray, question: Question, name: str) -> Analysis:
        """Like ``score``, but a recording without speech is an error naming it."""
        analysis = self.score(audio, question)
        if not analysis.answered:
            raise NoSpeechError(f"{name}: no speech (nothing was said, or only noise)")
        return analysis

    def score(self, audio: np.ndarray, question: Question) -> Analysis:
        proc = self.processor(question)
        t0 = time.perf_counter()
        blocks = (audio[i : i + BLOCK_SAMPLES] for i in range(0, len(audio), BLOCK_SAMPLES))
        rec = recognize_file(blocks, self.vad, proc)
        total = time.perf_counter() - t0
        self.last_timings = {"recognize_s": total - proc.filler_s, "filler_pass_s": proc.filler_s}
        return self.analyze(rec, question)

    def score_text(self, text: str, question: Question) -> Analysis:
        """A typed answer: rubric and STAR, every timing measure null."""
        return score_text(question, text, self.embedder, self.params)

    def analyze(self, rec: Recognition, question: Question) -> Analysis:
        t0 = time.perf_counter()
        embedder = self.embedder
        analysis = analyze(
            question,
            rec.duration_s,
            rec.words,
            rec.speech,
            rec.fillers,
            self.params,
            model=getattr(self.transcriber, "name", ""),
            breaks=rec.breaks,
            embedder=embedder,
        )
        self.last_timings["analyze_s"] = time.perf_counter() - t0
        return analysis
