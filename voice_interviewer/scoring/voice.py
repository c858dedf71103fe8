"""How the answer sounded (pure): pitch, pitch variation, loudness, trailing off, microphone level.

Input is the voice's tracks (``speech.voice_tracks``: Praat's pitch and intensity every 10 ms and
the recording's sample level) and the answer's words; output is a ``VoiceMeasures`` whose
``to_dict`` is the ``voice`` object of ``score --json`` (keys in docs/voice.md). Every threshold
comes from the ``ScoringPolicy``.

- Pitch: the median over the voiced frames, in Hz; the range is the 10th to 90th percentile in
  semitones; the variation is the robust standard deviation (1.4826 x the median absolute
  deviation) of the pitch in semitones around its median, which octave errors of the tracker
  barely move. Below the policy's ``monotone_below_st`` the voice is monotone.
- Loudness: the median intensity of the voiced frames (dB re full scale) and its spread (10th to
  90th percentile, dB).
- Trailing off: a sentence (words up to ., ? or !) whose ending (its last ``ENDING_S`` of
  speech) is ``trailing_off_db`` quieter than the rest of it.
- Microphone: clipping when more than ``clipping_above`` of the samples sit at full scale; too
  quiet when the speech level is under ``quiet_below_dbfs``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np

from voice_interviewer.errors import AnalysisFormatError
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.serialization import VoiceDict, VoiceVerdictsDict
from voice_interviewer.speech.voice_tracks import VoiceTracks

__all__ = ["TrailingOff", "VoiceMeasures", "VoiceVerdicts", "measure_voice", "voice_from_dict"]

MicLevel = Literal["good", "clipping", "too quiet", "unknown"]
CONTOUR_STEP_S = 0.1  # the saved pitch contour (report chart): one value every 100 ms
MIN_SENTENCE_WORDS = 4  # shorter sentences are not judged for trailing off
ENDING_S = 0.25  # a sentence's ending: its last quarter second of speech
SPEECH_FLOOR_DB = 25.0  # frames this far below a sentence's median level are silence, not speech
TARGET_LEVEL_TEXT = "-30 to -12 dBFS"  # what a good microphone level reads, said in the advice
SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class VoiceVerdicts:
    """One plain sentence per aspect of the voice; None where it was not judged."""

    pitch: str | None = None
    loudness: str | None = None
    trailing_off: str | None = None
    microphone: str | None = None

    def to_dict(self) -> VoiceVerdictsDict:
        """The ``voice.verdicts`` object: the verdicts given, in this order."""
        given = {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}
        return given  # type: ignore[return-value]  # the names are VoiceVerdictsDict's keys

    @classmethod
    def from_dict(cls, d: object, path: str) -> VoiceVerdicts:
        """Saved sentences as they were (a key a later version adds is left out)."""
        d = d or {}
        if not isinstance(d, dict) or not all(isinstance(v, str) for v in d.values()):
            raise AnalysisFormatError(f"{path}: must be an object of sentences")
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})


@dataclass(frozen=True)
class TrailingOff:
    """A sentence whose last word was much quieter: its last word's times and text."""

    start: float
    end: float
    text: str
    drop_db: float


@dataclass(frozen=True)
class VoiceMeasures:
    """The voice of one answer. None where there was too little voiced speech to measure."""

    pitch_median_hz: float | None
    pitch_range_st: float | None
    pitch_variation_st: float | None
    monotone: bool | None
    voiced_s: float
    loudness_dbfs: float | None
    loudness_variation_db: float | None
    sentences: int  # sentences long enough to judge for trailing off
    trailing_off: list[TrailingOff]
    peak_dbfs: float | None
    clipped_percent: float
    microphone: MicLevel
    verdicts: VoiceVerdicts = VoiceVerdicts()
    contour_step_s: float = CONTOUR_STEP_S
    pitch_contour_hz: list[float | None] = field(default_factory=list)

    def to_dict(self) -> VoiceDict:
        return {
            "pitch_median_hz": self.pitch_median_hz,
            "pitch_range_st": self.pitch_range_st,
            "pitch_variation_st": self.pitch_variation_st,
            "monotone": self.monotone,
            "voiced_s": self.voiced_s,
            "loudness_dbfs": self.loudness_dbfs,
            "loudness_variation_db": self.loudness_variation_db,
            "sentences": self.sentences,
            "trailing_off": [
                {"start": t.start, "end": t.end, "text": t.text, "drop_db": t.drop_db}
                for t in self.trailing_off
            ],
            "peak_dbfs": self.peak_dbfs,
            "clipped_percent": self.clipped_percent,
            "microphone": self.microphone,
            "verdicts": self.verdicts.to_dict(),
            "contour_step_s": self.contour_step_s,
            "pitch_contour_hz": list(self.pitch_contour_hz),
        }

    @property
    def advice(self) -> list[str]:
        """The verdicts that ask for a change (monotone, trailing off, the microphone level)."""
        out = []
        if self.monotone:
            out.append(self.verdicts.pitch or "")
        if self.trailing_off:
            out.append(self.verdicts.trailing_off or "")
        if self.microphone in ("clipping", "too quiet"):
            out.append(self.verdicts.microphone or "")
        return [a for a in out if a]


def measure_voice(
    tracks: VoiceTracks,
    words: Sequence[Any] = (),
    policy: ScoringPolicy = DEFAULT_POLICY,
) -> VoiceMeasures:
    """The voice measures of one recording. ``words`` (with ``text``, ``start``, ``end`` and
    ``filler``) give the sentences for trailing off; without them none is judged."""
    f0 = tracks.pitch_hz
    voiced = f0 > 0
    voiced_s = round(float(voiced.sum()) * tracks.step_s, 2)
    median = range_st = variation = monotone = loud = loud_var = None
    if voiced.any():
        hz = f0[voiced]
        median = float(np.median(hz))
        st = 12 * np.log2(hz / median)
        range_st = round(float(np.percentile(st, 90) - np.percentile(st, 10)), 2)
        variation = round(float(1.4826 * np.median(np.abs(st))), 2)
        if voiced_s >= policy.min_voiced_s:
            monotone = variation < policy.monotone_below_st
        levels = tracks.intensity_at(tracks.pitch_times[voiced])
        loud = round(float(np.median(levels)), 1)
        loud_var = round(float(np.percentile(levels, 90) - np.percentile(levels, 10)), 1)
        median = round(median, 1)
    sentences, trailing = _trailing_off(tracks, words, policy)
    clipped = tracks.clipped_fraction
    mic: MicLevel = (
        "clipping"
        if clipped > policy.clipping_above
        else "unknown"
        if loud is None
        else "too quiet"
        if loud < policy.quiet_below_dbfs
        else "good"
    )
    peak = None if not np.isfinite(tracks.peak_dbfs) else round(tracks.peak_dbfs, 1)
    m = VoiceMeasures(
        pitch_median_hz=median,
        pitch_range_st=range_st,
        pitch_variation_st=variation,
        monotone=monotone,
        voiced_s=voiced_s,
        loudness_dbfs=loud,
        loudness_variation_db=loud_var,
        sentences=sentences,
        trailing_off=trailing,
        peak_dbfs=peak,
        clipped_percent=round(clipped * 100, 3),
        microphone=mic,
        pitch_contour_hz=pitch_contour(tracks),
    )
    return VoiceMeasures(**{**m.__dict__, "verdicts": voice_verdicts(m, policy)})


def pitch_contour(tracks: VoiceTracks, step_s: float = CONTOUR_STEP_S) -> list[float | None]:
    """The pitch every ``step_s`` from the start of the recording: the median of the voiced
    frames in each step, None where fewer than half of its frames are voiced."""
    out: list[float | None] = []
    n = int(np.ceil(tracks.duration_s / step_s))
    # The frames are in time order: each step's frames are one slice.
    bounds = np.searchsorted(tracks.pitch_times, step_s * np.arange(n + 1))
    for k in range(n):
        hz = tracks.pitch_hz[bounds[k] : bounds[k + 1]]
        ok = hz[hz > 0]
        out.append(round(float(np.median(ok)), 1) if len(ok) and len(ok) * 2 >= len(hz) else None)
    return out


def _sentences(words: Sequence[Any]) -> list[list[Any]]:
    out: list[list[Any]] = [[]]
    for w in words:
        if getattr(w, "filler", False):
            continue
        out[-1].append(w)
        if w.text.rstrip().endswith(SENTENCE_END):
            out.append([])
    return [s for s in out if s]


def _trailing_off(
    tracks: VoiceTracks, words: Sequence[Any], policy: ScoringPolicy
) -> tuple[int, list[TrailingOff]]:
    """Sentences whose ending (the last ``ENDING_S`` of speech) is ``trailing_off_db`` quieter
    than the rest of the sentence. Speech is every frame less than ``SPEECH_FLOOR_DB`` below the
    sentence's median level: the silences a word's timestamps take in are left out, a fading
    ending is not (it may be too quiet for Praat to call it voiced)."""
    grid = tracks.intensity_times
    n_end = int(round(ENDING_S / tracks.step_s))
    judged, found = 0, []
    for sentence in _sentences(words):
        if len(sentence) < MIN_SENTENCE_WORDS:
            continue
        inside = (grid >= sentence[0].start) & (grid <= sentence[-1].end)
        levels = tracks.intensity_dbfs[inside]
        if len(levels) < 3 * n_end:
            continue
        levels = levels[levels > np.median(levels) - SPEECH_FLOOR_DB]
        if len(levels) < 3 * n_end:
            continue
        judged += 1
        ending = float(np.percentile(levels[-n_end:], 75))  # its loud part: a fade, not a gap
        drop = float(np.median(levels[:-n_end])) - ending
        if drop >= policy.trailing_off_db:
            w = sentence[-1]
            found.append(TrailingOff(round(w.start, 3), round(w.end, 3), w.text, round(drop, 1)))
    return judged, found


def voice_verdicts(m: VoiceMeasures, policy: ScoringPolicy = DEFAULT_POLICY) -> VoiceVerdicts:
    """One plain sentence per aspect of the voice."""
    out: dict[str, str] = {}
    if m.monotone is not None and m.pitch_variation_st is not None:
        if m.monotone:
            out["pitch"] = (
                f"monotone: your pitch varied by {m.pitch_variation_st:.1f} semitones; let it "
                "rise and fall with what you stress"
            )
        else:
            out["pitch"] = (
                f"varied: {m.pitch_variation_st:.1f} semitones around {m.pitch_median_hz:.0f} Hz "
                f"(range {m.pitch_range_st:.1f} semitones)"
            )
    elif m.pitch_median_hz is None:
        out["pitch"] = "not measured: too little voiced speech"
    if m.loudness_dbfs is not None:
        out["loudness"] = (
            f"speech at {m.loudness_dbfs:.0f} dBFS, varying {m.loudness_variation_db:.0f} dB"
        )
    if m.sentences:
        n = len(m.trailing_off)
        out["trailing_off"] = (
            f"{n} of {m.sentences} sentences trailed off (their last words "
            f"{policy.trailing_off_db:g} dB or more quieter); carry your voice to the end"
            if n
            else f"no sentence trailed off ({m.sentences} judged)"
        )
    match m.microphone:
        case "clipping":
            out["microphone"] = (
                f"clipping: {m.clipped_percent:.2f} % of the samples hit full scale; turn the "
                "input level down or move back from the microphone"
            )
        case "too quiet":
            out["microphone"] = (
                f"too quiet: speech at {m.loudness_dbfs:.0f} dBFS; move closer or turn the input "
                f"level up (aim for {TARGET_LEVEL_TEXT})"
            )
        case "good":
            out["microphone"] = f"good level: speech at {m.loudness_dbfs:.0f} dBFS"
    return VoiceVerdicts(**out)


def voice_from_dict(d: object, path: str = "analysis.voice") -> VoiceMeasures | None:
    """A saved ``voice`` object read back; None when null or absent (saved before the voice was
    measured). Values are taken as saved (the verdicts too), so a report never changes. Anything
    malformed is an ``AnalysisFormatError`` naming the field; keys it does not know are ignored."""
    if d is None:
        return None
    if not isinstance(d, dict):
        raise AnalysisFormatError(f"{path}: must be an object or null, not {type(d).__name__}")

    def fail(key: str, what: str) -> AnalysisFormatError:
        return AnalysisFormatError(f"{path}.{key}: must be {what}, not {d.get(key)!r:.40}")

    def num(key: str) -> float | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise fail(key, "a number or null")
        return float(v)

    def items(key: str) -> list:
        v = d.get(key) or []
        if not isinstance(v, list):
            raise fail(key, "a list")
        return v

    trailing = []
    for i, t in enumerate(items("trailing_off")):
        if not isinstance(t, dict) or not isinstance(t.get("text"), str):
            raise fail("trailing_off", f"a list of {{start, end, text, drop_db}} (item {i})")
        sub = voice_from_dict_numbers(t, f"{path}.trailing_off[{i}]", ("start", "end", "drop_db"))
        trailing.append(TrailingOff(sub["start"], sub["end"], t["text"], sub["drop_db"]))
    monotone = d.get("monotone")
    if monotone is not None and not isinstance(monotone, bool):
        raise fail("monotone", "true, false or null")
    mic = d.get("microphone", "unknown")
    if mic not in ("good", "clipping", "too quiet", "unknown"):
        raise fail("microphone", "'good', 'clipping', 'too quiet' or 'unknown'")
    verdicts = VoiceVerdicts.from_dict(d.get("verdicts"), f"{path}.verdicts")
    contour = items("pitch_contour_hz")
    if not all(
        x is None or (isinstance(x, int | float) and not isinstance(x, bool)) for x in contour
    ):
        raise fail("pitch_contour_hz", "a list of numbers and nulls")
    return VoiceMeasures(
        pitch_median_hz=num("pitch_median_hz"),
        pitch_range_st=num("pitch_range_st"),
        pitch_variation_st=num("pitch_variation_st"),
        monotone=monotone,
        voiced_s=num("voiced_s") or 0.0,
        loudness_dbfs=num("loudness_dbfs"),
        loudness_variation_db=num("loudness_variation_db"),
        sentences=int(num("sentences") or 0),
        trailing_off=trailing,
        peak_dbfs=num("peak_dbfs"),
        clipped_percent=num("clipped_percent") or 0.0,
        microphone=mic,
        verdicts=verdicts,
        contour_step_s=num("contour_step_s") or CONTOUR_STEP_S,
        pitch_contour_hz=[None if x is None else float(x) for x in contour],
    )


def voice_from_dict_numbers(o: dict, path: str, keys: tuple[str, ...]) -> dict[str, float]:
    """The numbers ``keys`` of the object ``o`` (all required)."""
    out = {}
    for k in keys:
        v = o.get(k)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise AnalysisFormatError(f"{path}.{k}: must be a number, not {v!r:.40}")
        out[k] = float(v)
    return out
