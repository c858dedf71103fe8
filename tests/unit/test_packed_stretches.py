"""Live and file recognition of the same stretches give the same words: the live path decodes the
window being filled after each stretch, and a window once full is never decoded again."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voice_interviewer.speech.recognize import PackedStretches, StretchInput, StretchProcessor
from voice_interviewer.speech.timeline import SAMPLE_RATE, Span, Word


class WindowContext:
    """A fake Whisper whose words depend on the whole window, as the real one's do: each clip (a
    constant level) is one word naming its level and how many clips share the window."""

    name = "fake"

    def __init__(self) -> None:
        self.decoded: list[int] = []  # clips in each window decoded, in order
        self.prompts: list[str | None] = []

    def transcribe_windows(
        self, windows: Sequence[np.ndarray], *, prompt: str | None = None
    ) -> list[list[Word]]:
        out = []
        for audio in windows:
            loud = np.flatnonzero(np.diff(np.concatenate([[0.0], audio != 0, [0.0]])))
            runs = list(zip(loud[::2], loud[1::2], strict=True))
            self.decoded.append(len(runs))
            self.prompts.append(prompt)
            out.append(
                [
                    Word(f"w{audio[a]:.0f}of{len(runs)}", a / SAMPLE_RATE, b / SAMPLE_RATE)
                    for a, b in runs
                ]
            )
        return out

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        raise AssertionError("no stretch is decoded on its own")

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        return ""


def stretches() -> list[StretchInput]:
    """Five 8 s stretches of speech 10 s apart: three fit a 29 s window, then two more."""
    out = []
    for n in range(5):
        start = 10.0 * n
        clip = np.zeros(int(8.4 * SAMPLE_RATE), np.float32)
        clip[int(0.2 * SAMPLE_RATE) : int(8.2 * SAMPLE_RATE)] = n + 1
        span = Span(start + 0.2, start + 8.2)
        out.append(StretchInput(span, clip, start, [span]))
    return out


def words(results) -> list[str]:
    return [w.text for r in results for w in r.words]


def test_live_decodes_the_window_as_it_grows_and_ends_with_the_file_words():
    file_whisper, live_whisper = WindowContext(), WindowContext()
    question = "How do you avoid overfitting?"
    file = PackedStretches(StretchProcessor(file_whisper, question, filler_pass=False))
    for s in stretches():
        file.add(s)
    live = PackedStretches(StretchProcessor(live_whisper, question, filler_pass=False))
    for s in stretches():
        live.add(s)
        live.decode_open()
    decodes_before_the_end = len(live_whisper.decoded)

    expected = ["w1of3", "w2of3", "w3of3", "w4of2", "w5of2"]
    assert words(file.results()) == expected
    assert words(live.results()) == expected
    # The file decodes its two windows once; live decoded the first as it grew (1, 2, 3 clips),
    # then the second (1, 2), and nothing is left to decode when the answer ends.
    assert file_whisper.decoded == [3, 2]
    assert live_whisper.decoded == [1, 2, 3, 1, 2]
    assert len(live_whisper.decoded) == decodes_before_the_end
    # Every window is prompted with the question alone, whatever was said before it.
    assert set(live_whisper.prompts) == set(file_whisper.prompts) == {question}


def test_a_stretch_is_finished_again_only_when_its_words_change():
    whisper = WindowContext()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    items = stretches()
    live.add(items[0])
    live.decode_open()
    first = live.results()[0]
    live.add(items[1])
    live.decode_open()
    # The window grew: its first stretch now reads "w1of2", a new result.
    assert words(live.results()) == ["w1of2", "w2of2"]
    assert live.results()[0] is not first
    again = live.results()
    assert again[0] is live.results()[0]  # same words, same prompt: not finished again
    assert live.processor.previous_text == "w1of2 w2of2"
