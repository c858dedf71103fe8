"""Which unfinished sessions are still being recorded: one exclusive ``flock`` per live session.

The process recording a session holds an exclusive lock on ``<session folder>/.running`` for the
session's life. The kernel drops the lock when that process exits, however it exits, so a session
that never ended is ``running`` while its lock is held and ``incomplete`` (a crash) once it is not:
no pid to be reused, no heartbeat to go stale. Readers test the lock without waiting.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; unfinished sessions read as incomplete
    fcntl = None

LOCK_NAME = ".running"


class RunningLocks:
    """The running locks this process holds, by session id, in the folder of each session."""

    def __init__(self, folder_of) -> None:
        self._folder_of = folder_of  # session id -> its folder (created)
        self._held: dict[int, tuple[int, Path]] = {}

    def hold(self, session_id: int) -> None:
        if fcntl is None:
            return
        path = self._folder_of(session_id) / LOCK_NAME
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._held[session_id] = (fd, path)

    def holds(self, session_id: int) -> bool:
        return session_id in self._held

    def release(self, session_id: int) -> None:
        held = self._held.pop(session_id, None)
        if held is not None:
            fd, path = held
            path.unlink(missing_ok=True)
            os.close(fd)  # closing drops the lock

    def release_all(self) -> None:
        for session_id in list(self._held):
            self.release(session_id)


def is_locked(folder: Path) -> bool:
    """Whether some live process (this one included) holds the running lock in ``folder``."""
    if fcntl is None:
        return False
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False  # no lock file: ended, imported, or saved before locks existed
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
