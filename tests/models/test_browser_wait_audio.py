"""The page's session (``web.browser_session``) with the real engine and Whisper tiny.en, the page
played by this test: what the microphone hears while the candidate reads the feedback (the engine
waits for Next or Try again) is dropped, not kept for the next answer (issue 25).

The test answers, then talks during the wait, then chooses Try again and says nothing: when the
second attempt is asked, none of the wait's audio is waiting to be read, and the second attempt is
saved as not answered.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette", reason="the [web] extra is not installed")

from voice_interviewer.bank import resolve_bank  # noqa: E402
from voice_interviewer.live.controller import PracticeSettings  # noqa: E402
from voice_interviewer.sessions.store import SessionStore  # noqa: E402
from voice_interviewer.speech.decode import load_audio  # noqa: E402
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS  # noqa: E402
from voice_interviewer.web.browser_session import Controls, run_browser_practice  # noqa: E402
from voice_interviewer.web.pushed_blocks import PushedBlocks  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "audio_fixtures"
SR, BLOCK = 16000, 800  # the page sends 50 ms blocks


class Page:
    """What the page does: streams blocks, reports where the question ended, reads messages."""

    def __init__(self) -> None:
        ticks = itertools.count(0.0, 60.0)  # no pacing: this test pushes faster than real time
        self.blocks = PushedBlocks(clock=lambda: next(ticks))
        self.controls = Controls()
        self.messages: queue.Queue[dict] = queue.Queue()
        self.seen: list[str] = []

    def push(self, audio: np.ndarray) -> None:
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
        for i in range(0, len(pcm), BLOCK):
            self.blocks.push(pcm[i : i + BLOCK].tobytes())

    def expect(self, kind: str, timeout: float = 120.0) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                m = self.messages.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(m["type"])
            if m["type"] == "error":
                raise AssertionError(m)
            if m["type"] == kind:
                return m
        raise AssertionError(f"no {kind!r} message; seen {self.seen}")

    def quiet_until(self, kind: str, timeout: float = 120.0) -> dict:
        """Quiet microphone blocks (about ten times real time) until a ``kind`` message."""
        rng = np.random.default_rng(0)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.push(rng.normal(0.0, 0.001, BLOCK * 2).astype(np.float32))
            try:
                m = self.messages.get_nowait()
            except queue.Empty:
                time.sleep(0.01)
                continue
            self.seen.append(m["type"])
            if m["type"] == kind:
                return m
        raise AssertionError(f"no {kind!r} message; seen {self.seen}")

    def heard(self) -> None:
        """The question finished playing now (the page's "played", on its sample clock)."""
        self.controls.played.put(self.blocks.stream_time())


def test_talk_during_the_wait_is_not_kept_for_the_next_attempt(tmp_path, scorer):
    bank = resolve_bank(None)
    question = bank.question("overfitting")
    answer = load_audio(FIXTURES / "a01_overfitting_en-us_140_clean.flac")[: 12 * SR]
    talk = load_audio(FIXTURES / "a04_missing-values_en-gb_190_clean.flac")[: 8 * SR]
    settings = PracticeSettings(
        speak=False,
        cue=False,
        probes=0,
        auto_next=False,
        endpoint=replace(LIVE_DEFAULTS, wait_s=4.0),
    )
    page = Page()
    ran: list[int] = []

    def run() -> None:  # as the server does: a store of the session's own thread
        store = SessionStore(tmp_path)
        try:
            ran.append(
                run_browser_practice(
                    replace(bank, questions=(question,)),
                    [question],
                    scorer,
                    store,
                    settings,
                    page.blocks,
                    page.controls,
                    page.messages.put,
                    lambda wav: "/speech/x.wav",
                )
            )
        finally:
            store.close()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        assert page.expect("question")["attempt"] == 1
        page.heard()
        page.push(answer)
        page.quiet_until("waiting")
        page.push(talk)  # the candidate talks while reading the feedback
        page.controls.steps.put("retry")
        assert page.expect("question")["attempt"] == 2
        # The engine now waits for the page to play the question: nothing from the wait is kept
        # for the answer it is about to record.
        leftover = page.blocks.read(timeout=0)
        page.heard()
        page.quiet_until("waiting")  # the second attempt: nothing said
        page.controls.steps.put("next")
        page.expect("session_saved")
    finally:
        page.controls.stop.set()
        page.blocks.close()
        worker.join(60)
    store = SessionStore(tmp_path)
    try:
        detail = store.load_session(ran[0])
    finally:
        store.close()
    assert leftover is None, f"audio from the wait was kept for the next answer: {leftover}"
    first, second = detail.answers
    assert (first.attempt, first.status) == (1, "answered")
    assert (second.attempt, second.status) == (2, "unanswered"), page.seen
