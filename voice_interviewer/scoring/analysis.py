"""Measurements of one answer (pure): timing, pace, pauses, fillers, rubric, and plain verdicts.

Input is what recognition produced (words already snapped to speech, the speech spans, the
filled pauses found acoustically); output is an ``Analysis`` whose ``to_dict`` is the ``score
--json`` contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voice_interviewer.bank import Question
from voice_interviewer.scoring.fillers import find_fillers, find_repetitions, is_filled_pause
from voice_interviewer.scoring.rubric import RubricResult, RubricSettings, score_rubric
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.speech.timeline import Filler, Repetition, Span, Word, join_words
from voice_interviewer.speech.vad import silent_gaps
from voice_interviewer.wording import whole


@dataclass(frozen=True)
class AnalysisParams:
    pause_min_s: float = 0.5  # a silence this long inside the answer is a pause
    long_pause_s: float = 2.0
    articulation_gap_s: float = 0.25  # silences this long are taken out of speaking time
    pace_band_wpm: tuple[float, float] = (130.0, 160.0)
    rubric: RubricSettings = RubricSettings()


@dataclass(frozen=True)
class AnalyzedWord:
    text: str
    start: float
    end: float
    filler: bool


@dataclass
class Analysis:
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
    verdicts: dict[str, str] = field(default_factory=dict)
    model: str = ""
    typed: bool = False  # a typed answer (``text_answer``): no audio, so every timing is null

    @property
    def transcript(self) -> str:
        return join_words(w.text for w in self.words)

    @property
    def word_count(self) -> int:
        return sum(not w.filler for w in self.words)

    @property
    def fillers_per_minute(self) -> float | None:
        return round(len(self.fillers) / self.answer_s * 60, 1) if self.answer_s > 0 else None

    @property
    def fillers_per_100_words(self) -> float | None:
        return round(len(self.fillers) / self.word_count * 100, 1) if self.word_count else None

    def hesitation(self) -> dict:
        """Where the hesitations are: counts by kind and by position in the answer."""
        return hesitation_summary(self)

    @property
    def answered(self) -> bool:
        return bool(self.words)

    def to_dict(self) -> dict:
        d = self._to_dict()
        if self.typed:  # no audio: the timing measures are unknown, not zero
            for key in _TIMING_KEYS:
                d[key] = None
            for w in d["words"]:
                w["start"] = w["end"] = None
        return d

    def _to_dict(self) -> dict:
        r = self.rubric
        q = self.question
        spans = lambda xs: [{"start": s.start, "end": s.end} for s in xs]  # noqa: E731
        return {
            "question": {"id": q.id, "text": q.text, "category": q.category},
            "model": self.model,
            "duration_s": self.duration_s,
            "transcript": self.transcript,
            "words": [
                {"text": w.text, "start": w.start, "end": w.end, "filler": w.filler}
                for w in self.words
            ],
            "word_count": self.word_count,
            "response_latency_s": self.response_latency_s,
            "answer_s": self.answer_s,
            "target_seconds": list(q.target_seconds),
            "words_per_minute": self.words_per_minute,
            "articulation_wpm": self.articulation_wpm,
            "pauses": spans(self.pauses),
            "long_pauses": spans(self.long_pauses),
            "fillers": [
                {"text": f.text, "start": f.start, "end": f.end, "kind": f.kind}
                for f in self.fillers
            ],
            "fillers_per_minute": self.fillers_per_minute,
            "fillers_per_100_words": self.fillers_per_100_words,
            "hesitation": self.hesitation(),
            "repetitions": [
                {"text": x.text, "start": x.start, "end": x.end} for x in self.repetitions
            ],
            "rubric": {
                "coverage": r.coverage,
                "points": [
                    {
                        "id": p.id,
                        "text": p.text,
                        "hit": p.hit,
                        "evidence": p.evidence,
                        "score": p.score,
                        "keywords": p.keywords,
                        "evidence_sentences": [
                            {"text": e.text, "start": e.start, "end": e.end} for e in p.sentences
                        ],
                    }
                    for p in r.points
                ],
                "star": None
                if r.star is None
                else {k: getattr(r.star, k) for k in ("situation", "task", "action", "result")},
            },
            "verdicts": dict(self.verdicts),
        }


# ``score --json`` keys that need audio; null for a typed answer.
_TIMING_KEYS = (
    "duration_s",
    "response_latency_s",
    "answer_s",
    "words_per_minute",
    "articulation_wpm",
    "pauses",
    "long_pauses",
    "fillers_per_minute",
    "fillers_per_100_words",
    "hesitation",
)


def analyze(
    question: Question,
    duration_s: float,
    words: Sequence[Word],
    speech: Sequence[Span],
    acoustic_fillers: Sequence[Filler] = (),
    params: AnalysisParams = AnalysisParams(),
    model: str = "",
    breaks: Sequence[Span] = (),
    embedder: Embedder | None = None,
) -> Analysis:
    """``words`` snapped to ``speech``; ``acoustic_fillers`` are filled pauses Whisper did not write;
    ``breaks`` are short silences inside speech spans (``breaks.quiet_breaks``); ``embedder``
    judges the rubric by meaning as well as keywords (``scoring.rubric``)."""
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
            score_rubric(question, [], embedder, params.rubric),
            {"answer": "no speech was heard"},
            model,
        )

    first, last = _answer_bounds(analyzed, speech)
    answer_s = round(max(0.0, last - first), 3)
    inside = [s for s in speech if s.end > first and s.start < last]
    pauses = [
        p for p in silent_gaps(inside, params.pause_min_s) if p.start >= first and p.end <= last
    ]
    gaps = silent_gaps(inside, params.articulation_gap_s)
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
            if p.duration >= params.long_pause_s
        ],
        fillers=fillers,
        repetitions=find_repetitions(words),
        rubric=score_rubric(question, spoken, embedder, params.rubric),
        model=model,
    )
    analysis.verdicts = verdicts(analysis, params)
    return analysis


def _filler_word_ids(words: Sequence[Word], fillers: Sequence[Filler]) -> set[int]:
    ids = set()
    for f in fillers:
        if f.kind == "lexical":
            ids.update(i for i, w in enumerate(words) if w.start >= f.start and w.end <= f.end)
    return ids


def _answer_bounds(words: Sequence[AnalyzedWord], speech: Sequence[Span]) -> tuple[float, float]:
    """First and last speech of the answer: the speech spans holding the first and last word."""
    first, last = words[0].start, max(w.end for w in words)
    for s in speech:
        if s.start <= first <= s.end + 0.05:
            first = min(first, s.start)
        if s.start - 0.05 <= last <= s.end:
            last = max(last, s.end)
    return first, last


KEY_TERM_WINDOW_S = 1.5  # a filler this close before a rubric keyword is "before a key term"
OPENING_S = 10.0


def hesitation_summary(a: Analysis) -> dict:
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
    return {
        "filled_pauses": sum(f.kind == "filled_pause" for f in a.fillers),
        "lexical_fillers": sum(f.kind == "lexical" for f in a.fillers),
        "repetitions": len(a.repetitions),
        "in_first_10s": sum(f.start < start + OPENING_S for f in a.fillers),
        "inside_sentences": in_sentence,
        "before_key_terms": before_key,
    }


def verdicts(a: Analysis, params: AnalysisParams = AnalysisParams()) -> dict[str, str]:
    out: dict[str, str] = {}
    lo, hi = a.question.target_seconds
    secs = whole(a.answer_s)  # judged on the number shown
    if secs < lo:
        out["length"] = f"short: {secs} s against a target of {lo:.0f}-{hi:.0f} s; say more"
    elif secs > hi:
        out["length"] = f"long: {secs} s against a target of {lo:.0f}-{hi:.0f} s; tighten it"
    else:
        out["length"] = f"on target: {secs} s within {lo:.0f}-{hi:.0f} s"
    band_lo, band_hi = params.pace_band_wpm
    if a.words_per_minute is not None:
        wpm = whole(a.words_per_minute)  # judged on the number shown
        if wpm < band_lo:
            out["pace"] = f"slow: {wpm:.0f} words a minute (aim for {band_lo:.0f}-{band_hi:.0f})"
        elif wpm > band_hi:
            out["pace"] = (
                f"fast: {wpm:.0f} words a minute (aim for {band_lo:.0f}-{band_hi:.0f}); slow down"
            )
        else:
            out["pace"] = f"good: {wpm:.0f} words a minute"
    if a.response_latency_s is not None:
        lat = a.response_latency_s
        out["latency"] = (
            f"quick start: {lat:.1f} s"
            if lat <= 3
            else f"took {lat:.1f} s to start; a short framing sentence buys thinking time"
            if lat <= 8
            else f"long wait of {lat:.1f} s before answering"
        )
    n_long = len(a.long_pauses)
    out["pauses"] = (
        "no long pauses"
        if n_long == 0
        else f"{n_long} long pause{'s' if n_long > 1 else ''} of 2 s or more"
    )
    fpm = a.fillers_per_minute or 0.0
    out["fillers"] = (
        f"few fillers ({len(a.fillers)})"
        if fpm <= 2
        else f"some fillers: {fpm:.1f} a minute"
        if fpm <= 5
        else f"frequent fillers: {fpm:.1f} a minute; pause silently instead"
    )
    out.update(rubric_verdicts(a.rubric))
    return out


def rubric_verdicts(r: RubricResult) -> dict[str, str]:
    """The ``coverage`` verdict, and ``star`` when a STAR part is missing."""
    out: dict[str, str] = {}
    missed = [p.text for p in r.points if not p.hit]
    out["coverage"] = (
        f"covered all {len(r.points)} points"
        if not missed
        else f"covered {len(r.points) - len(missed)} of {len(r.points)} points"
    )
    if r.star is not None and r.star.missing():
        out["star"] = "missing STAR part(s): " + ", ".join(r.star.missing())
    return out
