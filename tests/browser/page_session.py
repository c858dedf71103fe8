"""Driving a practice session in headless Chromium: the check that it can run, the fake
microphone's answers, and the page's timeline (``window.viTimeline``)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import soundfile as sf

from evaluation.web_page import CHROMEDRIVER, CHROMIUM
from tests.conftest import skip_or_fail

# A gap outlasts the feedback and the clicks on a loaded machine (once 20 s were not enough).
LEAD_S, GAP_S, TAIL_S = 3.0, 30.0, 16.0
SR = 16000


def require_chromium() -> None:
    """Skips (fails in CI) unless selenium, Chromium and chromedriver are all there."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        skip_or_fail("selenium is not installed (pip install selenium): cannot test the web app")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        skip_or_fail(
            f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver)"
        )


def answers_wav(folder: Path, pieces: list[tuple[Path, float]]) -> tuple[Path, list[float]]:
    """The answers (each the first ``seconds`` of a fixture) with quiet between them; returns the
    WAV and where each answer ends, in seconds from the start of the file."""
    rng = np.random.default_rng(1)

    def quiet(s: float) -> np.ndarray:
        return rng.normal(0.0, 0.001, int(s * SR)).astype(np.float32)

    parts, ends, t = [quiet(LEAD_S)], [], LEAD_S
    for i, (path, seconds) in enumerate(pieces):
        audio, rate = sf.read(str(path), dtype="float32")
        assert rate == SR
        parts.append(audio[: int(seconds * SR)])
        t += seconds
        ends.append(t)
        gap = GAP_S if i < len(pieces) - 1 else TAIL_S
        parts.append(quiet(gap))
        t += gap
    wav = folder / "answers.wav"
    sf.write(str(wav), np.concatenate(parts), SR, subtype="PCM_16")
    return wav, ends


def timeline_count(driver, what: str) -> int:
    return driver.execute_script(
        "return window.viTimeline.filter(e => e.what === arguments[0]).length", what
    )


def nth(what: str, n: int):
    """A wait condition: the page has marked ``what`` ``n`` times."""
    return lambda d: timeline_count(d, what) >= n


def done_at(driver, mic_s: float) -> None:
    """Clicks Done when the fake microphone (it starts as the page opens it) reaches ``mic_s``."""
    from selenium.webdriver.common.by import By

    opened = driver.execute_script(
        "return window.viTimeline.find(e => e.what === 'microphone_open').t"
    )
    now = driver.execute_script("return performance.now()")
    time.sleep(max(0.0, mic_s - (now - opened) / 1000.0))
    driver.find_element(By.ID, "done").click()
