"""Real speech answered live (0.1 s blocks through ``LiveAnswer``, as ``practice`` feeds a
microphone) and scored as a file gives the same words: both decode the same shared windows.

The answer is four real recordings of three speakers (../shared/audio) joined by pauses, long
enough to fill more than one window, so the live path's window decoded as it grew is checked
against the file's.
"""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.hearing import hear_file, hear_live, words_of
from evaluation.real_clips import REAL, SHARED_AUDIO
from evaluation.truth import SHARED_CLIP_QUESTION
from tests.conftest import skip_or_fail

CLIPS = (
    SHARED_AUDIO / "jfk.flac",
    REAL / "surround.wav",
    REAL / "words.wav",
    SHARED_AUDIO / "speakers" / "acoustic_corpus.wav",
)
PAUSE_S = 1.5


@pytest.fixture(scope="module")
def scorer(whisper):
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer

    return Scorer(whisper, options=ScoreOptions(semantic_rubric=False))


def test_live_and_file_give_the_same_words_on_real_speech(scorer):
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.speech.decode import load_audio

    missing = [p for p in CLIPS if not p.is_file()]
    if missing:
        skip_or_fail(f"{missing[0]} not found: the real recordings live in {SHARED_AUDIO}")
    pause = np.zeros(int(PAUSE_S * 16000), np.float32)
    audio = np.concatenate([x for p in CLIPS for x in (load_audio(p), pause)])
    question = resolve_bank(None).question(SHARED_CLIP_QUESTION)

    live = hear_live(scorer, question, audio)
    assert live.outcome.end_reason == "silence"  # heard to the end, then the silence ended it
    assert live.windows >= 2
    live_words = words_of(live.outcome)
    assert len(live_words) > 30 and "country" in {w.strip(".,!?").lower() for w in live_words}
    assert hear_file(scorer, question, live.heard) == live_words
