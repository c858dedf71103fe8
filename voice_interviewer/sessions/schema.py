"""The session database's tables and the steps that bring an older database up to date.

``PRAGMA user_version`` holds the schema version; opening a database runs the missing steps in one
exclusive transaction (``SessionDatabase._migrate``), so two processes opening a new data folder at
once never both run them. The steps are run statement by statement: no ``;`` inside a statement.

    1  sessions and answers
    2  sessions.kind: 'practice' | 'demo'
    3  sessions.folder: the session's recordings folder under <data dir>/sessions, owned by the
       row. Sessions before it used their id as the name; new ones take the id, or the id and a
       random token when a folder of that name is already there (recordings the database does not
       know about, e.g. after it was moved aside), so they never write into or delete those.
    4  answers.attempt: 1, 2, ... the candidate's attempts at the same question (Try again);
       every answer saved before it was a first attempt.
"""

from __future__ import annotations

SCHEMA_VERSION = 4

_V1 = """
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
    answer_s REAL, words_per_minute REAL, fillers_per_minute REAL, coverage REAL,
    long_pauses INTEGER
);
CREATE INDEX IF NOT EXISTS answers_by_session ON answers(session_id, seq);
"""
_V2 = """
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'practice';
"""
_V3 = """
ALTER TABLE sessions ADD COLUMN folder TEXT;
UPDATE sessions SET folder = CAST(id AS TEXT);
"""
_V4 = """
ALTER TABLE answers ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
"""
MIGRATIONS = {1: _V1, 2: _V2, 3: _V3, 4: _V4}  # version -> the SQL that brings version-1 up to it
