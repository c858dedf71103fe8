"""The ``score --json`` contract, stated once: each object's ``TypedDict``, and a strict reader.

Each small type writes and reads its own object (``Verdicts.to_dict``/``from_dict``,
``PointResult``, ``ScoringPolicy``, ``Analysis``...); this module states what those objects are,
so the README and docs link here instead of restating them. The keys' names and order are a
contract: keys may be added, never renamed or removed. ``AnalysisDict`` is the whole object,
written by ``Analysis.to_dict`` and read back by ``Analysis.from_dict``.

Reading is strict (``JsonObject``): a wrong type, a missing required key, a string where a number
belongs, a rubric that is a list... raise ``AnalysisFormatError`` with one line naming the field,
e.g. ``analysis.rubric.points[2].hit: must be true or false, not 'yes'``. What it tolerates, so
every session saved so far loads unchanged: no ``schema_version`` (schema 1, before the key
existed); no ``policy`` (read as the default policy); older analyses without ``hesitation``,
``fillers_per_100_words``, ``repetitions``, ``verdicts``, ``voice``, ``unclear`` or the rubric
points' ``score``/``keywords``/``evidence_sentences``; keys it does not know (a later version adds
only). ``transcript`` and ``word_count`` are type-checked, then recomputed from the words; the
filler rates are kept as saved (recomputed only when absent), so a reloaded session reports what
it reported.

This module sits at the bottom of ``scoring`` (the layers contract in pyproject.toml): it knows
the shapes, never the types that fill them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypedDict, TypeVar

from voice_interviewer.errors import AnalysisFormatError
from voice_interviewer.speech.timeline import Filler, Repetition, Span

__all__ = [
    "SCHEMA_VERSION",
    "TIMING_KEYS",
    "AnalysisDict",
    "JsonObject",
    "PointDict",
    "RubricDict",
    "VerdictsDict",
    "VoiceDict",
]

# 1: the format before ``schema_version`` was written; 2: adds ``schema_version`` and ``policy``.
SCHEMA_VERSION = 2

# ``score --json`` keys that need audio; null for a typed answer.
TIMING_KEYS = (
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
    "unclear",
)


# ---------------------------------------------------------------- the contract


class QuestionDict(TypedDict):
    id: str
    text: str
    category: str


class WordDict(TypedDict):
    text: str
    start: float | None  # null for a typed answer
    end: float | None
    filler: bool


class SpanDict(TypedDict):
    start: float
    end: float


class FillerDict(TypedDict):
    text: str
    start: float
    end: float
    kind: Literal["filled_pause", "lexical"]


class RepetitionDict(TypedDict):
    text: str
    start: float
    end: float


class HesitationDict(TypedDict):
    filled_pauses: int
    lexical_fillers: int
    repetitions: int
    in_first_10s: int
    inside_sentences: int
    before_key_terms: int


class EvidenceSentenceDict(TypedDict):
    text: str
    start: float | None  # null for a typed answer
    end: float | None


class PointDict(TypedDict):
    id: str
    text: str
    hit: bool
    evidence: list[str]
    score: float
    keywords: list[str]
    evidence_sentences: list[EvidenceSentenceDict]
    status: Literal["made", "missed", "unclear", ""]


class StarDict(TypedDict):
    situation: bool
    task: bool
    action: bool
    result: bool


class RubricDict(TypedDict):
    coverage: float
    points: list[PointDict]
    about: str | None
    star: StarDict | None


class VerdictsDict(TypedDict, total=False):
    """Only the verdicts given, in this order (a verdict that does not apply is absent)."""

    answer: str
    length: str
    pace: str
    latency: str
    pauses: str
    fillers: str
    coverage: str
    star: str


class TrailingOffDict(TypedDict):
    start: float
    end: float
    text: str
    drop_db: float


class VoiceVerdictsDict(TypedDict, total=False):
    """Only the verdicts given, in this order."""

    pitch: str
    loudness: str
    trailing_off: str
    microphone: str


class VoiceDict(TypedDict):
    """The ``voice`` object (``VoiceMeasures.to_dict``; how each is measured: docs/voice.md)."""

    pitch_median_hz: float | None
    pitch_range_st: float | None
    pitch_variation_st: float | None
    monotone: bool | None
    voiced_s: float
    loudness_dbfs: float | None
    loudness_variation_db: float | None
    sentences: int
    trailing_off: list[TrailingOffDict]
    peak_dbfs: float | None
    clipped_percent: float
    microphone: str
    verdicts: VoiceVerdictsDict
    contour_step_s: float
    pitch_contour_hz: list[float | None]


# The policy object is ``ScoringPolicy``'s fields by name (``ScoringPolicy.to_dict``), with the
# rubric's settings nested under ``rubric`` and the STAR thresholds under ``rubric.star``.
PolicyDict = dict[str, Any]


class AnalysisDict(TypedDict):
    """The ``score --json`` object, keys in the order written. All times are seconds from the
    start of the audio (the moment the question finished). A typed answer (no audio) has every
    key of ``TIMING_KEYS`` null, and its words' times null."""

    question: QuestionDict
    model: str  # the Whisper model used ('' for a typed answer)
    duration_s: float | None  # length of the recording
    transcript: str  # the answer as spoken, fillers included
    words: list[WordDict]  # ``filler``: true for filled pauses and lexical fillers
    word_count: int  # spoken words, fillers excluded
    response_latency_s: float | None  # to the first speech; null when nothing was said
    answer_s: float | None  # first speech to last speech
    target_seconds: list[float]  # the question's recommended [min, max]
    words_per_minute: float | None  # spoken words (no fillers) per minute of ``answer_s``
    articulation_wpm: float | None  # the same per minute of speaking time (policy's gaps out)
    pauses: list[SpanDict] | None  # silent pauses of the policy's ``pause_min_s`` or more
    long_pauses: list[SpanDict] | None  # the pauses of the policy's ``long_pause_s`` or more
    # ``kind``: filled_pause (um, uh, er, ah, hmm) or lexical (like, you know, I mean, basically,
    # actually, literally, sort of, kind of, sentence-initial so)
    fillers: list[FillerDict]
    fillers_per_minute: float | None  # per minute of ``answer_s``
    fillers_per_100_words: float | None  # per 100 spoken words
    # Counts by kind, and where fillers cluster: the first 10 s of the answer, inside a sentence
    # rather than at its boundary, within 1.5 s before a rubric keyword.
    hesitation: HesitationDict | None
    repetitions: list[RepetitionDict]  # repeated words and restarts ("I I think")
    # ``coverage``: the fraction of points hit; a point's ``status`` is made, missed or unclear (a
    # near call by meaning alone; ``hit`` says which side of the threshold);
    # ``evidence_sentences`` are timed (for an unclear point: the closest sentence); ``about``:
    # null, or the question the answer seems to be about instead; ``star``: null, or the four
    # parts for STAR questions.
    rubric: RubricDict
    verdicts: VerdictsDict  # one plain sentence per aspect, judged by ``policy``
    schema_version: int  # this object's format (``SCHEMA_VERSION``; absent before schema 2)
    policy: PolicyDict  # the thresholds the measures and verdicts used
    voice: VoiceDict | None  # how it sounded (Praat): docs/voice.md; null without audio
    # Speech left without words even after a second decode: said, but not in the transcript
    # (shown there as "[unclear speech at m:ss]").
    unclear: list[SpanDict] | None


# ---------------------------------------------------------------- the speech types' objects
# (``speech.timeline`` knows nothing of JSON: its spans are written and read here)


def span_to_dict(s: Span) -> SpanDict:
    return {"start": s.start, "end": s.end}


def span_from(o: JsonObject) -> Span:
    return Span(o.number("start"), o.number("end"))


def filler_to_dict(f: Filler) -> FillerDict:
    return {"text": f.text, "start": f.start, "end": f.end, "kind": f.kind}


def filler_from(o: JsonObject) -> Filler:
    kind = o.string("kind")
    if kind not in ("filled_pause", "lexical"):
        raise o.fail("kind", f"must be 'filled_pause' or 'lexical', not {describe(kind)}")
    return Filler(o.string("text"), o.number("start"), o.number("end"), kind)


def repetition_to_dict(r: Repetition) -> RepetitionDict:
    return {"text": r.text, "start": r.start, "end": r.end}


def repetition_from(o: JsonObject) -> Repetition:
    return Repetition(o.string("text"), o.number("start"), o.number("end"))


# ---------------------------------------------------------------- reading

T = TypeVar("T")
_MISSING = object()


def describe(v: object) -> str:
    """A value as an error message shows it: null, true, 'text', a list, an object, 12."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return repr(v if len(v) <= 30 else v[:29] + "…")
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return repr(v)


class JsonObject:
    """A JSON object being read, with the path that names it in error messages."""

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise AnalysisFormatError(f"{path}: must be an object, not {describe(value)}")
        self.d: dict[str, Any] = value
        self.path = path

    def fail(self, key: str, problem: str) -> AnalysisFormatError:
        return AnalysisFormatError(f"{self.path}.{key}: {problem}")

    def raw(self, key: str) -> Any:
        if key not in self.d:
            raise AnalysisFormatError(f"{self.path}: missing key {key!r}")
        return self.d[key]

    def number(self, key: str, default: object = _MISSING, null: bool = False) -> Any:
        if key not in self.d and default is not _MISSING:
            return default
        v = self.raw(key)
        if v is None and null:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            what = "a number or null" if null else "a number"
            raise self.fail(key, f"must be {what}, not {describe(v)}")
        return float(v)

    def integer(self, key: str, default: object = _MISSING) -> Any:
        if key not in self.d and default is not _MISSING:
            return default
        v = self.raw(key)
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(key, f"must be a whole number, not {describe(v)}")
        return v

    def string(self, key: str, default: object = _MISSING) -> Any:
        if key not in self.d and default is not _MISSING:
            return default
        v = self.raw(key)
        if not isinstance(v, str):
            raise self.fail(key, f"must be a string, not {describe(v)}")
        return v

    def boolean(self, key: str) -> bool:
        v = self.raw(key)
        if not isinstance(v, bool):
            raise self.fail(key, f"must be true or false, not {describe(v)}")
        return v

    def pair(self, key: str) -> tuple[float, float]:
        v = self.raw(key)
        if (
            not isinstance(v, list)
            or len(v) != 2
            or any(isinstance(x, bool) or not isinstance(x, int | float) for x in v)
        ):
            raise self.fail(key, f"must be a list of two numbers, not {describe(v)}")
        return (float(v[0]), float(v[1]))

    def obj(self, key: str, optional: bool = False) -> JsonObject | None:
        """The object at ``key``; None when ``optional`` and it is null or absent."""
        if optional and self.d.get(key) is None:
            return None
        return JsonObject(self.raw(key), f"{self.path}.{key}")

    def items(self, key: str, read: Callable[[JsonObject], T], optional: bool = False) -> list[T]:
        """Each object of the list at ``key`` read with ``read``; [] when ``optional`` and the
        list is null or absent."""
        if optional and self.d.get(key) is None:
            return []
        v = self.array(key)
        return [read(JsonObject(x, f"{self.path}.{key}[{i}]")) for i, x in enumerate(v)]

    def array(self, key: str) -> list[Any]:
        v = self.raw(key)
        if not isinstance(v, list):
            raise self.fail(key, f"must be a list, not {describe(v)}")
        return v

    def strings(self, key: str, optional: bool = False) -> list[str]:
        if optional and self.d.get(key) is None:
            return []
        v = self.raw(key)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.fail(key, f"must be a list of strings, not {describe(v)}")
        return list(v)
