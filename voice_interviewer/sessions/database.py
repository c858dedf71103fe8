"""The SQLite side of the session store: one connection, one-line errors, transactions, migrations.

Autocommit (``isolation_level=None``): every write is committed as its statement ends, unless it
runs inside ``transaction()``. The file is created 0600 before SQLite opens it, so its -wal and
-shm files get the same mode.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from voice_interviewer.errors import SessionError
from voice_interviewer.sessions.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_S = 10.0  # how long a command waits for another one holding the database


class SessionDatabase:
    """The database file ``db_path``, opened (and brought up to the current schema)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        try:
            os.close(os.open(self.db_path, os.O_CREAT | os.O_RDWR, 0o600))
            os.chmod(self.db_path, 0o600)
        except OSError as exc:
            raise SessionError(
                f"{self.db_path}: cannot open the session database ({exc.strerror}); "
                "check its permissions or choose another --data-dir"
            ) from None
        self._conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._depth = 0  # nesting of transaction()
        try:
            with self._guard():
                self._conn.execute("PRAGMA foreign_keys = ON")  # deleting a session cascades
                self._use_wal()
                self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _use_wal(self) -> None:
        """Write-ahead logging, so readers never wait for a writer. Turning it on needs the file
        to itself, and SQLite answers "locked" at once, without waiting its busy timeout, when
        another process opens a new database at the same moment (measured: 4 of 30 pairs of
        first uses failed so): so the switch is tried again until the timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite failures become one-line SessionErrors naming the file and what to do. Misuse
        (a value SQLite cannot store, a broken constraint) is a bug and keeps its traceback."""
        try:
            yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except sqlite3.DatabaseError as exc:
            msg = str(exc) or type(exc).__name__
            if "full" in msg:
                hint = "free some space on its disk or choose another --data-dir"
            elif isinstance(exc, sqlite3.OperationalError):  # locked, read-only, ...
                hint = (
                    "check no other voice-interviewer is using it, the folder's permissions and "
                    "free space, or choose another --data-dir"
                )
            else:  # "file is not a database", "database disk image is malformed"
                hint = (
                    "it is damaged: move it aside (sessions start afresh) or choose another "
                    "--data-dir"
                )
            raise SessionError(
                f"{self.db_path}: cannot use the session database ({msg}); {hint}"
            ) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are kept all together or not at all (an import). A rollback needs no disk
        space, so it works on a full disk. Nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            with self._guard():
                self._conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                self._conn.execute("ROLLBACK")  # (it does on a full disk)
            raise
        finally:
            self._depth = 0

    def _migrate(self) -> None:
        """Brings the schema up to date under an exclusive lock. Two processes opening a new data
        folder at once would otherwise both see version 0 and both run the steps (the second
        ``ALTER TABLE`` fails on the column the first added); so the version is read again once
        the lock is held, and only the steps still missing run, all in that one transaction."""
        if self._check_version() == SCHEMA_VERSION:
            return  # the usual case: no lock taken
        self._conn.execute("BEGIN EXCLUSIVE")  # waits (busy timeout) for another migrating
        try:
            version = self._check_version()
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[v].split(";"):  # executescript would COMMIT first
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {v}")
            self._conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise

    def _check_version(self) -> int:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SessionError(
                f"{self.db_path}: written by a newer voice-interviewer (schema {version}, this one "
                f"reads {SCHEMA_VERSION}); upgrade voice-interviewer or choose another --data-dir"
            )
        return version

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
        self._conn.close()
