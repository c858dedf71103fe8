"""Shared pytest fixtures: the one Whisper and scorer of a test process, and PulseAudio.

Each xdist worker (a process) loads Whisper tiny.en once, on first use, however many test files
it runs; tests that need another model or other decode options build their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "audio_fixtures"
# The tool's caches (the sentence model's rows of bank texts) go to a folder of the checkout, never
# the user's ~/.cache; kept between runs, and seen by the commands the tests start.
os.environ["XDG_CACHE_HOME"] = str(Path(__file__).resolve().parents[1] / ".test-cache")
_loaded: dict[object, object] = {}  # what this process loaded or decoded once, by name


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


def scored_fixture(name: str):
    """``(analysis, speech)``: the audio fixture ``name`` (audio_fixtures/NAME.json names its clip
    and question) scored as ``score`` does with the default model, and the voice activity the
    scorer found; once per process, since the accuracy targets and the saved-sessions folder read
    the same clips. Its own scorer, never handed to a practice session (which leaves state on
    it)."""
    if ("fixture", name) not in _loaded:
        import json

        from voice_interviewer.bank import resolve_bank
        from voice_interviewer.scoring.scorer import Scorer

        if "fixture_scorer" not in _loaded:
            _loaded["fixture_scorer"] = Scorer(shared_whisper())
        scorer = _loaded["fixture_scorer"]
        truth = json.loads((FIXTURES / f"{name}.json").read_text())
        question = resolve_bank(None).question(truth["question_id"])
        analysis = scorer.score_file(FIXTURES / truth["audio"], question)
        _loaded["fixture", name] = (analysis, scorer.last_recognition.speech)
    return _loaded["fixture", name]


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


# The folders whose files take longest, first: under ``--dist loadfile`` a free worker takes the
# next file, so the many short unit files fill the end of the run instead of one worker idling
# while the other finishes a model file that happened to start last. Stable: the order within a
# folder, and of files elsewhere, is kept.
_HEAVY_FIRST = ("models", "browser", "devices", "integration")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        parts = item.path.relative_to(config.rootpath).parts
        if parts[0] == "tests" and len(parts) > 2 and parts[1] in _HEAVY_FIRST:
            return _HEAVY_FIRST.index(parts[1])
        return len(_HEAVY_FIRST)

    items.sort(key=rank)
