"""A stretch's written "uh" becomes a filler placed in the voice; the prompt carries words only."""

from __future__ import annotations

import numpy as np

from tests.fakes import FakeWhisper
from voice_interviewer.speech.recognize import StretchProcessor
from voice_interviewer.speech.timeline import Span, Word


def one_stretch() -> FakeWhisper:
    return FakeWhisper(
        words=[Word("Dropout", 0.2, 0.6), Word("uh,", 0.6, 0.6), Word("helps.", 1.0, 1.4)]
    )


def test_written_filler_is_placed_and_the_next_prompt_holds_the_words():
    transcriber = one_stretch()
    proc = StretchProcessor(transcriber, "How do you avoid overfitting?", filler_pass=False)
    assert proc.prompt() == "How do you avoid overfitting?"
    speech = [Span(0.2, 1.4)]
    clip = np.zeros(16000 * 2, np.float32)
    result = proc.finish(Span(0.2, 1.4), clip, 0.0, speech, transcriber.transcribe(clip))
    # the written "uh" is a filler placed in the voice between its neighbours, not a word
    assert [w.text for w in result.words] == ["Dropout", "helps."]
    assert [(f.text, f.start, f.end) for f in result.fillers] == [("uh", 0.77, 0.97)]
    assert proc.prompt() == "How do you avoid overfitting? Dropout helps."
