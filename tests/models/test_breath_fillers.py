"""Filled pauses said in one breath are counted one by one (`score`, the real CLI).

The Piper fixture b01 (``audio_fixtures/piper_breath``: held out, nothing was chosen on it) says
"um uh" at 5.78-6.96 s and "um um" at 30.55-31.70 s with only a dip in level between the two
sounds of each run. Before the filler pass cut candidates at level dips, each run was one filler.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURE = (
    Path(__file__).parents[2]
    / "audio_fixtures/piper_breath/b01_feature-selection_joe_206_clean.flac"
)
TRUTH = Path(str(FIXTURE).removesuffix(".flac") + ".json")
RUNS = [(5.777, 6.958), (30.549, 31.695)]  # from the fixture's truth: two filled pauses each


def test_each_sound_of_a_run_of_filled_pauses_is_one_filler():
    truth = json.loads(TRUTH.read_text())["fillers"]
    for lo, hi in RUNS:  # the runs are where the truth says, two fillers each
        assert len([f for f in truth if lo <= f["start"] and f["end"] <= hi]) == 2
    run = subprocess.run(
        [sys.executable, "-m", "voice_interviewer", "score", str(FIXTURE)]
        + ["-q", "feature-selection", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    found = [f for f in json.loads(run.stdout)["fillers"] if f["kind"] == "filled_pause"]
    for lo, hi in RUNS:
        inside = [f for f in found if lo - 0.1 < f["start"] and f["end"] < hi + 0.1]
        assert len(inside) == 2, (lo, hi, found)
        assert inside[0]["end"] <= inside[1]["start"]  # two sounds, one after the other
