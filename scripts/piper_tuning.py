"""The tuning clips of the neural-voice fixtures: fillers where real speakers put them.

The espeak sets and the held-out Piper set lay every filled pause between phrases with a gap of at
least 50 ms. Real speakers glue them to words ("and-uh", "the model, um, generalizes") and restart
("I would I would try"); Whisper then stretches a word's timestamps over the filler and no
uncovered speech is left to find it in. This builder makes such clips, with the timing truth known
by construction as in ``make_fixtures.build_clip`` (same truth keys, levels and noise):

- every filled pause is glued to the word before it, the word after it, both, or neither; glued
  means a gap of ``GLUE`` seconds, negative ones overlapping the word's tail or onset;
- a speech segment of 6+ words gets a glued filled pause inside it with ``MID_FILLER_P``;
- a speech segment of 4+ words is restarted (its first one or two words said, a short gap, then the
  whole segment) with ``RESTART_P``; restarts stay in the fluent clips too (they are not fillers).

Used by ``make_piper_fixtures.py --set piper_tuning``; nothing here is read by the package.
"""

from __future__ import annotations

import zlib

import numpy as np
from fixture_answers import F, L, P
from make_fixtures import (
    FILLED_PAUSE_PITCH,
    FILLED_PAUSE_RATE,
    JOIN,
    LEAD,
    SNR_DB,
    SPEECH_RMS_DBFS,
    TRAIL,
    Synth,
    make_truth,
    pause_length,
    pink_noise,
    samples,
    uni,
)

# Other length scales than the held-out set's (0.85, 1.0, 1.2).
TUNING_LENGTH_SCALES = (0.8, 0.95, 1.1)
GLUE = (-0.06, 0.02)  # seconds between a glued filler and its word; negative = overlap
FILLED_PAUSE_DUR = (0.25, 0.8)  # real filled pauses run shorter and longer than the espeak sets'
MID_FILLER_P = 0.35
RESTART_P = 0.2
RESTART_GAP = (0.1, 0.35)
MID_FILLERS = ("uh", "um", "uh", "um", "er")
GLUE_MODES = ("before", "after", "both", "free")


def plan_pieces(
    items: list[object], fillers: bool, rng: np.random.Generator
) -> list[tuple[str, str, float | None]]:
    """(kind, text, gap before in seconds or None for the answer's lead) per piece, in order."""
    out: list[tuple[str, str, float | None]] = []
    gap: float | None = None  # the gap before the next piece; None before the first
    glue_next = False

    def add(kind: str, text: str, default: tuple[float, float]) -> None:
        nonlocal gap, glue_next
        g = gap if gap is not None else (None if not out else uni(rng, default))
        if glue_next and out:
            g = uni(rng, GLUE)
        out.append((kind, text, g))
        gap, glue_next = None, False

    def add_filler(text: str) -> None:
        nonlocal glue_next
        mode = GLUE_MODES[rng.integers(len(GLUE_MODES))]
        add("filled_pause", text, GLUE if mode in ("before", "both") else JOIN)
        glue_next = mode in ("after", "both")

    for it in items:
        if isinstance(it, P):
            gap = pause_length(it, rng)
        elif isinstance(it, F):
            if fillers:
                add_filler(it.text)
        elif isinstance(it, L):
            if fillers:
                add("lexical_filler", it.text, JOIN)
        else:
            words = str(it).split()
            if len(words) >= 4 and rng.random() < RESTART_P:
                add("speech", " ".join(words[: int(rng.integers(1, 3))]), JOIN)
                gap = uni(rng, RESTART_GAP)
            if fillers and len(words) >= 6 and rng.random() < MID_FILLER_P:
                cut = int(rng.integers(2, len(words) - 1))
                add("speech", " ".join(words[:cut]), JOIN)
                add_filler(MID_FILLERS[rng.integers(len(MID_FILLERS))])
                add("speech", " ".join(words[cut:]), JOIN)
            else:
                add("speech", " ".join(words), JOIN)
    return out


def build_tuning_clip(spec: dict, synth: Synth, plan=plan_pieces) -> tuple[np.ndarray, dict]:
    """Audio and truth of one tuning clip (40 dB pink noise; reverb and more noise are added by
    the caller, as for the held-out set). ``plan``: how the pieces are laid (``plan_pieces``, or
    ``piper_breath.plan_breath_pieces``)."""
    rng = np.random.default_rng(zlib.crc32(spec["name"].encode()))
    voice, rate = spec["voice"], spec["rate"]
    placed: list[tuple[str, str, int, np.ndarray]] = []  # kind, text, start sample, audio
    pos = 0
    for kind, text, gap in plan(spec["items"], spec["fillers"], rng):
        if kind == "filled_pause":
            base = synth.espeak(text, voice, FILLED_PAUSE_RATE, FILLED_PAUSE_PITCH)
            audio = synth.tempo(base, len(base) / 16_000 / uni(rng, FILLED_PAUSE_DUR))
        else:
            audio = synth.espeak(text, voice, rate)
        if gap is None:
            start = samples(uni(rng, LEAD))
        else:
            prev_start, prev_len = placed[-1][2], len(placed[-1][3])
            # An overlap never reaches back over more than a third of the previous piece.
            start = max(pos + samples(gap), prev_start + (2 * prev_len) // 3)
        placed.append((kind, text, start, audio))
        pos = max(pos, start + len(audio))
    total = pos + samples(uni(rng, TRAIL))
    clean = np.zeros(total)
    mask = np.zeros(total, dtype=bool)
    for _, _, start, audio in placed:
        clean[start : start + len(audio)] += audio
        mask[start : start + len(audio)] = True
    target_rms = 10 ** (SPEECH_RMS_DBFS / 20)
    clean *= target_rms / np.sqrt(np.mean(clean[mask] ** 2))
    snr = SNR_DB[spec["cond"]]
    audio = clean + pink_noise(total, rng) * target_rms / 10 ** (snr / 20)
    segments = [{"kind": k, "text": t, "s0": s, "s1": s + len(a)} for k, t, s, a in placed]
    return audio, make_truth(spec, segments, total, snr)
