"""Reading a file the user named (a bank, a manifest, a typed answer, an archive, a batch output):
regular files only, opened without blocking, read up to a size cap.

``open()`` on a named pipe (FIFO) waits until a writer comes, which may be never; a device may
never end. So the file is opened with ``O_NONBLOCK`` (a FIFO then opens at once), checked to be a
regular file on the open descriptor (no race with a swap after a ``stat``), and only then read.
Every problem is one line naming the file, raised as the caller's error class.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from voice_interviewer.errors import VoiceInterviewerError

__all__ = ["open_regular", "read_regular"]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def open_regular(
    path: str | Path,
    what: str,
    error: type[VoiceInterviewerError] = VoiceInterviewerError,
    missing: str = "no such file",
) -> BinaryIO:
    """``path`` opened for reading (binary), or ``error`` when it is missing (``missing`` says
    so), unreadable or not a regular file. ``what`` names the file ("a question bank file").
    Never blocks on a FIFO."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise error(f"{p}: {missing}") from None
    except IsADirectoryError:
        raise error(f"{p}: is a folder, not {what}") from None
    except OSError as exc:
        raise error(f"{p}: cannot read {what} ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise error(f"{p}: is {_kind(mode)}, not {what}")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_regular(
    path: str | Path,
    what: str,
    error: type[VoiceInterviewerError] = VoiceInterviewerError,
    max_bytes: int | None = None,
    missing: str = "no such file",
) -> bytes:
    """The bytes of the regular file ``path`` (see ``open_regular``); a file larger than
    ``max_bytes`` is refused without being read whole."""
    with open_regular(path, what, error, missing) as fh:
        try:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise error(f"{path}: larger than {_size(max_bytes)}; too large for {what}")
    return data


def _size(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n / 2**10:g} KiB"
