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

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
LEAD_S, TAIL_S = 3.0, 16.0  # quiet around the answer: the tail outlasts the end silence and grace
SR = 16000


def fake_mic_file(fixture: Path, folder: Path) -> Path:
    """The answer with quiet noise around it, as the 16-bit WAV Chromium's fake microphone plays."""
    audio, rate = sf.read(str(fixture.with_suffix(".flac")), dtype="float32")
    if rate != SR:
        raise ValueError(f"{fixture}: expected {SR} Hz, got {rate}")
    noise = np.random.default_rng(1).normal(0.0, 0.001, int((LEAD_S + TAIL_S) * SR))
    padded = np.concatenate([noise[: int(LEAD_S * SR)], audio, noise[int(LEAD_S * SR) :]])
    path = folder / f"{fixture.name}.wav"
    sf.write(str(path), padded.astype(np.float32), SR, subtype="PCM_16")
    return path


def chromium(mic_wav: Path, width: int = 1280, microphone: str = "allow"):
    """Headless Chromium whose microphone plays ``mic_wav`` once; ``microphone="deny"`` refuses
    the page's request for it instead."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},1000",
        "--use-fake-ui-for-media-stream" + ("=deny" if microphone == "deny" else ""),
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={mic_wav}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    ):
        opts.add_argument(arg)
    return webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))


class PageError(AssertionError):
    """The page did not get where it should; the message holds its error box and timeline."""


def wait_for(driver, condition, timeout: float, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
    except Exception:
        err = driver.execute_script("return document.getElementById('error').textContent")
        timeline = driver.execute_script("return window.viTimeline")
        raise PageError(
            f"{what} did not happen; error box: {err!r}; timeline: {timeline}"
        ) from None


def marked(what: str):
    """A wait condition: the page's timeline holds an entry ``what``."""
    return lambda d: d.execute_script(
        "return window.viTimeline.filter(e => e.what === arguments[0]).length", what
    )


def start_one_question(driver, url: str, question_id: str, end_silence_s: float = 4.0) -> None:
    """Opens the practice page and starts a session on one question, the question not spoken
    (headless Chromium has no speaker: the answer is cut when the page shows the question)."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    driver.find_element(By.CSS_SELECTOR, "input[name=mode][value=questions]").click()
    driver.find_element(By.CSS_SELECTOR, f"input[name=question][value='{question_id}']").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=speak]").click()
    box = driver.find_element(By.CSS_SELECTOR, "input[name=end_silence]")
    box.clear()
    box.send_keys(f"{end_silence_s:g}")
    driver.find_element(By.ID, "start").click()


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
                    f"  {r.clip}: {r.decision_to_feedback_s:.2f} s / {r.answer_end_to_shown_s:.2f} s",
                    flush=True,
                )
    print(
        "\n| clip | run | end-of-answer decision to feedback (server) | answer_end to feedback shown (page) |"
    )
    print("|---|---|---|---|")
    for i, r in enumerate(rows):
        print(
            f"| {r.clip} | {i % args.runs + 1} | {r.decision_to_feedback_s:.2f} s | {r.answer_end_to_shown_s:.2f} s |"
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
