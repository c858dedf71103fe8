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

FIXTURE = Path(__file__).resolve().parents[2] / "audio_fixtures" / "a01_overfitting_en-us_140_clean"


@pytest.fixture(scope="module")
def transcriber(whisper) -> WhisperTranscriber:
    return whisper


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


def test_the_token_cap_leaves_fast_speech_whole(whisper):
    """``transcribe`` caps the tokens of a short clip (a repetition loop would otherwise run to
    448 at every fallback temperature): on the fastest fixture voice (185 words a minute) every
    2-4 s clip reads the same with the cap as without it."""
    from dataclasses import replace

    fast = FIXTURE.parent / "heldout" / "h04_scalable-ml-pipeline_en-us-nyc_185_clean"
    audio = load_audio(fast.with_suffix(".flac"))
    capped = whisper
    uncapped = WhisperTranscriber(
        resolve_model("tiny.en"), options=replace(capped.options, max_tokens_per_s=1e6)
    )
    assert capped.options.token_cap(3 * SAMPLE_RATE) is not None  # the cap applies to these
    assert uncapped.options.token_cap(3 * SAMPLE_RATE) is None
    for start, seconds in [(1.0, 2.0), (8.0, 4.0), (20.0, 3.0), (30.0, 4.0)]:
        clip = audio[int(start * SAMPLE_RATE) : int((start + seconds) * SAMPLE_RATE)]
        with_cap = [w.text for w in capped.transcribe(clip)]
        assert len(with_cap) >= 4, with_cap  # fast speech: the clips are full of words
        assert with_cap == [w.text for w in uncapped.transcribe(clip)]


def test_decodes_side_by_side_read_as_one_at_a_time():
    """Two 1-thread replicas decoding at once (the file path's windows) give the words and times
    of the same decodes one after the other, and the labels too."""
    from concurrent.futures import ThreadPoolExecutor

    transcriber = WhisperTranscriber(resolve_model("tiny.en"), parallel=2)
    audio = load_audio(FIXTURE.with_suffix(".flac"))
    windows = [audio[: 20 * SAMPLE_RATE], audio[15 * SAMPLE_RATE : 40 * SAMPLE_RATE]]
    alone = [transcriber.transcribe_windows([w], prompt="Overfitting?")[0] for w in windows]
    with ThreadPoolExecutor(2) as pool:
        together = list(
            pool.map(
                lambda w: transcriber.transcribe_windows([w], prompt="Overfitting?")[0], windows
            )
        )
        labels = list(pool.map(lambda w: transcriber.label(w[:SAMPLE_RATE]), windows))
    assert all(len(words) > 20 for words in alone)
    assert together == alone
    assert labels == [transcriber.label(w[:SAMPLE_RATE]) for w in windows]
