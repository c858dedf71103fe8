"""Filled pauses said in one breath ("uh-um", "um, uh"), for a held-out check of placing them.

Real speakers string filled pauses together with no silence between them, only a dip in level
where one sound ends and the next begins; Whisper then often writes one filler for two sounds
(real/uhum.wav: "forced, uh" for "uh um"). This set speaks the held-out answers
(``HELDOUT_ANSWERS``) with every scripted filled pause replaced by a run of two or three, each
``FILLED_PAUSE_DUR`` long, laid ``BREATH_GAP`` apart (negative: their fading tails overlap, so
the dip between them does not reach the noise floor). Timing truth, levels and noise as in
``piper_tuning.build_tuning_clip``; nothing in the package was tuned on this set.

Used by ``make_piper_fixtures.py --set piper_breath``; nothing here is read by the package.
"""

from __future__ import annotations

import numpy as np
from fixture_answers import F, L, P
from make_fixtures import JOIN, pause_length, uni

BREATH_GAP = (-0.05, 0.03)  # seconds between two filled pauses of one run
RUNS = (("uh", "um"), ("um", "uh"), ("uh", "uh"), ("um", "um"), ("uh", "um", "uh"))


def plan_breath_pieces(
    items: list[object], fillers: bool, rng: np.random.Generator
) -> list[tuple[str, str, float | None]]:
    """(kind, text, gap before in seconds or None for the answer's lead) per piece, in order."""
    out: list[tuple[str, str, float | None]] = []
    gap: float | None = None  # a scripted pause before the next piece

    def add(kind: str, text: str, join: tuple[float, float]) -> None:
        nonlocal gap
        g = gap if gap is not None else (None if not out else uni(rng, join))
        out.append((kind, text, g))
        gap = None

    for it in items:
        if isinstance(it, P):
            gap = pause_length(it, rng)
        elif isinstance(it, F):
            if fillers:
                run = RUNS[rng.integers(len(RUNS))]
                add("filled_pause", run[0], JOIN)
                for text in run[1:]:
                    add("filled_pause", text, BREATH_GAP)
        elif isinstance(it, L):
            if fillers:
                add("lexical_filler", it.text, JOIN)
        else:
            add("speech", str(it), JOIN)
    return out
