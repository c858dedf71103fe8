"""Writing a report the user asked for (``report --html/--markdown/--json``, ``history --html``).

Reports hold transcripts of someone's voice, so each is written as a NEW private file (0600): the
text goes to a temporary file beside the target, which then replaces the target in one rename.
A reader never sees half a report, an existing file's looser mode is not kept, and a symlink at
the target is replaced, never followed (writing through it would overwrite whatever it points to).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from voice_interviewer.errors import SessionError

__all__ = ["write_private_text"]


def write_private_text(path: Path, text: str, what: str = "the report") -> None:
    """Atomically write ``text`` (UTF-8) to ``path`` as a new 0600 file; creates missing parent
    folders. Any failure is a one-line :class:`SessionError` naming the path."""
    path = Path(path)
    if path.is_dir():
        raise SessionError(f"{path}: is a folder; give a file name for {what}")
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp: 0600, O_EXCL, never a link
            fh.write(text)
        os.replace(tmp, path)  # replaces a symlink itself, not its target
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
        raise SessionError(f"{path}: cannot write {what}: {reason}{where}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
