"""The practice page asks the questions ticked, without the "Only these questions" radio being
chosen too (issue 25, defect 1): before, ticks alone were ignored, all 20 questions ran, the answer
was scored against question 1 and the page said "Question 2 of 20". Real headless Chromium, its
fake microphone playing a fixture answer, the real server. It checks what is asked and saved
when the question shows (the answer's feedback is tested in test_web_e2e.py). Screenshots at
390 px and 1280 px in test-artifacts/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.web_page import (
    chromium,
    fake_mic_file,
    wait_for,
)
from tests.browser.page_session import require_chromium

pytest.importorskip("starlette", reason="the [web] extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "audio_fixtures" / "a04_missing-values_en-gb_190_clean"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def scorer():
    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    return Scorer(WhisperTranscriber(resolve_model(None)))


def test_ticking_a_question_asks_that_question_alone(tmp_path, scorer):
    require_chromium()
    from selenium.webdriver.common.by import By

    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.web.server import BackgroundServer, prepare

    truth = json.loads(FIXTURE.with_suffix(".json").read_text())
    question = resolve_bank(None).question(truth["question_id"])
    assert resolve_bank(None).questions[0].id != question.id  # else the test proves nothing
    home = tmp_path / "home"
    served = prepare("127.0.0.1", 0, home, scorer)
    ARTIFACTS.mkdir(exist_ok=True)
    with BackgroundServer(served):
        driver = chromium(fake_mic_file(FIXTURE, tmp_path))
        try:
            driver.get(served.url)
            # Only the tick: the "Which questions" radio is left as it was.
            driver.find_element(
                By.CSS_SELECTOR, f"input[name=question][value='{question.id}']"
            ).click()
            mode = driver.find_element(By.CSS_SELECTOR, "input[name=mode]:checked")
            mode = mode.get_attribute("value")
            driver.find_element(By.CSS_SELECTOR, "input[name=speak]").click()  # no speaker here
            box = driver.find_element(By.CSS_SELECTOR, "input[name=end_silence]")
            box.clear()
            box.send_keys("4")
            driver.find_element(By.ID, "start").click()
            # The card shows its placeholder "Question" as it opens, before the question's own
            # label ("Question N of M ...") arrives: wait for that.
            label = wait_for(
                driver,
                lambda d: " of " in (t := d.find_element(By.ID, "q-label").text.strip()) and t,
                60,
                "a question",
            )
            asked = driver.find_element(By.ID, "q-text").text
            # The saved session, as the question is asked: its plan and its answer's question.
            session = review_last(home)
            for width in (1280, 390):
                driver.set_window_size(width, 1000)
                driver.save_screenshot(str(ARTIFACTS / f"web-ticked-question-{width}.png"))
        finally:
            driver.quit()

    assert label.startswith("Question 1 of 1"), label
    assert asked == question.text
    assert session["settings"]["questions"] == [question.id]
    assert mode == "questions"  # the tick chose the mode
    # The one question asked is the one ticked: its answer is judged against it.
    assert [a["question_id"] for a in session["answers"]] == [question.id]


def review_last(home: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "voice_interviewer", "review", "last", "--json"]
        + ["--data-dir", str(home)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)
