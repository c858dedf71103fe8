"""`demo --bank` on a bank of your own (issue 14 items 4 and 5): the demo asks your bank's question,
plays a bundled sample answer in real time through the real pipeline, says that the sample answers
another question, and saves the session as a demo (kept out of history). No audio devices needed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_on_a_bank_no_sample_fits(tmp_path):
    example = re.search(
        r"```toml\n(.*?)```", (ROOT / "docs" / "bank-format.md").read_text(), re.S
    ).group(1)
    bank = tmp_path / "mine.toml"
    bank.write_text(example.replace('id = "overfitting"', 'id = "bias-variance"'))
    cmd = [sys.executable, "-m", "voice_interviewer"]
    out = subprocess.run(
        [*cmd, "demo", "--no-speak", "--jsonl", "--bank", str(bank), "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert [e["id"] for e in events if e["event"] == "question"] == ["bias-variance"]
    [feedback] = [e for e in events if e["event"] == "feedback"]
    assert feedback["analysis"]["word_count"] > 40  # the sample answer, really transcribed
    assert "No bundled sample answer is for a question of bank 'my-bank'" in " ".join(
        out.stderr.split()
    )
    listed = subprocess.run(
        [*cmd, "sessions", "--json", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    [session] = json.loads(listed.stdout)
    assert (session["kind"], session["status"], session["bank_id"]) == (
        "demo",
        "complete",
        "my-bank",
    )
    history = subprocess.run(
        [*cmd, "history", "--json", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(history.stdout)["sessions"] == []
