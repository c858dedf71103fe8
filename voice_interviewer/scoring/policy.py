"""The scoring policy: every threshold a verdict, a feedback line, a report or a trend is judged by.

One frozen ``ScoringPolicy`` is the only place these numbers live. The analysis measures with it
(pauses, long pauses, articulation gaps), the verdicts and the spoken feedback judge with it, the
reports shade and rank with it, and history draws its "good" bands from it. Each analysis carries
the policy it was scored with (``Analysis.policy``, the ``policy`` key of ``score --json``), so a
saved report shows the thresholds its verdicts used even after the defaults change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Literal

from voice_interviewer.scoring.rubric import RubricSettings
from voice_interviewer.scoring.serialization import JsonObject, PolicyDict

LengthVerdict = Literal["short", "on target", "long"]
PaceVerdict = Literal["slow", "good", "fast"]
FillerVerdict = Literal["few", "some", "frequent"]
LatencyVerdict = Literal["quick", "slow", "long wait"]


@dataclass(frozen=True)
class ScoringPolicy:
    """Thresholds of the measurements and the verdicts.

    Attributes:
        pause_min_s: a silence inside the answer at least this long is a pause.
        long_pause_s: a pause at least this long is a long pause ("2 s or more").
        articulation_gap_s: silences at least this long are taken out of the speaking time that
            the articulation rate divides by.
        pace_band_wpm: the good pace, words a minute (inclusive at both ends); below is slow,
            above is fast.
        fillers_few_per_minute: at or below this many fillers a minute the fillers are "few" and
            not worth working on.
        fillers_frequent_per_minute: above this many a minute they are "frequent"; in between
            they are "some" (and already among the things to work on).
        latency_quick_s: starting to speak within this many seconds is a quick start.
        latency_long_s: waiting longer than this before the first word is a long wait.
        length_tolerance_s: an answer this many seconds outside its question's target still
            counts as on target (0: the target range is exact).
        coverage_goal: mean rubric coverage below this is among the things to work on.
        monotone_below_st: a pitch variation (robust standard deviation of the pitch, semitones)
            below this is monotone. Chosen leave-one-speaker-out on real voices and their
            flattened copies (docs/voice.md).
        min_voiced_s: with less voiced speech than this the pitch is not judged.
        trailing_off_db: a sentence whose last word is this many dB quieter than its other words
            trails off.
        quiet_below_dbfs: speech quieter than this (median level of the voiced frames, dB re full
            scale) is too quiet to score well (docs/voice.md).
        clipping_above: a share of samples at full scale above this is clipping (docs/voice.md).
        rubric: thresholds of the rubric's keyword + meaning combination.
    """

    pause_min_s: float = 0.5
    long_pause_s: float = 2.0
    articulation_gap_s: float = 0.25
    pace_band_wpm: tuple[float, float] = (130.0, 160.0)
    fillers_few_per_minute: float = 3.0
    fillers_frequent_per_minute: float = 5.0
    latency_quick_s: float = 3.0
    latency_long_s: float = 8.0
    length_tolerance_s: float = 0.0
    coverage_goal: float = 0.8
    monotone_below_st: float = 0.75
    min_voiced_s: float = 0.5
    trailing_off_db: float = 10.0
    quiet_below_dbfs: float = -36.0
    clipping_above: float = 1.1e-5
    rubric: RubricSettings = field(default_factory=RubricSettings)

    def to_dict(self) -> PolicyDict:
        """The ``policy`` object of ``score --json``: every field by name."""
        d = asdict(self)
        d["pace_band_wpm"] = list(self.pace_band_wpm)  # what JSON gives back: a round trip is equal
        return d

    @classmethod
    def from_dict(cls, o: JsonObject) -> ScoringPolicy:
        """A saved policy; a threshold written by a version with fewer of them takes its default."""
        values: dict = {}
        for f in fields(cls):
            if f.name not in o.d:
                continue
            if f.name == "rubric":
                values[f.name] = RubricSettings.from_dict(
                    JsonObject(o.d[f.name], f"{o.path}.rubric")
                )
            elif f.name == "pace_band_wpm":
                values[f.name] = o.pair(f.name)
            else:
                values[f.name] = o.number(f.name)
        return cls(**values)

    # Lengths and paces are shown as whole numbers, and judged on the number shown: 129.7 words a
    # minute reads "130" and is within 130-160, never "130: slow".
    def length(self, answer_s: float, target_s: tuple[float, float]) -> LengthVerdict:
        lo, hi = target_s
        answer_s = round(answer_s)
        if answer_s < lo - self.length_tolerance_s:
            return "short"
        if answer_s > hi + self.length_tolerance_s:
            return "long"
        return "on target"

    def within_target(self, answer_s: float, target_s: tuple[float, float]) -> bool:
        return self.length(answer_s, target_s) == "on target"

    def pace(self, wpm: float) -> PaceVerdict:
        lo, hi = self.pace_band_wpm
        wpm = round(wpm)
        return "slow" if wpm < lo else "fast" if wpm > hi else "good"

    def fillers(self, per_minute: float) -> FillerVerdict:
        if per_minute <= self.fillers_few_per_minute:
            return "few"
        return "some" if per_minute <= self.fillers_frequent_per_minute else "frequent"

    def latency(self, seconds: float) -> LatencyVerdict:
        if seconds <= self.latency_quick_s:
            return "quick"
        return "slow" if seconds <= self.latency_long_s else "long wait"

    def is_long_pause(self, seconds: float) -> bool:
        return seconds >= self.long_pause_s

    @property
    def long_pause_text(self) -> str:
        """How reports name a long pause: "2 s or more"."""
        return f"{self.long_pause_s:g} s or more"

    @property
    def pace_band_text(self) -> str:
        lo, hi = self.pace_band_wpm
        return f"{lo:.0f}-{hi:.0f}"


DEFAULT_POLICY = ScoringPolicy()
