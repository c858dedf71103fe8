"""Issue 28's probes (items 1-3 and 6-8) for ``python -m benchmarks.hardening``: each runs the real
command line in children and says what a user would see. ``probes(cli, import_only)`` takes the
runner and the import probe builder of ``benchmarks.hardening`` (no import cycle with it)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from evaluation import hostile

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "audio_fixtures" / "a01_overfitting_en-gb-x-rp_190_clean.flac"
TRIALS = 8
FIFO_LIMIT_S = 20.0  # the probe's wait: a command still running then has blocked

Probe = Callable[[Path, Path], str]


def _concurrent_imports(work: Path, base: Path) -> str:
    """8 trials of two `import` of the same archive into one new data folder, started together."""
    usable = both = 0
    errors: set[str] = set()
    for trial in range(TRIALS):
        data = work / f"data{trial}"
        cmd = [
            sys.executable,
            "-m",
            "voice_interviewer",
            "import",
            str(base),
            "--data-dir",
            str(data),
        ]
        children = [
            subprocess.Popen(
                cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        for c in children:
            err = c.communicate()[1].strip()
            if c.returncode:
                errors.add(err.splitlines()[-1][:70] if err else f"rc={c.returncode}")
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
        )
        if listed.returncode == 0:
            usable += 1
            both += len(json.loads(listed.stdout)) == 2
        else:
            errors.add(listed.stderr.strip()[:70])
    said = f"{usable}/{TRIALS} folders usable, {both}/{TRIALS} with both sessions"
    return said + (f"; errors: {sorted(errors)}" if errors else "")


def probes(cli, import_only: Callable[..., Probe]) -> dict[str, Probe]:
    def csv_formula(work: Path, base: Path) -> str:
        out = work / "out.csv"
        names = ["=cmd|'-C calc'!A0.flac", "=HYPERLINK(1).wav", "@SUM(1).wav", "+1.wav", "-1.wav"]
        r = cli("score", "--question", "overfitting", "--csv", str(out), "--", *names)
        if not out.exists():
            return f"rc={r.rc} {r.said}; no CSV written"
        cells = [c for line in out.read_text().splitlines()[1:] for c in line.split(",")[:3] if c]
        bare = [c for c in cells if c.lstrip('"')[:1] in ("=", "+", "-", "@")]
        return (
            f"rc={r.rc}; {len(cells)} text cells, "
            f"{len(bare)} starting a formula (e.g. {cells[0][:24]})"
        )

    def output_unrelated(work: Path, base: Path) -> str:
        secret = work / "f.txt"
        secret.write_text("SECRET-KEY=abc123")
        manifest = work / "m.csv"
        manifest.write_text(f"path,question\n{CLIP},overfitting\n")
        said = []
        for option in ("-o", "--csv"):
            r = cli("score", "--manifest", str(manifest), option, str(secret))
            kept = secret.read_text() == "SECRET-KEY=abc123"
            said.append(f"{option}: rc={r.rc}, file {'unchanged' if kept else 'APPENDED TO'}")
        return "; ".join(said) + f"; {r.said.replace(str(work), '')[:60]}"

    def wav_path_edited(stored: str) -> Probe:
        def run(work: Path, base: Path) -> str:
            data = work / "data"
            sid = hostile.make_session(data)
            (work / "secret.txt").write_text("SECRET-KEY=abc123\n")  # what ../secret.txt names
            db = sqlite3.connect(data / "sessions.db")
            db.execute("UPDATE answers SET wav_path = ?", (stored,))
            db.commit()
            db.close()
            out, html = work / "out.zip", work / "r.html"
            e = cli("export", str(sid), "-o", str(out), "--data-dir", str(data))
            h = cli("report", str(sid), "--html", str(html), "--data-dir", str(data))
            packed = []
            if out.exists():
                with zipfile.ZipFile(out) as zf:
                    packed = [n for n in zf.namelist() if n.startswith("audio/")]
            linked = html.exists() and "<audio" in html.read_text()
            return (
                f"export rc={e.rc}, audio packed: {packed or 'none'}; "
                f"report rc={h.rc}, audio linked: {linked}"
            )

        return run

    def fifo(command: list[str]) -> Probe:
        def run(work: Path, base: Path) -> str:
            pipe = work / "pipe"
            args = [a.format(fifo=pipe) for a in command]
            os.mkfifo(next(Path(a) for a in args if a.startswith(str(pipe))))
            home = {"VOICE_INTERVIEWER_HOME": str(work / "d")}  # `banks add` installs there
            r = cli(*args, env=home, limit_s=FIFO_LIMIT_S)
            said = "BLOCKED, killed" if r.rc in (124, 137, -9) else r.said.replace(str(work), "")
            return f"rc={r.rc} in {r.seconds:.1f} s: {said[:80]}"

        return run

    def import_probe(**kw) -> Probe:
        inner = import_only(**kw)
        return lambda work, base: inner(work, base).replace(str(work), "")

    return {
        "28.1 two `import` at once into a new folder, 8 trials": _concurrent_imports,
        "28.2 score --csv, audio paths starting = @ + -": csv_formula,
        "28.3 -o/--csv onto an unrelated one-line file": output_unrelated,
        "28.6 wav_path edited to /etc/passwd: export, report": wav_path_edited("/etc/passwd"),
        "28.6 wav_path edited to ../x: export, report": wav_path_edited("../secret.txt"),
        "28.7 banks validate FIFO": fifo(["banks", "validate", "{fifo}.toml"]),
        "28.7 banks add FIFO": fifo(["banks", "add", "{fifo}.toml"]),
        "28.7 score --manifest FIFO": fifo(["score", "--manifest", "{fifo}.csv"]),
        "28.7 score --text FIFO": fifo(
            ["score", "--question", "overfitting", "--text", "{fifo}.txt"]
        ),
        "28.7 score -o FIFO": fifo(
            ["score", "--question", "overfitting", str(CLIP), "-o", "{fifo}.jsonl"]
        ),
        "28.8 import rubric.coverage = 1e308": import_probe(
            edit=hostile.edit_analysis(lambda a: a["rubric"].update(coverage=1e308))
        ),
        "28.8 import ended_at before started_at": import_probe(
            edit=hostile.edit_session(
                started_at="2025-11-27T10:00:00+00:00", ended_at="2025-11-27T09:00:00+00:00"
            )
        ),
    }
