"""Saved practice sessions: one SQLite database plus one WAV per answer, all under the data folder.

    <data dir>/sessions.db                     sessions and answers (WAL journal, mode 0600)
    <data dir>/sessions/<folder>/              the recordings of one session (mode 0700): its id,
        01-overfitting.wav                     or its id and a token when a folder of that name
        02-overfitting-followup.wav            was already there (see ``schema``)

A session owns its folder and the files its rows name, nothing else: ``delete`` removes those, and
a new session never writes into a folder it did not create.

An answer row is written (status ``recording``) *before* capture starts and completed after it, and
every write commits at once: a Ctrl-C or a crash loses at most the answer being recorded, and even
then the row and its WAV path remain (reported as ``incomplete``).

A session that has not ended is ``running`` while the process recording it lives and
``incomplete`` once it is gone (see ``running``).

Rows damaged anyway (edited by hand, left by a bug) are checked on reading (``records``): such a
session is left out of the list with a warning, an answer's damaged report is dropped with one,
so the other sessions stay readable.

Threads: a ``SessionStore`` holds one SQLite connection, usable only from the thread that made it
(sqlite3 enforces this); another thread or process opens its own store on the same folder (WAL).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from voice_interviewer.errors import SessionError
from voice_interviewer.paths import make_private_dir
from voice_interviewer.sessions.averages import MEASURED, session_averages
from voice_interviewer.sessions.database import SessionDatabase
from voice_interviewer.sessions.folders import (
    claim_folder,
    folder_path,
    recording_path,
    remove_recordings,
    wav_name,
)
from voice_interviewer.sessions.records import (
    ANSWER_STATUSES,
    END_REASONS,
    SESSION_KINDS,
    DamagedSessionError,
    RecordError,
    instant,
    read_analysis,
    read_answer_row,
    read_session_row,
)
from voice_interviewer.sessions.running import RunningLocks, is_locked
from voice_interviewer.sessions.saved import (
    AnswerRecord,
    SessionDetail,
    SessionSummary,
    measure_columns,
    now_iso,
)
from voice_interviewer.sessions.schema import _V1 as _SCHEMA_V1  # noqa: F401 (older tests)
from voice_interviewer.sessions.schema import SCHEMA_VERSION  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from voice_interviewer.scoring.analysis import Analysis

log = logging.getLogger(__name__)

DB_NAME = "sessions.db"
AUDIO_DIR = "sessions"
HOW_TO_LIST = "see `voice-interviewer sessions` for the ids, or use 'last'"


class SessionStore(SessionDatabase):
    """The session database and recordings under ``root`` (the data folder)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.audio_root = self.root / AUDIO_DIR
        make_private_dir(self.root)
        make_private_dir(self.audio_root)
        super().__init__(self.root / DB_NAME)
        self._locks = RunningLocks(self.session_dir)
        self._warned: set[tuple[int, int | None]] = set()

    def _warn(self, session_id: int, seq: int | None, problem: str) -> None:
        """Says once per store what was skipped, on the log (stderr when nothing else is set up)."""
        if (session_id, seq) not in self._warned:
            self._warned.add((session_id, seq))
            log.warning("%s", problem)

    def close(self) -> None:
        self._locks.release_all()
        super().close()

    def _folder(self, session_id: int) -> Path | None:
        """The recordings folder the session's row owns (not created here); None when the row
        names something that is not a session folder (damaged: no file of it is touched)."""
        with self._guard():
            row = self._conn.execute(
                "SELECT folder FROM sessions WHERE id = ?", (int(session_id),)
            ).fetchone()
        if row is None:
            raise ValueError(f"no session with id {session_id}")
        return folder_path(self.audio_root, row["folder"])

    def is_running(self, session_id: int) -> bool:
        """Whether a live process (this one or another) is recording the session now."""
        folder = self._folder(session_id)
        return self._locks.holds(session_id) or (folder is not None and is_locked(folder))

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
        """A new session row and its own new recordings folder. ``live``: this process is about
        to record it, so it is listed as running until ``end_session`` or the process's exit; an
        import passes False together with the archive's ``started_at``."""
        if kind not in SESSION_KINDS:
            raise ValueError(f"kind must be one of {SESSION_KINDS}, not {kind!r}")
        row = dict(bank_id=bank_id, bank_title=bank_title, model=model, kind=kind)
        row.update(settings=json.dumps(settings), started_at=started_at or now_iso())
        folder = None
        try:
            with self.transaction():
                session_id = self._insert("sessions", **row)
                folder = claim_folder(self.audio_root, session_id)
                self._update("sessions", session_id, folder=folder.name)
        except BaseException:
            if folder is not None:
                folder.rmdir()  # made just now, empty: the row that would own it is gone
            raise
        if live:
            self._locks.hold(session_id)
        return session_id

    def session_dir(self, session_id: int) -> Path:
        """The session's recordings folder (created again if it was removed)."""
        path = self._folder(session_id)
        if path is None:
            raise DamagedSessionError(
                f"{self.db_path}: session {session_id} is damaged (its folder); remove it with "
                f"`voice-interviewer delete {session_id}`",
                session_id,
            )
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
        attempt: int = 1,
    ) -> tuple[int, Path]:
        """Records that an answer is about to be captured; returns (answer id, WAV path to
        write). ``attempt``: 2, 3... when the candidate tries the same question again."""
        wav = self.session_dir(session_id) / wav_name(seq, question_id, follow_up_of is not None)
        row = dict(session_id=session_id, seq=seq, question_id=question_id, category=category)
        row.update(question_text=question_text, prompt_text=prompt_text, follow_up_of=follow_up_of)
        row.update(attempt=int(attempt))
        row.update(status="recording", wav_path=wav.relative_to(self.root).as_posix())
        return self._insert("answers", **row, started_at=now_iso()), wav

    def complete_answer(
        self, answer_id: int, *, status: str, end_reason: str, analysis: Analysis | None
    ) -> None:
        """Completes the answer row: its status, and its analysis stored as the ``score --json``
        object (plus the few measures the session list averages, as columns)."""
        if status not in ANSWER_STATUSES:
            raise ValueError(f"status must be one of {ANSWER_STATUSES}, not {status!r}")
        if end_reason not in END_REASONS:
            raise ValueError(f"end_reason must be one of {END_REASONS}, not {end_reason!r}")
        values = measure_columns(analysis)
        values["analysis"] = (
            None if analysis is None else json.dumps(analysis.to_dict(), ensure_ascii=False)
        )
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
        """Deletes the session's rows, then the recordings they name and its folder if that is
        left empty: files the database does not know about stay where they are."""
        sid = self._resolve(session_id)
        if self.is_running(sid) and not self._locks.holds(sid):
            raise SessionError(
                f"session {sid} is still running (a voice-interviewer is recording it); "
                "end that session first"
            )
        folder = self._folder(sid)
        with self._guard():
            rows = self._conn.execute("SELECT wav_path FROM answers WHERE session_id = ?", (sid,))
            recorded = [r["wav_path"] for r in rows.fetchall()]
        self._locks.release(sid)
        with self._guard():  # answers go with it (ON DELETE CASCADE)
            self._conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        if folder is not None:
            remove_recordings(folder, [self.root / str(name) for name in recorded], sid)

    # -------------------------------------------------------------- reading

    # The averages are not SQL: they count the answers standing for their questions
    # (``averages.session_averages``), as the session's report does.
    _SUMMARY_SQL = """
        SELECT s.*, COUNT(a.id) AS asked, COUNT(ok.id) AS answered
        FROM sessions s
        LEFT JOIN answers a ON a.session_id = s.id
        LEFT JOIN answers ok ON ok.id = a.id AND ok.status IN ('answered', 'interrupted')
            AND ok.transcript <> ''  -- AnswerRecord.scored, in SQL
    """

    def list_sessions(self, kinds: tuple[str, ...] = SESSION_KINDS) -> list[SessionSummary]:
        """The sessions of these kinds, newest first (by when they started: an imported session
        takes its place by its own date, not the import's). A damaged row is left out, with a
        warning saying which and why."""
        with self._guard():
            rows = self._conn.execute(self._SUMMARY_SQL + " GROUP BY s.id").fetchall()
            answers = self._conn.execute(
                f"SELECT session_id, {MEASURED} FROM answers ORDER BY session_id, seq, id"
            ).fetchall()
        by_session: dict[int, list[sqlite3.Row]] = {}
        for a in answers:
            by_session.setdefault(a["session_id"], []).append(a)
        out = []
        for r in rows:
            try:
                summary = self._summary(r, by_session.get(r["id"], []))
            except RecordError as exc:
                self._warn(r["id"], None, self._damaged(r["id"], exc) + "; left out")
                continue
            if summary.kind in kinds:
                out.append(summary)
        return sorted(out, key=lambda s: (instant(s.started_at), s.id), reverse=True)

    def _damaged(self, sid: int, exc: RecordError, seq: int | None = None) -> str:
        what = f"session {sid}" + ("" if seq is None else f", answer {seq}")
        return f"{self.db_path}: {what} is damaged ({exc})"

    def load_session(self, session_id: int | str) -> SessionDetail:
        """A session by id (int or its string) or 'last'/'latest', with all its answers. A damaged
        session is a SessionError saying what is wrong; a damaged answer is left out, and a
        damaged report dropped, with a warning."""
        sid = self._resolve(session_id)
        with self._guard():
            row = self._conn.execute(
                self._SUMMARY_SQL + " WHERE s.id = ? GROUP BY s.id", (sid,)
            ).fetchone()
            answers = self._conn.execute(
                "SELECT * FROM answers WHERE session_id = ? ORDER BY seq, id", (sid,)
            ).fetchall()
        try:
            summary = self._summary(row, answers)
        except RecordError as exc:
            raise DamagedSessionError(
                f"{self._damaged(sid, exc)}: remove it with `voice-interviewer delete {sid}`", sid
            ) from None
        running = summary.status == "running"
        folder = folder_path(self.audio_root, row["folder"])
        records = [
            rec for a in answers if (rec := self._answer(sid, a, running, folder)) is not None
        ]
        return SessionDetail(**summary.__dict__, settings=read_session_row(row), answers=records)

    def _answer(
        self, sid: int, r: sqlite3.Row, running: bool, folder: Path | None
    ) -> AnswerRecord | None:
        try:
            read_answer_row(r)
        except RecordError as exc:
            self._warn(sid, r["seq"], self._damaged(sid, exc, r["seq"]) + "; left out")
            return None
        try:
            analysis = read_analysis(r["analysis"])
        except RecordError as exc:
            self._warn(
                sid, r["seq"], self._damaged(sid, exc, r["seq"]) + "; shown without its report"
            )
            analysis = None
        recording = recording_path(self.root, folder, r["wav_path"])  # inside its folder only
        wav = recording or self.root / r["wav_path"]
        fields = AnswerRecord.__dataclass_fields__
        values = {k: r[k] for k in fields if k not in ("wav_path", "wav_exists", "analysis")}
        if values["status"] == "recording" and not running:  # never completed: a crash
            values["status"] = "incomplete"
        return AnswerRecord(
            **values, wav_path=wav, wav_exists=recording is not None, analysis=analysis
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
            if not (text.isascii() and text.isdigit()) or len(text) > 18:
                raise SessionError(f"'{session_id}' is not a session id; {HOW_TO_LIST}")
            sid = int(text)
            if self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone() is None:
                raise SessionError(f"no session {sid}; {HOW_TO_LIST}")
        return sid

    def _end_of(self, session_id: int) -> tuple[str | None, bool]:
        """The session's end as the database holds it now: (ended_at, interrupted)."""
        with self._guard():
            row = self._conn.execute(
                "SELECT ended_at, interrupted FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return (None, False) if row is None else (row["ended_at"], bool(row["interrupted"]))

    def _summary(self, r: sqlite3.Row, answers: list[sqlite3.Row]) -> SessionSummary:
        """The summary of a row and its answers' rows; a RecordError when the row is damaged."""
        settings = read_session_row(r)
        ended_at, interrupted = r["ended_at"], bool(r["interrupted"])
        running = ended_at is None and (
            self._locks.holds(r["id"]) or is_locked(self.audio_root / r["folder"])
        )
        if ended_at is None and not running:
            # The row was read before the lock was tested, and a session writes its end before it
            # drops its lock: one that ended in between would read as a crash without this.
            ended_at, interrupted = self._end_of(r["id"])
        if ended_at is not None:
            status = "interrupted" if interrupted else "complete"
        else:
            status = "running" if running else "incomplete"
        same = (
            "id",
            "started_at",
            "bank_id",
            "bank_title",
            "model",
            "asked",
            "answered",
        )
        planned = settings.get("questions")
        averages = session_averages(answers)
        return SessionSummary(
            **{k: r[k] for k in same},
            ended_at=ended_at,
            interrupted=interrupted,
            status=status,
            avg_wpm=averages.words_per_minute,
            avg_coverage=averages.coverage,
            avg_fillers_per_minute=averages.fillers_per_minute,
            kind=r["kind"],
            planned=len(planned) if isinstance(planned, list) else None,
        )
