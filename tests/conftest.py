"""Shared pytest fixtures."""

from __future__ import annotations

import os

import pytest


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
    """A private PulseAudio server (see tests/pulse.py): pass ``pulse_server.env`` to subprocesses.

    Skipped when pulseaudio is not installed, except in CI where that is a failure."""
    from tests.pulse import PulseAudioServer

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
