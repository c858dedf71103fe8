"""One scored answer (``Analysis``) and its parts: what every report, the store and ``score --json``
carry.

``analyze.analyze`` makes one from what recognition produced; ``text_answer.score_text`` makes one
for a typed answer. ``to_dict`` is the ``score --json`` object (its shape is stated in
``serialization.AnalysisDict``) and ``from_dict`` reads it back, strictly; each part writes and
reads its own piece (``Verdicts``, ``RubricResult``, ``ScoringPolicy``, ``VoiceMeasures``...).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from voice_interviewer.bank import Point, Question
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.rubric_result import RubricResult
from voice_interviewer.scoring.serialization import (
    SCHEMA_VERSION,
    TIMING_KEYS,
    AnalysisDict,
    HesitationDict,
    JsonObject,
    WordDict,
    filler_from,
    filler_to_dict,
    repetition_from,
    repetition_to_dict,
    span_from,
    span_to_dict,
)
from voice_interviewer.scoring.verdicts import Verdicts
from voice_interviewer.scoring.voice import VoiceMeasures, voice_from_dict
from voice_interviewer.speech.timeline import Filler, Repetition, Span, join_words

# Deprecated name of ``ScoringPolicy`` (the thresholds were the analysis's parameters before they
# were shared with the reports); kept so existing callers keep working.
AnalysisParams = ScoringPolicy

KEY_TERM_WINDOW_S = 1.5  # a filler this close before a rubric keyword is "before a key term"
OPENING_S = 10.0  # the ``in_first_10s`` count: the key names this number, so it is not a policy

_NUMBER = (int, float)  # exact types: a bool is an int to isinstance, never a number here


@dataclass(frozen=True)
class AnalyzedWord:
    text: str
    start: float
    end: float
    filler: bool

    def to_dict(self) -> WordDict:
        return {"text": self.text, "start": self.start, "end": self.end, "filler": self.filler}

    @classmethod
    def from_dict(cls, o: JsonObject, typed: bool = False) -> AnalyzedWord:
        """A word; a typed answer's has null times (read as 0)."""
        start = o.number("start", null=typed) or 0.0
        end = o.number("end", null=typed) or 0.0
        return cls(o.string("text"), start, end, o.boolean("filler"))

    @classmethod
    def list_from(cls, o: JsonObject, typed: bool) -> list[AnalyzedWord]:
        """The ``words`` of ``o``: the bulk of an analysis, so well-formed ones are read in one
        tight loop; any other goes through ``from_dict`` for its precise error."""
        out = []
        for i, w in enumerate(o.array("words")):
            if type(w) is dict and len(w) == 4:
                text, start, end = w.get("text"), w.get("start"), w.get("end")
                filler = w.get("filler")
                if type(text) is str and type(filler) is bool:
                    if type(start) in _NUMBER and type(end) in _NUMBER:
                        out.append(cls(text, float(start), float(end), filler))
                        continue
                    if typed and start is None and end is None:
                        out.append(cls(text, 0.0, 0.0, filler))
                        continue
            out.append(cls.from_dict(JsonObject(w, f"{o.path}.words[{i}]"), typed))
        return out


@dataclass(frozen=True)
class Hesitation:
    """Where the hesitations are: counts by kind, and where the fillers cluster."""

    filled_pauses: int
    lexical_fillers: int
    repetitions: int
    in_first_10s: int  # fillers in the first ``OPENING_S`` seconds of the answer
    inside_sentences: int  # fillers not at a sentence boundary
    before_key_terms: int  # fillers just before a rubric keyword

    def to_dict(self) -> HesitationDict:
        return asdict(self)  # type: ignore[return-value]  # the fields are HesitationDict's keys

    @classmethod
    def from_dict(cls, o: JsonObject) -> Hesitation:
        return cls(**{f.name: o.integer(f.name) for f in fields(cls)})


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

    def to_dict(self) -> AnalysisDict:
        """The ``score --json`` object (``serialization.AnalysisDict``)."""
        q, typed = self.question, self.typed
        words = [w.to_dict() for w in self.words]
        if typed:  # no audio: the timing measures are unknown, not zero
            for w in words:
                w["start"] = w["end"] = None
        d: AnalysisDict = {
            "question": {"id": q.id, "text": q.text, "category": q.category},
            "model": self.model,
            "duration_s": self.duration_s,
            "transcript": self.transcript,
            "words": words,
            "word_count": self.word_count,
            "response_latency_s": self.response_latency_s,
            "answer_s": self.answer_s,
            "target_seconds": list(q.target_seconds),
            "words_per_minute": self.words_per_minute,
            "articulation_wpm": self.articulation_wpm,
            "pauses": [span_to_dict(s) for s in self.pauses],
            "long_pauses": [span_to_dict(s) for s in self.long_pauses],
            "fillers": [filler_to_dict(f) for f in self.fillers],
            "fillers_per_minute": self.fillers_per_minute,
            "fillers_per_100_words": self.fillers_per_100_words,
            "hesitation": (self.hesitation or hesitation_summary(self)).to_dict(),
            "repetitions": [repetition_to_dict(r) for r in self.repetitions],
            "rubric": self.rubric.to_dict(),
            "verdicts": self.verdicts.to_dict(),
            "schema_version": SCHEMA_VERSION,
            "policy": self.policy.to_dict(),
            "voice": None if self.voice is None else self.voice.to_dict(),
            "unclear": [span_to_dict(s) for s in self.unclear],
        }
        if typed:
            for key in TIMING_KEYS:
                d[key] = None  # type: ignore[literal-required]  # TIMING_KEYS are its keys
        return d

    @classmethod
    def from_dict(cls, d: object, path: str = "analysis") -> Analysis:
        """Read back a ``to_dict`` object (a saved session's, an archive's, a ``score --json``
        file); ``AnalysisFormatError`` (one line naming the bad field) if it is malformed.

        The question comes back as the analysis recorded it: id, text, category, target and the
        rubric's points (no keywords, follow-ups or examples: those live in the bank).
        """
        o = JsonObject(d, path)
        version = o.integer("schema_version", 1)
        if version > SCHEMA_VERSION or version < 1:
            raise o.fail(
                "schema_version",
                f"{version} is not a format this version reads (1 to {SCHEMA_VERSION}): "
                "it was written by a newer voice-interviewer; upgrade to read it",
            )
        typed = o.raw("duration_s") is None  # a typed answer: every timing key is null
        q = o.obj("question")
        assert q is not None  # required
        rubric = RubricResult.from_dict(o.obj("rubric"))  # type: ignore[arg-type]  # required
        question = Question(
            id=q.string("id"),
            category=q.string("category"),
            text=q.string("text"),
            target_seconds=o.pair("target_seconds"),
            star=rubric.star is not None,
            criteria=(),
            tags=(),
            follow_ups=(),
            points=tuple(Point(p.id, p.text, ()) for p in rubric.points),
        )
        # The transcript and word count are recomputed from the words; checking their types
        # still catches a damaged file early.
        o.string("transcript")
        o.integer("word_count", 0)
        verdicts = o.obj("verdicts", optional=True)
        hesitation = o.obj("hesitation", optional=True)
        policy = o.obj("policy", optional=True)
        timed = not typed
        return cls(
            question=question,
            duration_s=o.number("duration_s") if timed else 0.0,
            words=AnalyzedWord.list_from(o, typed),
            response_latency_s=o.number("response_latency_s", null=True) if timed else None,
            answer_s=o.number("answer_s", null=typed) or 0.0,
            words_per_minute=o.number("words_per_minute", null=True) if timed else None,
            articulation_wpm=o.number("articulation_wpm", null=True) if timed else None,
            pauses=o.items("pauses", span_from, optional=typed),
            long_pauses=o.items("long_pauses", span_from, optional=typed),
            fillers=o.items("fillers", filler_from),
            repetitions=o.items("repetitions", repetition_from, optional=True),
            rubric=rubric,
            verdicts=Verdicts() if verdicts is None else Verdicts.from_dict(verdicts),
            model=o.string("model", ""),
            typed=typed,
            policy=DEFAULT_POLICY if policy is None else ScoringPolicy.from_dict(policy),
            hesitation=None if hesitation is None else Hesitation.from_dict(hesitation),
            fillers_per_minute=o.number("fillers_per_minute", None, null=True) if timed else None,
            fillers_per_100_words=(
                o.number("fillers_per_100_words", None, null=True) if timed else None
            ),
            unclear=o.items("unclear", span_from, optional=True) if timed else [],
            voice=voice_from_dict(o.d.get("voice"), f"{path}.voice"),
        )


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
