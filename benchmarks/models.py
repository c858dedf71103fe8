#!/usr/bin/env python3
"""Choosing the default Whisper model (issue 9): accuracy and speed of each model side by side.

For each model given, in one table:

- the real clips (``../shared/audio``, see ``benchmarks.real``): filled pauses found / true /
  reported (count-matched per clip), recall and precision, false filled pauses on the clips that
  have none, content WER of the pipeline and of plain faster-whisper on the same audio, and the
  pipeline's compute seconds per second of audio;
- the espeak-ng fixture sets (``benchmark``: the set the detectors were tuned on, in-sample;
  ``heldout``: never tuned on) and the Piper set (neural voice, reverb and noise; held out):
  content WER and filled-pause precision / recall (matched in time, ``benchmarks.truth``), and
  compute seconds per second of audio;
- live feedback latency: end-of-answer decision -> feedback for a ~30 s answer fed in real time
  (``benchmarks.latency``);
- live vs file WER on the real clips, from ``benchmarks.live_vs_file`` where that module exists.

    python -m benchmarks.models [--models tiny.en base] [--clips N] [--sets benchmark heldout piper]
                                [--markdown FILE]

The targets (issue 9) are printed beside each row; a model meets the issue only if it meets all.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.real import REAL, RealClip, Tally, load_clips, measure

try:  # helper "livefile"'s module; the row reads "n/a" on a branch without it
    from benchmarks.live_vs_file import measure as measure_live_vs_file
except ImportError:
    measure_live_vs_file = None

SETS = ("benchmark", "heldout", "piper")
LATENCY_ANSWER_S = 30.0
IN_SAMPLE = {"benchmark"}  # the espeak set the detectors' thresholds were tuned on


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class SetResult:
    """One fixture set scored by the pipeline: content WER and filled pauses matched in time."""

    clips: int
    word_errors: int
    ref_words: int
    fp_true_pos: int
    fp_truth: int
    fp_detected: int
    audio_s: float
    compute_s: float  # recognition + filler pass (the scorer's own timings)

    @property
    def wer(self) -> float:
        return self.word_errors / self.ref_words if self.ref_words else 0.0

    @property
    def fp_precision(self) -> float:
        return self.fp_true_pos / self.fp_detected if self.fp_detected else 1.0

    @property
    def fp_recall(self) -> float:
        return self.fp_true_pos / self.fp_truth if self.fp_truth else 0.0


@dataclass
class ModelResult:
    model: str
    real: dict[str, Tally] = field(default_factory=dict)  # "pipeline", "plain faster-whisper"
    sets: dict[str, SetResult] = field(default_factory=dict)
    live_feedback_s: float | None = None  # decision -> feedback, ~30 s answer
    live_wer: float | None = None
    file_wer: float | None = None


def measure_set(model: str, name: str, limit: int | None) -> SetResult:
    from benchmarks.accuracy import FIXTURE_SETS, Config, load_truths, run_config
    from evaluation.truth import DetectionScore
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    truths = load_truths(FIXTURE_SETS[name], limit)
    scorer = Scorer(
        WhisperTranscriber(resolve_model(model)), options=ScoreOptions(semantic_rubric=False)
    )
    run = run_config(scorer, Config(f"{model} {name}", model), truths, resolve_bank(None))
    fp = DetectionScore(0, 0, 0)
    for c in run.clips:
        fp = fp + c.fillers["filled_pause"]
    return SetResult(
        clips=len(run.clips),
        word_errors=sum(c.word_errors for c in run.clips),
        ref_words=sum(c.ref_words for c in run.clips),
        fp_true_pos=fp.true_pos,
        fp_truth=fp.n_truth,
        fp_detected=fp.n_detected,
        audio_s=run.audio_s,
        compute_s=run.recognize_s + run.filler_pass_s,
    )


def measure_latency(model: str) -> float:
    from benchmarks.latency import build_answer, live_latency
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    answer = build_answer(LATENCY_ANSWER_S)
    scorer = Scorer(WhisperTranscriber(resolve_model(model)))
    return live_latency(scorer, answer, resolve_bank(None).question(answer.question_id)).wall_s


def measure_model(
    model: str, clips: Sequence[RealClip], sets: Sequence[str], limit: int | None, latency: bool
) -> ModelResult:
    result = ModelResult(model)
    result.real = measure(model, clips, log=_log)
    for name in sets:
        t0 = time.perf_counter()
        result.sets[name] = measure_set(model, name, limit)
        _log(f"[{model}] {name} set: {time.perf_counter() - t0:.0f} s")
    if latency:
        result.live_feedback_s = measure_latency(model)
    if measure_live_vs_file is not None:
        worded = [c for c in clips if c.content is not None]  # the no-speech clips have no WER
        lf = measure_live_vs_file(model, worded, log=_log)
        result.live_wer, result.file_wer = lf.live_wer, lf.file_wer
    return result


# ---- the table -----------------------------------------------------------------------------------
Row = tuple[str, str, Callable[[ModelResult], str]]  # metric, target, cell


def _set_rows(name: str, clips: int) -> list[Row]:
    tag = "in-sample" if name in IN_SAMPLE else "held out"
    label = f"{name} set ({clips} clips, {tag})"

    def get(r: ModelResult) -> SetResult | None:
        return r.sets.get(name)

    def cell(fmt: Callable[[SetResult], str]) -> Callable[[ModelResult], str]:
        return lambda r: fmt(s) if (s := get(r)) else "-"

    return [
        (
            f"{label}: content WER",
            "",
            cell(lambda s: f"{s.wer:.3f} ({s.word_errors}/{s.ref_words})"),
        ),
        (
            f"{label}: filled-pause P / R",
            ">= 0.9 / 0.9",
            cell(
                lambda s: (
                    f"{s.fp_precision:.2f} / {s.fp_recall:.2f} "
                    f"({s.fp_true_pos}/{s.fp_truth}, det {s.fp_detected})"
                )
            ),
        ),
        (
            f"{label}: compute s per audio s",
            "",
            cell(lambda s: f"{s.compute_s / s.audio_s:.3f}" if s.audio_s else "-"),
        ),
    ]


def _opt(x: float | None, fmt: str) -> str:
    return "n/a" if x is None else format(x, fmt)


def rows(results: Sequence[ModelResult]) -> list[Row]:
    def pipe(r: ModelResult) -> Tally:
        return r.real["pipeline"]

    def plain(r: ModelResult) -> Tally:
        return r.real["plain faster-whisper"]

    out: list[Row] = [
        (
            "real: filled pauses found / true / reported",
            "",
            lambda r: f"{pipe(r).found} / {pipe(r).true} / {pipe(r).reported}",
        ),
        ("real: filled-pause recall", ">= 0.9", lambda r: f"{pipe(r).recall:.2f}"),
        ("real: filled-pause precision", ">= 0.9", lambda r: f"{pipe(r).precision:.2f}"),
        (
            "real: false filled pauses on negative clips",
            "0",
            lambda r: f"{pipe(r).false_on_negatives} (on {pipe(r).negatives} clips)",
        ),
        (
            "real: content WER pipeline",
            "<= plain",
            lambda r: f"{pipe(r).wer:.3f} ({pipe(r).errors}/{pipe(r).ref_words})",
        ),
        (
            "real: content WER plain faster-whisper",
            "",
            lambda r: f"{plain(r).wer:.3f} ({plain(r).errors}/{plain(r).ref_words})",
        ),
        (
            "real: plain faster-whisper filled pauses found / reported",
            "",
            lambda r: f"{plain(r).found} / {plain(r).reported}",
        ),
        (
            "real: pipeline compute s per audio s",
            "",
            lambda r: f"{pipe(r).seconds / pipe(r).audio_s:.3f}",
        ),
        (
            "real: plain faster-whisper compute s per audio s",
            "",
            lambda r: f"{plain(r).seconds / plain(r).audio_s:.3f}",
        ),
    ]
    for name in SETS:
        sizes = {r.sets[name].clips for r in results if name in r.sets}
        if sizes:
            out += _set_rows(name, max(sizes))
    out += [
        (
            f"live feedback s after the decision ({LATENCY_ANSWER_S:.0f} s answer)",
            "<= 1.0",
            lambda r: _opt(r.live_feedback_s, ".2f"),
        ),
        (
            "live vs file WER (real clips)",
            "live <= file + 0.01",
            lambda r: (
                "n/a" if r.live_wer is None else f"{r.live_wer:.3f} vs {_opt(r.file_wer, '.3f')}"
            ),
        ),
    ]
    return out


def table(results: Sequence[ModelResult], markdown: bool) -> str:
    cells = [["metric", "target", *(r.model for r in results)]]
    cells += [[name, target, *(cell(r) for r in results)] for name, target, cell in rows(results)]
    if markdown:
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in cells[1:]])
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    ap.add_argument("--sets", nargs="*", choices=SETS, default=list(SETS))
    ap.add_argument("--clips", type=int, help="score N clips of each fixture set, spread over it")
    ap.add_argument("--no-latency", action="store_true", help="skip the 30 s real-time answer")
    ap.add_argument("--markdown", type=Path, help="also write the table as markdown here")
    ap.add_argument("--seed", type=int, default=1234, help="CTranslate2's sampling seed")
    args = ap.parse_args(argv)
    if not (REAL / "labels.json").is_file():
        print(f"error: {REAL}/labels.json not found: the real clips are needed", file=sys.stderr)
        return 2
    import ctranslate2

    from voice_interviewer.errors import ModelError

    clips = load_clips()
    results = []
    for model in args.models:
        # Each model's sampling (Whisper's temperature fallback) starts from the same seed.
        ctranslate2.set_random_seed(args.seed)
        try:
            results.append(measure_model(model, clips, args.sets, args.clips, not args.no_latency))
        except ModelError as exc:
            print(f"{model}: skipped: {exc}", file=sys.stderr)
    header = (
        f"{len(clips)} real clips ({sum(c.filled > 0 for c in clips)} with filled pauses; one "
        f"speaker plus jfk/comfyui/no-speech clips; in-sample for anything tuned on them); "
        f"fixture sets: {', '.join(args.sets)}"
        + (f", {args.clips} clips each" if args.clips else ", whole")
    )
    print(header)
    print(table(results, markdown=False))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(header + "\n\n" + table(results, markdown=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
