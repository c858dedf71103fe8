"""Where the time after the end-of-answer decision goes, stage by stage (live path, real time).

Runs the answers of ``benchmarks.latency`` (fixture clips joined; Enter 0.5 s / 1.0 s after the
last word, or the end silence) and times each stage the worker and ``LiveAnswer._conclude`` run
after the decision: window decodes, the filler pass's labels inside ``finish``, the held fillers
of ``conclude``, and ``Scorer.analyze``. Each stage is wrapped in place (wall time and process CPU
time); only the part of a call after the decision counts, its CPU prorated.

    python -m benchmarks.latency_breakdown [--model tiny.en] [--lengths 30 120]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable

from benchmarks.latency import ENTER_AFTER_S, build_answer, build_real_answer, live_latency
from voice_interviewer.bank import resolve_bank
from voice_interviewer.live import capture
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.speech import recognize
from voice_interviewer.speech.models import resolve_model
from voice_interviewer.speech.whisper import WhisperTranscriber

Span = tuple[str, float, float, float]  # stage, start, end (monotonic), CPU seconds


def timed(owner: object, name: str, stage: str, log: list[Span]) -> None:
    """Replaces ``owner.name`` by a version logging each call's times."""
    inner: Callable = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t0, c0 = time.monotonic(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            log.append((stage, t0, time.monotonic(), time.process_time() - c0))

    setattr(owner, name, wrapper)


def after(log: list[Span], decided: float) -> dict[str, tuple[float, float]]:
    """Per stage: (wall, CPU) seconds after ``decided``."""
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for stage, t0, t1, cpu in log:
        if t1 > decided:
            part = t1 - max(t0, decided)
            out[stage][0] += part
            out[stage][1] += cpu * part / max(t1 - t0, 1e-9)
    return {k: (v[0], v[1]) for k, v in out.items()}


STAGES = (
    "window decode",
    "lost-speech decodes",
    "labels (in finish)",
    "finish (rest)",
    "held fillers",
    "analyze",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--lengths", type=float, nargs="*", default=[30.0, 120.0])
    ap.add_argument(
        "--real", type=float, nargs="*", default=[], help="also answers of real recordings joined"
    )
    args = ap.parse_args()
    transcriber = WhisperTranscriber(resolve_model(args.model))
    scorer = Scorer(transcriber)
    log: list[Span] = []
    timed(transcriber, "transcribe_windows", "window decode", log)
    timed(transcriber, "label_many", "labels (in finish)", log)
    timed(transcriber, "transcribe", "lost-speech decodes", log)
    timed(recognize.StretchProcessor, "finish", "finish", log)
    timed(capture, "conclude", "conclude", log)
    timed(scorer, "analyze", "analyze", log)
    decisions: list[float] = []
    conclude = capture.LiveAnswer._conclude

    def concluding(self, ended, decided):
        decisions.append(decided)
        return conclude(self, ended, decided)

    capture.LiveAnswer._conclude = concluding
    bank = resolve_bank(None)
    head = ("answer s", "ending", "decision->feedback s (CPU)", *STAGES)
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    answers = [build_answer(s) for s in args.lengths] + [build_real_answer(s) for s in args.real]
    for answer in answers:
        question = bank.question(answer.question_id)
        for enter_after in (None, *ENTER_AFTER_S):
            log.clear()
            ending = live_latency(scorer, answer, question, enter_after)
            concludes = [(a, b) for stage, a, b, _ in log if stage == "conclude"]
            # The held fillers' labels belong to conclude, not to the filler pass of finish.
            log[:] = [
                x
                for x in log
                if x[0] != "labels (in finish)"
                or not any(a <= x[1] and x[2] <= b for a, b in concludes)
            ]
            t = after(log, decisions[-1])
            labels = t.get("labels (in finish)", (0.0, 0.0))
            fin = t.get("finish", (0.0, 0.0))
            lost = t.get("lost-speech decodes", (0.0, 0.0))
            stages = {
                "window decode": t.get("window decode", (0.0, 0.0)),
                "lost-speech decodes": lost,
                "labels (in finish)": labels,
                "finish (rest)": (
                    max(0.0, fin[0] - labels[0] - lost[0]),
                    max(0.0, fin[1] - labels[1] - lost[1]),
                ),
                "held fillers": t.get("conclude", (0.0, 0.0)),
                "analyze": t.get("analyze", (0.0, 0.0)),
            }
            name = "silence" if enter_after is None else f"Enter +{enter_after} s"
            cells = [answer.name, name, ending.cell()]
            cells += [f"{stages[s][0]:.2f} ({stages[s][1]:.2f})" for s in STAGES]
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
