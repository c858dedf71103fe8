"""Shared pytest fixtures: the one Whisper and scorer of a test process, and PulseAudio.

Each xdist worker (a process) loads Whisper tiny.en once, on first use, however many test files
it runs; tests that need another model or other decode options build their own.
"""

from __future__ import annotations

import os

import pytest

_loaded: dict[str, object] = {}


def running_in_ci() -> bool:
    """True when env CI is set (e.g. CI=true): there, missing test prerequisites fail, not skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` locally; fail in CI, which must run every test."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI is set: these tests must run there, not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pulse_server():
    """A private PulseAudio server (see tests/devices/pulse.py): pass ``pulse_server.env`` to
    subprocesses.

    Skipped when pulseaudio is not installed, except in CI where that is a failure."""
    from tests.devices.pulse import PulseAudioServer

    missing = PulseAudioServer.missing_binaries()
    if missing:
        skip_or_fail(
            f"{', '.join(missing)} not installed (apt-get install pulseaudio pulseaudio-utils "
            "libasound2-plugins): cannot run audio device tests"
        )
    server = PulseAudioServer()
    try:
        yield server
    finally:
        server.stop()


def shared_whisper():
    """Whisper tiny.en (the bundled default model) with default options, made once per process."""
    if "whisper" not in _loaded:
        from voice_interviewer.speech.models import resolve_model
        from voice_interviewer.speech.whisper import WhisperTranscriber

        _loaded["whisper"] = WhisperTranscriber(resolve_model("tiny.en"))
    return _loaded["whisper"]


@pytest.fixture(scope="session")
def whisper():
    """The process's one Whisper tiny.en transcriber (see ``shared_whisper``)."""
    return shared_whisper()


@pytest.fixture(scope="module")
def scorer(whisper):
    """A default ``Scorer`` (what ``score`` and ``practice`` run) over the shared Whisper: one per
    test file, because a practice session leaves its state on it (``taught``). Cheap: the sentence
    model is loaded once per process too (``shared_embedder``)."""
    from voice_interviewer.scoring.scorer import Scorer

    return Scorer(whisper)
