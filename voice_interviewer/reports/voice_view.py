"""How an answer sounded, rendered: measurement rows and the pitch contour chart (pure).

``voice_rows`` are the rows the terminal, HTML and Markdown measurement tables (and the web page's
feedback) add for the voice; ``pitch_svg`` is the report's pitch contour, drawn on the same time
axis as the pace chart above it, with the words written underneath.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.policy import ScoringPolicy
from voice_interviewer.scoring.voice import VoiceMeasures

__all__ = ["pitch_html", "pitch_svg", "voice_rows", "voice_work_on"]

CHAR_W = 6.6  # width of a character of the charts' 12 px labels (report CSS), to space the words
ROW_H = 14  # the two rows of words under the contour


def voice_rows(a: Analysis) -> list[tuple[str, str, str]]:
    """(measurement, value, verdict) rows of the voice; none when it was not measured."""
    v = a.voice
    if v is None:
        return []
    verdicts = v.verdicts
    rows = []
    if v.pitch_median_hz is not None:
        rows.append(("pitch (median)", f"{v.pitch_median_hz:.0f} Hz", ""))
        rows.append(
            (
                "pitch variation",
                f"{v.pitch_variation_st:.1f} st (range {v.pitch_range_st:.1f} st)",
                verdicts.pitch or "",
            )
        )
    elif verdicts.pitch is not None:
        rows.append(("pitch", "-", verdicts.pitch))
    if v.loudness_dbfs is not None:
        rows.append(
            (
                "loudness",
                f"{v.loudness_dbfs:.0f} dBFS ± {v.loudness_variation_db:.0f} dB",
                verdicts.loudness or "",
            )
        )
    if v.sentences:
        rows.append(
            (
                "trailing off",
                f"{len(v.trailing_off)} of {v.sentences} sentences",
                verdicts.trailing_off or "",
            )
        )
    if verdicts.microphone is not None:
        peak = "-" if v.peak_dbfs is None else f"peak {v.peak_dbfs:.0f} dBFS"
        rows.append(("microphone level", peak, verdicts.microphone))
    return rows


def voice_work_on(answers: Sequence[Analysis], policy: ScoringPolicy) -> list[tuple[float, str]]:
    """(severity, advice) for the report's things to work on: a microphone level that spoils the
    recordings first (fixing it is quick and every other measure depends on it), then a monotone
    voice, then sentences that trail off. Severity is the share of answers (or sentences) hit."""
    voices = [a.voice for a in answers if a.voice is not None]
    if not voices:
        return []
    out = []
    n = len(voices)
    clipping = sum(v.microphone == "clipping" for v in voices)
    quiet = sum(v.microphone == "too quiet" for v in voices)
    if clipping:
        out.append(
            (
                1.5 * clipping / n,
                f"Fix the microphone level: {clipping} of {n} answers clipped (too loud); turn the "
                "input level down or move back from the microphone.",
            )
        )
    if quiet:
        out.append(
            (
                1.5 * quiet / n,
                f"Fix the microphone level: {quiet} of {n} answers were too quiet to score well; "
                "move closer or turn the input level up.",
            )
        )
    judged = [v for v in voices if v.monotone is not None]
    flat = sum(bool(v.monotone) for v in judged)
    if flat:
        out.append(
            (
                flat / len(judged),
                f"Vary your pitch: {flat} of {len(judged)} answers sounded monotone (pitch "
                f"variation under {policy.monotone_below_st:g} semitones); let your voice rise and "
                "fall on what matters.",
            )
        )
    sentences = sum(v.sentences for v in voices)
    faded = sum(len(v.trailing_off) for v in voices)
    if faded:
        out.append(
            (
                2 * faded / sentences,
                f"Finish your sentences strongly: {faded} of {sentences} trailed off (the last "
                f"words {policy.trailing_off_db:g} dB or more quieter).",
            )
        )
    return out


def _hz_ticks(lo: float, hi: float) -> list[float]:
    ticks = [50, 75, 100, 150, 200, 300, 400, 600]
    return [t for t in ticks if lo <= t <= hi]


def pitch_svg(a: Analysis) -> str:
    """The pitch contour over time (log Hz, gaps where unvoiced; trailed-off sentence endings
    marked), with the words underneath; '' when the voice was not measured."""
    v: VoiceMeasures | None = a.voice
    if v is None or not any(x is not None for x in v.pitch_contour_hz):
        return ""
    w, left, top, plot_h = 440, 34, 8, 90
    words_top = top + plot_h + 10
    h = words_top + 2 * ROW_H + 16
    duration = max(a.duration_s or 0, max((x.end for x in a.words), default=0), 1)
    voiced = [x for x in v.pitch_contour_hz if x is not None]
    lo, hi = min(voiced) / 1.15, max(voiced) * 1.15

    def x(t: float) -> float:
        return left + (w - left - 8) * t / duration

    def y(hz: float) -> float:
        return top + plot_h * (1 - (math.log(hz) - math.log(lo)) / (math.log(hi) - math.log(lo)))

    label = "monotone" if v.monotone else "pitch"
    parts = [
        f'<svg class="chart pitch" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="Pitch over time ({label}), with the words underneath">'
    ]
    for hz in _hz_ticks(lo, hi):
        parts.append(
            f'<line x1="{left}" x2="{w - 8}" y1="{y(hz):.1f}" y2="{y(hz):.1f}" stroke="#e3e6ec"/>'
        )
        parts.append(f'<text x="{left - 4}" y="{y(hz) + 4:.1f}" text-anchor="end">{hz:g}</text>')
    for t in v.trailing_off:  # where a sentence faded: its last word, shaded
        parts.append(
            f'<rect class="trailing-off" x="{x(t.start):.1f}" y="{top}" '
            f'width="{max(x(t.end) - x(t.start), 2):.1f}" height="{plot_h}" fill="#fde2c8">'
            f"<title>trailed off: {escape(t.text)} ({t.drop_db:.0f} dB quieter)</title></rect>"
        )
    run: list[str] = []
    for i, hz in enumerate([*v.pitch_contour_hz, None]):
        if hz is not None:
            run.append(f"{x((i + 0.5) * v.contour_step_s):.1f},{y(hz):.1f}")
            continue
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="#8a1c7c" '
                'stroke-width="2"/>'
            )
        elif run:
            cx, cy = run[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="1.5" fill="#8a1c7c"/>')
        run = []
    ends = [float(left), float(left)]  # where each of the two word rows is free again
    for word in a.words:
        wx = x(word.start)
        row = 0 if ends[0] <= ends[1] else 1
        if wx < ends[row]:
            row = 1 - row
            if wx < ends[row]:
                continue  # no room: the word's tooltip is on the transcript above
        ends[row] = wx + CHAR_W * len(word.text) + 3
        style = ' class="filler"' if word.filler else ""
        parts.append(
            f'<text{style} x="{wx:.1f}" y="{words_top + 10 + ROW_H * row}">'
            f"{escape(word.text)}</text>"
        )
    step = 10 if duration <= 80 else 30 if duration <= 240 else 60
    for t in range(0, int(duration) + 1, step):
        parts.append(f'<text x="{x(t):.1f}" y="{h - 4}" text-anchor="middle">{t}s</text>')
    parts.append(f'<text x="{left + 4}" y="{top + 12}">Hz</text></svg>')
    return "".join(parts)


def pitch_html(a: Analysis) -> list[str]:
    """The report's "Pitch" part (heading, chart, caption) under the pace chart; none without a
    measured voice."""
    svg = pitch_svg(a)
    if not svg or a.voice is None:
        return []
    v = a.voice
    return [
        "<h3>Pitch</h3>",
        svg,
        f'<p class="dim">Pitch over time (Praat), on the same time axis as the pace above; the '
        f"words underneath. {escape(v.verdicts.pitch or '')}. Shaded: sentence endings "
        "that trailed off.</p>",
    ]
