#!/usr/bin/env python3
"""Accuracy and speed of the scoring pipeline against known truth.

Scores every clip in ``audio_fixtures/`` (synthetic answers whose words, fillers, pauses, pace,
response latency and rubric coverage are known) and the real recordings in ``../shared/audio``
(jfk.flac; laugh1/laugh2/empty must be rejected as no speech), then prints one column per
configuration::

    python -m benchmarks.accuracy [--models tiny.en base] [--clips N] [--variants]
                                [--markdown FILE] [--details] [--set benchmark|heldout|piper]

``--variants`` adds the first model with the question prompt off and with the filler pass off.
Each model is loaded once. The comparison rules live in ``benchmarks/truth.py`` (shared with
``tests/test_accuracy.py``): WER excludes fillers on both sides (the reference has none; the
hypothesis drops words the pipeline marks as fillers), a detected filler matches a truth filler
of the same kind within 0.3 s, a detected pause matches when it covers half the truth pause.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.truth import (
    JFK_PAUSES,
    JFK_REFERENCE,
    NO_SPEECH_CLIPS,
    SHARED_CLIP_QUESTION,
    ClipScore,
    DetectionScore,
    Event,
    compare_clip,
    rubric_agreement,
)
from voice_interviewer.bank import resolve_bank
from voice_interviewer.errors import NoSpeechError
from voice_interviewer.scoring.rubric import score_rubric
from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
from voice_interviewer.speech.models import DEFAULT_MODEL, resolve_model
from voice_interviewer.speech.timeline import Word
from voice_interviewer.speech.vad import SileroModel
from voice_interviewer.speech.whisper import WhisperTranscriber

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "audio_fixtures"
FIXTURE_SETS = {
    "benchmark": FIXTURES,
    "heldout": FIXTURES / "heldout",
    "piper": FIXTURES / "piper",
    "piper_tuning": FIXTURES / "piper_tuning",
    "piper_breath": FIXTURES / "piper_breath",
    "piper_breath_tuning": FIXTURES / "piper_breath_tuning",
}
SHARED_AUDIO = REPO.parent / "shared" / "audio"
RUBRIC_ANSWERS = REPO / "tests" / "data" / "rubric_answers.toml"
JFK_QUESTION = SHARED_CLIP_QUESTION  # any question: jfk.flac is not an answer to one


@dataclass
class Config:
    label: str
    model: str
    options: ScoreOptions = ScoreOptions()


@dataclass
class Run:
    config: Config
    clips: list[ClipScore] = field(default_factory=list)
    audio_s: float = 0.0
    recognize_s: float = 0.0
    filler_pass_s: float = 0.0
    truths: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)  # Analysis.to_dict() per clip
    jfk: ClipScore | None = None
    no_speech: dict[str, str] = field(default_factory=dict)  # clip -> "rejected" or what was heard


def load_truths(folder: Path, limit: int | None) -> list[dict]:
    names = json.loads((folder / "index.json").read_text())
    truths = [json.loads((folder / f"{n}.json").read_text()) for n in names]
    for t in truths:
        t["audio"] = str(folder / t["audio"])
    if limit and limit < len(truths):  # spread over the answers and voices, not the first N
        truths = [truths[round(i * len(truths) / limit)] for i in range(limit)]
    return truths


def run_config(scorer: Scorer, config: Config, truths: list[dict], bank) -> Run:
    run = Run(config)
    for t in truths:
        t0 = time.perf_counter()
        analysis = scorer.score_file(Path(t["audio"]), bank.question(t["question_id"]))
        result = analysis.to_dict()
        run.truths.append(t)
        run.results.append(result)
        run.clips.append(compare_clip(t, result))
        run.audio_s += analysis.duration_s
        run.recognize_s += scorer.last_timings.get("recognize_s", 0.0)
        run.filler_pass_s += scorer.last_timings.get("filler_pass_s", 0.0)
        c = run.clips[-1]
        print(
            f"  [{config.label}] {t['name']}: {time.perf_counter() - t0:.1f}s "
            f"WER {c.word_errors}/{c.ref_words}",
            file=sys.stderr,
        )
    if SHARED_AUDIO.is_dir():
        jfk = scorer.score_file(SHARED_AUDIO / "jfk.flac", bank.question(JFK_QUESTION)).to_dict()
        run.jfk = compare_clip({"reference_text": JFK_REFERENCE, "pauses": JFK_PAUSES}, jfk)
        for name in NO_SPEECH_CLIPS:
            try:
                a = scorer.score_file(SHARED_AUDIO / name, bank.question(JFK_QUESTION))
                run.no_speech[name] = f"heard {a.transcript!r}"
            except NoSpeechError:
                run.no_speech[name] = "rejected"
    return run


# ---- summarising ---------------------------------------------------------------------------------
def pct(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f}%"


def frac(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"


def prf(s: DetectionScore) -> str:
    return f"{pct(s.precision, 0)} / {pct(s.recall, 0)} / {pct(s.f1, 0)}"


def mean(xs: list[float]) -> float | None:
    return statistics.fmean(xs) if xs else None


def num(x: float | None, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def summarize(run: Run) -> dict[str, str]:
    cs = run.clips
    row: dict[str, str] = {}
    errs, n = sum(c.word_errors for c in cs), sum(c.ref_words for c in cs)
    row["WER fixtures"] = f"{pct(errs / n if n else None)} ({errs}/{n})"
    row["WER fixtures, worst clip"] = (
        pct(max(c.word_errors / c.ref_words for c in cs)) if cs else "-"
    )
    row["WER jfk.flac"] = (
        f"{pct(run.jfk.word_errors / run.jfk.ref_words)} "
        f"({run.jfk.word_errors}/{run.jfk.ref_words})"
        if run.jfk
        else "skipped"
    )
    for kind, label in (("filled_pause", "filled pauses"), ("lexical", "lexical fillers")):
        total = DetectionScore(0, 0, 0)
        for c in cs:
            total = total + c.fillers[kind]
        timing = [t for c in cs for t in c.filler_timing[kind]]
        row[f"{label} P / R / F1"] = f"{prf(total)} (n={total.n_truth}, det={total.n_detected})"
        row[f"{label} timing err start / end"] = (
            f"{num(mean([a for a, _ in timing]), '.2f')} / "
            f"{num(mean([b for _, b in timing]), '.2f')} s"
        )
    for m in (1.0, 0.5):
        found = sum(c.pauses_found[m][0] for c in cs)
        total_p = sum(c.pauses_found[m][1] for c in cs)
        row[f"pause recall >= {m:g} s"] = frac(found, total_p)
    tp = sum(c.pauses.true_pos for c in cs)
    row["pause precision"] = frac(tp, sum(c.pauses.n_detected for c in cs))
    if run.jfk:
        row["jfk pauses found"] = frac(run.jfk.pauses.true_pos, run.jfk.pauses.n_truth)
    wpm = [abs(c.wpm_error_pct) for c in cs if c.wpm_error_pct is not None]
    row["WPM error mean / max"] = (
        f"{num(mean(wpm), '.1f')} / {num(max(wpm, default=None), '.1f')} %"
    )
    lat = [abs(c.latency_error_s) for c in cs if c.latency_error_s is not None]
    row["latency error mean / max"] = (
        f"{num(mean(lat), '.2f')} / {num(max(lat, default=None), '.2f')} s"
    )
    row["rubric agreement"] = frac(
        sum(c.rubric_agree for c in cs), sum(c.rubric_points for c in cs)
    )
    if run.no_speech:
        ok = sum(v == "rejected" for v in run.no_speech.values())
        row["no-speech rejected"] = f"{ok}/{len(run.no_speech)}"
    else:
        row["no-speech rejected"] = "skipped"
    a = run.audio_s or 1.0
    row["recognition s per audio s"] = f"{run.recognize_s / a:.3f}"
    row["filler pass s per audio s"] = f"{run.filler_pass_s / a:.3f}"
    busy = run.recognize_s + run.filler_pass_s
    row["filler pass share of time"] = pct(run.filler_pass_s / busy if busy else None)
    return row


def table(runs: list[Run], markdown: bool) -> str:
    cols = [r.config.label for r in runs]
    rows = [summarize(r) for r in runs]
    keys = list(dict.fromkeys(k for r in rows for k in r))
    cells = [["metric", *cols]] + [[k, *(r.get(k, "") for r in rows)] for k in keys]
    if markdown:
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cols) + "---|"]
        out += ["| " + " | ".join(c) + " |" for c in cells[1:]]
        return "\n".join(out)
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _near(items: list[dict], e: Event, what: str) -> str:
    """Items (words or fillers) overlapping ``e`` or within 0.3 s of it, for the diagnosis."""
    near = [
        f"{x['text']!r} {x['start']:.2f}-{x['end']:.2f}"
        for x in items
        if x["start"] <= e.end + 0.3 and x["end"] >= e.start - 0.3
    ]
    return f"; {what}: " + ", ".join(near) if near else f"; no {what} near"


def breakdown(run: Run) -> list[str]:
    """Pooled WER of the fixtures by voice, rate and noise condition."""
    out = []
    for key in ("voice", "rate", "snr_db"):
        groups: dict[str, list[int]] = {}
        for t, c in zip(run.truths, run.clips, strict=True):
            g = groups.setdefault(str(t[key]), [0, 0])
            g[0] += c.word_errors
            g[1] += c.ref_words
        out.append(
            f"WER by {key}: "
            + ", ".join(f"{k} {pct(e / n if n else None)}" for k, (e, n) in sorted(groups.items()))
        )
    return out


def details(run: Run) -> str:
    out = [f"== {run.config.label}: per clip", *breakdown(run)]
    for c, t, r in zip(run.clips, run.truths, run.results, strict=True):
        w = c.word_errors / c.ref_words if c.ref_words else 0.0
        wpm = "-" if c.wpm_error_pct is None else f"{c.wpm_error_pct:+.1f}%"
        lat = "-" if c.latency_error_s is None else f"{c.latency_error_s:+.2f}s"
        out.append(f"{c.name}: WER {pct(w)} wpm {wpm} latency {lat}")
        out.append(f"    heard: {c.hypothesis}")
        for f in c.missed_fillers:
            out.append(
                f"    missed {f.kind} {f.text!r} {f.start:.2f}-{f.end:.2f}"
                + _near(r["words"], f, "words")
            )
        for f in c.false_fillers:
            out.append(
                f"    false {f.kind} {f.text!r} {f.start:.2f}-{f.end:.2f}"
                + _near(t["fillers"], f, "truth fillers")
                + _near(r["fillers"], f, "detected fillers")
            )
        for p in c.missed_pauses:
            out.append(f"    missed pause {p.start:.2f}-{p.end:.2f} ({p.end - p.start:.2f}s)")
        for pid, want, hit, ev in c.rubric_disagreements:
            out.append(f"    rubric {pid}: truth {want}, matcher {hit} {ev}")
    if run.jfk:
        out.append(f"jfk.flac: WER {pct(run.jfk.word_errors / run.jfk.ref_words)}")
        out.append(f"    heard: {run.jfk.hypothesis}")
        for p in run.jfk.missed_pauses:
            out.append(f"    missed pause {p.start:.2f}-{p.end:.2f}")
    for name, verdict in run.no_speech.items():
        out.append(f"{name}: {verdict}")
    return "\n".join(out)


def rubric_on_text(bank) -> str:
    """The rubric matcher (keywords and the sentence model) on answers written in other words than
    the fixtures' (text, no audio). Every rubric set, held-out ones apart: ``benchmarks.rubric``."""
    from voice_interviewer.scoring.semantic_model import shared_embedder

    answers = tomllib.loads(RUBRIC_ANSWERS.read_text())["answers"]
    agree = total = 0
    for a in answers:
        words = [Word(w, i, i + 0.5) for i, w in enumerate(a["text"].split())]
        result = score_rubric(bank.question(a["question"]), words, shared_embedder())
        got, n = rubric_agreement(a["hits"], {p.id: p.hit for p in result.points})
        agree, total = agree + got, total + n
    return (
        f"rubric agreement on {RUBRIC_ANSWERS.relative_to(REPO)} (unseen phrasings, text): "
        f"{frac(agree, total)}"
    )


def code_version() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=[DEFAULT_MODEL])
    ap.add_argument("--clips", type=int, default=None, help="score N fixtures spread over the set")
    ap.add_argument(
        "--variants", action="store_true", help="first model without prompt / filler pass"
    )
    ap.add_argument("--markdown", type=Path, help="also write the table as markdown here")
    ap.add_argument("--details", action="store_true", help="per-clip errors after the table")
    ap.add_argument(
        "--set",
        choices=sorted(FIXTURE_SETS),
        default="benchmark",
        help="benchmark: audio_fixtures/ (the set the detectors were tuned on); heldout: "
        "audio_fixtures/heldout/ (other answers, voices and rates; never tuned on); piper: "
        "audio_fixtures/piper/ (the held-out answers in a neural voice, with reverb and noise)",
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=1234,
        help="seed of CTranslate2's sampling (default 1234): faster-whisper falls back to "
        "sampling at a higher temperature when a decode looks doubtful, so without a fixed seed "
        "two runs of the same code can differ by a word",
    )
    args = ap.parse_args(argv)
    import ctranslate2

    ctranslate2.set_random_seed(args.seed)

    truths = load_truths(FIXTURE_SETS[args.set], args.clips)
    if not all(t.get("rubric_hits") for t in truths):
        print(
            "warning: some fixtures have no rubric_hits; rubric agreement is partial",
            file=sys.stderr,
        )
    if not SHARED_AUDIO.is_dir():
        print(f"note: {SHARED_AUDIO} not found: jfk and no-speech rows skipped", file=sys.stderr)
    version = code_version()  # before the long run: the tree may change meanwhile
    bank = resolve_bank(None)
    vad = SileroModel()
    runs: list[Run] = []
    for i, model in enumerate(args.models):
        transcriber = WhisperTranscriber(resolve_model(model))  # loaded once per model
        configs = [Config(model, model)]
        if args.variants and i == 0:
            configs += [
                Config(f"{model} no prompt", model, ScoreOptions(prompt_with_question=False)),
                Config(f"{model} no filler pass", model, ScoreOptions(filler_pass=False)),
                Config(
                    f"{model} fillers under words",
                    model,
                    ScoreOptions(fillers_under_words=True),
                ),
            ]
        for config in configs:
            scorer = Scorer(transcriber, vad=vad, options=config.options)
            runs.append(run_config(scorer, config, truths, bank))
        del transcriber

    text = table(runs, markdown=False)
    rubric_text = rubric_on_text(bank)
    header = (
        f"code {version}; {len(truths)} clips of the {args.set} set; "
        f"jfk.flac scored as an answer to {JFK_QUESTION!r}"
    )
    print(header)
    print(text)
    print(rubric_text)
    if args.details:
        for r in runs:
            print()
            print(details(r))
    if args.markdown:
        args.markdown.write_text(
            header + "\n\n" + table(runs, markdown=True) + "\n\n" + rubric_text + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
