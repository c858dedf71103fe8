"""Live and file recognition of the same stretches give the same words: the live path decodes the
window being filled after each stretch, and a window once full is never decoded again."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from tests.fakes import FakeWhisper
from voice_interviewer.speech.recognize import (
    VERBATIM_PREFIX,
    PackedStretches,
    StretchInput,
    StretchProcessor,
)
from voice_interviewer.speech.timeline import SAMPLE_RATE, Span, Word


class WindowContext(FakeWhisper):
    """A fake Whisper whose words depend on the whole window, as the real one's do: each clip (a
    constant level) is one word naming its level and how many clips share the window."""

    def __init__(self) -> None:
        super().__init__()
        self.decoded: list[int] = []  # clips in each window decoded, in order

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
    # Every window is prompted with the verbatim opening and the question alone, whatever was
    # said before it.
    assert (
        set(live_whisper.prompts) == set(file_whisper.prompts) == {f"{VERBATIM_PREFIX} {question}"}
    )


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


def grown(stretch: StretchInput, more_s: float) -> StretchInput:
    """The same stretch had speech resumed after it: ``more_s`` longer, span and clip."""
    level = stretch.clip[SAMPLE_RATE]
    clip = np.zeros(len(stretch.clip) + int(more_s * SAMPLE_RATE), np.float32)
    clip[int(0.2 * SAMPLE_RATE) : len(clip) - int(0.2 * SAMPLE_RATE)] = level
    span = Span(stretch.span.start, stretch.span.end + more_s)
    return StretchInput(span, clip, stretch.clip_start, [span])


def test_enter_after_a_tentative_decode_decodes_nothing_more_and_gives_the_file_words():
    whisper = WindowContext()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    *closed, last = stretches()
    for s in closed:
        live.add(s)
        live.decode_open()
    # The last stretch falls silent: its window decoded as if the answer ended now.
    tentative = live.decode_tentative(last)
    decided = len(whisper.decoded)
    assert [w.text for w in tentative[-1].words] == ["w5of2"]
    assert len(live.inputs) == 4  # nothing added: the stretch may yet grow

    # Enter: the endpointer closes the same stretch, cut the same way.
    live.add(StretchInput(last.span, last.clip.copy(), last.clip_start, list(last.speech)))
    assert words(live.results()) == ["w1of3", "w2of3", "w3of3", "w4of2", "w5of2"]
    assert len(whisper.decoded) == decided  # no decode after the decision
    assert live.results()[-1] is tentative[-1]  # nor finished again


def test_speech_resumed_after_a_tentative_decode_leaves_no_trace_of_it():
    whisper = WindowContext()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    items = stretches()
    live.add(items[0])
    live.decode_open()
    short = items[1]
    live.decode_tentative(short)  # 0.3 s after its speech, as if the answer ended there
    # ... but speech resumed: the stretch that closes is 13 s longer, and no longer fits the
    # first window, so both windows read differently from the tentative decode.
    longer = grown(short, 13.0)
    live.add(longer)
    file = PackedStretches(StretchProcessor(WindowContext(), "", filler_pass=False))
    file.add(items[0])
    file.add(longer)
    assert words(live.results()) == words(file.results()) == ["w1of1", "w2of1"]
    assert live.results()[-1].span == longer.span
    assert live.results()[-1].words[-1].end > short.span.end + 5  # the grown clip's timing
    assert whisper.decoded == [1, 2, 1]  # [s0], [s0 + tentative], then [longer] alone


def test_a_tentative_stretch_that_grew_within_its_window_is_decoded_again():
    """Same window, same stretches by position, different audio: never the tentative words."""
    whisper = WindowContext()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    first, short = stretches()[:2]
    live.add(first)
    live.decode_open()
    live.decode_tentative(short)
    longer = grown(short, 1.0)  # speech resumed for 1 s: the window still holds both
    live.add(longer)
    last = live.results()[-1]
    assert [w.text for w in last.words] == ["w2of2"]
    assert last.words[-1].end == longer.span.end  # timed in the grown clip, not the tentative
    assert whisper.decoded == [1, 2, 2]


def test_a_tentative_decode_no_longer_wanted_stops_before_finishing_stretches():
    whisper = WindowContext()
    processor = StretchProcessor(whisper, "", filler_pass=False)
    finished = []
    finish = processor.finish
    processor.finish = lambda *args: finished.append(args[0]) or finish(*args)
    live = PackedStretches(processor)
    first, second = stretches()[:2]
    live.add(first)
    live.decode_open()
    assert len(finished) == 1
    # Speech resumed while the window was being decoded: the stretches are not finished.
    assert live.decode_tentative(second, wanted=lambda: False) == []
    assert len(finished) == 1 and whisper.decoded == [1, 2]
    # The same stretch closing after all: its window is not decoded again, only finished.
    live.add(second)
    assert words(live.results()) == ["w1of2", "w2of2"]
    assert whisper.decoded == [1, 2] and len(finished) == 3


class SideBySide(WindowContext):
    """Two decodes must be in flight at once: each waits at a barrier for the other (a serial
    decoder would break it and fail)."""

    parallel = 2

    def __init__(self) -> None:
        super().__init__()
        self.barrier = threading.Barrier(2, timeout=5)

    def transcribe_windows(self, windows, *, prompt=None):
        self.barrier.wait()
        return super().transcribe_windows(windows, prompt=prompt)


def test_a_file_decodes_its_windows_side_by_side_with_the_same_words():
    whisper = SideBySide()
    file = PackedStretches(StretchProcessor(whisper, "Why?", filler_pass=False))
    for s in stretches():
        file.add(s)
    assert words(file.results()) == ["w1of3", "w2of3", "w3of3", "w4of2", "w5of2"]
    assert sorted(whisper.decoded) == [2, 3]  # each window decoded once


class FirstVaries(WindowContext):
    """Only the first stretch's word depends on its window ("w1of2"); the others name their
    level only ("w2"). A stretch decoded on its own (the lost-speech net's decodes) hears
    nothing."""

    def transcribe_windows(self, windows, *, prompt=None):
        out = super().transcribe_windows(windows, prompt=prompt)
        return [
            [w if w.text.startswith("w1") else Word(w.text[:2], w.start, w.end) for w in ws]
            for ws in out
        ]

    def transcribe(self, audio, *, prompt=None):
        return []


def with_unheard_speech(stretch: StretchInput) -> tuple[StretchInput, Span]:
    """The stretch with its voice silent from 4.4 s into its clip on, though voice activity
    heard 1.5 s of speech there: speech no word covers, which the lost-speech net decodes again
    on its own with the question and the words so far as the prompt."""
    clip = stretch.clip.copy()
    clip[int(4.4 * SAMPLE_RATE) :] = 0
    voiced = Span(stretch.span.start, stretch.clip_start + 4.4)
    unheard = Span(stretch.clip_start + 5.0, stretch.clip_start + 6.5)
    return StretchInput(stretch.span, clip, stretch.clip_start, [voiced, unheard]), unheard


@pytest.mark.parametrize("lost_speech", [False, True])
def test_the_words_before_a_stretch_finish_it_again_only_if_its_lost_speech_decodes_used_them(
    lost_speech,
):
    whisper = FirstVaries()
    live = PackedStretches(StretchProcessor(whisper, "Why?", filler_pass=False))
    first, second, third = stretches()[:3]
    if lost_speech:
        second, unheard = with_unheard_speech(second)
    live.add(first)
    live.add(second)
    before = live.decode_open()
    assert words(before) == ["w1of2", "w2"]
    assert before[1].unclear == ([unheard] if lost_speech else [])
    assert before[1].fallback_decodes == int(lost_speech)
    # The window grew: only the first stretch's words changed.
    live.add(third)
    after = live.decode_open()
    assert words(after) == ["w1of3", "w2", "w3"]
    if lost_speech:  # its decode of the unheard speech was prompted with "w1of2"
        assert after[1] is not before[1] and after[1].unclear == [unheard]
    else:
        assert after[1] is before[1]


def test_a_worker_behind_decodes_only_the_windows_already_full():
    whisper = WindowContext()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    items = stretches()
    for s in items[:3]:
        live.add(s)
        live.decode_full()  # the first window is still being filled: nothing to do
    assert whisper.decoded == []
    live.add(items[3])  # overflows the first window, which is now final
    live.decode_full()
    assert whisper.decoded == [3]
    live.add(items[4])
    live.decode_full()
    assert whisper.decoded == [3]  # the second window is still being filled
    assert words(live.results()) == ["w1of3", "w2of3", "w3of3", "w4of2", "w5of2"]
    assert whisper.decoded == [3, 2]


class HeldDecode(WindowContext):
    """Holds each window decode until ``release`` is set, saying when one has begun."""

    def __init__(self) -> None:
        super().__init__()
        self.began = threading.Event()
        self.release = threading.Event()

    def transcribe_windows(self, windows, *, prompt=None):
        self.began.set()
        assert self.release.wait(10), "the test never released the decode"
        return super().transcribe_windows(windows, prompt=prompt)


def test_a_window_decoded_ahead_in_another_thread_is_waited_for_not_decoded_twice():
    whisper = HeldDecode()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    first, last = stretches()[:2]
    whisper.release.set()
    live.add(first)
    live.decode_open()
    whisper.release.clear()
    whisper.began.clear()
    # The ahead thread decodes the window Enter would close: the closed stretches and this one.
    ahead = threading.Thread(target=live.decode_ahead, args=([first, last],))
    ahead.start()
    assert whisper.began.wait(10)
    # Enter closes the same stretch while that decode runs: the worker's results wait for it.
    live.add(StretchInput(last.span, last.clip.copy(), last.clip_start, list(last.speech)))
    worker = threading.Thread(target=lambda: setattr(whisper, "got", words(live.results())))
    worker.start()
    worker.join(0.3)
    assert worker.is_alive()  # waiting on the ahead thread's decode, not decoding it again
    whisper.release.set()
    ahead.join(10)
    worker.join(10)
    assert whisper.got == ["w1of2", "w2of2"]
    assert whisper.decoded == [1, 2]  # [first], then [first, last] once


def test_a_failed_decode_ahead_is_decoded_again_by_the_worker():
    whisper = WindowContext()
    live = PackedStretches(StretchProcessor(whisper, "", filler_pass=False))
    first, last = stretches()[:2]
    live.add(first)
    live.decode_open()
    decode = whisper.transcribe_windows
    whisper.transcribe_windows = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("decode"))
    with pytest.raises(RuntimeError):
        live.decode_ahead([first, last])
    whisper.transcribe_windows = decode
    live.add(last)
    assert words(live.results()) == ["w1of2", "w2of2"]
