"""scripts/setup.sh keeps apt's progress lines off the screen, and shows them when apt fails.

apt-get, dpkg-query and sudo are replaced by stubs on PATH (a test must not install anything);
PYTHON points at a stub that fails the version check, so the script stops right after apt."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SETUP = Path(__file__).resolve().parents[2] / "scripts" / "setup.sh"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _run(tmp_path: Path, apt_exit: int) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "dpkg-query", "exit 1")  # every package "missing"
    _stub(bin_dir, "sudo", '[ "$1" = -v ] && exit 0; exec "$@"')
    _stub(
        bin_dir,
        "apt-get",
        'for i in $(seq 200); do echo "Unpacking libfoo$i (1.0) ..."; done\n'
        f'[ "$1" = install ] && {{ echo "E: stub failure" >&2; exit {apt_exit}; }}; exit 0',
    )
    _stub(bin_dir, "old-python", "exit 1")  # "Python 3.11 or newer is needed": stops the script
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "TMPDIR": str(tmp_path)}
    env["PYTHON"] = str(bin_dir / "old-python")
    return subprocess.run(["bash", str(SETUP)], env=env, capture_output=True, text=True, timeout=60)


def test_apt_progress_lines_stay_off_the_screen(tmp_path):
    result = _run(tmp_path, apt_exit=0)
    assert "Unpacking" not in result.stdout + result.stderr
    assert "Installing system packages" in result.stderr
    assert "Python 3.11 or newer is needed" in result.stderr  # it went on past apt
    assert not list(tmp_path.glob("voice-interviewer-apt.*"))  # the log is removed


def test_a_failed_apt_shows_the_end_of_its_output(tmp_path):
    result = _run(tmp_path, apt_exit=100)
    assert result.returncode == 1
    assert "installing the system packages failed" in result.stderr
    assert "E: stub failure" in result.stderr
    assert result.stderr.count("Unpacking") <= 20  # the end of the log, not all of it
