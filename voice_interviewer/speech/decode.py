"""Reading answer recordings: any format faster-whisper (PyAV) decodes, to 16 kHz mono float32."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from voice_interviewer.errors import AudioInputError
from voice_interviewer.speech.timeline import SAMPLE_RATE

# Shorter than this is not an answer, whatever it holds.
MIN_DURATION_S = 0.1


def load_audio(path: str | Path) -> np.ndarray:
    """Decode an audio file (wav, flac, mp3, m4a, ...; any channels and rate) to 16 kHz mono."""
    p = Path(path)
    if not p.exists():
        raise AudioInputError(f"{p}: no such file")
    if p.is_dir():
        raise AudioInputError(f"{p}: is a folder, not an audio file")
    try:
        size = p.stat().st_size
        with p.open("rb"):
            pass
    except OSError as exc:
        raise AudioInputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise AudioInputError(f"{p}: empty file")

    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many types (InvalidDataError, ValueError, ...)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # PyAV says "[Errno 1094995529] Invalid data found when processing input: 'path'".
        reason = re.sub(r"^\[Errno -?\d+\]\s*", "", reason).split(": '")[0]
        raise AudioInputError(f"{p}: not a readable audio file ({reason})") from None
    audio = np.asarray(audio, dtype=np.float32)
    if audio.size < MIN_DURATION_S * SAMPLE_RATE:
        raise AudioInputError(f"{p}: holds no audio (decoded {audio.size / SAMPLE_RATE:.2f} s)")
    return audio
