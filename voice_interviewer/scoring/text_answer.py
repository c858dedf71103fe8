"""Scoring a typed or pasted answer (pure): the rubric and STAR only, since there is no audio.

Bank authors use it to check their points against example answers, candidates to check a written
answer. The result is an ``Analysis`` with ``typed`` set, so ``to_dict`` is the ``score --json``
object with every timing measure null.
"""

from __future__ import annotations

from voice_interviewer.bank import Question
from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.rubric import RubricResult, score_rubric
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.taught import LearnedExamples
from voice_interviewer.scoring.verdicts import Verdicts, rubric_verdicts
from voice_interviewer.speech.timeline import Word


def text_words(text: str) -> list[Word]:
    """The answer's words in order, punctuation attached as Whisper writes it; no times."""
    return [Word(t, 0.0, 0.0) for t in text.split()]


def rubric_of_text(
    question: Question,
    text: str,
    embedder: Embedder | None,
    policy: ScoringPolicy = DEFAULT_POLICY,
    learned: LearnedExamples | None = None,
) -> RubricResult:
    words = text_words(text)
    return score_rubric(question, words, embedder, policy.rubric, timed=False, learned=learned)


def score_text(
    question: Question,
    text: str,
    embedder: Embedder | None,
    policy: ScoringPolicy = DEFAULT_POLICY,
    model: str = "",
    learned: LearnedExamples | None = None,
) -> Analysis:
    """Rubric coverage and STAR of a typed answer; the timing measures are null."""
    words = text_words(text)
    rubric = score_rubric(question, words, embedder, policy.rubric, timed=False, learned=learned)
    analysis = Analysis(
        question=question,
        duration_s=0.0,
        words=[AnalyzedWord(w.text, 0.0, 0.0, False) for w in words],
        response_latency_s=None,
        answer_s=0.0,
        words_per_minute=None,
        articulation_wpm=None,
        pauses=[],
        long_pauses=[],
        fillers=[],
        repetitions=[],
        rubric=rubric,
        model=model,
        typed=True,
        policy=policy,
    )
    analysis.verdicts = (
        Verdicts(**rubric_verdicts(rubric)) if words else Verdicts(answer="the answer is empty")
    )
    return analysis
