"""Measuring one answer (pure): timing, pace, pauses, fillers, rubric, and the plain verdicts.

Input is what recognition produced (words already snapped to speech, the speech spans, the filled
pauses found acoustically); output is an ``Analysis`` (``analysis``). Every threshold comes from
the ``ScoringPolicy`` (``policy``); the verdict sentences are written in ``verdicts``.
"""

from __future__ import annotations

from collections.abc import Sequence

from voice_interviewer.bank import Question
from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord, hesitation_summary
from voice_interviewer.scoring.fillers import find_fillers, find_repetitions, is_filled_pause
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.rubric import score_rubric
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.taught import LearnedExamples
from voice_interviewer.scoring.verdicts import (
    Verdicts,
    fillers_verdict,
    latency_verdict,
    length_verdict,
    pace_verdict,
    pauses_verdict,
    rubric_verdicts,
)
from voice_interviewer.speech.timeline import Filler, Span, Word
from voice_interviewer.speech.vad import silent_gaps


def analyze(
    question: Question,
    duration_s: float,
    words: Sequence[Word],
    speech: Sequence[Span],
    acoustic_fillers: Sequence[Filler] = (),
    policy: ScoringPolicy = DEFAULT_POLICY,
    model: str = "",
    breaks: Sequence[Span] = (),
    embedder: Embedder | None = None,
    unclear: Sequence[Span] = (),
    learned: LearnedExamples | None = None,
) -> Analysis:
    """``words`` snapped to ``speech``; ``acoustic_fillers`` are filled pauses Whisper did not
    write; ``breaks`` are short silences inside speech spans (``breaks.quiet_breaks``); ``embedder``
    judges the rubric by meaning as well as keywords (``scoring.rubric``); ``unclear`` is speech
    left without words (it still counts for when the answer began and ended)."""
    words = sorted(words, key=lambda w: w.start)
    # A filled pause heard acoustically supersedes one Whisper wrote at (nearly) the same place:
    # Whisper's own "er," often has a zero-length timestamp beside the real sound.
    words = [
        w
        for w in words
        if not (
            is_filled_pause(w)
            and any(f.start - 0.3 <= w.end and w.start <= f.end + 0.3 for f in acoustic_fillers)
        )
    ]
    # The lexical rules see the acoustic filled pauses as words: "I mean, um, since" sets off
    # "I mean" even when Whisper wrote "I mean since".
    heard = [Word(f.text, f.start, f.end) for f in acoustic_fillers]
    fillers = find_fillers(sorted(words + heard, key=lambda w: (w.start, w.end)), breaks=breaks)
    lexical_word_ids = _filler_word_ids(words, fillers)
    analyzed = [
        AnalyzedWord(w.text, w.start, w.end, is_filled_pause(w) or i in lexical_word_ids)
        for i, w in enumerate(words)
    ]
    for f in acoustic_fillers:  # shown in the transcript where they were heard
        analyzed.append(AnalyzedWord(f.text, f.start, f.end, True))
    analyzed.sort(key=lambda w: w.start)

    if not analyzed:
        return Analysis(
            question,
            round(duration_s, 3),
            [],
            None,
            0.0,
            None,
            None,
            [],
            [],
            [],
            [],
            score_rubric(question, [], embedder, policy.rubric),
            Verdicts(answer=_NO_WORDS if unclear else "no speech was heard"),
            model,
            policy=policy,
            unclear=list(unclear),
        )

    first, last = _answer_bounds(analyzed, speech, unclear)
    answer_s = round(max(0.0, last - first), 3)
    inside = [s for s in speech if s.end > first and s.start < last]
    pauses = [
        p for p in silent_gaps(inside, policy.pause_min_s) if p.start >= first and p.end <= last
    ]
    gaps = silent_gaps(inside, policy.articulation_gap_s)
    speaking_s = answer_s - sum(g.duration for g in gaps if g.start >= first and g.end <= last)
    count = sum(not w.filler for w in analyzed)
    wpm = round(count / answer_s * 60, 1) if answer_s > 0 else None
    art = round(count / speaking_s * 60, 1) if speaking_s > 0 else None
    spoken = [Word(w.text, w.start, w.end) for w in analyzed if not w.filler]
    analysis = Analysis(
        question=question,
        duration_s=round(duration_s, 3),
        words=analyzed,
        response_latency_s=round(first, 3),
        answer_s=answer_s,
        words_per_minute=wpm,
        articulation_wpm=art,
        pauses=[Span(round(p.start, 3), round(p.end, 3)) for p in pauses],
        long_pauses=[
            Span(round(p.start, 3), round(p.end, 3))
            for p in pauses
            if policy.is_long_pause(p.duration)
        ],
        fillers=fillers,
        repetitions=find_repetitions(words),
        rubric=score_rubric(question, spoken, embedder, policy.rubric, learned=learned),
        model=model,
        policy=policy,
        unclear=list(unclear),
    )
    analysis.hesitation = hesitation_summary(analysis)
    analysis.verdicts = answer_verdicts(analysis, policy)
    return analysis


def _filler_word_ids(words: Sequence[Word], fillers: Sequence[Filler]) -> set[int]:
    ids = set()
    for f in fillers:
        if f.kind == "lexical":
            ids.update(i for i, w in enumerate(words) if w.start >= f.start and w.end <= f.end)
    return ids


_NO_WORDS = "speech was heard, but no words could be made out"


def _answer_bounds(
    words: Sequence[AnalyzedWord], speech: Sequence[Span], unclear: Sequence[Span] = ()
) -> tuple[float, float]:
    """First and last speech of the answer: the speech spans holding the first and last word or
    piece of unclear speech."""
    first = min([words[0].start, *(u.start for u in unclear)])
    last = max([*(w.end for w in words), *(u.end for u in unclear)])
    for s in speech:
        if s.start <= first <= s.end + 0.05:
            first = min(first, s.start)
        if s.start - 0.05 <= last <= s.end:
            last = max(last, s.end)
    return first, last


def answer_verdicts(a: Analysis, policy: ScoringPolicy = DEFAULT_POLICY) -> Verdicts:
    """Every verdict on a spoken answer that has words."""
    return Verdicts(
        length=length_verdict(a.answer_s, a.question.target_seconds, policy),
        pace=None if a.words_per_minute is None else pace_verdict(a.words_per_minute, policy),
        latency=None
        if a.response_latency_s is None
        else latency_verdict(a.response_latency_s, policy),
        pauses=pauses_verdict(len(a.long_pauses), policy),
        fillers=fillers_verdict(len(a.fillers), a.fillers_per_minute or 0.0, policy),
        **rubric_verdicts(a.rubric),
    )
