"""Builders of real saved sessions for the report, history and archive tests.

* ``real_home``: a data folder whose sessions were made by running the real pipeline (Whisper
  tiny.en) on fixture clips and saving them exactly as ``practice`` does (begin_answer, WAV written
  to the returned path, complete_answer with the ``Analysis``). Whisper runs once per test
  run: the folder is built on first use and each test gets its own copy.
* ``add_session``: sessions with hand-made analysis dicts holding KNOWN numbers (a real dict from
  tests/data with words per minute, fillers, coverage, ... overwritten), for the trend tests.

The store stamps ``started_at`` with the current time and has no API to set it, so ``add_session``
rewrites that one column with a direct SQLite UPDATE on the store's database file: the only write
here that does not go through ``SessionStore``.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "audio_fixtures"
DATA = Path(__file__).parent / "data"
# One technical answer, one behavioural (STAR) answer with fillers, one noisy clip.
REAL_CLIPS = (
    "a01_overfitting_en-us_140_clean",
    "a05_failure_en-gb_165_clean",
    "a06_prioritization_en-gb_140_noisy",
)
RATE = 16000


@dataclass
class RealHome:
    root: Path
    complete_id: int  # 3 scored answers + an unanswered follow-up; ended normally
    crashed_id: (
        int  # a scored answer, one cut off mid-recording, one whose WAV is gone; never ended
    )
    clips: dict[str, dict]  # clip name -> its truth JSON


_built: dict[str, RealHome] = {}


def write_wav(path: Path, audio: np.ndarray) -> None:
    """16 kHz mono 16-bit PCM, as the recorder writes them."""
    sf.write(str(path), audio, RATE, subtype="PCM_16", format="WAV")


def build_real_home(root: Path) -> RealHome:
    from tests.conftest import scored_fixture
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.speech.decode import load_audio

    bank = resolve_bank(None)
    store = SessionStore(root)
    settings = {"questions": [], "follow_ups": True, "end_silence_s": 3.0}
    sid = store.create_session(bank.id, bank.title, "tiny.en", settings)
    clips, analyses, audios = {}, {}, {}
    seq = 0
    for name in REAL_CLIPS:
        truth = json.loads((FIXTURES / f"{name}.json").read_text())
        q = bank.question(truth["question_id"])
        audio = load_audio(FIXTURES / truth["audio"])
        analysis = scored_fixture(name)[0]
        seq += 1
        aid, wav = store.begin_answer(sid, seq, q.id, q.text, q.category, q.text)
        write_wav(wav, audio)
        store.complete_answer(aid, status="answered", end_reason="silence", analysis=analysis)
        clips[name], analyses[name], audios[name] = truth, analysis, audio
    # A follow-up nobody answered: its WAV holds the silence that was recorded.
    seq += 1
    q = bank.question(clips[REAL_CLIPS[1]]["question_id"])
    aid, wav = store.begin_answer(
        sid, seq, q.id, q.text, q.category, "What was the result?", follow_up_of=seq - 1
    )
    write_wav(wav, np.zeros(RATE * 2, dtype=np.float32))
    store.complete_answer(aid, status="unanswered", end_reason="no_answer", analysis=None)
    store.end_session(sid, interrupted=False)

    # A crash: answer 2 was being recorded (row still 'recording', half its WAV on disk), and the
    # WAV of answer 3 was lost afterwards; the session never ended.
    crashed = store.create_session(bank.id, bank.title, "tiny.en", settings)
    first = clips[REAL_CLIPS[0]]
    q = bank.question(first["question_id"])
    aid, wav = store.begin_answer(crashed, 1, q.id, q.text, q.category, q.text)
    write_wav(wav, audios[REAL_CLIPS[0]])
    store.complete_answer(
        aid, status="answered", end_reason="silence", analysis=analyses[REAL_CLIPS[0]]
    )
    third = clips[REAL_CLIPS[2]]
    q = bank.question(third["question_id"])
    aid, wav = store.begin_answer(crashed, 2, q.id, q.text, q.category, q.text)
    write_wav(wav, audios[REAL_CLIPS[2]][: RATE * 8])  # never completed
    aid, wav = store.begin_answer(crashed, 3, q.id, q.text, q.category, q.text)
    store.complete_answer(
        aid, status="answered", end_reason="enter", analysis=analyses[REAL_CLIPS[2]]
    )
    store.close()
    return RealHome(root, sid, crashed, clips)


def real_home(tmp_path_factory, dest: Path) -> RealHome:
    """A private copy (at ``dest``) of the Whisper-built data folder, built once per test run."""
    if "home" not in _built:
        _built["home"] = _build_once_per_run(tmp_path_factory)
    built = _built["home"]
    shutil.copytree(built.root, dest)
    return RealHome(dest, built.complete_id, built.crashed_id, built.clips)


def _build_once_per_run(tmp_path_factory) -> RealHome:
    """The folder of ``build_real_home``, made by the first xdist worker to need it (the others
    wait on a file lock, then read it): its Whisper decodes are paid once per run, not per worker.
    Read-only once built; each test works on its own copy."""
    import fcntl
    import os

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by its workers
    shared = base / "real-sessions"
    shared.mkdir(exist_ok=True)
    meta = shared / "built.json"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not meta.is_file():
            built = build_real_home(shared / "home")
            ids = {"complete_id": built.complete_id, "crashed_id": built.crashed_id}
            meta.write_text(json.dumps({**ids, "clips": built.clips}))
        m = json.loads(meta.read_text())
    return RealHome(shared / "home", m["complete_id"], m["crashed_id"], m["clips"])


# ---------------------------------------------------------------- hand-made numbers


def template(kind: str = "overfitting") -> dict:
    """A real analysis dict (tests/data): 'overfitting' (technical) or 'prioritization' (STAR)."""
    return json.loads((DATA / f"analysis_{kind}.json").read_text())


def known_analysis(
    question_id: str,
    category: str = "technical",
    *,
    wpm: float = 145.0,
    fpm: float = 1.0,
    hits: tuple[bool, ...] = (True, True, False),
    long_pauses: int = 0,
    answer_s: float = 90.0,
    target: tuple[float, float] = (60.0, 120.0),
    star: dict | None = None,
) -> dict:
    """A real dict with its measurements replaced by the given numbers; rubric points are named
    '<question_id>-p<i>' with text '<question_id> point <i>'."""
    a = copy.deepcopy(template("prioritization" if star else "overfitting"))
    a["question"] = {"id": question_id, "text": f"Question {question_id}?", "category": category}
    a["words_per_minute"] = wpm
    a["fillers_per_minute"] = fpm
    a["answer_s"] = answer_s
    a["target_seconds"] = list(target)
    a["long_pauses"] = [{"start": 10.0 + 5 * i, "end": 12.5 + 5 * i} for i in range(long_pauses)]
    a["rubric"] = {
        "coverage": sum(hits) / len(hits),
        "points": [
            {
                "id": f"{question_id}-p{i}",
                "text": f"{question_id} point {i}",
                "hit": hit,
                "evidence": ["word"] if hit else [],
            }
            for i, hit in enumerate(hits, 1)
        ],
        "star": star,
    }
    return a


def set_started_at(store: SessionStore, session_id: int, iso: str) -> None:
    """The store has no API for this: rewrite the column directly (see the module docstring)."""
    with sqlite3.connect(store.db_path) as conn:
        conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (iso, session_id))
    conn.close()


def add_session(
    store: SessionStore,
    started_at: str,
    answers: list[dict | tuple[str, str]],
    *,
    bank_id: str = "amazon-mle",
    end: str = "complete",
) -> int:
    """A session of hand-made answers: an analysis dict is an answered answer; a tuple
    ('unanswered', question_id) an unanswered one, ('recording', question_id) an answer left
    mid-recording by a crash, ('follow_up', analysis) an answered follow-up to the answer before
    (of its attempt), ('attempt', n, answer) any of these as attempt n of its question (Try again).
    ``end`` is 'complete', 'interrupted' or 'incomplete' (never ended). Every answer gets a short
    WAV of silence."""
    # 'incomplete': made as if by a process that has since died (no running lock held)
    sid = store.create_session(bank_id, bank_id.title(), "tiny.en", {}, live=end != "incomplete")
    attempt = 1
    for seq, a in enumerate(answers, 1):
        follow_up_of = None
        if isinstance(a, tuple) and a[0] == "attempt":
            attempt, a = a[1], a[2]
        elif isinstance(a, tuple) and a[0] == "follow_up":
            follow_up_of, a = seq - 1, a[1]
        else:
            attempt = 1
        if isinstance(a, tuple):
            q = {"id": a[1], "text": f"Question {a[1]}?", "category": "technical"}
        else:
            q = a["question"]
        aid, wav = store.begin_answer(
            sid,
            seq,
            q["id"],
            q["text"],
            q["category"],
            q["text"],
            follow_up_of=follow_up_of,
            attempt=attempt,
        )
        write_wav(wav, np.zeros(RATE // 2, dtype=np.float32))
        if isinstance(a, tuple) and a[0] == "recording":
            continue
        if isinstance(a, tuple):
            store.complete_answer(aid, status="unanswered", end_reason="no_answer", analysis=None)
        else:
            typed = Analysis.from_dict(a)
            store.complete_answer(aid, status="answered", end_reason="silence", analysis=typed)
    if end != "incomplete":
        store.end_session(sid, interrupted=end == "interrupted")
    set_started_at(store, sid, started_at)
    return sid


def review_parser() -> argparse.ArgumentParser:
    """The review-side subcommands (report, history, delete, export, import) on their own parser."""
    from voice_interviewer.cli.review import register

    p = argparse.ArgumentParser(prog="voice-interviewer")
    register(p.add_subparsers())
    return p


def run_review_command(argv: list[str]) -> int:
    args = review_parser().parse_args(argv)
    return args.func(args)
