"""The interviewer's voice: questions, spoken feedback and the end-of-answer cue, played through
sounddevice so the moment playback ends is known on the microphone's clock."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from voice_interviewer.errors import DeviceError
from voice_interviewer.live.events import Speech

__all__ = ["CUE_RATE", "Speaker", "end_cue"]

CUE_RATE = 16000


def end_cue(rate: int = CUE_RATE) -> np.ndarray:
    """A short, soft two-note chime (E5 then A5, 0.12 s each, faded): "your answer is in"."""
    notes = []
    for freq in (659.25, 880.0):
        t = np.arange(int(0.12 * rate)) / rate
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.015)  # 15 ms fades: no clicks
        notes.append(0.25 * envelope * np.sin(2 * np.pi * freq * t))
    return np.concatenate(notes).astype(np.float32)


class Speaker:
    """Speaks text with a synthesiser (``live.tts``) and plays it on ``output_device``."""

    def __init__(
        self,
        synthesizer,
        voice: str | None = None,
        rate: int | None = None,
        output_device: str | None = None,
    ) -> None:
        self.tts = synthesizer
        self.voice = voice
        self.rate = rate
        self.output_device = output_device
        self._cue: threading.Thread | None = None
        # Questions rendered ahead (``prefetch``): a natural voice takes about a second to render
        # a question on 2 cores, so it is rendered while the previous step runs.
        self._ahead: dict[str, Future] = {}
        self._renderer: ThreadPoolExecutor | None = None
        self._latest: Future | None = None  # the last render asked for (renders run in order)
        if voice:
            self.tts.resolve_voice(voice)  # fail early on an unknown voice

    def prefetch(self, text: str) -> None:
        """Starts rendering ``text`` in the background, so that ``say(text)`` plays at once."""
        if text in self._ahead:
            return
        if self._renderer is None:
            self._renderer = ThreadPoolExecutor(1, thread_name_prefix="tts-ahead")
        self._ahead[text] = self._latest = self._renderer.submit(self._render, text)

    def _render(self, text: str) -> tuple[np.ndarray, int]:
        return self.tts.synthesize(text, voice=self.voice, rate=self.rate)

    def wait_ahead(self, timeout: float) -> None:
        """Waits (up to ``timeout`` seconds) until what was prefetched so far is rendered."""
        latest = self._latest  # one read: another thread may be taking renders meanwhile
        if latest is not None:
            with contextlib.suppress(Exception):  # its error is raised to whoever plays it
                latest.exception(timeout=timeout)

    def audio_for(self, text: str) -> tuple[np.ndarray, int]:
        """The rendered ``text``: the prefetched one (waiting for it if still rendering; its
        error, if any, raised here), else rendered now."""
        ahead = self._ahead.pop(text, None)
        return ahead.result() if ahead is not None else self._render(text)

    def render(self, text: str) -> Speech:
        """``audio_for(text)`` as the question's ``Speech``."""
        audio, rate = self.audio_for(text)
        return Speech(audio, rate)

    def play(self, speech: Speech) -> float:
        """Plays rendered speech; returns the playback end on the PortAudio clock."""
        from voice_interviewer.live.devices import play

        self.wait_cue()
        return play(speech.samples, speech.rate, self.output_device)

    def say(self, text: str) -> float:
        """Plays ``text``; returns the playback end on the PortAudio clock."""
        self.wait_cue()
        return self.play(self.render(text))

    def close(self) -> None:
        """Drops what was rendered ahead and stops the renderer (a render in progress finishes)."""
        self._ahead.clear()
        if self._renderer is not None:
            self._renderer.shutdown(wait=True, cancel_futures=True)
            self._renderer = None

    def start_cue(self) -> None:
        """Plays the end-of-answer chime in the background (the feedback is computed meanwhile)."""
        from voice_interviewer.live.devices import play

        def run() -> None:
            # A missing chime is no reason to stop the session.
            with contextlib.suppress(DeviceError):
                play(end_cue(), CUE_RATE, self.output_device)

        self.wait_cue()
        self._cue = threading.Thread(target=run, name="end-cue", daemon=True)
        self._cue.start()

    def wait_cue(self) -> None:
        """Lets the chime finish before anything else is played."""
        if self._cue is not None:
            self._cue.join(timeout=3.0)
            self._cue = None
