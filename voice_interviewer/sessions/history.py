"""Statistics over saved sessions: scored answers, averages, trends, weakest questions, missed
points.

Saved answers carry their typed ``Analysis`` (the store reads it back, and leaves out a damaged one
with a warning), and everything here and in ``reports`` works on those typed values.

Which answers count: pace, fillers and long pauses average over every *scored* answer (speech was
heard; an answer cut short by Ctrl-C counts for what it holds); rubric coverage, length within
target, weakest questions and missed points count only main answers, because a follow-up is a short
reply to a probe ("What was the result?") and judging it against the whole question's rubric and
target time would make every session look worse than it was.

A question tried again in a session (Try again) counts once, by its latest scored attempt (with that
attempt's follow-ups and probes): the earlier tries are practice on the way to it, and counting
each would weigh a retried question more than the others (``sessions.standing``, the one place
this rule is written; the store's session list averages through it too).

Everything is computed from the store's public API (``list_sessions`` + ``load_session``), so a
damaged session (never ended, answers left 'recording', recordings missing) is read like any other
and listed with what is wrong with it. A session's date is when it was practised: for an imported
session that is the original date kept in ``settings["imported_from"]["started_at"]`` (the store
stamps imports with the import time).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.sessions.standing import standing_answers
from voice_interviewer.sessions.store import AnswerRecord, SessionDetail, SessionStore

ALL = "all"  # the scope holding every category


# ---------------------------------------------------------------- typed answers


@dataclass(frozen=True)
class ScoredAnswer:
    """A saved answer with speech, and its typed analysis."""

    record: AnswerRecord
    analysis: Analysis

    @property
    def main(self) -> bool:
        """Answers the question itself (not a follow-up probe)."""
        return self.record.follow_up_of is None


def scored_answers(records: Sequence[AnswerRecord]) -> list[ScoredAnswer]:
    """The answers averages are made of, in order: the scored ones (``AnswerRecord.scored``) of
    those standing for their questions (``standing_answers``). ``records``: one session's."""
    standing = standing_answers(records)
    return [ScoredAnswer(r, r.analysis) for r in standing if r.scored and r.analysis is not None]


def policy_of(scored: Sequence[ScoredAnswer]) -> ScoringPolicy:
    """The policy a set of answers was judged by: the first answer's (a session scores every
    answer with one policy); the default when there is none."""
    return scored[0].analysis.policy if scored else DEFAULT_POLICY


def mean(xs: Sequence[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


# ---------------------------------------------------------------- trends


@dataclass(frozen=True)
class TrendMetrics:
    """The trend measurements of a set of answers; None where nothing was measured."""

    wpm: float | None
    fillers_per_minute: float | None
    long_pauses: float | None  # per answer
    coverage: float | None  # main answers
    within_target: float | None  # share of main answers inside their target length
    # How much the pitch moved (semitones; answers scored with voice measures): low is monotone.
    pitch_variation_st: float | None = None


METRIC_NAMES = tuple(f.name for f in fields(TrendMetrics))


def metrics_for(answers: Sequence[AnswerRecord]) -> TrendMetrics:
    """The trend measurements of saved answers (the scored ones count)."""
    return metrics_of(scored_answers(answers))


def metrics_of(scored: Sequence[ScoredAnswer]) -> TrendMetrics:
    main = [s.analysis for s in scored if s.main]
    return TrendMetrics(
        wpm=mean([s.analysis.words_per_minute for s in scored]),
        fillers_per_minute=mean([s.analysis.fillers_per_minute for s in scored]),
        long_pauses=mean([len(s.analysis.long_pauses) for s in scored]),
        coverage=mean([a.rubric.coverage for a in main]),
        within_target=mean([float(a.within_target) for a in main]),
        pitch_variation_st=mean(
            [s.analysis.voice.pitch_variation_st for s in scored if s.analysis.voice is not None]
        ),
    )


def practised_at(d: SessionDetail) -> str:
    return (d.settings.get("imported_from") or {}).get("started_at") or d.started_at


def problems(d: SessionDetail) -> list[str]:
    """What is wrong with a saved session, in words; empty when it is whole."""
    out = []
    if d.status == "incomplete":
        out.append("never ended: the program stopped mid-session")
    elif d.status == "interrupted":
        out.append("interrupted")
    cut = sum(a.status == "incomplete" for a in d.answers)
    if cut:
        out.append(f"{cut} answer{'s' if cut > 1 else ''} never finished recording")
    lost = sum(a.recording_lost for a in d.answers)
    if lost:
        out.append(f"{lost} recording{'s' if lost > 1 else ''} missing")
    return out


@dataclass
class SessionTrend:
    id: int
    started_at: str
    bank_id: str
    status: str
    answered: int
    asked: int
    problems: list[str]
    metrics: dict[str, TrendMetrics]  # scope ('all' or a category) -> its measurements


@dataclass
class QuestionStat:
    question_id: str
    question_text: str
    category: str
    answers: int
    avg_coverage: float
    misses: int  # rubric points missed, summed over its answers


@dataclass
class MissedPoint:
    question_id: str
    question_text: str
    point_id: str
    point_text: str
    missed: int
    answered: int  # how many times the question was answered


@dataclass
class History:
    sessions: list[SessionTrend]  # oldest first
    scopes: list[str]  # 'all', then the categories in the order first seen
    overall: dict[str, TrendMetrics]  # scope -> its measurements over all sessions
    weakest: list[QuestionStat]
    missed: list[MissedPoint]
    filters: dict[str, str | None] = field(default_factory=dict)
    left_out_demos: int = 0  # demo sessions of the bank asked for: sample answers, not progress

    def series(self, scope: str, metric: str) -> list[float | None]:
        """One value per session (oldest first) of ``metric`` (a ``TrendMetrics`` field)."""
        if metric not in METRIC_NAMES:
            raise ValueError(f"unknown metric {metric!r} (known: {', '.join(METRIC_NAMES)})")
        return [getattr(s.metrics.get(scope), metric, None) for s in self.sessions]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _when(iso: str) -> datetime:
    dt = datetime.fromisoformat(iso)
    return dt if dt.tzinfo else dt.astimezone()


def load_details(store: SessionStore, bank: str | None = None) -> list[SessionDetail]:
    practice = store.list_sessions(kinds=("practice",))  # demo sessions are not your progress
    return [store.load_session(s.id) for s in practice if bank in (None, s.bank_id)]


def collect_history(
    store: SessionStore,
    bank: str | None = None,
    category: str | None = None,
    since: date | None = None,
) -> History:
    details = load_details(store, bank)
    details = [d for d in details if since is None or _when(practised_at(d)).date() >= since]
    details.sort(key=lambda d: (_when(practised_at(d)), d.id))
    sessions: list[SessionTrend] = []
    pooled: dict[str, list[ScoredAnswer]] = defaultdict(list)
    categories: list[str] = []
    for d in details:
        answers = [a for a in d.answers if category in (None, a.category)]
        if category is not None and not answers:
            continue  # this session never asked that category
        # Every category asked is a scope, even one whose answers were all unanswered.
        by_scope: dict[str, list[ScoredAnswer]] = {}
        for a in answers:
            if a.category not in categories:
                categories.append(a.category)
            by_scope.setdefault(a.category, [])
        scored = scored_answers(answers)
        for s in scored:
            by_scope[s.record.category].append(s)
        by_scope[ALL] = scored
        for scope, items in by_scope.items():
            pooled[scope] += items
        sessions.append(
            SessionTrend(
                d.id,
                practised_at(d),
                d.bank_id,
                d.status,
                len(scored),
                len(standing_answers(answers)),  # a question tried again is asked once
                problems(d),
                {scope: metrics_of(items) for scope, items in by_scope.items()},
            )
        )
    main = [s for s in pooled[ALL] if s.main]
    return History(
        sessions,
        [ALL, *categories],
        {scope: metrics_of(items) for scope, items in pooled.items()},
        weakest_questions(main),
        most_missed_points(main),
        {"bank": bank, "category": category, "since": since and since.isoformat()},
        sum(bank in (None, s.bank_id) for s in store.list_sessions(kinds=("demo",))),
    )


def weakest_questions(main: Sequence[ScoredAnswer]) -> list[QuestionStat]:
    """Lowest average coverage first; ties go to the question with the most missed points."""
    by_q: dict[str, list[ScoredAnswer]] = defaultdict(list)
    for s in main:
        by_q[s.record.question_id].append(s)
    stats = [
        QuestionStat(
            qid,
            items[-1].record.question_text,
            items[-1].record.category,
            len(items),
            sum(s.analysis.rubric.coverage for s in items) / len(items),
            sum(not p.hit for s in items for p in s.analysis.rubric.points),
        )
        for qid, items in by_q.items()
    ]
    return sorted(stats, key=lambda s: (s.avg_coverage, -s.misses, s.question_id))


def most_missed_points(main: Sequence[ScoredAnswer]) -> list[MissedPoint]:
    answered = Counter(s.record.question_id for s in main)
    missed: Counter[tuple[str, str]] = Counter()
    text: dict[tuple[str, str], tuple[str, str]] = {}
    for s in main:
        for p in s.analysis.rubric.points:
            key = (s.record.question_id, p.id)
            text[key] = (s.record.question_text, p.text)
            missed[key] += not p.hit
    out = [
        MissedPoint(q, text[(q, p)][0], p, text[(q, p)][1], n, answered[q])
        for (q, p), n in missed.items()
        if n
    ]
    return sorted(out, key=lambda m: (-m.missed, m.question_id, m.point_id))


def weakest_question_ids(store: SessionStore, bank_id: str | None, n: int) -> list[str]:
    """The ``n`` questions to practise: lowest average rubric coverage over the saved main
    answers (ties: most missed points), optionally within one bank. Unanswered questions have no
    coverage and are not ranked."""
    return [q.question_id for q in collect_history(store, bank=bank_id).weakest[:n]]
