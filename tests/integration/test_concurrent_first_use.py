"""Issue 28 item 1: two processes opening a new data folder at once both run the schema migrations;
without a lock one undid the other's work and the folder became unusable ("duplicate column name:
kind"). Real processes, released together by a go-file, so both open the new database at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 16  # a race: about 1 pair in 8 failed before the WAL switch was retried

# Each child opens the store as every command does, once the parent says go, and saves a session.
CHILD = r"""
import sys, time
from pathlib import Path
data, ready, go = (Path(a) for a in sys.argv[1:4])
ready.touch()
while not go.exists():
    time.sleep(0.0005)
from voice_interviewer.sessions.store import SessionStore
store = SessionStore(data)
sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
store.end_session(sid, interrupted=False)
store.close()
print(sid)
"""


def test_two_concurrent_first_uses_leave_a_usable_folder_with_both_sessions(tmp_path):
    outcomes = []
    for trial in range(TRIALS):
        data = tmp_path / f"data{trial}"
        go = tmp_path / f"go{trial}"
        readies = [tmp_path / f"ready{trial}-{n}" for n in range(2)]
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, str(data), str(r), str(go)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for r in readies
        ]
        try:
            for child, ready in zip(children, readies, strict=True):
                while not ready.exists():
                    assert child.poll() is None, child.communicate()
                    time.sleep(0.01)
            go.touch()
            results = [c.communicate(timeout=120) for c in children]
        finally:
            for c in children:
                c.kill() if c.poll() is None else None
        listed = subprocess.run(
            [
                sys.executable,
                "-m",
                "voice_interviewer",
                "sessions",
                "--json",
                "--data-dir",
                str(data),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        outcomes.append(
            (
                [c.returncode for c in children],
                [err.strip().splitlines()[-1:] for _, err in results],
                listed.returncode,
                sorted(s["id"] for s in json.loads(listed.stdout))
                if listed.returncode == 0
                else listed.stderr.strip(),
            )
        )
    usable = [o for o in outcomes if o[0] == [0, 0] and o[2] == 0 and o[3] == [1, 2]]
    assert len(usable) == TRIALS, outcomes
