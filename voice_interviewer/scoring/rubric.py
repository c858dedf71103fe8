"""Rubric coverage: which of a question's points the answer makes, with the sentences as evidence.

Two kinds of evidence are combined per point:

- meaning: the best cosine between a sentence or clause of the answer and the point's text, from a
  sentence-embedding model (``semantic``); a sentence close enough makes the point on its own,
  unless it is closer to a point of another question of the bank, or the answer as a whole is
  about another question (``topics``);
- keywords: matched case-insensitively on word boundaries, across punctuation and hyphens
  ("drop-out" = "dropout"), plurals, -ing/-ed forms and British/American spelling (``textnorm``).
  The author's word: a keyword said in a clause that is not negated makes the point. A point
  with ``match = "meaning"`` asks more: the sentence must be at least loosely about the point and
  not clearly about another question ("my biggest failure is that I care too much about quality").

Each point is made, missed, or unclear (decided by meaning alone, near the threshold). The user's
corrections of earlier answers (``taught``) decide a point for a sentence like the one judged.

Negated sentences make no point ("we never ran an A/B test"), nor does a strength dressed up as
a failure ("my biggest failure is that I care too much"). Without an embedder (unit tests of
other modules, or ``RubricSettings.semantic = False``) only the keywords count.
STAR parts (situation, task, action, result) are judged per sentence and clause, by cue phrases
and by meaning (``star``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields

from voice_interviewer.bank import Question
from voice_interviewer.bank.model import MATCH_MEANING
from voice_interviewer.scoring.phrasings import phrasings_for
from voice_interviewer.scoring.rubric_result import (
    MADE,
    MISSED,
    UNCLEAR,
    EvidenceSentence,
    PointResult,
    RubricResult,
)
from voice_interviewer.scoring.semantic import (
    Embedder,
    Similarities,
    answer_units,
    embed_points,
    is_negated,
    similarities,
    split_sentences,
)
from voice_interviewer.scoring.serialization import JsonObject
from voice_interviewer.scoring.star import StarResult, StarSettings, detect_star, judge_star
from voice_interviewer.scoring.taught import TAUGHT_MADE, LearnedExamples, learned_votes
from voice_interviewer.scoring.topics import elsewhere, embed_topics, off_topic
from voice_interviewer.speech.timeline import Word, join_words
from voice_interviewer.textnorm import stem, tokens

# The result types live in ``rubric_result``, StarResult and detect_star in ``star``; re-exported
# for existing callers.
__all__ = [
    "EvidenceSentence",
    "PointResult",
    "RubricResult",
    "RubricSettings",
    "StarResult",
    "detect_star",
    "keyword_said",
    "prepare_rubric",
    "score_rubric",
]


@dataclass(frozen=True)
class RubricSettings:
    """Thresholds of the combination, on the embedder's cosine scale. Chosen on the tuning sets
    only (the main fixture answers, ``tests/data/rubric_answers.toml`` and
    ``tests/data/rubric_tuning.toml``); ``python -m benchmarks.rubric`` reports them beside the
    held-out sets."""

    # A sentence at least this close to a point makes it by meaning alone.
    semantic_hit: float = 0.42
    # A keyword counts only in a sentence at least this close to the point (traps: a keyword
    # dropped in passing sits in a sentence about something else).
    keyword_min: float = 0.16
    # The cosine that maps to a score of 0; ``semantic_hit`` maps to 0.5.
    score_zero: float = 0.24
    # A sentence makes a point by meaning only if it is about that point at least as much as
    # about any other point of the question, less this margin.
    dominance: float = 0.0
    # A point judged by meaning alone whose score is this close to 0.5 is "unclear".
    unclear_band: float = 0.08
    # Off-topic guard (``topics``): a sentence closer to a point of another question of the bank
    # than to this point, less ``cross_margin``, makes it by no meaning; an answer mostly about
    # another question, or coming no closer than ``topic_floor`` to any point, earns no
    # meaning-only credit (its score is capped at ``off_topic_cap``).
    cross_margin: float = 0.1
    # A keyword of a match = "meaning" point counts only in a sentence no farther than this from
    # the point than from another question's closest point.
    keyword_rival: float = 0.3
    topic_floor: float = 0.3
    # An answer whose units come closer on average to another question's points than to this
    # question's, by more than this, is off topic too (``topics.off_topic``).
    topic_margin: float = 0.05
    off_topic_cap: float = 0.3
    # A taught example (a user's correction) decides a point when a unit is at least this close.
    taught_min: float = 0.75
    star: StarSettings = StarSettings()

    @classmethod
    def from_dict(cls, o: JsonObject) -> RubricSettings:
        """Saved thresholds; one a version with fewer of them did not save takes its default."""
        known = [f.name for f in fields(cls) if f.name in o.d and f.name != "star"]
        values: dict = {k: o.number(k) for k in known}
        if "star" in o.d:  # the STAR thresholds, one per part
            values["star"] = StarSettings.from_dict(JsonObject(o.d["star"], f"{o.path}.star"))
        return cls(**values)


@dataclass(frozen=True)
class _Tok:
    key: str  # stemmed
    raw: str  # lower-case token
    word: int  # index of the transcript word it came from


# Every answer is matched against every keyword of its question: the same few thousand strings
# are stemmed again and again.
_stem = functools.lru_cache(maxsize=65536)(stem)


def _tokenize_words(words: Sequence[Word]) -> list[_Tok]:
    out: list[_Tok] = []
    for i, w in enumerate(words):
        for t in tokens(w.text):
            out.append(_Tok(_stem(t), t, i))
    return out


def _find_all(phrase: str, toks: list[_Tok]) -> list[tuple[int, int]]:
    """Every match of ``phrase`` in ``toks`` as (first token, last token + 1)."""
    kw = tokens(phrase)
    if not kw:
        return []
    keys = [_stem(t) for t in kw]
    joined = _stem("".join(kw))
    n = len(keys)
    found = []
    for i in range(len(toks)):
        if [t.key for t in toks[i : i + n]] == keys:
            found.append((i, i + n))
            continue
        # Spelled apart or together: "drop out" vs "dropout", "dataset" vs "data set". Stemming
        # never changes a word's first letter, so most starts are ruled out at once.
        if toks[i].raw[:1] != joined[:1]:
            continue
        acc = ""
        for j in range(i, min(len(toks), i + n + 2)):
            acc += toks[j].raw
            if (j > i or n > 1) and _stem(acc) == joined:
                found.append((i, j + 1))
                break
            if len(acc) >= len(joined) + 4:
                break
    return found


def keyword_said(text: str, keyword: str) -> bool:
    """Whether ``text`` says ``keyword`` as the rubric matches keywords (for checks on a bank's
    own text, such as a probe that must not give its point's answer away)."""
    return bool(_find_all(keyword, _tokenize_words([Word(text, 0.0, 0.0)])))


def _find(phrase: str, toks: list[_Tok]) -> tuple[int, int] | None:
    """First match of ``phrase`` in ``toks`` as (first token, last token + 1)."""
    found = _find_all(phrase, toks)
    return found[0] if found else None


def _ramp(cos: float, settings: RubricSettings) -> float:
    """Cosine -> 0..1: ``score_zero`` is 0, ``semantic_hit`` is 0.5, linear, clipped."""
    span = 2 * (settings.semantic_hit - settings.score_zero)
    return min(1.0, max(0.0, (cos - settings.score_zero) / span))


def prepare_rubric(question: Question, embedder: Embedder) -> None:
    """Embeds the question's points and phrasings while the question is asked, so the rubric
    adds only the answer's sentences to the time between the answer's end and its feedback."""
    embed_points(question.points, embedder, [phrasings_for(question, p) for p in question.points])
    embed_topics(question, embedder)


def score_rubric(
    question: Question,
    words: Sequence[Word],
    embedder: Embedder | None = None,
    settings: RubricSettings = RubricSettings(),
    timed: bool = True,
    learned: LearnedExamples | None = None,
) -> RubricResult:
    """``words`` as spoken (fillers removed); ``timed`` False for a typed answer (no times).
    ``learned``: the user's corrections of earlier answers, examples of the points made or missed
    (``corrections``)."""
    sentences = split_sentences(words, timed=timed)
    says = [phrasings_for(question, p) for p in question.points]
    sims = similarities(question.points, words, sentences, embedder, says) if embedder else None
    units = sims.units if sims else answer_units(words, sentences, timed)
    where = elsewhere(question, sims, embedder) if sims and embedder else None
    about = (
        off_topic(question, sims, where, settings.topic_floor, settings.topic_margin)
        if sims
        else None
    )
    rivals = None if where is None else where.cos - settings.cross_margin
    taught = (
        learned_votes(question, sims, embedder, learned, settings.taught_min)
        if sims and embedder
        else {}
    )
    toks = _tokenize_words(words)
    results = []
    key_terms: set[tuple[float, float]] = set()
    for j, point in enumerate(question.points):
        point_negated = is_negated(point.text)
        # The author's word: a keyword said in a clause that is not negated makes the point,
        # unless the bank asks for the meaning to agree as well (match = "meaning").
        needs_meaning = point.match == MATCH_MEANING
        quotes: list[str] = []
        kw_units: list[int] = []  # units holding a keyword that counts
        kw_sentences: list[int] = []  # the sentences those keywords were said in
        for kw in point.keywords:
            for a, b in _find_all(kw, toks):
                first, last = toks[a].word, toks[b - 1].word
                inside = [
                    u
                    for u, unit in enumerate(units)
                    if unit.first <= first
                    and last <= unit.last
                    and (not unit.negated or point_negated)
                    and not unit.boast
                ]
                if sims and needs_meaning:
                    if about is not None:
                        inside = []  # an answer about another question: no meaning agrees
                    inside = [
                        u
                        for u in inside
                        if sims.matrix[u, j] >= settings.keyword_min
                        and (
                            where is None
                            or sims.matrix[u, j] >= where.cos[u] - settings.keyword_rival
                        )
                    ]
                if not inside:
                    continue
                kw_units.extend(inside)
                kw_sentences.append(
                    next(i for i, s in enumerate(sentences) if s.first <= first <= s.last)
                )
                if timed:
                    key_terms.add((words[first].start, words[last].end))
                quote = join_words(w.text for w in words[first : last + 1]).strip(" ,.;:!?")
                # "stopping" adds nothing beside "early stopping"
                if not any(quote.lower() in e.lower() for e in quotes):
                    quotes.append(quote)
        results.append(
            _point_result(
                point,
                j,
                quotes,
                kw_units,
                sims,
                sentences,
                units,
                settings,
                about,
                taught.get(j),
                rivals,
                kw_sentences,
            )
        )
    coverage = sum(r.hit for r in results) / len(results) if results else 0.0
    star = judge_star([u.text for u in units], embedder, settings.star) if question.star else None
    return RubricResult(
        round(coverage, 3), results, star, sorted(key_terms), about.text if about else None
    )


def _status(score: float, by_keyword: bool, settings: RubricSettings) -> str:
    """made / missed, or unclear when the meaning alone puts it near the threshold."""
    if by_keyword:
        return MADE
    if abs(score - 0.5) < settings.unclear_band:
        return UNCLEAR
    return MADE if score >= 0.5 else MISSED


def _point_result(
    point,
    j,
    quotes,
    kw_units,
    sims: Similarities | None,
    sentences,
    units,
    settings,
    about,
    vote,
    rivals=None,
    kw_sentences=(),
) -> PointResult:
    at = None
    if sims is None:  # keywords only
        score = 1.0 if kw_units else 0.0
        chosen = sorted(set(kw_sentences))
    else:
        best, at = sims.best(j, settings.dominance, vote.vetoed if vote else frozenset(), rivals)
        score = _ramp(best, settings)
        if about is not None:  # off topic: the meaning earns nothing on its own
            score = min(score, settings.off_topic_cap)
        if vote is not None and vote.made_at is not None:  # the user's judgement of a like one
            score, at = max(score, TAUGHT_MADE), vote.made_at
        if kw_units:  # a keyword that counts: a hit, surer the closer it is
            score = max(score, 0.5 + score / 2)
        chosen = []
        if at is not None and (score >= 0.5 or abs(score - 0.5) < settings.unclear_band):
            chosen.append(units[at].sentence)
        if score >= 0.5:
            chosen += kw_sentences
        chosen = sorted(set(chosen))
    hit = score >= 0.5
    status = _status(score, bool(kw_units), settings)
    ev = [sentences[i] for i in chosen] if status != MISSED else []
    return PointResult(
        point.id,
        point.text,
        hit,
        [s.text for s in ev] if hit else [],
        round(score, 3),
        quotes if hit else [],
        [EvidenceSentence(s.text, s.start, s.end) for s in ev],
        status,
    )
