"""Saved practice sessions: one SQLite database plus one WAV per answer, all under the data folder.

    <data dir>/sessions.db                     sessions and answers (WAL journal, mode 0600)
    <data dir>/sessions/<session id>/          the recordings of one session (mode 0700)
        01-overfitting.wav
        02-overfitting-followup.wav

An answer row is written (status ``recording``) *before* capture starts and completed after it, and
every write commits at once: a Ctrl-C or a crash loses at most the answer being recorded, and even
then the row and its WAV path remain (reported as ``incomplete``).

A session that has not ended is ``running`` while the process recording it lives and
``incomplete`` once it is gone (see ``running``).

Threads: a ``SessionStore`` holds one SQLite connection, usable only from the thread that made it
(sqlite3 enforces this); another thread or process opens its own store on the same folder (WAL).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from voice_interviewer.errors import SessionError
from voice_interviewer.paths import make_private_dir
from voice_interviewer.sessions.running import RunningLocks, is_locked

DB_NAME = "sessions.db"
AUDIO_DIR = "sessions"
SCHEMA_VERSION = 2
# Demo sessions are listed, labelled, but left out of history, its averages and --weakest.
SESSION_KINDS = ("practice", "demo")
ANSWER_STATUSES = ("answered", "unanswered", "interrupted")
# endpointing.EndReason, spelled out so listing sessions does not import numpy (a test checks)
END_REASONS = ("silence", "enter", "max", "no_answer", "eof", "interrupted")
HOW_TO_LIST = "see `voice-interviewer sessions` for the ids, or use 'last'"

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, ended_at TEXT,
    bank_id TEXT NOT NULL, bank_title TEXT NOT NULL, model TEXT NOT NULL, settings TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, question_id TEXT NOT NULL, question_text TEXT NOT NULL,
    category TEXT NOT NULL, prompt_text TEXT NOT NULL,
    follow_up_of INTEGER,
    status TEXT NOT NULL, end_reason TEXT, wav_path TEXT NOT NULL,
    started_at TEXT NOT NULL, completed_at TEXT, transcript TEXT, analysis TEXT,
    answer_s REAL, words_per_minute REAL, fillers_per_minute REAL, coverage REAL, long_pauses INTEGER
);
CREATE INDEX IF NOT EXISTS answers_by_session ON answers(session_id, seq);
"""
_SCHEMA_V2 = """
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'practice';
"""
_MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2}  # version -> the SQL that brings version-1 up to it


def now_iso() -> str:
    """Local time with its UTC offset, to the second: 2025-11-27T09:40:12+01:00."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class SessionSummary:
    id: int
    started_at: str
    ended_at: str | None
    bank_id: str
    bank_title: str
    model: str
    interrupted: bool
    # 'complete' | 'interrupted' | 'running' (not ended, its process is recording it now) |
    # 'incomplete' (never ended and its process is gone: a crash)
    status: str
    answered: int  # answers with a report (an answer cut by Ctrl-C is scored for what it holds)
    asked: int  # questions and follow-ups asked
    avg_wpm: float | None  # averages over the answers with a report; None when there are none
    avg_coverage: float | None
    avg_fillers_per_minute: float | None
    kind: str = "practice"  # 'practice' | 'demo' (see SESSION_KINDS)
    planned: int | None = None  # questions the session set out to ask (follow-ups aside)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AnswerRecord:
    id: int
    seq: int
    question_id: str
    question_text: str
    category: str
    prompt_text: str  # what was spoken: the question, or the follow-up prompt
    follow_up_of: int | None  # seq of the answer this follows up on (same session)
    # 'answered' | 'unanswered' | 'interrupted' | 'recording' (its session is running now) |
    # 'incomplete' (left 'recording' by a process that is gone)
    status: str
    end_reason: str | None
    wav_path: Path
    wav_exists: bool
    analysis: dict | None

    @property
    def scored(self) -> bool:
        """A report of speech: what counts as answered and goes into averages. An answer cut short
        by Ctrl-C counts for what it holds; an answer without speech does not."""
        return self.status in ("answered", "interrupted") and bool(
            self.analysis and self.analysis.get("words")
        )


@dataclass
class SessionDetail(SessionSummary):
    settings: dict = field(default_factory=dict)
    answers: list[AnswerRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the summary, settings and answers (WAV paths as strings)."""
        d = asdict(self)
        for a in d["answers"]:
            a["wav_path"] = str(a["wav_path"])
        return d


class SessionStore:
    """The session database and recordings under ``root`` (the data folder)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.db_path = self.root / DB_NAME
        self.audio_root = self.root / AUDIO_DIR
        make_private_dir(self.root)
        make_private_dir(self.audio_root)
        try:
            # Create the file 0600 first: SQLite gives its -wal and -shm files the same mode.
            os.close(os.open(self.db_path, os.O_CREAT | os.O_RDWR, 0o600))
            os.chmod(self.db_path, 0o600)
        except OSError as exc:
            raise SessionError(
                f"{self.db_path}: cannot open the session database ({exc.strerror}); "
                "check its permissions or choose another --data-dir"
            ) from None
        # Autocommit (isolation_level=None): every write is committed as its statement ends.
        self._conn = sqlite3.connect(self.db_path, timeout=10, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._locks = RunningLocks(self.session_dir)
        try:
            with self._guard():
                self._conn.execute("PRAGMA foreign_keys = ON")  # deleting a session cascades
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # -------------------------------------------------------------- plumbing

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite failures become one-line SessionErrors naming the file and what to do."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            msg = str(exc) or type(exc).__name__
            if isinstance(exc, sqlite3.OperationalError):  # locked, read-only, disk full, ...
                hint = "check no other voice-interviewer is using it, the folder's permissions and free space, or choose another --data-dir"
            else:
                hint = "it is damaged: move it aside (sessions start afresh) or choose another --data-dir"
            raise SessionError(
                f"{self.db_path}: cannot use the session database ({msg}); {hint}"
            ) from None

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SessionError(
                f"{self.db_path}: written by a newer voice-interviewer (schema {version}, this one "
                f"reads {SCHEMA_VERSION}); upgrade voice-interviewer or choose another --data-dir"
            )
        for v in range(version + 1, SCHEMA_VERSION + 1):  # each step atomic
            self._conn.executescript(f"BEGIN; {_MIGRATIONS[v]} PRAGMA user_version = {v}; COMMIT;")

    def _insert(self, table: str, **values: Any) -> int:
        cols = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        with self._guard():
            cur = self._conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", values)
        return int(cur.lastrowid)

    def _update(self, table: str, row_id: int, **values: Any) -> int:
        sets = ", ".join(f"{k} = :{k}" for k in values)
        with self._guard():
            cur = self._conn.execute(
                f"UPDATE {table} SET {sets} WHERE id = :id", {**values, "id": row_id}
            )
        return cur.rowcount

    def close(self) -> None:
        self._locks.release_all()
        self._conn.close()

    def is_running(self, session_id: int) -> bool:
        """Whether a live process (this one or another) is recording the session now."""
        return self._locks.holds(session_id) or is_locked(self.audio_root / str(int(session_id)))

    # -------------------------------------------------------------- writing

    def create_session(
        self,
        bank_id: str,
        bank_title: str,
        model: str,
        settings: dict,
        *,
        kind: str = "practice",
        started_at: str | None = None,
        live: bool = True,
    ) -> int:
        """A new session row. ``live``: this process is about to record it, so it is listed as
        running until ``end_session`` or the process's exit; an import passes False together with
        the archive's ``started_at``."""
        if kind not in SESSION_KINDS:
            raise ValueError(f"kind must be one of {SESSION_KINDS}, not {kind!r}")
        row = dict(bank_id=bank_id, bank_title=bank_title, model=model, kind=kind)
        row.update(settings=json.dumps(settings), started_at=started_at or now_iso())
        session_id = self._insert("sessions", **row)
        if live:
            self._locks.hold(session_id)
        return session_id

    def session_dir(self, session_id: int) -> Path:
        path = self.audio_root / str(int(session_id))
        make_private_dir(path)
        return path

    def begin_answer(
        self,
        session_id: int,
        seq: int,
        question_id: str,
        question_text: str,
        category: str,
        prompt_text: str,
        follow_up_of: int | None = None,
    ) -> tuple[int, Path]:
        """Records that an answer is about to be captured; returns (answer id, WAV path to write)."""
        suffix = "-followup" if follow_up_of is not None else ""
        wav = self.session_dir(session_id) / f"{seq:02d}-{question_id}{suffix}.wav"
        row = dict(session_id=session_id, seq=seq, question_id=question_id, category=category)
        row.update(question_text=question_text, prompt_text=prompt_text, follow_up_of=follow_up_of)
        row.update(status="recording", wav_path=wav.relative_to(self.root).as_posix())
        return self._insert("answers", **row, started_at=now_iso()), wav

    def complete_answer(
        self, answer_id: int, *, status: str, end_reason: str, analysis: dict | None
    ) -> None:
        if status not in ANSWER_STATUSES:
            raise ValueError(f"status must be one of {ANSWER_STATUSES}, not {status!r}")
        if end_reason not in END_REASONS:
            raise ValueError(f"end_reason must be one of {END_REASONS}, not {end_reason!r}")
        a = analysis or {}
        values = {k: a.get(k) for k in ("transcript", "answer_s", "words_per_minute")}
        values["fillers_per_minute"] = a.get("fillers_per_minute")
        rubric = a.get("rubric") or {}
        # A follow-up without points of its own has no coverage: it must not lower the average.
        values["coverage"] = rubric.get("coverage") if rubric.get("points") else None
        values["long_pauses"] = None if analysis is None else len(a.get("long_pauses", []))
        values["analysis"] = None if analysis is None else json.dumps(analysis, ensure_ascii=False)
        values.update(status=status, end_reason=end_reason, completed_at=now_iso())
        changed = self._update("answers", answer_id, **values)
        if changed != 1:
            raise ValueError(f"no answer with id {answer_id}")
        with self._guard():
            row = self._conn.execute("SELECT wav_path FROM answers WHERE id = ?", (answer_id,))
            wav = self.root / row.fetchone()["wav_path"]
        if wav.exists():  # whoever wrote it may have used a looser umask
            os.chmod(wav, 0o600)

    def end_session(
        self, session_id: int, *, interrupted: bool, ended_at: str | None = None
    ) -> None:
        """Marks the session ended (now, or at ``ended_at`` for an import) and drops its lock."""
        ended = ended_at or now_iso()
        self._update("sessions", session_id, ended_at=ended, interrupted=int(interrupted))
        self._locks.release(session_id)

    def delete_session(self, session_id: int | str) -> None:
        """Deletes the session's rows, then its recordings folder."""
        sid = self._resolve(session_id)
        if self.is_running(sid) and not self._locks.holds(sid):
            raise SessionError(
                f"session {sid} is still running (a voice-interviewer is recording it); "
                "end that session first"
            )
        self._locks.release(sid)
        with self._guard():  # answers go with it (ON DELETE CASCADE)
            self._conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        folder = self.audio_root / str(sid)
        try:
            shutil.rmtree(folder)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SessionError(
                f"{folder}: session {sid} was deleted but its recordings could not be "
                f"({exc.strerror}); remove the folder by hand"
            ) from None

    # -------------------------------------------------------------- reading

    _SUMMARY_SQL = """
        SELECT s.*, COUNT(a.id) AS asked, COUNT(ok.id) AS answered,
            AVG(ok.words_per_minute) AS avg_wpm, AVG(ok.coverage) AS avg_coverage,
            AVG(ok.fillers_per_minute) AS avg_fpm
        FROM sessions s
        LEFT JOIN answers a ON a.session_id = s.id
        LEFT JOIN answers ok ON ok.id = a.id AND ok.status IN ('answered', 'interrupted')
            AND ok.transcript <> ''  -- AnswerRecord.scored, in SQL
    """

    def list_sessions(self, kinds: tuple[str, ...] = SESSION_KINDS) -> list[SessionSummary]:
        """The sessions of these kinds, newest first (by when they started: an imported session
        takes its place by its own date, not the import's)."""
        with self._guard():
            rows = self._conn.execute(self._SUMMARY_SQL + " GROUP BY s.id").fetchall()
        out = [self._summary(r) for r in rows if r["kind"] in kinds]
        return sorted(out, key=lambda s: (_instant(s.started_at), s.id), reverse=True)

    def load_session(self, session_id: int | str) -> SessionDetail:
        """A session by id (int or its string) or 'last'/'latest', with all its answers."""
        sid = self._resolve(session_id)
        with self._guard():
            row = self._conn.execute(
                self._SUMMARY_SQL + " WHERE s.id = ? GROUP BY s.id", (sid,)
            ).fetchone()
            answers = self._conn.execute(
                "SELECT * FROM answers WHERE session_id = ? ORDER BY seq, id", (sid,)
            ).fetchall()
        summary = self._summary(row)
        running = summary.status == "running"
        return SessionDetail(
            **summary.__dict__,
            settings=json.loads(row["settings"]),
            answers=[self._answer(a, running) for a in answers],
        )

    def _answer(self, r: sqlite3.Row, running: bool) -> AnswerRecord:
        wav = self.root / r["wav_path"]
        fields = AnswerRecord.__dataclass_fields__
        values = {k: r[k] for k in fields if k not in ("wav_path", "wav_exists", "analysis")}
        if values["status"] == "recording" and not running:  # never completed: a crash
            values["status"] = "incomplete"
        return AnswerRecord(
            **values,
            wav_path=wav,
            wav_exists=wav.is_file(),
            analysis=json.loads(r["analysis"]) if r["analysis"] else None,
        )

    def _resolve(self, session_id: int | str) -> int:
        """An existing session's id from an int, a digit string, or 'last'/'latest'."""
        text = str(session_id).strip().lower()
        with self._guard():
            if text in ("last", "latest"):
                row = self._conn.execute("SELECT MAX(id) FROM sessions").fetchone()
                if row[0] is None:
                    raise SessionError(
                        "no saved sessions yet; start one with `voice-interviewer practice`"
                    )
                return int(row[0])
            if not text.isdigit():
                raise SessionError(f"'{session_id}' is not a session id; {HOW_TO_LIST}")
            sid = int(text)
            if self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone() is None:
                raise SessionError(f"no session {sid}; {HOW_TO_LIST}")
        return sid

    def _summary(self, r: sqlite3.Row) -> SessionSummary:
        interrupted = bool(r["interrupted"])
        if r["ended_at"] is not None:
            status = "interrupted" if interrupted else "complete"
        else:
            status = "running" if self.is_running(r["id"]) else "incomplete"
        same = (
            "id",
            "started_at",
            "ended_at",
            "bank_id",
            "bank_title",
            "model",
            "asked",
            "answered",
        )
        planned = json.loads(r["settings"] or "{}").get("questions")
        return SessionSummary(
            **{k: r[k] for k in same},
            interrupted=interrupted,
            status=status,
            avg_wpm=r["avg_wpm"],
            avg_coverage=r["avg_coverage"],
            avg_fillers_per_minute=r["avg_fpm"],
            kind=r["kind"],
            planned=len(planned) if isinstance(planned, list) else None,
        )


def _instant(iso: str) -> float:
    """Seconds since the epoch of a stored timestamp (offsets differ between machines)."""
    try:
        return datetime.fromisoformat(iso).timestamp()
    except (ValueError, TypeError):
        return 0.0
