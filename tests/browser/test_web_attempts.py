"""Issue 25 in real headless Chromium: two questions through the page, the flow of a candidate who
reads each feedback and decides. Answer, read, Try again, answer, Next, answer, Done: the page
waits after each feedback (no question starts over it), shows the two attempts side by side, and
the saved session (SessionStore) holds both attempts of the first question.

Chromium's fake microphone plays three answers with long quiet between them; each answer is ended
with the Done button a second after its last word (before the silence could end it), and the
test clicks Try again / Next as soon as the page offers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.web_page import chromium, wait_for
from tests.browser.page_session import answers_wav, done_at, nth, require_chromium, timeline_count

pytest.importorskip("starlette", reason="the [web] extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "audio_fixtures"
ARTIFACTS = ROOT / "test-artifacts"
CLIPS = {
    "overfitting": FIXTURES / "a01_overfitting_en-us_140_clean.flac",
    "missing-values": FIXTURES / "a04_missing-values_en-gb_190_clean.flac",
}


def test_try_again_then_next_keeps_both_attempts(tmp_path, scorer):
    require_chromium()
    from selenium.webdriver.common.by import By

    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.sessions.store import SessionStore
    from voice_interviewer.web.server import BackgroundServer, prepare

    first, second = [q.id for q in resolve_bank(None).questions if q.id in CLIPS]
    # The first question twice (a short answer, then a longer one), then the second.
    wav, ends = answers_wav(
        tmp_path, [(CLIPS[first], 10.0), (CLIPS[first], 18.0), (CLIPS[second], 10.0)]
    )
    home = tmp_path / "home"
    served = prepare("127.0.0.1", 0, home, scorer)
    with BackgroundServer(served):
        driver = chromium(wav)
        try:
            driver.get(served.url)
            driver.find_element(By.CSS_SELECTOR, "input[name=mode][value=questions]").click()
            for qid in (first, second):
                driver.find_element(By.CSS_SELECTOR, f"input[name=question][value='{qid}']").click()
            driver.find_element(By.CSS_SELECTOR, "input[name=speak]").click()  # not spoken
            # No probe on a missed point here: this test is about attempts (probes have theirs).
            for name, value in (("end_silence", "6"), ("wait", "60"), ("probes", "0")):
                box = driver.find_element(By.CSS_SELECTOR, f"input[name={name}]")
                box.clear()
                box.send_keys(value)
            driver.find_element(By.ID, "start").click()
            shown = []
            for n, (end, step) in enumerate(zip(ends, ("retry", "next", "next"), strict=True), 1):
                wait_for(driver, nth("listening", n), 120, f"listening ({n})")
                # While the answer is given, neither Next nor Try again is on offer.
                assert not driver.find_element(By.ID, "next").is_displayed()
                done_at(driver, end + 1.0)
                wait_for(driver, nth("waiting", n), 120, f"the choice after feedback {n}")
                # The page waits: no next question has started over the feedback.
                assert timeline_count(driver, "listening") == n
                label = driver.find_element(By.ID, "q-label").text
                shown.append((label, driver.find_element(By.ID, "feedback").text))
                # The timer shows the answer's length as measured, not the time recorded.
                elapsed = driver.find_element(By.ID, "elapsed-text").text
                if n == 2:
                    comparison = driver.find_element(By.CSS_SELECTOR, "#feedback table.attempts")
                    comparison_text = comparison.text
                    ARTIFACTS.mkdir(exist_ok=True)
                    driver.save_screenshot(str(ARTIFACTS / "web-attempts-1280.png"))
                driver.find_element(By.ID, step).click()
            wait_for(driver, nth("session_saved", 1), 60, "the saved session")
            timeline = driver.execute_script("return window.viTimeline")
        finally:
            driver.quit()

    store = SessionStore(home)
    try:
        detail = store.load_session("last")
    finally:
        store.close()
    assert [(a.question_id, a.attempt, a.status) for a in detail.answers] == [
        (first, 1, "answered"),
        (first, 2, "answered"),
        (second, 1, "answered"),
    ], timeline
    assert detail.status == "complete" and detail.settings["auto_next"] is False
    # Each answer was ended by Done, at once (no grace period ran after it).
    assert [a.end_reason for a in detail.answers] == ["enter"] * 3, timeline
    a1, a2 = detail.answers[0].analysis, detail.answers[1].analysis
    # 18 s of the answer against 10 s (less if the page listened late on a loaded machine)
    assert a2.answer_s > a1.answer_s, (a1.answer_s, a2.answer_s, timeline)
    # The comparison the page showed: each measure, both attempts, the change.
    for measure in ("length", "pace", "fillers", "pauses", "coverage"):
        assert measure in comparison_text
    assert f"{a1.answer_s:.0f} s" in comparison_text and f"{a2.answer_s:.0f} s" in comparison_text
    assert "better" in comparison_text  # the longer answer is nearer the target (60-120 s)
    assert "(attempt 2)" in shown[1][0]
    assert elapsed.startswith(f"{detail.answers[2].analysis.answer_s:.0f} s of")
    kinds = [e["what"] for e in timeline]
    assert kinds.count("compare_shown") == 1
    assert kinds.index("retry_clicked") < kinds.index("compare_shown")
