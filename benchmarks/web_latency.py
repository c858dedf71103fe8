"""Latency of feedback in the web app: from the end of the answer to the feedback on the page.

Serves the app (uvicorn, the bundled model), opens the practice page in headless Chromium whose
fake microphone plays a fixture answer (with silence around it), and reads the page's own timeline
(``window.viTimeline``): when the page was told the answer ended, when it showed the feedback, and
the server's end-of-answer-decision-to-feedback time. One row per run, then the median and worst.

    python -m benchmarks.web_latency [--runs 3] [--clips a04_missing-values_en-gb_190_clean ...]

Needs the [web] extra, selenium, chromium and chromium-driver (./test.sh installs them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from evaluation.web_page import chromium, fake_mic_file, marked, start_one_question, wait_for

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"


@dataclass(frozen=True)
class PageTiming:
    clip: str
    decision_to_feedback_s: float  # measured by the server: end-of-answer decision to analysis
    answer_end_to_shown_s: float  # measured by the page: "answer ended" message to feedback shown


def run_once(scorer, fixture: Path, folder: Path) -> PageTiming:
    from voice_interviewer.web.server import BackgroundServer, prepare

    truth = json.loads(fixture.with_suffix(".json").read_text())
    served = prepare("127.0.0.1", 0, folder / f"home-{fixture.name}", scorer)
    with BackgroundServer(served):
        driver = chromium(fake_mic_file(fixture, folder))
        try:
            start_one_question(driver, served.url, truth["question_id"])
            wait_for(driver, marked("feedback_shown"), 180, "feedback")
            timeline = driver.execute_script("return window.viTimeline")
        finally:
            driver.quit()
    end = next(e for e in timeline if e["what"] == "answer_end")
    shown = next(e for e in timeline if e["what"] == "feedback_shown")
    return PageTiming(
        fixture.name, float(shown["decision_to_feedback_s"]), (shown["t"] - end["t"]) / 1000.0
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per clip (default 3)")
    ap.add_argument(
        "--clips",
        nargs="+",
        default=["a04_missing-values_en-gb_190_clean", "a01_overfitting_en-us_140_clean"],
        help="fixture names in audio_fixtures/",
    )
    ap.add_argument("--model", default=None, help="Whisper model (default: the bundled tiny.en)")
    args = ap.parse_args()

    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    scorer = Scorer(WhisperTranscriber(resolve_model(args.model)))
    rows: list[PageTiming] = []
    with tempfile.TemporaryDirectory() as tmp:
        for clip in args.clips:
            for _ in range(args.runs):
                rows.append(run_once(scorer, FIXTURES / clip, Path(tmp)))
                r = rows[-1]
                print(
                    f"  {r.clip}: {r.decision_to_feedback_s:.2f} s / "
                    f"{r.answer_end_to_shown_s:.2f} s",
                    flush=True,
                )
    print(
        "\n| clip | run | end-of-answer decision to feedback (server) "
        "| answer_end to feedback shown (page) |"
    )
    print("|---|---|---|---|")
    for i, r in enumerate(rows):
        print(
            f"| {r.clip} | {i % args.runs + 1} | {r.decision_to_feedback_s:.2f} s "
            f"| {r.answer_end_to_shown_s:.2f} s |"
        )
    for name, vals in (
        (
            "median",
            [
                statistics.median([r.decision_to_feedback_s for r in rows]),
                statistics.median([r.answer_end_to_shown_s for r in rows]),
            ],
        ),
        (
            "worst",
            [
                max(r.decision_to_feedback_s for r in rows),
                max(r.answer_end_to_shown_s for r in rows),
            ],
        ),
    ):
        print(f"| **{name}** | | {vals[0]:.2f} s | {vals[1]:.2f} s |")


if __name__ == "__main__":
    main()
