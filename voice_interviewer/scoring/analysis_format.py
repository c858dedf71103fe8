"""The saved form of an ``Analysis``: the ``score --json`` object, written and read back.

``analysis_to_dict`` writes the README's ``score --json`` keys (their names and order are a
contract: keys may be added, never renamed or removed), then ``schema_version`` and ``policy``.
``analysis_from_dict`` reads such an object back into typed values, strictly: a wrong type, a
missing required key, a string where a number belongs, a rubric that is a list... raise
``AnalysisFormatError`` with one line naming the field, e.g.
``analysis.rubric.points[2].hit: must be true or false, not 'yes'``.

What it tolerates, so every session saved so far loads unchanged: no ``schema_version`` (schema 1,
before the key existed); no ``policy`` (read as the default policy); older analyses without
``hesitation``, ``fillers_per_100_words``, ``repetitions``, ``verdicts``, ``voice``, ``unclear`` or
the rubric points' ``score``/``keywords``/``evidence_sentences``; keys it does not know (a later version adds only).
``transcript`` and ``word_count`` are type-checked, then recomputed from the words; the filler rates
are kept as saved (recomputed only when absent), so a reloaded session reports what it reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any, TypeVar

from voice_interviewer.bank import Point, Question
from voice_interviewer.errors import AnalysisFormatError
from voice_interviewer.scoring.analysis import (
    Analysis,
    AnalyzedWord,
    Hesitation,
    hesitation_summary,
)
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.rubric import (
    EvidenceSentence,
    PointResult,
    RubricResult,
    RubricSettings,
    StarResult,
)
from voice_interviewer.scoring.star import StarSettings
from voice_interviewer.scoring.verdicts import VERDICT_NAMES, Verdicts
from voice_interviewer.scoring.voice import voice_from_dict
from voice_interviewer.speech.timeline import Filler, Repetition, Span

__all__ = ["SCHEMA_VERSION", "analysis_from_dict", "analysis_to_dict", "as_analysis"]

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
STAR_PARTS = ("situation", "task", "action", "result")


# ---------------------------------------------------------------- writing


def _spans(xs: list[Span] | list[Repetition]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end} for s in xs]


def policy_to_dict(p: ScoringPolicy) -> dict[str, Any]:
    d = asdict(p)
    d["pace_band_wpm"] = list(p.pace_band_wpm)  # what JSON gives back, so a round trip is equal
    return d


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    r, q = a.rubric, a.question
    d: dict[str, Any] = {
        "question": {"id": q.id, "text": q.text, "category": q.category},
        "model": a.model,
        "duration_s": a.duration_s,
        "transcript": a.transcript,
        "words": [
            {"text": w.text, "start": w.start, "end": w.end, "filler": w.filler} for w in a.words
        ],
        "word_count": a.word_count,
        "response_latency_s": a.response_latency_s,
        "answer_s": a.answer_s,
        "target_seconds": list(q.target_seconds),
        "words_per_minute": a.words_per_minute,
        "articulation_wpm": a.articulation_wpm,
        "pauses": _spans(a.pauses),
        "long_pauses": _spans(a.long_pauses),
        "fillers": [
            {"text": f.text, "start": f.start, "end": f.end, "kind": f.kind} for f in a.fillers
        ],
        "fillers_per_minute": a.fillers_per_minute,
        "fillers_per_100_words": a.fillers_per_100_words,
        "hesitation": asdict(a.hesitation or hesitation_summary(a)),
        "repetitions": [{"text": x.text, "start": x.start, "end": x.end} for x in a.repetitions],
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
                    "status": p.status,
                }
                for p in r.points
            ],
            "about": r.about,
            "star": None if r.star is None else {k: getattr(r.star, k) for k in STAR_PARTS},
        },
        "verdicts": a.verdicts.to_dict(),
        "schema_version": SCHEMA_VERSION,
        "policy": policy_to_dict(a.policy),
        "voice": None if a.voice is None else a.voice.to_dict(),
        "unclear": _spans(a.unclear),
    }
    if a.typed:  # no audio: the timing measures are unknown, not zero
        for key in TIMING_KEYS:
            d[key] = None
        for w in d["words"]:
            w["start"] = w["end"] = None
    return d


# ---------------------------------------------------------------- reading

T = TypeVar("T")
_MISSING = object()


def _kind(v: object) -> str:
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


class _Obj:
    """A JSON object being read, with the path that names it in error messages."""

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise AnalysisFormatError(f"{path}: must be an object, not {_kind(value)}")
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
            raise self.fail(
                key, f"must be {'a number or null' if null else 'a number'}, not {_kind(v)}"
            )
        return float(v)

    def integer(self, key: str, default: object = _MISSING) -> Any:
        if key not in self.d and default is not _MISSING:
            return default
        v = self.raw(key)
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(key, f"must be a whole number, not {_kind(v)}")
        return v

    def string(self, key: str, default: object = _MISSING) -> Any:
        if key not in self.d and default is not _MISSING:
            return default
        v = self.raw(key)
        if not isinstance(v, str):
            raise self.fail(key, f"must be a string, not {_kind(v)}")
        return v

    def boolean(self, key: str) -> bool:
        v = self.raw(key)
        if not isinstance(v, bool):
            raise self.fail(key, f"must be true or false, not {_kind(v)}")
        return v

    def pair(self, key: str) -> tuple[float, float]:
        v = self.raw(key)
        if (
            not isinstance(v, list)
            or len(v) != 2
            or any(isinstance(x, bool) or not isinstance(x, int | float) for x in v)
        ):
            raise self.fail(key, f"must be a list of two numbers, not {_kind(v)}")
        return (float(v[0]), float(v[1]))

    def obj(self, key: str, optional: bool = False) -> _Obj | None:
        """The object at ``key``; None when ``optional`` and it is null or absent."""
        if optional and self.d.get(key) is None:
            return None
        return _Obj(self.raw(key), f"{self.path}.{key}")

    def items(self, key: str, read: Callable[[_Obj], T], optional: bool = False) -> list[T]:
        """Each object of the list at ``key`` read with ``read``; [] when ``optional`` and the
        list is null or absent."""
        if optional and self.d.get(key) is None:
            return []
        v = self.raw(key)
        if not isinstance(v, list):
            raise self.fail(key, f"must be a list, not {_kind(v)}")
        return [read(_Obj(x, f"{self.path}.{key}[{i}]")) for i, x in enumerate(v)]

    def strings(self, key: str, optional: bool = False) -> list[str]:
        if optional and self.d.get(key) is None:
            return []
        v = self.raw(key)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.fail(key, f"must be a list of strings, not {_kind(v)}")
        return list(v)


def _span(o: _Obj) -> Span:
    return Span(o.number("start"), o.number("end"))


def _word(typed: bool) -> Callable[[_Obj], AnalyzedWord]:
    def read(o: _Obj) -> AnalyzedWord:
        start = o.number("start", null=typed) or 0.0
        end = o.number("end", null=typed) or 0.0
        return AnalyzedWord(o.string("text"), start, end, o.boolean("filler"))

    return read


_NUMBER = (int, float)  # exact types: a bool is an int to isinstance, never a number here


def _words(o: _Obj, typed: bool) -> list[AnalyzedWord]:
    """The words: the bulk of an analysis, so well-formed ones are read in one tight loop; any
    other goes through ``_word`` for its precise error."""
    v = o.raw("words")
    if not isinstance(v, list):
        raise o.fail("words", f"must be a list, not {_kind(v)}")
    read_one = _word(typed)
    out = []
    for i, w in enumerate(v):
        if type(w) is dict and len(w) == 4:
            text, start, end, filler = w.get("text"), w.get("start"), w.get("end"), w.get("filler")
            if type(text) is str and type(filler) is bool:
                if type(start) in _NUMBER and type(end) in _NUMBER:
                    out.append(AnalyzedWord(text, float(start), float(end), filler))
                    continue
                if typed and start is None and end is None:
                    out.append(AnalyzedWord(text, 0.0, 0.0, filler))
                    continue
        out.append(read_one(_Obj(w, f"{o.path}.words[{i}]")))
    return out


def _filler(o: _Obj) -> Filler:
    kind = o.string("kind")
    if kind not in ("filled_pause", "lexical"):
        raise o.fail("kind", f"must be 'filled_pause' or 'lexical', not {_kind(kind)}")
    return Filler(o.string("text"), o.number("start"), o.number("end"), kind)


def _repetition(o: _Obj) -> Repetition:
    return Repetition(o.string("text"), o.number("start"), o.number("end"))


def _sentence(o: _Obj) -> EvidenceSentence:
    return EvidenceSentence(
        o.string("text"), o.number("start", null=True), o.number("end", null=True)
    )


def _point(o: _Obj) -> PointResult:
    pid = o.string("id")
    return PointResult(
        id=pid,
        text=o.string("text", pid),
        hit=o.boolean("hit"),
        evidence=o.strings("evidence", optional=True),
        score=o.number("score", 0.0),
        keywords=o.strings("keywords", optional=True),
        sentences=o.items("evidence_sentences", _sentence, optional=True),
        status=o.string("status", "made" if o.d.get("hit") else "missed"),
    )


def _rubric(o: _Obj) -> RubricResult:
    star = o.obj("star", optional=True)
    return RubricResult(
        coverage=o.number("coverage"),
        points=o.items("points", _point),
        star=None if star is None else StarResult(*(star.boolean(k) for k in STAR_PARTS)),
        about=o.d.get("about") if isinstance(o.d.get("about"), str) else None,
    )


def _verdicts(o: _Obj) -> Verdicts:
    return Verdicts(**{k: o.string(k) for k in VERDICT_NAMES if k in o.d})


def _hesitation(o: _Obj) -> Hesitation:
    return Hesitation(**{f.name: o.integer(f.name) for f in fields(Hesitation)})


def _policy(o: _Obj) -> ScoringPolicy:
    values: dict[str, Any] = {}
    for f in fields(ScoringPolicy):
        if f.name not in o.d:
            continue  # written by a version with fewer thresholds: the default applies
        if f.name == "rubric":
            r = _Obj(o.d["rubric"], f"{o.path}.rubric")
            known = [g.name for g in fields(RubricSettings) if g.name in r.d and g.name != "star"]
            rubric: dict[str, Any] = {k: r.number(k) for k in known}
            if "star" in r.d:  # the STAR thresholds, one per part
                st = _Obj(r.d["star"], f"{r.path}.star")
                parts = [g.name for g in fields(StarSettings) if g.name in st.d]
                rubric["star"] = StarSettings(**{k: st.number(k) for k in parts})
            values["rubric"] = RubricSettings(**rubric)
        elif f.name == "pace_band_wpm":
            values[f.name] = o.pair(f.name)
        else:
            values[f.name] = o.number(f.name)
    return ScoringPolicy(**values)


def as_analysis(a: Analysis | dict) -> Analysis:
    """``a`` itself, or the analysis the ``to_dict`` object ``a`` describes: lets renderers take
    either while their callers move to typed values."""
    return a if isinstance(a, Analysis) else analysis_from_dict(a)


def analysis_from_dict(d: object, path: str = "analysis") -> Analysis:
    """The ``Analysis`` a ``to_dict`` object describes; ``AnalysisFormatError`` if it is malformed.

    The question comes back as the analysis recorded it: id, text, category, target and the
    rubric's points (no keywords, follow-ups or examples: those live in the bank).
    """
    o = _Obj(d, path)
    version = o.integer("schema_version", 1)
    if version > SCHEMA_VERSION or version < 1:
        raise o.fail(
            "schema_version",
            f"{version} is not a format this version reads (1 to {SCHEMA_VERSION}): "
            "it was written by a newer voice-interviewer; upgrade to read it",
        )
    typed = o.raw("duration_s") is None  # a typed answer: every timing key is null
    q = o.obj("question")
    rubric = _rubric(o.obj("rubric"))
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
    # The transcript and word count are recomputed from the words; checking their types still
    # catches a damaged file early.
    o.string("transcript")
    o.integer("word_count", 0)
    verdicts = o.obj("verdicts", optional=True)
    hesitation = o.obj("hesitation", optional=True)
    policy = o.obj("policy", optional=True)
    return Analysis(
        question=question,
        duration_s=0.0 if typed else o.number("duration_s"),
        words=_words(o, typed),
        response_latency_s=None if typed else o.number("response_latency_s", null=True),
        answer_s=o.number("answer_s", null=typed) or 0.0,
        words_per_minute=None if typed else o.number("words_per_minute", null=True),
        articulation_wpm=None if typed else o.number("articulation_wpm", null=True),
        pauses=o.items("pauses", _span, optional=typed),
        long_pauses=o.items("long_pauses", _span, optional=typed),
        fillers=o.items("fillers", _filler),
        repetitions=o.items("repetitions", _repetition, optional=True),
        rubric=rubric,
        verdicts=Verdicts() if verdicts is None else _verdicts(verdicts),
        model=o.string("model", ""),
        typed=typed,
        policy=DEFAULT_POLICY if policy is None else _policy(policy),
        hesitation=None if hesitation is None else _hesitation(hesitation),
        fillers_per_minute=None if typed else o.number("fillers_per_minute", None, null=True),
        fillers_per_100_words=None if typed else o.number("fillers_per_100_words", None, null=True),
        unclear=[] if typed else o.items("unclear", _span, optional=True),
        voice=voice_from_dict(o.d.get("voice"), f"{path}.voice"),
    )
