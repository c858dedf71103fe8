"""Latency of feedback in the web app: from the end of the answer to the feedback on the page.

Serves the app (uvicorn, the bundled model), opens the practice page in headless Chromium whose
fake microphone plays a fixture answer (with silence around it), and reads the page's own timeline
(``window.viTimeline``): when the page was told the answer ended, when it showed the feedback, and
the server's end-of-answer-decision-to-feedback time. One row per run, then the median and worst.

    python -m benchmarks.web_latency [--runs 3] [--clips a04_missing-values_en-gb_190_clean ...]
    python -m benchmarks.web_latency --done   # the Done button 1 s after the last word

With ``--done`` the answer is ended by the page's Done button, clicked ``DONE_AFTER_S`` after the
answer's last word (on the fake microphone's clock, from the fixture's truth), before the silence
would end it: "Done means done" (issue 25) is Done clicked -> feedback shown within 0.5 s.

Needs the [web] extra, selenium, chromium and chromium-driver (./test.sh installs them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from evaluation.web_page import (
    LEAD_S,
    chromium,
    fake_mic_file,
    marked,
    start_one_question,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
DONE_AFTER_S = 1.0  # Done this long after the last word: before the end silence (4 s) could


@dataclass(frozen=True)
class PageTiming:
    clip: str
    decision_to_feedback_s: float  # measured by the server: end-of-answer decision to analysis
    answer_end_to_shown_s: float  # measured by the page: "answer ended" message to feedback shown
    done_to_shown_s: float | None = None  # the page: Done clicked to feedback shown (--done)


def run_once(scorer, fixture: Path, folder: Path, done: bool = False) -> PageTiming:
    from voice_interviewer.web.server import BackgroundServer, prepare

    truth = json.loads(fixture.with_suffix(".json").read_text())
    served = prepare("127.0.0.1", 0, folder / f"home-{fixture.name}", scorer)
    with BackgroundServer(served):
        driver = chromium(fake_mic_file(fixture, folder))
        try:
            start_one_question(driver, served.url, truth["question_id"])
            if done:
                _click_done_after_the_answer(driver, LEAD_S + truth["speech_end"] + DONE_AFTER_S)
            wait_for(driver, marked("feedback_shown"), 180, "feedback")
            timeline = driver.execute_script("return window.viTimeline")
        finally:
            driver.quit()
    end = next(e for e in timeline if e["what"] == "answer_end")
    shown = next(e for e in timeline if e["what"] == "feedback_shown")
    clicked = next((e for e in timeline if e["what"] == "done_clicked"), None)
    if done and (clicked is None or end.get("reason") != "enter"):
        raise SystemExit(f"{fixture.name}: the answer ended by {end.get('reason')}, not by Done")
    return PageTiming(
        fixture.name,
        float(shown["decision_to_feedback_s"]),
        (shown["t"] - end["t"]) / 1000.0,
        (shown["t"] - clicked["t"]) / 1000.0 if clicked else None,
    )


def _click_done_after_the_answer(driver, after_mic_s: float) -> None:
    """Clicks Done ``after_mic_s`` after the microphone opened (the fake microphone's file starts
    playing then), once the page listens."""
    import time

    from selenium.webdriver.common.by import By

    wait_for(driver, marked("listening"), 120, "listening")
    opened = driver.execute_script(
        "return window.viTimeline.find(e => e.what === 'microphone_open').t"
    )
    now = driver.execute_script("return performance.now()")
    time.sleep(max(0.0, after_mic_s - (now - opened) / 1000.0))
    driver.find_element(By.ID, "done").click()


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
    ap.add_argument(
        "--done",
        action="store_true",
        help=f"end each answer with the Done button {DONE_AFTER_S:g} s after its last word",
    )
    args = ap.parse_args()

    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    scorer = Scorer(WhisperTranscriber(resolve_model(args.model)))
    rows: list[PageTiming] = []
    with tempfile.TemporaryDirectory() as tmp:
        for clip in args.clips:
            for _ in range(args.runs):
                rows.append(run_once(scorer, FIXTURES / clip, Path(tmp), args.done))
                r = rows[-1]
                print(f"  {r.clip}: {_cells(r)}", flush=True)
    print(
        "\n| clip | run | end-of-answer decision to feedback (server) "
        "| answer_end to feedback shown (page) | Done clicked to feedback shown (page) |"
    )
    print("|---|---|---|---|---|")
    for i, r in enumerate(rows):
        print(f"| {r.clip} | {i % args.runs + 1} | {_cells(r)} |")
    for name, pick in (("median", statistics.median), ("worst", max)):
        done = [r.done_to_shown_s for r in rows if r.done_to_shown_s is not None]
        cells = [
            f"{pick([r.decision_to_feedback_s for r in rows]):.2f} s",
            f"{pick([r.answer_end_to_shown_s for r in rows]):.2f} s",
            f"{pick(done):.2f} s" if done else "-",
        ]
        print(f"| **{name}** | | {' | '.join(cells)} |")


def _cells(r: PageTiming) -> str:
    done = "-" if r.done_to_shown_s is None else f"{r.done_to_shown_s:.2f} s"
    return f"{r.decision_to_feedback_s:.2f} s | {r.answer_end_to_shown_s:.2f} s | {done}"


if __name__ == "__main__":
    main()
