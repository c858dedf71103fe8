"""The voice's tracks over time, measured with Praat's own algorithms (``praat-parselmouth``).

A thin adapter: it hands the recording to Praat once for the pitch (``To Pitch (ac)``, Praat's
standard autocorrelation method with its default settings) and once for the intensity (``To
Intensity``), and returns the arrays. Everything judged from them (median pitch, range,
monotone, loudness, trailing off, the microphone level) is pure code in ``scoring.voice``.

Praat measures intensity in dB re 20 µPa, taking a sample value of 1 as 1 Pa; the tracks give
it in dB re full scale (dBFS: a full-scale square wave is 0 dBFS), which is what a microphone
level is judged in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.speech.timeline import SAMPLE_RATE

__all__ = ["PRAAT_DB_AT_FULL_SCALE", "VoiceTracks", "measure_tracks"]

# Praat's defaults for ``To Pitch``: the reference the medians are checked against (a 75 Hz floor
# also sets the intensity window, 3.2 / 75 s, so syllables are not smeared together).
PITCH_FLOOR_HZ = 75.0
PITCH_CEILING_HZ = 600.0
STEP_S = 0.01  # one frame every 10 ms, for pitch and intensity alike (Praat's default for 75 Hz)
PRAAT_DB_AT_FULL_SCALE = 20 * np.log10(1 / 2e-5)  # 93.98 dB: Praat's dB of a sample value of 1
# A sample this close to full scale is counted as clipped (int16 peaks read back as 0.99997).
FULL_SCALE = 0.99


@dataclass(frozen=True)
class VoiceTracks:
    """Pitch and intensity every ``step_s`` seconds, and the sample level of the recording.

    Attributes:
        pitch_t0, intensity_t0: time of the first frame of each track (seconds from the start).
        pitch_hz: the pitch of each frame; 0 where Praat found no voicing.
        intensity_dbfs: the intensity of each frame in dB re full scale.
        peak_dbfs: the loudest sample, dB re full scale (-inf for silence).
        clipped_fraction: the share of samples at full scale (``FULL_SCALE`` or more).
        duration_s: the recording's length.
    """

    step_s: float
    pitch_t0: float
    pitch_hz: np.ndarray
    intensity_t0: float
    intensity_dbfs: np.ndarray
    peak_dbfs: float
    clipped_fraction: float
    duration_s: float

    def intensity_at(self, times: np.ndarray) -> np.ndarray:
        """The intensity track read at ``times`` (linear interpolation; the ends held)."""
        grid = self.intensity_t0 + self.step_s * np.arange(len(self.intensity_dbfs))
        if not len(grid):
            return np.full(len(times), -np.inf)
        return np.interp(times, grid, self.intensity_dbfs)

    @property
    def pitch_times(self) -> np.ndarray:
        return self.pitch_t0 + self.step_s * np.arange(len(self.pitch_hz))


def measure_tracks(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> VoiceTracks:
    """The tracks of mono float samples in [-1, 1]. A recording too short for Praat's analysis
    window (under about 0.1 s) gives empty tracks."""
    import parselmouth  # imported here: loading Praat is not needed to read saved sessions

    samples = np.asarray(audio, dtype=np.float64).reshape(-1)
    duration = len(samples) / sample_rate
    magnitude = np.abs(samples)
    peak = float(magnitude.max()) if len(samples) else 0.0
    clipped = float(np.mean(magnitude >= FULL_SCALE)) if len(samples) else 0.0
    empty = np.zeros(0)
    pitch_t0 = intensity_t0 = 0.0
    pitch, intensity = empty, empty
    if duration >= 6.4 / PITCH_FLOOR_HZ:  # Praat needs two analysis windows of the floor's period
        sound = parselmouth.Sound(samples, sampling_frequency=sample_rate)
        p = sound.to_pitch_ac(
            time_step=STEP_S, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ
        )
        pitch = np.asarray(p.selected_array["frequency"], dtype=np.float64)
        pitch_t0 = float(p.x1)
        i = sound.to_intensity(minimum_pitch=PITCH_FLOOR_HZ, time_step=STEP_S)
        intensity = np.asarray(i.values[0], dtype=np.float64) - PRAAT_DB_AT_FULL_SCALE
        intensity_t0 = float(i.x1)
    return VoiceTracks(
        step_s=STEP_S,
        pitch_t0=pitch_t0,
        pitch_hz=pitch,
        intensity_t0=intensity_t0,
        intensity_dbfs=intensity,
        peak_dbfs=20 * float(np.log10(peak)) if peak > 0 else float("-inf"),
        clipped_fraction=clipped,
        duration_s=duration,
    )
