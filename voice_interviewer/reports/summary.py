"""What a session report says, and its text exports (Markdown and JSON).

``summarize`` turns a saved session's answers into the numbers at the top of every report and the
three things to work on next; ``report_markdown`` and ``report_json`` write the same content as the
HTML report (``report_html``), so the three formats never disagree.

Which answers count is decided in ``sessions.history`` (pace, fillers and long pauses over every
scored answer; coverage and length within target over main answers only). Interrupted answers hold
only part of what was said and are shown but never averaged. Every threshold is the scoring policy
the answers were judged by (``scoring.policy``), so a report agrees with its own verdicts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from voice_interviewer.bank import Bank
from voice_interviewer.reports.attempts import comparison_markdown, comparisons_by_seq
from voice_interviewer.reports.follow_through import example_answers, probe_seqs
from voice_interviewer.reports.voice_view import voice_rows, voice_work_on
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.policy import ScoringPolicy
from voice_interviewer.scoring.rubric import StarResult
from voice_interviewer.sessions.history import (
    ScoredAnswer,
    mean,
    policy_of,
    scored_answers,
)
from voice_interviewer.sessions.store import AnswerRecord, SessionDetail
from voice_interviewer.speech.timeline import attaches_to_previous
from voice_interviewer.wording import whole

STAR_PARTS = ("situation", "task", "action", "result")
STATUS_TEXT = {
    "answered": "answered",
    "unanswered": "no answer was heard",
    "interrupted": "interrupted: the session was stopped during this answer",
    "incomplete": "incomplete: the program stopped mid-answer; the recording may be cut short",
}

NOT_ANSWERED = "the question was not answered"
NEVER_WRITTEN = "never written"


def recording_absent(a: AnswerRecord) -> str:
    """Why an answer has no recording on disk: lost data (it was scored, so it was recorded),
    none written before the program stopped, or none because the question was not answered."""
    if a.recording_lost:
        return f"missing, {a.wav_path.name} is gone from disk"
    if a.status in ("incomplete", "recording"):
        return NEVER_WRITTEN
    return NOT_ANSWERED


@dataclass
class ReportSummary:
    asked: int
    answered: int
    unanswered: int
    interrupted: int
    incomplete: int
    missing_recordings: int
    coverage: float | None  # mean over main answered answers
    avg_wpm: float | None  # the rest: means over all answered answers
    fillers_per_minute: float | None
    long_pauses: int
    within_target: int  # main answered answers whose length is inside the target
    main_answered: int
    things_to_work_on: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize(answers: Sequence[AnswerRecord]) -> ReportSummary:
    scored = scored_answers(answers)
    main = [s.analysis for s in scored if s.main]
    statuses = Counter(a.status for a in answers)
    return ReportSummary(
        asked=len(answers),
        answered=statuses["answered"],
        unanswered=statuses["unanswered"],
        interrupted=statuses["interrupted"],
        incomplete=statuses["incomplete"],
        missing_recordings=sum(a.recording_lost for a in answers),
        coverage=mean([a.rubric.coverage for a in main]),
        avg_wpm=mean([s.analysis.words_per_minute for s in scored]),
        fillers_per_minute=mean([s.analysis.fillers_per_minute for s in scored]),
        long_pauses=sum(len(s.analysis.long_pauses) for s in scored),
        within_target=sum(a.within_target for a in main),
        main_answered=len(main),
        things_to_work_on=work_on(answers, scored),
    )


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def things_to_work_on(answers: Sequence[AnswerRecord], n: int = 3) -> list[str]:
    """The ``n`` most pressing habits to fix, in plain words, worst first.

    Every candidate gets a severity (0 = fine; about 1 = clearly off) so unlike measurements can be
    ranked: coverage below the policy's goal (x1.2: saying the right things matters most in an
    interview), pace outside the policy's band, fillers above its "few" rate, long pauses per
    answer, answers short of or over their target, missing STAR parts, unanswered questions.
    """
    return work_on(answers, scored_answers(answers), n)


def work_on(
    answers: Sequence[AnswerRecord],
    scored: Sequence[ScoredAnswer],
    n: int = 3,
    policy: ScoringPolicy | None = None,
) -> list[str]:
    """``things_to_work_on`` with the scored answers already read (and an optional policy other
    than the one the answers were judged by)."""
    p = policy or policy_of(scored)
    main = [s.analysis for s in scored if s.main]
    found: list[tuple[float, int, str]] = []  # (severity, tie-break order, advice)

    def add(severity: float, text: str) -> None:
        if severity > 0:
            found.append((min(severity, 2.0), len(found), text))

    coverage = mean([a.rubric.coverage for a in main])
    if coverage is not None and coverage < p.coverage_goal:
        missed = [
            (a.rubric.coverage, pt.text) for a in main for pt in a.rubric.points if not pt.hit
        ]
        worst = [f"“{_short(t)}”" for _, t in sorted(missed, key=lambda m: m[0])[:2]]
        add(
            1.2 * (p.coverage_goal - coverage) / 0.4,
            f"Cover the key points: you covered {coverage:.0%} of them. "
            f"Missed, among others: {' and '.join(worst)}.",
        )
    wpm = mean([s.analysis.words_per_minute for s in scored])
    wpm = None if wpm is None else whole(wpm)  # judged on the number shown
    lo, hi = p.pace_band_wpm
    band = p.pace_band_text
    if wpm is not None and p.pace(wpm) == "slow":
        add(
            (lo - wpm) / 30,
            f"Speak a little faster: you averaged {wpm:.0f} words a minute; aim for {band}.",
        )
    elif wpm is not None and p.pace(wpm) == "fast":
        add(
            (wpm - hi) / 30,
            f"Slow down: you averaged {wpm:.0f} words a minute; aim for {band} so each point "
            "lands.",
        )
    fpm = mean([s.analysis.fillers_per_minute for s in scored])
    if fpm is not None and p.fillers(fpm) != "few":
        words = Counter(f.text.lower() for s in scored for f in s.analysis.fillers)
        top = ", ".join(f"“{w}”" for w, _ in words.most_common(2))
        add(
            (fpm - p.fillers_few_per_minute) / 6,
            f"Cut the fillers: {fpm:.1f} a minute (mostly {top}); pause silently instead.",
        )
    n_long = sum(len(s.analysis.long_pauses) for s in scored)
    if n_long:
        add(
            n_long / len(scored) / 2,
            f"Keep the flow: {n_long} long pause{'s' if n_long > 1 else ''} "
            f"({p.long_pause_text}) in {len(scored)} answer{'s' if len(scored) > 1 else ''}; "
            "outline the answer in your head (point, example, result) before you start.",
        )
    short = [a for a in main if p.length(a.answer_s, a.question.target_seconds) == "short"]
    if short:
        e = short[0]
        t_lo, t_hi = e.question.target_seconds
        add(
            len(short) / len(main),
            f"Say more: {len(short)} of {len(main)} answers were shorter than their target "
            f"(e.g. {e.answer_s:.0f} s where {t_lo:.0f}-{t_hi:.0f} s was expected); "
            "add an example and its result.",
        )
    long = [a for a in main if p.length(a.answer_s, a.question.target_seconds) == "long"]
    if long:
        add(
            0.8 * len(long) / len(main),
            f"Tighten up: {len(long)} of {len(main)} answers ran over their target time; "
            "lead with the point and cut the detours.",
        )
    stars = [a.rubric.star for a in main if a.rubric.star is not None]
    gaps = Counter(k for st in stars for k in st.missing())
    if gaps:
        parts = [k for k in STAR_PARTS if gaps[k]]
        add(
            sum(gaps.values()) / (4 * len(stars)) * 1.5,
            f"Tell complete STAR stories: the {_and(parts)} did not come through in "
            f"{max(gaps.values())} of {len(stars)} behavioural "
            f"answer{'s' if len(stars) > 1 else ''}.",
        )
    for severity, text in voice_work_on([s.analysis for s in scored], p):
        add(severity, text)
    asked_main = [a for a in answers if a.follow_up_of is None]
    silent = [a for a in asked_main if a.status == "unanswered"]
    if silent:
        add(
            len(silent) / len(asked_main),
            f"Answer every question: {len(silent)} of {len(asked_main)} got no answer; "
            "start with what you do know and build from there.",
        )
    found.sort(key=lambda f: (-f[0], f[1]))
    return [text for _, _, text in found[:n]]


# ---------------------------------------------------------------- shared row builders


def _fmt(x: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def measurement_rows(a: Analysis) -> list[tuple[str, str, str]]:
    """(measurement, value, verdict) for one analysis: what the HTML and Markdown tables show."""
    v, p = a.verdicts, a.policy
    lo, hi = a.question.target_seconds
    filled = sum(f.kind == "filled_pause" for f in a.fillers)
    n_long = len(a.long_pauses)
    hits = sum(pt.hit for pt in a.rubric.points)
    cover = f"{a.rubric.coverage:.0%} ({hits} of {len(a.rubric.points)})"
    if a.typed:  # no audio: only the rubric is measured
        return [("rubric coverage", cover, v.coverage or "")]
    rows = [
        (
            "answer length",
            f"{_fmt(a.answer_s, ' s', 0)} (target {lo:.0f}-{hi:.0f} s)",
            v.length or "",
        ),
        ("response latency", _fmt(a.response_latency_s, " s"), v.latency or ""),
        ("words per minute", _fmt(a.words_per_minute, "", 0), v.pace or ""),
        (
            "articulation rate",
            _fmt(a.articulation_wpm, " wpm", 0),
            "pace with the pauses taken out",
        ),
        (f"pauses (≥ {p.pause_min_s:g} s)", f"{len(a.pauses)} ({n_long} long)", v.pauses or ""),
        ("fillers", f"{filled} filled, {len(a.fillers) - filled} lexical", v.fillers or ""),
        ("fillers per minute", _fmt(a.fillers_per_minute), ""),
    ]
    if a.repetitions:
        rows.append(
            ("repetitions", str(len(a.repetitions)), ", ".join(r.text for r in a.repetitions[:3]))
        )
    rows += voice_rows(a)
    rows.append(("rubric coverage", cover, v.coverage or ""))
    if a.rubric.star is not None:
        rows.append(("STAR", star_text(a.rubric.star), v.star or ""))
    return rows


def star_text(star: StarResult) -> str:
    return " · ".join(f"{'✓' if getattr(star, k) else '✗'} {k}" for k in STAR_PARTS)


def when(iso: str | None) -> str:
    """2025-11-27T09:40:12+01:00 -> 2025-11-27 09:40 (the local time it was recorded in)."""
    return "-" if not iso else iso[:16].replace("T", " ")


def answer_title(a: AnswerRecord, probe: bool = False) -> str:
    """ "Answer 3", "Answer 3 (attempt 2)", "Answer 4 (follow-up)" or "Answer 4 (probe)"
    (``reports.follow_through``)."""
    if a.follow_up_of is None:
        return f"Answer {a.seq}" + (f" (attempt {a.attempt})" if a.attempt > 1 else "")
    return f"Answer {a.seq} ({'probe' if probe else 'follow-up'})"


def summary_rows(s: ReportSummary) -> list[tuple[str, str]]:
    cover = "-" if s.coverage is None else f"{s.coverage:.0%}"
    return [
        ("answered", f"{s.answered} of {s.asked}"),
        ("rubric coverage", cover),
        ("average pace", _fmt(s.avg_wpm, " wpm", 0)),
        ("fillers per minute", _fmt(s.fillers_per_minute)),
        ("long pauses", str(s.long_pauses)),
        ("within target length", f"{s.within_target} of {s.main_answered}"),
    ]


# ---------------------------------------------------------------- exports


def report_json(detail: SessionDetail) -> dict[str, Any]:
    """Session metadata, every answer with its analysis (the ``score --json`` schema, or null), the
    summary and the three things to work on."""
    d = detail.to_dict()
    summary = summarize(detail.answers)
    answers = d.pop("answers")
    return {
        "session": d,
        "summary": summary.to_dict(),
        "things_to_work_on": summary.things_to_work_on,
        "answers": answers,
    }


def report_json_text(detail: SessionDetail) -> str:
    return json.dumps(report_json(detail), ensure_ascii=False, indent=1) + "\n"


def _md_escape(text: str) -> str:
    """Bank, point and answer text as literal Markdown: no markup, no raw HTML, one line."""
    return "".join("\\" + c if c in "\\`*_[]<>|#!&~" else c for c in " ".join(str(text).split()))


def markdown_transcript(a: Analysis) -> str:
    """Fillers in **bold**, repeated words in _italics_, long pauses written in as (pause 2.3 s)."""
    reps = [(r.start, r.end) for r in a.repetitions]
    pauses = sorted(a.long_pauses, key=lambda p: p.start)
    out: list[tuple[str, str]] = []  # (kind, text); neighbours of one kind share the markup
    k = 0
    for w in a.words:
        while k < len(pauses) and pauses[k].end <= w.start + 0.05:
            out.append(("", f"(pause {pauses[k].duration:.1f} s)"))
            k += 1
        rep = any(s < w.end and w.start < e for s, e in reps)
        kind = "**" if w.filler else "_" if rep else ""
        if out and out[-1][0] == kind and attaches_to_previous(w.text):
            out[-1] = (kind, out[-1][1] + _md_escape(w.text))  # "Cross" "-validation"
        elif kind and out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + " " + _md_escape(w.text))
        else:
            out.append((kind, _md_escape(w.text)))
    return " ".join(f"{kind}{text}{kind}" for kind, text in out)


def report_markdown(
    detail: SessionDetail, audio_links: dict[int, str] | None = None, bank: Bank | None = None
) -> str:
    """The report as Markdown; ``audio_links`` maps answer id -> the link to its recording;
    ``bank``: the session's bank, for each question's example answer (None: none shown)."""
    s = summarize(detail.answers)
    lines = [f"# Session {detail.id}: {_md_escape(detail.bank_title)}", ""]
    lines.append(
        f"{when(detail.started_at)} · model {_md_escape(detail.model)} · status **{detail.status}**"
    )
    if detail.status == "incomplete":
        lines.append("\nThe session never ended: the program stopped before it finished.")
    lines += ["", "| | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in summary_rows(s)]
    lines += ["", "## What to work on next", ""]
    todo = s.things_to_work_on or ["Nothing stands out: keep practising with new questions."]
    lines += [f"{i}. {_md_escape(t)}" for i, t in enumerate(todo, 1)]
    probes = probe_seqs(detail.answers)
    examples = example_answers(detail.answers, bank)
    compared = comparisons_by_seq(detail.answers)
    for a in detail.answers:
        title = answer_title(a, a.seq in probes)
        lines += ["", f"## {title}: {_md_escape(a.question_text)}", ""]
        lines.append(
            f"{_md_escape(a.question_id)} · {_md_escape(a.category)} · "
            f"{STATUS_TEXT.get(a.status, a.status)}"
        )
        if a.follow_up_of is not None:
            asked = "Probe" if a.seq in probes else "Follow-up"
            lines.append(f"\n{asked}: {_md_escape(a.prompt_text)}")
        link = (audio_links or {}).get(a.id, a.wav_path.as_posix())
        if a.wav_exists:
            lines.append(f"\nRecording: [{_md_escape(a.wav_path.name)}](<{link}>)")
        else:
            lines.append(f"\nRecording: {_md_escape(recording_absent(a))}")
        an = a.analysis
        if an is None or not an.answered:
            lines.append("\nNo speech was scored for this answer.")
        else:
            lines += _markdown_scored(an)
        if a.seq in compared:
            lines += ["", *comparison_markdown(compared[a.seq])]
        if a.seq in examples:
            lines += ["", "Example answer:", "", _md_escape(examples[a.seq])]
    return "\n".join(lines) + "\n"


def _markdown_scored(an: Analysis) -> list[str]:
    """A scored answer's transcript, measurements and rubric, as Markdown lines."""
    lines: list[str] = []
    example = f"(pause {an.policy.long_pause_s:.1f} s)"
    lines += ["", f"Legend: **filler**, _repeated word_, {example} long pause", ""]
    lines += [
        markdown_transcript(an),
        "",
        "| measurement | value | verdict |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {m} | {v} | {_md_escape(x)} |" for m, v, x in measurement_rows(an)]
    lines += ["", "Rubric:", ""]
    for p in an.rubric.points:
        ev = "; ".join(f"“{_md_escape(e)}”" for e in p.evidence[:3])
        tail = f" — {ev}" if p.hit and ev else "" if p.hit else " — missed"
        lines.append(f"- [{'x' if p.hit else ' '}] {_md_escape(p.text)}{tail}")
    return lines
