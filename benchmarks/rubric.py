"""Rubric coverage against hand judgement, per set: agreement, false hits, misses, time and memory.

    python -m benchmarks.rubric [--details] [--keywords-only] [--joined] [--model tiny.en]
        [--markdown FILE]

``--joined`` replaces the typed sets by two pools, tuning and held out, of their answers to the
same question joined in pairs, one long answer each (a point is made when either answer made
it): live answers run to two minutes, twice the longest typed answer.

Sets (``SETS``), each marked as tuning (thresholds and rules were chosen looking at it: its
figures are in-sample) or held out (nothing was tuned on it):

- ``fixtures``: the spoken fixture answers (audio_fixtures/, espeak-ng voices), as Whisper hears
  them; their wording is close to the keywords.
- ``fixtures-heldout``: audio_fixtures/heldout/ (other answers, voices and rates).
- ``answers``: tests/data/rubric_answers.toml, answers in other words than the keywords (text).
- ``tuning``: tests/data/rubric_tuning.toml, everyday phrasings and traps written for tuning.
- ``tuning2``: tests/data/rubric_tuning2.toml, more everyday phrasings and traps for tuning.
- ``tuning3``, ``tuning4``: tests/data/rubric_tuning3.toml and rubric_tuning4.toml, more everyday
  phrasings and traps, written to fit a learned combiner on (branch ``combiner``; not on main:
  benchmarks/results/rubric_combiner.md).
- ``short``: tests/data/rubric_tuning_short.toml, one- and two-sentence answers and non-answers,
  for the same fit (the other sets hold only long answers).
- ``everyday``: tests/data/rubric_everyday.toml, everyday phrasings with traps (held out).
- ``spoken``: tests/data/rubric_spoken.toml, spoken-style answers with traps (held out).
- ``fresh``: tests/data/rubric_fresh.toml, everyday answers with traps written for the last round
  of tuning, truth committed before its first run, never tuned on (held out).
- ``fresh2``: tests/data/rubric_fresh2.toml, a second such set written before the learned combiner
  was trained, truth committed before its first run (held out).

The fixtures are transcribed once per Whisper model and the words cached in
``test-artifacts/rubric-words/`` (git-ignored), so later runs take seconds.
Times are of ``score_rubric`` alone (what the rubric adds to an answer's analysis once the answer
has ended), after ``prepare_rubric`` embedded the question's points and phrasings, as a live
session does while the question is asked; "prepare, first" is what that took for the set's first
question. The model runs on one thread, so its CPU time is what the wall time would be on an idle
core: the CPU columns stay meaningful when other work shares the machine.
A point is a *false hit* when the matcher says hit and the truth says missed, a *miss* the other
way round; both are given as a share of all points judged in the set.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voice_interviewer.bank import Bank, resolve_bank
from voice_interviewer.scoring.rubric import (
    RubricResult,
    RubricSettings,
    prepare_rubric,
    score_rubric,
)
from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.text_answer import text_words
from voice_interviewer.speech.timeline import Word, join_words

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
CACHE = REPO / "test-artifacts" / "rubric-words"


@dataclass(frozen=True)
class SetSpec:
    name: str
    source: Path
    held_out: bool  # True: no threshold or rule was chosen looking at it
    audio: bool  # a fixture folder (transcribed) rather than a TOML of typed answers


SETS = (
    SetSpec("fixtures", REPO / "audio_fixtures", False, True),
    SetSpec("answers", DATA / "rubric_answers.toml", False, False),
    SetSpec("tuning", DATA / "rubric_tuning.toml", False, False),
    SetSpec("tuning2", DATA / "rubric_tuning2.toml", False, False),
    SetSpec("tuning3", DATA / "rubric_tuning3.toml", False, False),
    SetSpec("tuning4", DATA / "rubric_tuning4.toml", False, False),
    SetSpec("short", DATA / "rubric_tuning_short.toml", False, False),
    SetSpec("fixtures-heldout", REPO / "audio_fixtures" / "heldout", True, True),
    SetSpec("everyday", DATA / "rubric_everyday.toml", True, False),
    SetSpec("spoken", DATA / "rubric_spoken.toml", True, False),
    SetSpec("fresh", DATA / "rubric_fresh.toml", True, False),
    SetSpec("fresh2", DATA / "rubric_fresh2.toml", True, False),
)


@dataclass(frozen=True)
class Answer:
    label: str
    question_id: str
    words: list[Word]
    timed: bool
    truth: dict[str, bool]  # point id -> makes the point (hand judgement)
    star: dict[str, bool] | None = None  # STAR part -> told (hand judgement), when given


@dataclass(frozen=True)
class Disagreement:
    label: str
    point_id: str
    truth: bool
    score: float
    evidence: list[str]


@dataclass
class SetScore:
    spec: SetSpec
    answers: int = 0
    points: int = 0
    agree: int = 0
    false_hits: int = 0
    misses: int = 0
    unclear: int = 0  # points the matcher called unclear (also counted by their hit above)
    decided: int = 0  # points called made or missed
    decided_agree: int = 0
    times_ms: list[float] = field(default_factory=list)  # score_rubric, wall clock
    cpu_ms: list[float] = field(default_factory=list)  # score_rubric, CPU time
    prepare_cpu_ms: list[float] = field(default_factory=list)  # prepare_rubric (cached after once)
    disagreements: list[Disagreement] = field(default_factory=list)
    star_parts: int = 0  # STAR parts judged (answers with STAR truth x 4)
    star_agree: int = 0
    star_disagreements: list[str] = field(default_factory=list)


# ---- loading the sets --------------------------------------------------------------------------
def load_toml_set(path: Path) -> list[Answer]:
    answers = tomllib.loads(path.read_text())["answers"]
    return [
        Answer(
            f"{path.stem}#{i} {a['question']}",
            a["question"],
            text_words(a["text"]),
            False,
            dict(a["hits"]),
            dict(a["star"]) if "star" in a else None,
        )
        for i, a in enumerate(answers, 1)
    ]


def _cached_words(folder: Path, name: str, model: str) -> list[Word] | None:
    path = CACHE / model / folder.name / f"{name}.json"
    if not path.is_file():
        return None
    return [Word(t, s, e) for t, s, e in json.loads(path.read_text())]


def transcribe_fixtures(folder: Path, names: list[str], model: str, bank: Bank) -> None:
    """Whisper over the fixtures not yet cached; the spoken (non-filler) words are kept."""
    todo = [n for n in names if _cached_words(folder, n, model) is None]
    if not todo:
        return
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    scorer = Scorer(
        WhisperTranscriber(resolve_model(model)), options=ScoreOptions(semantic_rubric=False)
    )
    out = CACHE / model / folder.name
    out.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(todo, 1):
        truth = json.loads((folder / f"{name}.json").read_text())
        analysis = scorer.score_file(folder / truth["audio"], bank.question(truth["question_id"]))
        words = [[w.text, w.start, w.end] for w in analysis.words if not w.filler]
        (out / f"{name}.json").write_text(json.dumps(words))
        print(f"  transcribed {folder.name}/{name} ({i}/{len(todo)})", file=sys.stderr)


def load_fixture_set(folder: Path, model: str, bank: Bank) -> list[Answer]:
    names = json.loads((folder / "index.json").read_text())
    transcribe_fixtures(folder, names, model, bank)
    out = []
    for name in names:
        truth = json.loads((folder / f"{name}.json").read_text())
        words = _cached_words(folder, name, model) or []
        out.append(Answer(name, truth["question_id"], words, True, dict(truth["rubric_hits"])))
    return out


def load_set(spec: SetSpec, model: str, bank: Bank) -> list[Answer]:
    if spec.audio:
        return load_fixture_set(spec.source, model, bank)
    return load_toml_set(spec.source)


def joined_pairs(answers: list[Answer]) -> list[Answer]:
    """Every two typed answers to the same question as one long answer; a point is made when
    either made it."""
    out = []
    for i, a in enumerate(answers):
        for b in answers[i + 1 :]:
            if b.question_id != a.question_id:
                continue
            text = join_words(w.text for w in a.words) + " " + join_words(w.text for w in b.words)
            truth = {p: a.truth[p] or b.truth[p] for p in a.truth}
            out.append(
                Answer(f"{a.label} + {b.label}", a.question_id, text_words(text), False, truth)
            )
    return out


# ---- scoring -----------------------------------------------------------------------------------
def score_set(
    spec: SetSpec,
    answers: list[Answer],
    bank: Bank,
    embedder: Embedder | None,
    settings: RubricSettings = RubricSettings(),
) -> SetScore:
    s = SetScore(spec)
    for a in answers:
        question = bank.question(a.question_id)
        if embedder is not None:  # as a live session does while the question is asked
            c0 = time.process_time()
            prepare_rubric(question, embedder)
            s.prepare_cpu_ms.append(1000 * (time.process_time() - c0))
        t0, c0 = time.perf_counter(), time.process_time()
        result: RubricResult = score_rubric(question, a.words, embedder, settings, timed=a.timed)
        s.times_ms.append(1000 * (time.perf_counter() - t0))
        s.cpu_ms.append(1000 * (time.process_time() - c0))
        s.answers += 1
        by_id = {p.id: p for p in result.points}
        for pid, want in a.truth.items():
            p = by_id[pid]
            s.points += 1
            if p.status == "unclear":
                s.unclear += 1
            else:
                s.decided += 1
                s.decided_agree += p.hit == want
            if p.hit == want:
                s.agree += 1
                continue
            if p.hit:
                s.false_hits += 1
            else:
                s.misses += 1
            s.disagreements.append(Disagreement(a.label, pid, want, p.score, p.evidence))
        if a.star is not None and result.star is not None:
            for part, want in a.star.items():
                got = getattr(result.star, part)
                s.star_parts += 1
                s.star_agree += got == want
                if got != want:
                    s.star_disagreements.append(f"{a.label} {part}: truth {want}, matcher {got}")
    return s


# ---- printing ----------------------------------------------------------------------------------
def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "-"


def _mean_max(ms: list[float]) -> str:
    return f"{statistics.fmean(ms):.0f} ({max(ms):.0f})" if ms else "-"


def rows(scores: list[SetScore]) -> list[list[str]]:
    out = [
        [
            "set",
            "kind",
            "answers",
            "points",
            "agreement",
            "false hits",
            "misses",
            "unclear",
            "agreement, made/missed only",
            "ms/answer mean (max)",
            "CPU ms/answer mean (max)",
            "CPU ms prepare, first",
            "STAR parts agree",
        ]
    ]
    for s in scores:
        out.append(
            [
                s.spec.name,
                "held out" if s.spec.held_out else "tuning (in-sample)",
                str(s.answers),
                str(s.points),
                f"{_pct(s.agree, s.points)} ({s.agree}/{s.points})",
                f"{_pct(s.false_hits, s.points)} ({s.false_hits})",
                f"{_pct(s.misses, s.points)} ({s.misses})",
                f"{_pct(s.unclear, s.points)} ({s.unclear})",
                f"{_pct(s.decided_agree, s.decided)} ({s.decided_agree}/{s.decided})",
                _mean_max(s.times_ms),
                _mean_max(s.cpu_ms),
                f"{s.prepare_cpu_ms[0]:.0f}" if s.prepare_cpu_ms else "-",
                f"{_pct(s.star_agree, s.star_parts)} ({s.star_agree}/{s.star_parts})"
                if s.star_parts
                else "-",
            ]
        )
    return out


def render(cells: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells[1:]])
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="tiny.en", help="Whisper model for the fixture sets")
    ap.add_argument("--keywords-only", action="store_true", help="the matcher without the model")
    ap.add_argument("--joined", action="store_true", help="typed answers joined in pairs (long)")
    ap.add_argument("--details", action="store_true", help="every disagreement after the table")
    ap.add_argument("--sets", nargs="+", choices=[s.name for s in SETS], help="only these sets")
    ap.add_argument("--markdown", type=Path, help="also write the table as markdown here")
    args = ap.parse_args(argv)

    bank = resolve_bank(None)
    specs = [s for s in SETS if not args.sets or s.name in args.sets]
    specs = [s for s in specs if s.source.exists()]
    loaded = [(s, load_set(s, args.model, bank)) for s in specs]
    if args.joined:  # pooled across the typed sets: most sets hold one answer per question
        loaded = [
            (
                SetSpec(f"{kind} typed, joined", DATA, held, False),
                joined_pairs(
                    [
                        a
                        for s, answers in loaded
                        if s.held_out == held and not s.audio
                        for a in answers
                    ]
                ),
            )
            for kind, held in (("tuning", False), ("held-out", True))
        ]

    embedder = None
    lines = []
    if not args.keywords_only:
        import onnxruntime  # noqa: F401  (loaded anyway by the voice activity detector)
        import tokenizers  # noqa: F401  (loaded anyway by faster-whisper)

        from voice_interviewer.scoring import semantic_model as sm

        before = rss_mb()
        t0 = time.perf_counter()
        embedder = sm.MiniLMEmbedder()
        load_s = time.perf_counter() - t0
        loaded_mb = rss_mb() - before
        size = sum(p.stat().st_size for p in (sm.default_model_path(), sm.default_tokenizer_path()))
        embedder.embed(["warm up"])  # the first run allocates; a session pays it once at start
        lines.append(
            f"model: {embedder.name}; on disk {size / 1e6:.1f} MB (model + tokenizer); "
            f"loaded in {load_s:.2f} s, +{loaded_mb:.0f} MB resident (onnxruntime and tokenizers "
            f"already imported, as in a session)"
        )
    scores = [score_set(s, answers, bank, embedder) for s, answers in loaded]
    if embedder is not None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        lines.append(
            f"process resident after scoring every set {rss_mb():.0f} MB "
            f"(+{rss_mb() - before:.0f} MB "
            f"over the imports), peak {peak:.0f} MB"
        )
    matcher = "keywords only" if args.keywords_only else "keywords + sentence model"
    if args.joined:
        matcher += "; typed answers joined in pairs"
    header = f"rubric matcher: {matcher}; fixtures heard by Whisper {args.model}"
    print(header)
    print(render(rows(scores), markdown=False))
    for line in lines:
        print(line)
    if args.details:
        for s in scores:
            print(f"\n== {s.spec.name}")
            for d in s.disagreements:
                kind = "MISS" if d.truth else "FALSE HIT"
                print(f"  {kind:9} {d.label} {d.point_id} score {d.score:.2f} {d.evidence}")
            for line in s.star_disagreements:
                print(f"  STAR      {line}")
    if args.markdown:
        args.markdown.write_text(
            header + "\n\n" + render(rows(scores), markdown=True) + "\n\n" + "\n".join(lines) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
