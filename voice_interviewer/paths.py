"""Where the tool keeps its data: sessions, recordings and assembled models."""

from __future__ import annotations

import os
from pathlib import Path

from voice_interviewer.errors import SessionError

ENV_HOME = "VOICE_INTERVIEWER_HOME"
BANKS_DIR = "banks"  # the user's question banks, added with `banks add`, inside the data folder


def data_dir(override: str | Path | None = None, *, create: bool = True) -> Path:
    """``--data-dir``, else ``$VOICE_INTERVIEWER_HOME``, else the platform's user data folder.

    Created readable by the user only (0700): recordings of someone's voice are personal. An
    existing folder is used as it is.
    """
    if override:
        path = Path(override).expanduser()
    elif os.environ.get(ENV_HOME):
        path = Path(os.environ[ENV_HOME]).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("voice-interviewer", appauthor=False))
    if create:
        make_private_dir(path)
    return path


def make_private_dir(path: Path) -> None:
    """Creates ``path`` and any missing parents readable by the user only (0700), or says what to
    do instead. A folder that already exists keeps its mode: ``--data-dir /tmp`` must not turn
    the system's shared temporary folder private (and unusable for everyone else)."""
    path = Path(path)
    missing = []
    at = path
    while not os.path.lexists(at) and at != at.parent:
        missing.append(at)
        at = at.parent
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                continue  # made meanwhile by someone else (another run): theirs, left as it is
            os.chmod(folder, 0o700)  # a umask may have taken bits away; never adds any
        if not path.is_dir():
            raise NotADirectoryError(20, "it is not a folder")
    except OSError as exc:
        raise SessionError(
            f"{path}: cannot create the folder ({exc.strerror}); "
            f"choose another with --data-dir or ${ENV_HOME}"
        ) from None


def banks_dir(override: str | Path | None = None) -> Path:
    """Where `banks add` keeps the user's question banks: ``<data dir>/banks`` (made on use)."""
    return data_dir(override, create=False) / BANKS_DIR
