"""Driving the web app's page in headless Chromium whose fake microphone plays a fixture answer.

Used by ``benchmarks/web_latency.py`` (how soon feedback comes) and tests/browser/test_web_e2e.py
(what the page shows). Needs selenium, chromium and chromium-driver (./test.sh installs them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

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


def start_one_question(
    driver, url: str, question_id: str, end_silence_s: float = 4.0, probes: int = 0
) -> None:
    """Opens the practice page and starts a session on one question, the question not spoken
    (headless Chromium has no speaker: the answer is cut when the page shows the question), with
    ``probes`` probes on a missed point (0: one answer only; the fake microphone loops)."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    driver.find_element(By.CSS_SELECTOR, "input[name=mode][value=questions]").click()
    driver.find_element(By.CSS_SELECTOR, f"input[name=question][value='{question_id}']").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=speak]").click()
    box = driver.find_element(By.CSS_SELECTOR, "input[name=end_silence]")
    box.clear()
    box.send_keys(f"{end_silence_s:g}")
    probes_box = driver.find_element(By.CSS_SELECTOR, "input[name=probes]")
    probes_box.clear()
    probes_box.send_keys(str(probes))
    driver.find_element(By.ID, "start").click()
