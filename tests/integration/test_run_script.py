"""./run.sh names itself in the tool's hints (`voice-interviewer` is not on PATH after it), and adds
its "(Here, `voice-interviewer X` is ...)" note only after a usage error, where argparse's usage
line names `voice-interviewer` (issue 25, defects 5 and 8)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTE = "(Here, `voice-interviewer X` is"


def run_sh(*args: str) -> subprocess.CompletedProcess:
    if not (ROOT / ".venv" / "bin" / "voice-interviewer").exists():
        pytest.skip("./run.sh has not set up .venv here")
    env = {**os.environ, "COLUMNS": "300"}
    env.pop("VOICE_INTERVIEWER_LAUNCHER", None)
    return subprocess.run(
        ["./run.sh", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300
    )


def test_hints_name_run_sh(tmp_path):
    done = run_sh("sessions", "--data-dir", str(tmp_path / "none"))
    assert done.returncode == 0, done.stderr
    assert "start one with `./run.sh practice`" in done.stdout
    failed = run_sh("review", "7", "--data-dir", str(tmp_path / "none"))
    assert failed.returncode == 1
    assert "`./run.sh practice`" in failed.stderr and "`voice-interviewer" not in failed.stderr


def test_the_note_follows_a_usage_error_only(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF....WAVEfmt not really")
    scored = run_sh("score", str(bad), "--question", "overfitting")
    assert scored.returncode == 1 and "Error:" in scored.stderr
    assert NOTE not in scored.stderr
    unknown = run_sh("scroe")
    assert unknown.returncode == 2 and NOTE in unknown.stderr
    assert "`./run.sh X`" in unknown.stderr
