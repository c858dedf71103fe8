"""Reading answer recordings: any format faster-whisper (PyAV) decodes, to 16 kHz mono float32.

Only regular files are read: a FIFO or a device would block or never end. A recording longer than
``MAX_AUDIO_S`` is refused before it is decoded (its container says how long it is), as one
answer is minutes long and an hour of audio takes hundreds of MB to hold.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import numpy as np

from voice_interviewer.errors import AudioInputError
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.user_files import open_regular

# Shorter than this is not an answer, whatever it holds.
MIN_DURATION_S = 0.1
# Longer than this is not one answer: refused (30 min of audio is ~115 MB as float32, decoding
# peaks at about three times that).
MAX_AUDIO_S = 30 * 60.0
# Longer than this takes minutes to score: `score` says so before it starts.
LONG_AUDIO_S = 10 * 60.0


_NOT_A_FILE = (
    (stat.S_ISDIR, "is a folder, not an audio file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file: save the recording to a file first"),
    (stat.S_ISCHR, "is a device, not a file: record to a file first"),
    (stat.S_ISBLK, "is a device, not a file: record to a file first"),
    (stat.S_ISSOCK, "is a socket, not a file"),
)


def check_audio_file(path: str | Path) -> Path:
    """The path of a readable, non-empty regular file, or a one-line AudioInputError. Never opens
    a FIFO or a device (opening a FIFO blocks until a writer comes)."""
    p = Path(path)
    try:
        mode = p.stat().st_mode  # follows a symlink: a link to a FIFO is a FIFO
    except FileNotFoundError:
        raise AudioInputError(f"{p}: no such file") from None
    except OSError as exc:
        raise AudioInputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    for is_kind, problem in _NOT_A_FILE:
        if is_kind(mode):
            raise AudioInputError(f"{p}: {problem}")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise AudioInputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    open_regular(p, "an audio file", AudioInputError).close()  # readable; a swap to a FIFO: refused
    if size == 0:
        raise AudioInputError(f"{p}: empty file")
    return p


def audio_duration(path: str | Path) -> float | None:
    """Seconds of audio the file's container declares, without decoding it; None when it does
    not say (or cannot be opened: decoding then reports why)."""
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if container.duration is not None:
                return container.duration / av.time_base
            stream = next(iter(container.streams.audio), None)
            if stream is not None and stream.duration is not None and stream.time_base:
                return float(stream.duration * stream.time_base)
    except Exception:  # PyAV raises many types; decoding gives the user the reason
        return None
    return None


def _too_long(p: Path, seconds: float, limit: float) -> AudioInputError:
    return AudioInputError(
        f"{p}: {seconds / 60:.0f} min of audio, longer than the {limit / 60:.0f} min one answer "
        "may be; cut the answer out first (e.g. `sox IN.wav OUT.wav trim START DURATION`)"
    )


def load_audio(path: str | Path, max_seconds: float = MAX_AUDIO_S) -> np.ndarray:
    """Decode an audio file (wav, flac, mp3, m4a, ...; any channels and rate) to 16 kHz mono;
    refuses what is not a regular file and what is longer than ``max_seconds``."""
    p = check_audio_file(path)
    declared = audio_duration(p)
    if declared is not None and declared > max_seconds:
        raise _too_long(p, declared, max_seconds)

    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many types (InvalidDataError, ValueError, ...)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # PyAV says "[Errno 1094995529] Invalid data found when processing input: 'path'".
        reason = re.sub(r"^\[Errno -?\d+\]\s*", "", reason).split(": '")[0]
        raise AudioInputError(f"{p}: not a readable audio file ({reason})") from None
    audio = np.asarray(audio, dtype=np.float32)
    if audio.size > max_seconds * SAMPLE_RATE:  # the container did not say, or said less
        raise _too_long(p, audio.size / SAMPLE_RATE, max_seconds)
    if audio.size < MIN_DURATION_S * SAMPLE_RATE:
        raise AudioInputError(f"{p}: holds no audio (decoded {audio.size / SAMPLE_RATE:.2f} s)")
    return audio
