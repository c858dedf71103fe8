"""The voice measures on real voices and their altered copies; thresholds chosen
leave-one-speaker-out.

Every real clip in ``../shared/audio`` (``real/*.wav``: one speaker; ``speakers/*.wav``: five more,
named in its ``labels.json``; ``jfk.flac``; ``comfyui.mp3``) is measured as it is and as three
copies made from its 16 kHz samples:

- flat: Praat's own resynthesis with a flat pitch (``To Manipulation``, its pitch tier replaced
  by one point at the tier's mean, ``Get resynthesis (overlap-add)``): the same words and timing
  with the intonation taken out, i.e. a monotone voice;
- quiet: 20 dB down;
- clipped: 20 dB up and hard-clipped at full scale.

``choose_threshold`` picks a threshold from labelled values the same way for every measure: the cut
with the fewest errors, in the middle of its gap (the widest gap when several cuts tie).
``leave_one_speaker_out`` chooses it on every speaker but one and judges the one left out. Used by
``tests/test_voice_real.py`` and ``benchmarks/voice.py`` (which prints the tables).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evaluation.real_clips import SHARED_AUDIO
from voice_interviewer.scoring.voice import VoiceMeasures, measure_voice
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.speech.voice_tracks import PITCH_CEILING_HZ, PITCH_FLOOR_HZ, measure_tracks

REAL_SPEAKER = "mfa-real"  # shared/audio/real: one speaker (its README)
COPY_GAIN_DB = 20.0


@dataclass(frozen=True)
class VoiceClip:
    path: Path
    speaker: str
    audio: np.ndarray  # 16 kHz mono float32, as the scorer reads it

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class ClipMeasures:
    clip: VoiceClip
    original: VoiceMeasures
    flat: VoiceMeasures
    quiet: VoiceMeasures
    clipped: VoiceMeasures


def clip_paths(root: Path = SHARED_AUDIO) -> list[tuple[Path, str]]:
    """(file, speaker) of every real clip with speech."""
    out = [(p, REAL_SPEAKER) for p in sorted((root / "real").glob("*.wav"))]
    labels = json.loads((root / "speakers" / "labels.json").read_text())
    out += [(root / "speakers" / x["file"], str(x["speaker"])) for x in labels]
    out += [(root / "jfk.flac", "jfk"), (root / "comfyui.mp3", "comfyui")]
    return out


def load_voice_clips(root: Path = SHARED_AUDIO) -> list[VoiceClip]:
    return [VoiceClip(p, spk, load_audio(p)) for p, spk in clip_paths(root)]


def flat_copy(audio: np.ndarray) -> np.ndarray:
    """The monotone copy: Praat's overlap-add resynthesis with a flat pitch tier."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=SAMPLE_RATE)
    manipulation = call(sound, "To Manipulation", 0.01, PITCH_FLOOR_HZ, PITCH_CEILING_HZ)
    tier = call(manipulation, "Extract pitch tier")
    mean_hz = call(tier, "Get mean (points)", 0, 0)
    call(tier, "Remove points between", 0, sound.duration)
    call(tier, "Add point", sound.duration / 2, mean_hz)
    call([manipulation, tier], "Replace pitch tier")
    flat = call(manipulation, "Get resynthesis (overlap-add)")
    return np.asarray(flat.values[0], dtype=np.float32)


def quiet_copy(audio: np.ndarray) -> np.ndarray:
    return (audio * 10 ** (-COPY_GAIN_DB / 20)).astype(np.float32)


def clipped_copy(audio: np.ndarray) -> np.ndarray:
    return np.clip(audio * 10 ** (COPY_GAIN_DB / 20), -1.0, 1.0).astype(np.float32)


def measure_clip(clip: VoiceClip) -> ClipMeasures:
    def m(a: np.ndarray) -> VoiceMeasures:
        return measure_voice(measure_tracks(a))

    a = clip.audio
    return ClipMeasures(clip, m(a), m(flat_copy(a)), m(quiet_copy(a)), m(clipped_copy(a)))


def praat_median_hz(path: Path) -> float:
    """Praat's own median pitch of the file as it is (its own rate and channels): ``To Pitch``
    with Praat's defaults, then ``Get quantile`` 0.5."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(str(path))
    pitch = call(sound, "To Pitch", 0.0, PITCH_FLOOR_HZ, PITCH_CEILING_HZ)
    return float(call(pitch, "Get quantile", 0, 0, 0.5, "Hertz"))


# ---------------------------------------------------------------- choosing thresholds


@dataclass(frozen=True)
class Measure:
    """One thresholded measure: the value of a copy to flag and of an original, in the scale the
    cut is placed in (``to_scale``/``from_scale``), and whether low values are flagged."""

    name: str
    flagged: Callable[[ClipMeasures], float]  # the copy that must be flagged
    kept: Callable[[ClipMeasures], float]  # the original, which must not be
    flag_below: bool
    to_scale: Callable[[float], float] = float
    from_scale: Callable[[float], float] = float


def _log(x: float) -> float:
    return float(np.log10(max(x, 1e-7)))


def _unlog(x: float) -> float:
    return float(10**x)


MEASURES = (
    Measure(
        "monotone_below_st",
        lambda c: _num(c.flat.pitch_variation_st),
        lambda c: _num(c.original.pitch_variation_st),
        True,
    ),
    Measure(
        "quiet_below_dbfs",
        lambda c: _num(c.quiet.loudness_dbfs),
        lambda c: _num(c.original.loudness_dbfs),
        True,
    ),
    Measure(
        "clipping_above",
        lambda c: c.clipped.clipped_percent / 100,
        lambda c: c.original.clipped_percent / 100,
        False,
        _log,
        _unlog,
    ),
)


def _num(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def choose_threshold(flag: Sequence[float], keep: Sequence[float], flag_below: bool) -> float:
    """The cut with the fewest errors (a value to flag not flagged, or a value to keep flagged),
    in the middle of the gap it sits in; among equal cuts, the widest gap."""
    values = sorted({*flag, *keep})
    best: tuple[int, float, float] | None = None  # (errors, -gap, cut)
    for lo, hi in zip(values, values[1:], strict=False):
        cut = (lo + hi) / 2
        if flag_below:
            errors = sum(v >= cut for v in flag) + sum(v < cut for v in keep)
        else:
            errors = sum(v <= cut for v in flag) + sum(v > cut for v in keep)
        key = (errors, -(hi - lo), cut)
        if best is None or key < best:
            best = key
    assert best is not None, "need at least two distinct values"
    return best[2]


def pick(measure: Measure, rows: Sequence[ClipMeasures]) -> float:
    flag = [measure.to_scale(measure.flagged(r)) for r in rows]
    keep = [measure.to_scale(measure.kept(r)) for r in rows]
    return measure.from_scale(choose_threshold(flag, keep, measure.flag_below))


@dataclass(frozen=True)
class Fold:
    speaker: str
    clips: int
    threshold: float
    flagged: int  # of the held-out speaker's copies, how many were flagged
    kept_flagged: int  # of its originals, how many were (wrongly) flagged


def is_flagged(value: float, threshold: float, flag_below: bool) -> bool:
    return value < threshold if flag_below else value > threshold


def leave_one_speaker_out(measure: Measure, rows: Sequence[ClipMeasures]) -> list[Fold]:
    speakers = sorted({r.clip.speaker for r in rows})
    folds = []
    for spk in speakers:
        train = [r for r in rows if r.clip.speaker != spk]
        test = [r for r in rows if r.clip.speaker == spk]
        t = pick(measure, train)
        folds.append(
            Fold(
                spk,
                len(test),
                t,
                sum(is_flagged(measure.flagged(r), t, measure.flag_below) for r in test),
                sum(is_flagged(measure.kept(r), t, measure.flag_below) for r in test),
            )
        )
    return folds
