"""Probes of issue 15 items 1-4, 8 and 9 and issue 28 items 1-3 and 6-8 through the real command
line; prints a table (issue 28's probes are named "28.N ...").

Each probe builds its input (hostile archives from ``benchmarks.hostile``, a data folder, a small
tmpfs), runs ``python -m voice_interviewer ...`` in a subprocess and reports what a user sees:
the exit code, the first line of the error (or of a traceback), the child's peak memory, and what
was left in the data folder.

    python -m benchmarks.hardening [--only NAME ...] [--no-bombs] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import hardening_two
from evaluation import hostile

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    rc: int
    out: str
    err: str
    peak_mb: float
    seconds: float

    @property
    def said(self) -> str:
        """What the user was told: the traceback's last line, else the first error line."""
        lines = [x for x in self.err.splitlines() if x.strip()]
        if any(x.startswith("Traceback") for x in lines):
            return "TRACEBACK " + lines[-1][:90]
        said = lines[0] if lines else self.out.strip().splitlines()[0] if self.out.strip() else ""
        if "session archive (" in said:  # the reason, without the temporary path
            said = "refused: " + said.split("session archive (", 1)[1].rstrip(")")
        return said[:110]


def cli(*args: str, env: dict | None = None, limit_s: float | None = None) -> Run:
    """Runs the CLI in a child; its peak memory as GNU time reports it (a child forked straight
    from this process would start its high-water mark at this process's size). With ``limit_s``,
    a child still running then is killed (rc 124: it blocked)."""
    with tempfile.TemporaryDirectory() as tmp:
        out, err, peak = (Path(tmp) / n for n in ("out", "err", "peak"))
        t0 = time.monotonic()
        with out.open("wb") as o, err.open("wb") as e:
            limit = ["timeout", "-s", "KILL", str(limit_s)] if limit_s else []
            p = subprocess.run(
                [
                    "/usr/bin/time",
                    "-f",
                    "%M",
                    "-o",
                    str(peak),
                    *limit,
                    sys.executable,
                    "-m",
                    "voice_interviewer",
                    *args,
                ],
                stdout=o,
                stderr=e,
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                env={**os.environ, **(env or {})},
            )
        seconds = time.monotonic() - t0
        kib = peak.read_text().strip().splitlines()[-1]
        return Run(
            p.returncode,
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
            int(kib) / 1024 if kib.isdigit() else float("nan"),
            seconds,
        )


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def session_ids(data: Path) -> str:
    r = cli("sessions", "--json", "--data-dir", str(data))
    if r.rc != 0:
        return f"sessions rc={r.rc}"
    import json

    return "sessions " + (",".join(str(s["id"]) for s in json.loads(r.out)) or "none")


# ------------------------------------------------------------------ probes

Probe = Callable[[Path, Path], str]  # (work folder, base archive) -> what happened


def probe_mode(work: Path, base: Path) -> str:
    shared = work / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    r = cli("import", str(base), "--data-dir", str(shared))
    return f"rc={r.rc}; folder mode {oct(stat.S_IMODE(shared.stat().st_mode))}"


def _damaged_then_readers(work: Path, archive: Path) -> str:
    data = work / "data"
    hostile.make_session(data)  # a good session already there
    r = cli("import", str(archive), "--data-dir", str(data))
    said = [f"import rc={r.rc} {r.said}"]
    for cmd in (["history"], ["sessions"], ["review", "2"], ["report", "1"]):
        x = cli(*cmd, "--data-dir", str(data))
        said.append(f"{cmd[0]} rc={x.rc}" + (" TRACEBACK" if "Traceback" in x.err else ""))
    return "; ".join(said)


def _hand_damage(sql: str) -> Probe:
    """Two good sessions, then one row damaged with SQL; what each reader does."""

    def run(work: Path, base: Path) -> str:
        import json
        import sqlite3

        data = work / "data"
        hostile.make_session(data)
        hostile.make_session(data)
        db = sqlite3.connect(data / "sessions.db")
        no_rubric = hostile.analysis()
        del no_rubric["rubric"]
        db.execute(sql, (json.dumps(no_rubric),) if "?" in sql else ())
        db.commit()
        db.close()
        said = []
        for cmd in (["sessions"], ["history"], ["review", "1"], ["report", "1"], ["review", "2"]):
            x = cli(*cmd, "--data-dir", str(data))
            tb = " TRACEBACK" if "Traceback" in x.err else ""
            said.append(f"{' '.join(cmd)} rc={x.rc}{tb}")
        return "; ".join(said)

    return run


def _field_probe(**kw) -> Probe:
    def run(work: Path, base: Path) -> str:
        bad = hostile.rewrite(base, work / "bad.zip", **kw)
        return _damaged_then_readers(work, bad)

    return run


def _import_only(**kw) -> Probe:
    def run(work: Path, base: Path) -> str:
        bad = hostile.rewrite(base, work / "bad.zip", **kw)
        data = work / "data"
        r = cli("import", str(bad), "--data-dir", str(data))
        return f"rc={r.rc} {r.said}; {session_ids(data)}"

    return run


def _bomb(make: Callable[[Path, Path], Path]) -> Probe:
    def run(work: Path, base: Path) -> str:
        bomb = make(base, work / "bomb.zip")
        data = work / "data"
        r = cli("import", str(bomb), "--data-dir", str(data))
        return (
            f"rc={r.rc} {r.said[:70]}; peak {r.peak_mb:.0f} MB; {r.seconds:.1f} s; "
            f"{folder_bytes(data) / 1e6:.1f} MB left in the data folder"
        )

    return run


def probe_not_a_wav(work: Path, base: Path) -> str:
    import hashlib
    import json
    import zipfile

    body = b"#!/bin/sh\necho this is not audio\n" * 100
    name = json.loads(zipfile.ZipFile(base).read("manifest.json"))["answers"][0]["wav"]
    edit = hostile.edit_answer(wav_sha256=hashlib.sha256(body).hexdigest())
    bad = hostile.rewrite(base, work / "bad.zip", edit=edit, entries={name: body})
    r = cli("import", str(bad), "--data-dir", str(work / "data"))
    return f"rc={r.rc} {r.said}"


def probe_disk_full(work: Path, base: Path) -> str:
    """Imports a 3 MB recording into a data folder on a 2 MiB tmpfs (a user namespace mounts it)."""
    if shutil.which("unshare") is None:
        return "skipped: no unshare"
    big = hostile.make_archive(work / "big.zip", seconds=100.0)
    tool = f"{sys.executable} -m voice_interviewer"
    script = f"""
set -e
mount -t tmpfs -o size=2m tmpfs {work}/mnt
{tool} import {base} --data-dir {work}/mnt/data >/dev/null
{tool} import {big} --data-dir {work}/mnt/data 2>{work}/err || true
{tool} sessions --json --data-dir {work}/mnt/data >{work}/after 2>&1 || true
find {work}/mnt/data -type f -name '*.wav' -printf '%s %p\\n' | sort >{work}/wavs
"""
    (work / "mnt").mkdir()
    p = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    if p.returncode != 0:
        return f"skipped: cannot mount a tmpfs ({p.stderr.strip()[:60]})"
    err = (work / "err").read_text().strip().splitlines()
    tb = "TRACEBACK " if any(x.startswith("Traceback") for x in err) else ""
    after = (work / "after").read_text().strip()
    wavs = (work / "wavs").read_text().split()
    import json

    try:
        ids = [(s["id"], s["asked"]) for s in json.loads(after)]
    except ValueError:
        ids = after[:60]
    return (
        f"{tb}{(err[-1] if tb else err[0])[:80] if err else 'no error'}; "
        f"left: sessions {ids}, wav sizes {wavs[::2]}"
    )


def probe_practice_disk_full(work: Path, base: Path) -> str:
    """``demo`` (the real session loop, a recorded answer as the microphone) on a 400 KiB tmpfs."""
    if shutil.which("unshare") is None:
        return "skipped: no unshare"
    (work / "mnt").mkdir()
    tool = f"{sys.executable} -m voice_interviewer"
    script = f"""
mount -t tmpfs -o size=400k tmpfs {work}/mnt
cd {ROOT} && {tool} demo --model tiny.en --data-dir {work}/mnt/data >/dev/null 2>{work}/err || true
"""
    p = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    if p.returncode != 0:
        return f"skipped: cannot mount a tmpfs ({p.stderr.strip()[:60]})"
    err = [x for x in (work / "err").read_text().splitlines() if x.strip()]
    last = err[-1] if err else "no error"
    return last.replace(str(work / "mnt"), "<tmpfs>")[:110]


def probe_reused_ids(work: Path, base: Path) -> str:
    data = work / "data"
    hostile.make_session(data, seconds=3.0)  # not the bytes of the archive's recording
    old = {p: p.read_bytes() for p in (data / "sessions").rglob("*.wav")}
    os.rename(data / "sessions.db", work / "sessions.db.aside")
    for name in ("sessions.db-wal", "sessions.db-shm"):
        (data / name).unlink(missing_ok=True)
    r = cli("import", str(base), "--data-dir", str(data))
    same = sum(p.exists() and p.read_bytes() == b for p, b in old.items())
    cli("delete", "1", "--yes", "--data-dir", str(data))
    left = sum(p.exists() and p.read_bytes() == b for p, b in old.items())
    return (
        f"import rc={r.rc}; old recordings intact after the import: {same}/{len(old)}, "
        f"after `delete 1`: {left}/{len(old)}"
    )


def _drop(key: str) -> Callable[[dict], None]:
    return lambda a: a.pop(key)


def _word_time_str(a: dict) -> None:
    a["words"][0]["start"] = "1.0"


PROBES: dict[str, Probe] = {
    "1 --data-dir on an existing 1777 folder": probe_mode,
    "2 started_at 'yesterday'": _field_probe(edit=hostile.edit_session(started_at="yesterday")),
    "2 analysis without rubric": _field_probe(edit=hostile.edit_analysis(_drop("rubric"))),
    "2 empty analysis {}": _field_probe(edit=hostile.edit_answer(analysis={})),
    "2 word time as a string": _field_probe(edit=hostile.edit_analysis(_word_time_str)),
    "2 session row damaged by hand (started_at)": _hand_damage(
        "UPDATE sessions SET started_at = 'yesterday' WHERE id = 2"
    ),
    "2 report damaged by hand (no rubric)": _hand_damage(
        "UPDATE answers SET analysis = ? WHERE session_id = 2"
    ),
    "3 settings a list": _import_only(edit=hostile.edit_session(settings=[1, 2])),
    "3 seq 10**30": _import_only(edit=hostile.edit_answer(seq=10**30)),
    "3 NUL in question_id": _import_only(edit=hostile.edit_answer(question_id="over\x00fit")),
    "3 question_id '../../x'": _import_only(edit=hostile.edit_answer(question_id="../../x")),
    "3 rubric a list": _import_only(edit=hostile.edit_analysis(lambda a: a.update(rubric=[]))),
    "3 transcript a dict": _import_only(
        edit=hostile.edit_analysis(lambda a: a.update(transcript={}))
    ),
    "4 1 GiB WAV bomb": _bomb(hostile.make_wav_bomb),
    "4 1 GiB WAV bomb, lying header": _bomb(lambda s, o: hostile.make_wav_bomb(s, o, lying=True)),
    "4 1 GiB manifest": _bomb(hostile.make_manifest_bomb),
    "4 100k entries": _bomb(hostile.make_many_entries),
    "4 not a WAV": probe_not_a_wav,
    "8 import onto a full disk": probe_disk_full,
    "8 practice (demo) onto a full disk": probe_practice_disk_full,
    "9 DB moved aside, then import + delete": probe_reused_ids,
    **hardening_two.probes(cli, _import_only),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="probes whose names contain any of these")
    ap.add_argument("--no-bombs", action="store_true", help="skip the 1 GiB probes")
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = hostile.make_archive(Path(tmp) / "base.zip")
        for name, probe in PROBES.items():
            if args.only and not any(o in name for o in args.only):
                continue
            if args.no_bombs and "GiB" in name:
                continue
            work = Path(tempfile.mkdtemp(dir=tmp))
            try:
                result = probe(work, base)
            except Exception as exc:  # a probe that breaks is reported, not fatal
                result = f"probe failed: {type(exc).__name__}: {exc}"
            rows.append((name, result))
            print(f"| {name} | {result} |", flush=True)
    if args.markdown:
        lines = ["| probe | result |", "|---|---|", *(f"| {n} | {r} |" for n, r in rows)]
        args.markdown.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
