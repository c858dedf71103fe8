"""Issue 28 item 7: a named pipe (FIFO) given where a file is read or written is refused at once
in one line; before, `banks validate`, `banks add`, `score --manifest`, `score --text` and
`score -o` waited for a writer (or reader) that never came. Each command runs in a child with a
generous limit: a child still waiting when it runs out has blocked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "audio_fixtures" / "a01_overfitting_en-gb-x-rp_190_clean.flac"
HANG_S = 60  # far beyond the second a refusal takes


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "VOICE_INTERVIEWER_HOME": str(tmp_path / "data")}
    try:
        return subprocess.run(
            [sys.executable, "-m", "voice_interviewer", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=HANG_S,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{' '.join(args)}` blocked on the FIFO")


@pytest.mark.parametrize(
    "command",
    [
        ["banks", "validate", "{fifo}.toml"],
        ["banks", "add", "{fifo}.toml"],
        ["score", "--manifest", "{fifo}.csv"],
        ["score", "--question", "overfitting", "--text", "{fifo}.txt"],
        ["score", "--question", "overfitting", str(CLIP), "-o", "{fifo}.jsonl"],
        ["score", "--question", "overfitting", str(CLIP), "--csv", "{fifo}.csv"],
    ],
    ids=["banks-validate", "banks-add", "manifest", "text", "output", "csv"],
)
def test_a_fifo_is_refused_at_once_in_one_line(tmp_path, command):
    fifo = tmp_path / "pipe"
    args = [a.format(fifo=fifo) for a in command]
    named = next(Path(a) for a in args if a.startswith(str(fifo)))
    os.mkfifo(named)
    r = cli(tmp_path, *args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode != 0 and len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert str(named) in lines[0] and "named pipe" in lines[0], lines[0]
