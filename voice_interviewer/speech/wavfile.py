"""A WAV file that is valid on disk after every append: recordings survive Ctrl-C and crashes."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from voice_interviewer.errors import SessionError
from voice_interviewer.speech.timeline import SAMPLE_RATE


class WavAppender:
    """16-bit PCM mono. ``wave`` rewrites the header sizes on each write; we flush after it."""

    def __init__(self, path: str | Path, samplerate: int = SAMPLE_RATE) -> None:
        self.path = Path(path)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._fh = os.fdopen(fd, "wb")
        except OSError as exc:
            raise SessionError(
                f"{self.path}: cannot write the recording ({exc.strerror})"
            ) from None
        self._wav = wave.open(self._fh, "wb")  # noqa: SIM115 (kept open while recording)
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(samplerate)
        self._wav.writeframes(b"")  # header now, so even an empty answer is a valid file
        self._fh.flush()
        self.frames = 0

    def append(self, samples: np.ndarray) -> None:
        pcm = (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
        try:
            self._wav.writeframes(pcm.tobytes())
            self._fh.flush()
        except OSError as exc:
            raise SessionError(
                f"{self.path}: cannot write the recording ({exc.strerror})"
            ) from None
        self.frames += len(pcm)

    def close(self) -> None:
        if self._wav is not None:
            try:
                self._wav.close()
                self._fh.close()
            except OSError:
                pass
            self._wav = None

    def __enter__(self) -> WavAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
