"""The second-look decodes on the real model: a batch of clips reads as each clip alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.filled_pauses import DISFLUENT_PROMPT, first_filled_pause
from voice_interviewer.speech.models import resolve_model
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.speech.whisper import WhisperTranscriber

FIXTURE = Path(__file__).resolve().parents[1] / "audio_fixtures" / "a01_overfitting_en-us_140_clean"


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    return WhisperTranscriber(resolve_model("tiny.en"))


def test_label_many_reads_each_clip_as_label_does(transcriber):
    truth = json.loads(FIXTURE.with_suffix(".json").read_text())
    audio = load_audio(FIXTURE.with_suffix(".flac"))
    filled = [f for f in truth["fillers"] if f["kind"] == "filled_pause"]
    spans = [(f["start"], f["end"]) for f in filled] + [(2.0, 3.5), (9.0, 9.6)]  # + words
    clips = [audio[int((a - 0.1) * SAMPLE_RATE) : int((b + 0.1) * SAMPLE_RATE)] for a, b in spans]
    alone = [transcriber.label(c, prompt=DISFLUENT_PROMPT) for c in clips]
    together = transcriber.label_many(clips, prompt=DISFLUENT_PROMPT)
    assert together == alone
    assert all(first_filled_pause(t) for t in together[: len(filled)]), together
    assert not any(first_filled_pause(t) for t in together[len(filled) :]), together
    assert transcriber.label_many([], prompt=DISFLUENT_PROMPT) == []
