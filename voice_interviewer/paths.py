"""Where the tool keeps its data: sessions, recordings and assembled models."""

from __future__ import annotations

import os
from pathlib import Path

from voice_interviewer.errors import SessionError

ENV_HOME = "VOICE_INTERVIEWER_HOME"
BANKS_DIR = "banks"  # the user's question banks, added with `banks add`, inside the data folder


def data_dir(override: str | Path | None = None, *, create: bool = True) -> Path:
    """``--data-dir``, else ``$VOICE_INTERVIEWER_HOME``, else the platform's user data folder.

    Created readable by the user only (0700): recordings of someone's voice are personal.
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
    """Creates ``path`` (and parents) readable by the user only, or says what to do instead."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise SessionError(
            f"{path}: cannot create the folder ({exc.strerror}); "
            f"choose another with --data-dir or ${ENV_HOME}"
        ) from None


def banks_dir(override: str | Path | None = None) -> Path:
    """Where `banks add` keeps the user's question banks: ``<data dir>/banks`` (not created here)."""
    return data_dir(override, create=False) / BANKS_DIR
