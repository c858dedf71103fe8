"""Issue 25 in real headless Chromium: a probe on a point the answer missed is shown as one. The
page titles it "Probe on question N: <the point>" while it is asked, and its feedback says so,
not "Follow-up to question N" like a bank's follow-up.

The fake microphone plays a short opening of an answer (it misses points), then, after a long
quiet, a few seconds of speech for the probe; each is ended with the Done button. Screenshots at
390 and 1280 px go to test-artifacts/ to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.web_page import chromium, wait_for
from tests.browser.page_session import answers_wav, done_at, nth, require_chromium
from tests.browser.page_shots import full_page_screenshot, show_at_width
from tests.conftest import FIXTURES

pytest.importorskip("starlette", reason="the [web] extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ANSWER = FIXTURES / "a01_overfitting_en-us_140_clean.flac"
PROBE_REPLY = FIXTURES / "a04_missing-values_en-gb_190_clean.flac"


def test_a_probe_is_titled_as_a_probe_on_the_missed_point(tmp_path, scorer):
    require_chromium()
    from selenium.webdriver.common.by import By

    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.live.probes import choose_probe_point
    from voice_interviewer.sessions.store import SessionStore
    from voice_interviewer.web.server import BackgroundServer, prepare

    question = resolve_bank(None).question("overfitting")
    wav, ends = answers_wav(tmp_path, [(ANSWER, 10.0), (PROBE_REPLY, 6.0)])
    home = tmp_path / "home"
    served = prepare("127.0.0.1", 0, home, scorer)
    with BackgroundServer(served):
        driver = chromium(wav)
        try:
            driver.get(served.url)
            box = f"input[name=question][value='{question.id}']"
            driver.find_element(By.CSS_SELECTOR, box).click()
            driver.find_element(By.CSS_SELECTOR, "input[name=speak]").click()  # not spoken
            for name, value in (("end_silence", "6"), ("wait", "60"), ("probes", "1")):
                field = driver.find_element(By.CSS_SELECTOR, f"input[name={name}]")
                field.clear()
                field.send_keys(value)
            driver.find_element(By.ID, "start").click()
            wait_for(driver, nth("listening", 1), 120, "listening to the answer")
            main_label = driver.find_element(By.ID, "q-label").text
            done_at(driver, ends[0] + 1.0)
            wait_for(driver, nth("listening", 2), 120, "listening to the probe")
            probe_label = driver.find_element(By.ID, "q-label").text
            ARTIFACTS.mkdir(exist_ok=True)
            for width in (1280, 390):
                show_at_width(driver, width)
                full_page_screenshot(driver, ARTIFACTS / f"web-probe-asked-{width}.png")
            show_at_width(driver, 1280)
            done_at(driver, ends[1] + 1.0)
            wait_for(driver, nth("waiting", 1), 120, "the choice after the probe")
            probe_feedback = driver.find_element(By.CSS_SELECTOR, "#feedback .feedback-item")
            probe_feedback_text = probe_feedback.text
            probe_feedback_name = probe_feedback.get_attribute("aria-label")
            show_at_width(driver, 390)
            full_page_screenshot(driver, ARTIFACTS / "web-probe-feedback-390.png")
            show_at_width(driver, 1280)
            driver.find_element(By.ID, "next").click()  # "Finish the session"
            wait_for(driver, nth("session_saved", 1), 60, "the saved session")
            timeline = driver.execute_script("return window.viTimeline")
        finally:
            driver.quit()

    store = SessionStore(home)
    try:
        main, probe = store.load_session("last").answers
    finally:
        store.close()
    point = choose_probe_point(question, main.analysis)
    assert point is not None and probe.follow_up_of == main.seq, timeline
    assert probe.prompt_text == point.probe_question()
    assert main_label.startswith("Question 1 of 1")
    # Titled as a probe on the point the answer missed, not as a bank's follow-up.
    assert probe_label == f"Probe on question 1: {point.text}", timeline
    assert "Follow-up" not in probe_label
    assert probe_feedback_name == "Feedback on the probe"
    assert f"Probe on question 1: {point.text}" in probe_feedback_text
