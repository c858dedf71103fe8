"""A session's recordings folder: claimed new for each session, emptied only of its own files.

A folder of the same name may already exist, holding recordings the database does not know about
(it was moved aside, as an error message may advise, and ids start again at 1). A session never
writes into such a folder, and deleting a session removes only the files its rows name.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path

from voice_interviewer.errors import SessionError
from voice_interviewer.paths import make_private_dir
from voice_interviewer.sessions.records import FOLDER_RE
from voice_interviewer.sessions.running import LOCK_NAME

ATTEMPTS = 8  # random names tried when the session's id is taken as a folder name
REPORT_NAME = "report.html"  # `report SESSION` writes the session's page here by default
CORRECTIONS_NAME = "corrections.json"  # the user's corrections of the rubric (sessions.corrections)


def claim_folder(audio_root: Path, session_id: int) -> Path:
    """A new folder (0700) named by the id, else by the id and a random token. ``mkdir`` fails
    on an existing name, so a folder already there is never taken over."""
    make_private_dir(audio_root)
    names = [str(session_id)] + [f"{session_id}-{secrets.token_hex(4)}" for _ in range(ATTEMPTS)]
    for name in names:
        path = audio_root / name
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise SessionError(f"{path}: cannot create the folder ({exc.strerror})") from None
        os.chmod(path, 0o700)
        return path
    raise SessionError(f"{audio_root}: no free folder name for session {session_id}")


def folder_path(audio_root: Path, name: object) -> Path | None:
    """The folder a row names, or None when the name is not a session folder's (a damaged row:
    no file of it is touched)."""
    return audio_root / name if isinstance(name, str) and FOLDER_RE.fullmatch(name) else None


def recording_path(root: Path, folder: Path | None, stored: object) -> Path | None:
    """The recording an answer row names (``stored``, relative to the data folder ``root``) when
    it is a regular ``.wav`` file directly inside the session's ``folder``, not reached through a
    symlink; else None. A row edited to name another file (``/etc/passwd``, ``../x``, a link out)
    is then never exported, linked from a report or served by the web app."""
    if folder is None or not isinstance(stored, str):
        return None
    path = root / stored
    if path.parent != folder or path.suffix != ".wav" or ".." in Path(stored).parts:
        return None
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode) or not stat.S_ISREG(os.lstat(path).st_mode):
            return None
    except (OSError, ValueError):  # missing; a NUL in the name
        return None
    return path


def wav_name(seq: int, question_id: str, follow_up: bool) -> str:
    """``01-overfitting.wav``; a question id as part of a file name: bank ids already are
    (lowercase letters, digits, hyphens), anything else is made safe."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in question_id)
    return f"{seq:02d}-{safe[:80] or 'answer'}{'-followup' if follow_up else ''}.wav"


def remove_recordings(folder: Path, recorded: Sequence[Path], session_id: int) -> None:
    """Removes the session's recordings (only those inside its folder: a row edited to name
    another file does not get it deleted), its report page and lock file, then the folder if
    nothing else is in it."""
    try:
        for wav in recorded:
            if wav.parent == folder and wav.suffix == ".wav":
                wav.unlink(missing_ok=True)
        for name in (REPORT_NAME, LOCK_NAME, CORRECTIONS_NAME):  # written there by the tool
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return  # files that are not the session's stay
        raise SessionError(
            f"{folder}: session {session_id} was deleted but its recordings could not be "
            f"({exc.strerror}); remove them by hand"
        ) from None
