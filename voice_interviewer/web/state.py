"""What the web app's handlers share: its configuration and state, kept on the Starlette app
(``app.state.shared``) and reached from any request or WebSocket with ``state_of``."""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import HTTPConnection

from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.web.banks import BankChoices
from voice_interviewer.web.security import Guard

__all__ = ["AppConfig", "AppState", "state_of"]

TTS_KEEP = 8  # spoken questions kept for replay


@dataclass
class AppConfig:
    """Everything the app needs; ``serve`` fills it from its options."""

    data_dir: Path
    guard: Guard
    scorer: Scorer  # shared: its model loads once, in the background
    bank: str | None = None  # default bank on the practice page
    voice: str | None = None
    rate: int | None = None


@dataclass
class AppState:
    """What the handlers share, kept on the Starlette app (``app.state.shared``)."""

    config: AppConfig
    choices: BankChoices
    practising: threading.Lock = field(default_factory=threading.Lock)
    speech: dict[str, bytes] = field(default_factory=dict)  # spoken questions by random key

    @contextlib.contextmanager
    def store(self) -> Iterator[SessionStore]:
        s = SessionStore(self.config.data_dir)
        try:
            yield s
        finally:
            s.close()

    def publish_audio(self, wav: bytes) -> str:
        """Keeps a spoken question for the page to fetch; returns its URL."""
        key = secrets.token_urlsafe(12)
        self.speech[key] = wav
        while len(self.speech) > TTS_KEEP:
            self.speech.pop(next(iter(self.speech)))
        return f"/speech/{key}.wav"


def state_of(conn: HTTPConnection) -> AppState:
    return conn.app.state.shared
