"""Microphone level check: is the input silent, too quiet, fine, or clipping?

:func:`assess_level` is pure (numpy in, report out); :func:`record_check` records a few seconds
from the microphone and assesses them. Whether the take contains *speech* is decided elsewhere
(the VAD); this only looks at levels.

Levels are in dBFS: 0 dBFS is a full-scale signal (|x| = 1.0), a full-scale sine has an RMS of
-3 dBFS. Thresholds (checked in this order, on the whole take):

* clipping   more than ``CLIP_FRACTION`` (0.1 %) of samples at or above ``CLIP_LEVEL`` (0.99 of
             full scale): the input gain is too high and peaks are flattened;
* silent     RMS below ``SILENT_RMS_DBFS`` (-60 dBFS): digital silence or a muted/unplugged
             microphone (a live microphone in a quiet room still picks up about -70 to -50 dBFS
             of noise; speech near a working microphone is -35 to -15 dBFS);
* too quiet  RMS below ``QUIET_RMS_DBFS`` (-42 dBFS): the microphone works but the voice is too
             faint for reliable transcription;
* ok         anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.errors import DeviceError
from voice_interviewer.live.devices import SAMPLE_RATE, Microphone

CLIP_LEVEL = 0.99
CLIP_FRACTION = 0.001
SILENT_RMS_DBFS = -60.0
QUIET_RMS_DBFS = -42.0
FLOOR_DBFS = -120.0  # reported for all-zero input instead of -inf

VERDICT_SILENT = "silent: check the microphone is unmuted and plugged in"
VERDICT_QUIET = "too quiet: speak closer to the microphone or raise the input gain"
VERDICT_OK = "ok"
VERDICT_CLIPPING = "clipping: lower the input gain or move back from the microphone"


@dataclass(frozen=True)
class LevelReport:
    rms_dbfs: float
    peak_dbfs: float
    clipped_fraction: float  # share of samples at or above CLIP_LEVEL
    verdict: (
        str  # one of the VERDICT_* strings; starts with "silent", "too quiet", "ok", "clipping"
    )
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.verdict == VERDICT_OK


def _dbfs(value: float) -> float:
    return max(FLOOR_DBFS, 20.0 * float(np.log10(value))) if value > 0 else FLOOR_DBFS


def assess_level(samples: np.ndarray, samplerate: int) -> LevelReport:
    """Levels and a verdict for a mono (or multi-channel, averaged) float take in [-1, 1]."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    seconds = x.size / samplerate if samplerate > 0 else 0.0
    if x.size == 0:
        return LevelReport(FLOOR_DBFS, FLOOR_DBFS, 0.0, VERDICT_SILENT, 0.0)
    magnitude = np.abs(x)
    rms = _dbfs(float(np.sqrt(np.mean(x * x))))
    peak = _dbfs(float(magnitude.max()))
    clipped = float(np.count_nonzero(magnitude >= CLIP_LEVEL)) / x.size
    if clipped > CLIP_FRACTION:
        verdict = VERDICT_CLIPPING
    elif rms < SILENT_RMS_DBFS:
        verdict = VERDICT_SILENT
    elif rms < QUIET_RMS_DBFS:
        verdict = VERDICT_QUIET
    else:
        verdict = VERDICT_OK
    return LevelReport(round(rms, 2), round(peak, 2), clipped, verdict, seconds)


def record_check(
    seconds: float = 3.0, device: int | str | None = None
) -> tuple[np.ndarray, LevelReport]:
    """Record ``seconds`` from the microphone and assess the level: (samples, report)."""
    wanted = int(round(seconds * SAMPLE_RATE))
    chunks: list[np.ndarray] = []
    have = 0
    with Microphone(device) as mic:
        while have < wanted:
            block = mic.read(timeout=2.0)
            if block is None:
                raise DeviceError(
                    "the microphone delivered no audio for 2 s: check it is plugged in and not "
                    "used by another program"
                )
            chunks.append(block.samples)
            have += block.samples.size
    samples = np.concatenate(chunks)[:wanted] if chunks else np.zeros(0, np.float32)
    return samples, assess_level(samples, SAMPLE_RATE)
