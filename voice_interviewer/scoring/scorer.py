"""The scoring pipeline, stage by stage: audio -> voice activity -> stretches -> words -> analysis.

    load_audio -> AnswerListener (Silero VAD + Endpointer: speech spans, stretches)
      -> stretches packed into shared windows, each decoded with the question as prompt
         (recognize_file)
      -> StretchProcessor (words snapped to speech; filled pauses Whisper left out)
      -> analyze (timing, pace, pauses, fillers, rubric, verdicts)

``Scorer`` owns the loaded models so a session loads them once. A live session feeds the same
stages block by block (see ``live``); both end in ``Scorer.analyze``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_interviewer.bank import Question
from voice_interviewer.errors import NoSpeechError
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.taught import LearnedExamples
from voice_interviewer.scoring.text_answer import score_text
from voice_interviewer.scoring.voice import measure_voice
from voice_interviewer.speech.decode import SAMPLE_RATE, load_audio
from voice_interviewer.speech.recognize import Recognition, StretchProcessor, recognize_file
from voice_interviewer.speech.vad import SileroModel
from voice_interviewer.speech.voice_tracks import VoiceTracks, measure_tracks
from voice_interviewer.speech.whisper import Transcriber

BLOCK_SAMPLES = 512 * 32  # ~1 s blocks: how a file is fed through the live path


@dataclass(frozen=True)
class ScoreOptions:
    """What the scorer does beyond transcribing.

    Attributes:
        filler_pass: look again for the filled pauses (um, uh) Whisper leaves out; slower, and
            without it most filled pauses are missed.
        prompt_with_question: prompt Whisper with the question's text, biasing the decode toward
            its vocabulary ("regularization", not "regular is asian").
        semantic_rubric: judge rubric points by meaning (the packaged sentence model) as well as
            by keywords.
        fillers_under_words: the filler pass also decodes the held, voiced sounds under words'
            timestamps (Whisper often gives an "um"'s time to the word after it). Off by default:
            on the Piper sets it finds 90 % of filled pauses instead of 63-75 %, but it doubles the
            filler pass's cost, finds no more on the real recordings, and on slow espeak voices
            reads some drawn-out vowels as fillers (benchmarks/results/fillers_under_words.md).
    """

    filler_pass: bool = True
    fillers_under_words: bool = False
    prompt_with_question: bool = True
    semantic_rubric: bool = True


class Scorer:
    """Scores spoken (or typed) answers to bank questions; holds the loaded models.

    Load it once (``Scorer.load``) and score many answers: loading Whisper and the sentence model
    takes seconds, scoring an answer a fraction of its length. Every result is an ``Analysis``
    judged by ``policy`` (and carrying it).
    """

    def __init__(
        self,
        transcriber: Transcriber,
        vad: SileroModel | None = None,
        options: ScoreOptions = ScoreOptions(),
        policy: ScoringPolicy = DEFAULT_POLICY,
        embedder: Embedder | None = None,
    ) -> None:
        """A scorer around an already loaded ``transcriber`` (see ``Scorer.load`` to load one by
        name). ``vad`` None: the Silero model faster-whisper ships. ``embedder`` None: the
        packaged sentence model (loaded here, once per process, so the first answer's feedback
        does not wait for it)."""
        self.transcriber = transcriber
        single_threaded_blas()
        if embedder is None and options.semantic_rubric:
            from voice_interviewer.scoring.semantic_model import shared_embedder

            embedder = shared_embedder()
        self._embedder = embedder
        self.vad = vad or SileroModel()
        self.options = options
        self.policy = policy
        # Seconds spent per stage on the last answer, and what recognition made of it, for the
        # benchmarks.
        self.last_timings: dict[str, float] = {}
        self.last_recognition: Recognition | None = None
        # The user's corrections that teach the rubric (``sessions.corrections``), asked for
        # every answer so a correction made meanwhile counts; None: none.
        self.taught: Callable[[], LearnedExamples] | None = None

    @classmethod
    def load(
        cls,
        model: str | None = None,
        *,
        options: ScoreOptions = ScoreOptions(),
        policy: ScoringPolicy = DEFAULT_POLICY,
        threads: int | None = None,
    ) -> Scorer:
        """Load the models and return a scorer.

        ``model``: 'tiny.en' (bundled; the default), 'base' (the ``[base]`` extra), or a folder
        holding a CTranslate2 Whisper model; nothing is downloaded for these. ``threads``: CPU
        threads of one Whisper decode (default 1: cheaper and no slower on a few cores; see
        ``WhisperTranscriber``). Raises ``ModelError`` if the model is missing.
        """
        from voice_interviewer.speech.models import resolve_model
        from voice_interviewer.speech.whisper import WhisperTranscriber

        transcriber = WhisperTranscriber(resolve_model(model), threads=threads)
        return cls(transcriber, options=options, policy=policy)

    @property
    def embedder(self) -> Embedder | None:
        """The sentence model the rubric uses, or None when judging by keywords only."""
        return self._embedder if self.options.semantic_rubric else None

    def processor(self, question: Question) -> StretchProcessor:
        """A fresh per-answer processor, prompted with the question when enabled."""
        context = question.text if self.options.prompt_with_question else ""
        return StretchProcessor(
            self.transcriber,
            context,
            self.options.filler_pass,
            self.options.fillers_under_words,
        )

    def score_file(self, path: str | Path, question: Question) -> Analysis:
        """Score the recorded answer in ``path`` (wav, flac, mp3, m4a, ...; any rate, mono or
        stereo). The recording starts when the question finished: the response latency counts
        from there. Raises ``AudioInputError`` if it cannot be decoded and ``NoSpeechError`` if
        it holds no speech."""
        return self.score_recording(load_audio(path), question, str(path))

    def score_recording(
        self,
        audio: np.ndarray,
        question: Question,
        name: str,
        progress: Callable[[float], None] | None = None,
    ) -> Analysis:
        """Like ``score``, but a recording without speech is a ``NoSpeechError`` naming it."""
        analysis = self.score(audio, question, progress)
        if not analysis.answered:
            raise NoSpeechError(f"{name}: no speech (nothing was said, or only noise)")
        return analysis

    def score(
        self,
        audio: np.ndarray,
        question: Question,
        progress: Callable[[float], None] | None = None,
    ) -> Analysis:
        """Score an answer held in memory: 16 kHz mono float32 samples in [-1, 1]
        (``SAMPLE_RATE``). Without speech the result is not an error: ``analysis.answered`` is
        False and its verdict says no speech was heard. ``progress`` is called with the seconds
        of audio taken in so far, block by block."""
        proc = self.processor(question)
        t0 = time.perf_counter()
        blocks = (audio[i : i + BLOCK_SAMPLES] for i in range(0, len(audio), BLOCK_SAMPLES))
        if progress is not None:
            blocks = _reporting(blocks, progress)
        rec = self.last_recognition = recognize_file(blocks, self.vad, proc)
        total = time.perf_counter() - t0
        self.last_timings = {"recognize_s": total - proc.filler_s, "filler_pass_s": proc.filler_s}
        return self.analyze(rec, question, audio)

    def score_text(self, text: str, question: Question) -> Analysis:
        """Score a typed or pasted answer: rubric coverage and STAR only. There is no audio, so
        ``analysis.typed`` is True and every timing measure is null in ``to_dict``."""
        return score_text(question, text, self.embedder, self.policy, learned=self._learned())

    def _learned(self) -> LearnedExamples | None:
        return None if self.taught is None or self.embedder is None else self.taught()

    def analyze(
        self,
        rec: Recognition,
        question: Question,
        audio: np.ndarray | None = None,
        tracks: VoiceTracks | None = None,
    ) -> Analysis:
        """The analysis of an answer already recognized (the live path feeds blocks itself);
        with the recording's ``audio`` (16 kHz mono) or its voice ``tracks`` (measured while it
        was recorded), the voice measures too."""
        t0 = time.perf_counter()
        embedder = self.embedder
        analysis = analyze(
            question,
            rec.duration_s,
            rec.words,
            rec.speech,
            rec.fillers,
            self.policy,
            model=getattr(self.transcriber, "name", ""),
            breaks=rec.breaks,
            embedder=embedder,
            unclear=rec.unclear,
            learned=self._learned(),
        )
        self.last_timings["analyze_s"] = time.perf_counter() - t0
        if (audio is not None or tracks is not None) and analysis.answered:
            t0 = time.perf_counter()
            if tracks is None:
                tracks = measure_tracks(audio)
            analysis.voice = measure_voice(tracks, analysis.words, self.policy)
            self.last_timings["voice_s"] = time.perf_counter() - t0
        return analysis


@functools.cache
def single_threaded_blas() -> None:
    """Limits numpy's BLAS (OpenBLAS) to one thread in this process, once.

    Scoring multiplies only small matrices with numpy (mel filters, the rubric's similarities,
    spectra); with a thread per core, OpenBLAS's idle threads spin after each product, which
    was 18% of ``Scorer.score``'s CPU (benchmarks.speed, 2 cores). Whisper and the ONNX models
    have their own thread pools and are not affected."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _reporting(
    blocks: Iterator[np.ndarray], progress: Callable[[float], None]
) -> Iterator[np.ndarray]:
    done = 0
    for block in blocks:
        yield block
        done += len(block)
        progress(done / SAMPLE_RATE)
