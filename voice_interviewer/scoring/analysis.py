"""Measurements of one answer (pure): timing, pace, pauses, fillers, rubric, and plain verdicts.

Input is what recognition produced (words already snapped to speech, the speech spans, the
filled pauses found acoustically); output is an ``Analysis`` whose ``to_dict`` is the ``score
--json`` contract and whose ``from_dict`` reads it back (``analysis_format``). Every threshold
comes from the ``ScoringPolicy`` (``policy``); the verdict sentences are written in ``verdicts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from voice_interviewer.bank import Question
from voice_interviewer.scoring.fillers import find_fillers, find_repetitions, is_filled_pause
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.rubric import RubricResult, score_rubric
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.taught import LearnedExamples
from voice_interviewer.scoring.verdicts import Verdicts, answer_verdicts
from voice_interviewer.scoring.voice import VoiceMeasures
from voice_interviewer.speech.timeline import Filler, Repetition, Span, Word, join_words
from voice_interviewer.speech.vad import silent_gaps

# Deprecated name of ``ScoringPolicy`` (the thresholds were the analysis's parameters before they
# were shared with the reports); kept so existing callers keep working.
AnalysisParams = ScoringPolicy

KEY_TERM_WINDOW_S = 1.5  # a filler this close before a rubric keyword is "before a key term"
OPENING_S = 10.0  # the ``in_first_10s`` count: the key names this number, so it is not a policy


@dataclass(frozen=True)
class AnalyzedWord:
    text: str
    start: float
    end: float
    filler: bool


@dataclass(frozen=True)
class Hesitation:
    """Where the hesitations are: counts by kind, and where the fillers cluster."""

    filled_pauses: int
    lexical_fillers: int
    repetitions: int
    in_first_10s: int  # fillers in the first ``OPENING_S`` seconds of the answer
    inside_sentences: int  # fillers not at a sentence boundary
    before_key_terms: int  # fillers just before a rubric keyword


@dataclass
class Analysis:
    """One scored answer. ``to_dict`` is the ``score --json`` object; ``from_dict`` reads it back.

    Times are seconds from the start of the recording (the moment the question finished). A typed
    answer (``typed``) has no audio: its timing measures are meaningless here and null in
    ``to_dict``.

    Attributes:
        question: the question answered (read back from a saved analysis: its id, text,
            category, target and the points as scored).
        duration_s: length of the recording.
        words: every word in order, fillers included (``filler`` set).
        response_latency_s: recording start to first speech; None when nothing was said.
        answer_s: first speech to last speech.
        words_per_minute: spoken words (fillers excluded) per minute of ``answer_s``.
        articulation_wpm: the same per minute of speaking time (the policy's articulation gaps
            taken out).
        pauses, long_pauses: silences inside the answer of at least the policy's
            ``pause_min_s`` and ``long_pause_s``.
        fillers: filled pauses and lexical fillers, with their kind.
        repetitions: repeated words and restarts ("I I think").
        rubric: coverage, each point with its evidence, and STAR parts for STAR questions.
        verdicts: one plain sentence per aspect, judged by ``policy``.
        model: the Whisper model that transcribed it ('' for a typed answer).
        typed: a typed answer (``Scorer.score_text``).
        policy: the thresholds the measures and verdicts used.
        hesitation: where the fillers cluster; None when read from an analysis saved without it.
        fillers_per_minute, fillers_per_100_words: the filler rates (None without speech).
        unclear: speech that stayed without words after every decode (``speech.lost_speech``):
            said, but not in the transcript, so the measures there rest on nothing.
        voice: how it sounded (pitch, loudness, trailing off, microphone level; ``scoring.voice``);
            None for a typed answer, or one saved before voice measures.
    """

    question: Question
    duration_s: float
    words: list[AnalyzedWord]
    response_latency_s: float | None
    answer_s: float
    words_per_minute: float | None
    articulation_wpm: float | None
    pauses: list[Span]
    long_pauses: list[Span]
    fillers: list[Filler]
    repetitions: list[Repetition]
    rubric: RubricResult
    verdicts: Verdicts = field(default_factory=Verdicts)
    model: str = ""
    typed: bool = False  # a typed answer (``text_answer``): no audio, so every timing is null
    policy: ScoringPolicy = DEFAULT_POLICY
    # Computed by ``analyze``: it needs the rubric's keyword times, which are not saved.
    hesitation: Hesitation | None = None
    # Rates as saved: computed from ``fillers`` when not given. A saved analysis keeps the numbers
    # it was saved with, so a session's report never changes when it is read back.
    fillers_per_minute: float | None = None
    fillers_per_100_words: float | None = None
    unclear: list[Span] = field(default_factory=list)
    voice: VoiceMeasures | None = None  # from the audio (``Scorer.analyze``), not the words

    def __post_init__(self) -> None:
        n = len(self.fillers)
        if self.fillers_per_minute is None and self.answer_s > 0:
            self.fillers_per_minute = round(n / self.answer_s * 60, 1)
        if self.fillers_per_100_words is None and self.word_count:
            self.fillers_per_100_words = round(n / self.word_count * 100, 1)

    @property
    def transcript(self) -> str:
        return join_words(w.text for w in self.words)

    @property
    def word_count(self) -> int:
        return sum(not w.filler for w in self.words)

    @property
    def answered(self) -> bool:
        return bool(self.words)

    @property
    def within_target(self) -> bool:
        """The answer's length is inside its question's target (with the policy's tolerance)."""
        return self.policy.within_target(self.answer_s, self.question.target_seconds)

    def to_dict(self) -> dict[str, Any]:
        """The ``score --json`` object (keys in README's table), plus ``schema_version`` and
        ``policy``."""
        from voice_interviewer.scoring.analysis_format import analysis_to_dict

        return analysis_to_dict(self)

    @classmethod
    def from_dict(cls, d: object) -> Analysis:
        """Read back a ``to_dict`` object (a saved session's, or an archive's).

        Raises ``AnalysisFormatError`` (one line naming the bad field) for anything malformed.
        """
        from voice_interviewer.scoring.analysis_format import analysis_from_dict

        return analysis_from_dict(d)


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
    """``words`` snapped to ``speech``; ``acoustic_fillers`` are filled pauses Whisper did not write;
    ``breaks`` are short silences inside speech spans (``breaks.quiet_breaks``); ``embedder``
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


def hesitation_summary(a: Analysis) -> Hesitation:
    """Counts of fillers by kind, and where they cluster: the opening seconds of the answer,
    inside sentences (not at a sentence boundary), right before key terms (rubric keywords)."""
    start = a.response_latency_s or 0.0
    spoken = [w for w in a.words if not w.filler]
    in_sentence = 0
    for f in a.fillers:
        before = [w for w in spoken if w.end <= f.start + 0.05]
        if before and not before[-1].text.rstrip().endswith((".", "?", "!")):
            in_sentence += 1
    before_key = sum(
        any(0.0 <= k0 - f.end <= KEY_TERM_WINDOW_S for k0, _ in a.rubric.key_terms)
        for f in a.fillers
    )
    return Hesitation(
        filled_pauses=sum(f.kind == "filled_pause" for f in a.fillers),
        lexical_fillers=sum(f.kind == "lexical" for f in a.fillers),
        repetitions=len(a.repetitions),
        in_first_10s=sum(f.start < start + OPENING_S for f in a.fillers),
        inside_sentences=in_sentence,
        before_key_terms=before_key,
    )
