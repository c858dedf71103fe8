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

__all__ = ["PRAAT_DB_AT_FULL_SCALE", "TrackBuilder", "VoiceTracks", "measure_tracks"]

# Praat's defaults for ``To Pitch``: the reference the medians are checked against (a 75 Hz floor
# also sets the intensity window, 3.2 / 75 s, so syllables are not smeared together).
PITCH_FLOOR_HZ = 75.0
PITCH_CEILING_HZ = 600.0
SILENCE_THRESHOLD = 0.03  # Praat's default: relative to the sound's loudest sample
STEP_S = 0.01  # one frame every 10 ms, for pitch and intensity alike (Praat's default for 75 Hz)
PRAAT_DB_AT_FULL_SCALE = 20 * np.log10(1 / 2e-5)  # 93.98 dB: Praat's dB of a sample value of 1
# A sample this close to full scale is counted as clipped (int16 peaks read back as 0.99997).
FULL_SCALE = 0.99


@dataclass(frozen=True)
class VoiceTracks:
    """Pitch and intensity frames (one every ``step_s`` seconds), and the sample level.

    Attributes:
        pitch_times, intensity_times: the time of each frame (seconds from the start), rising.
        pitch_hz: the pitch of each frame; 0 where Praat found no voicing.
        intensity_dbfs: the intensity of each frame in dB re full scale.
        peak_dbfs: the loudest sample, dB re full scale (-inf for silence).
        clipped_fraction: the share of samples at full scale (``FULL_SCALE`` or more).
        duration_s: the recording's length.
    """

    step_s: float
    pitch_times: np.ndarray
    pitch_hz: np.ndarray
    intensity_times: np.ndarray
    intensity_dbfs: np.ndarray
    peak_dbfs: float
    clipped_fraction: float
    duration_s: float

    def intensity_at(self, times: np.ndarray) -> np.ndarray:
        """The intensity track read at ``times`` (linear interpolation; the ends held)."""
        if not len(self.intensity_times):
            return np.full(len(times), -np.inf)
        return np.interp(times, self.intensity_times, self.intensity_dbfs)


def sample_level(samples: np.ndarray) -> tuple[float, float]:
    """(peak dBFS, share of samples at full scale) of float samples in [-1, 1]."""
    if not len(samples):
        return float("-inf"), 0.0
    magnitude = np.abs(samples)
    peak = float(magnitude.max())
    clipped = float(np.count_nonzero(magnitude >= FULL_SCALE)) / len(samples)
    return (20 * float(np.log10(peak)) if peak > 0 else float("-inf")), clipped


def _frames(
    audio: np.ndarray, sample_rate: int, offset_s: float, global_peak: float | None = None
) -> tuple[np.ndarray, ...]:
    """(pitch times, pitch Hz, intensity times, intensity dBFS) of ``audio``, which starts
    ``offset_s`` into the recording. Praat judges silence relative to the loudest sample of the
    sound it is given: a piece of a recording is given the recording's ``global_peak`` instead,
    so that it is judged as the whole would be. Too short for Praat's window: no frames."""
    import parselmouth  # imported here: loading Praat is not needed to read saved sessions

    empty = np.zeros(0)
    if len(audio) / sample_rate < 6.4 / PITCH_FLOOR_HZ:  # Praat needs two periods of the floor
        return empty, empty, empty, empty
    silence = SILENCE_THRESHOLD
    own_peak = float(np.abs(audio).max())
    if global_peak is not None and own_peak > 0:
        silence = min(1.0, SILENCE_THRESHOLD * global_peak / own_peak)
    sound = parselmouth.Sound(np.asarray(audio, dtype=np.float64), sampling_frequency=sample_rate)
    p = sound.to_pitch_ac(
        time_step=STEP_S,
        pitch_floor=PITCH_FLOOR_HZ,
        silence_threshold=silence,
        pitch_ceiling=PITCH_CEILING_HZ,
    )
    i = sound.to_intensity(minimum_pitch=PITCH_FLOOR_HZ, time_step=STEP_S)
    return (
        offset_s + np.asarray(p.xs(), dtype=np.float64),
        np.asarray(p.selected_array["frequency"], dtype=np.float64),
        offset_s + np.asarray(i.xs(), dtype=np.float64),
        np.asarray(i.values[0], dtype=np.float64) - PRAAT_DB_AT_FULL_SCALE,
    )


def measure_tracks(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> VoiceTracks:
    """The tracks of mono float samples in [-1, 1], measured in one go."""
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    pt, hz, it, db = _frames(samples, sample_rate, 0.0)
    peak, clipped = sample_level(samples)
    return VoiceTracks(STEP_S, pt, hz, it, db, peak, clipped, len(samples) / sample_rate)


class TrackBuilder:
    """The tracks of a growing recording, measured a chunk at a time while it grows, so that when
    the answer ends only its last seconds are left to measure (a live answer's feedback does not
    wait for Praat over the whole answer).

    Each chunk is measured with ``PAD_S`` of audio either side (Praat's analysis windows reach
    past a frame) and keeps the frames inside it. Praat judges silence against the loudest sample
    of the whole recording: a chunk is measured against the loudest so far, and measured again at
    the end if a louder one came later (by ``REMEASURE_DB``). ``next_chunk`` says which chunk is
    due; ``add`` measures it (in any thread, one chunk at a time, in order); ``finish`` measures
    the rest and joins them.
    """

    CHUNK_S = 10.0
    PAD_S = 0.25
    REMEASURE_DB = 1.0

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        self.sample_rate = sample_rate
        self.handed_s = 0.0  # chunks up to here were handed out (``next_chunk``)
        self._peak = 0.0  # loudest sample of the recording so far
        self._peak_upto = 0  # samples looked at for it
        # (frames, and what to measure them again: clip, clip start, start, end, peak used)
        self._parts: list[tuple[tuple[np.ndarray, ...], tuple]] = []

    def next_chunk(self, audio: np.ndarray) -> tuple[np.ndarray, float, float, float, float] | None:
        """The next chunk once ``audio`` (the recording so far) holds it and its padding: (clip,
        the clip's start, the chunk's start, end, the loudest sample so far); None before."""
        start, end = self.handed_s, self.handed_s + self.CHUNK_S
        if len(audio) < (end + self.PAD_S) * self.sample_rate:
            return None
        self.handed_s = end
        if len(audio) > self._peak_upto:
            self._peak = max(self._peak, float(np.abs(audio[self._peak_upto :]).max()))
            self._peak_upto = len(audio)
        lo = max(0.0, start - self.PAD_S)
        clip = audio[int(lo * self.sample_rate) : int((end + self.PAD_S) * self.sample_rate)].copy()
        return clip, lo, start, end, self._peak

    def add(
        self, clip: np.ndarray, clip_start: float, start: float, end: float, peak: float
    ) -> None:
        self._parts.append(
            (
                self._measure(clip, clip_start, start, end, peak),
                (clip, clip_start, start, end, peak),
            )
        )

    def _measure(self, clip, clip_start, start, end, peak) -> tuple[np.ndarray, ...]:
        pt, hz, it, db = _frames(clip, self.sample_rate, clip_start, peak)
        keep_p, keep_i = (pt >= start) & (pt < end), (it >= start) & (it < end)
        return pt[keep_p], hz[keep_p], it[keep_i], db[keep_i]

    def finish(self, audio: np.ndarray) -> VoiceTracks:
        """The tracks of the whole ``audio``: the chunks measured so far and the rest. Every
        chunk handed out must have been added."""
        samples = np.asarray(audio, dtype=np.float32).reshape(-1)
        duration = len(samples) / self.sample_rate
        peak, clipped = sample_level(samples)
        loudest = float(np.abs(samples).max()) if len(samples) else 0.0
        louder = 10 ** (self.REMEASURE_DB / 20)
        parts = [
            frames if chunk[4] * louder >= loudest else self._measure(*chunk[:4], loudest)
            for frames, chunk in self._parts
        ]
        start = self.handed_s
        lo = max(0.0, start - self.PAD_S)
        if duration > start:
            parts.append(
                self._measure(
                    samples[int(lo * self.sample_rate) :], lo, start, float("inf"), loudest
                )
            )
        parts = parts or [(np.zeros(0),) * 4]
        pt, hz, it, db = (np.concatenate([p[k] for p in parts]) for k in range(4))
        return VoiceTracks(STEP_S, pt, hz, it, db, peak, clipped, duration)
