"""Packing stretch clips into shared Whisper windows and mapping decoded words back (pure)."""

from __future__ import annotations

import numpy as np

from voice_interviewer.speech.packing import Piece, Window, pack, unpack_words, window_audio
from voice_interviewer.speech.timeline import Word

SR = 16000


def clip(seconds: float, value: float = 0.0) -> np.ndarray:
    return np.full(int(seconds * SR), value, np.float32)


def test_consecutive_clips_fill_windows_in_order():
    clips = [clip(10), clip(12), clip(8), clip(30), clip(2)]
    windows = pack(clips, [0.0, 11.0, 25.0, 40.0, 75.0], max_s=29.0, gap_s=1.0)
    assert [[p.stretch for p in w.pieces] for w in windows] == [[0, 1], [2], [3], [4]]
    assert windows[0].pieces[1] == Piece(1, 11.0, 11.0, 12.0)  # 1 s of silence after clip 0
    assert windows[0].duration_s == 23.0
    # A clip longer than a window gets one of its own (decoded with a sliding window).
    assert windows[2].duration_s == 30.0


def test_window_audio_is_the_clips_with_silence_between():
    clips = [clip(1, 0.1), clip(2, 0.2)]
    (w,) = pack(clips, [5.0, 9.0], gap_s=0.5)
    audio = window_audio(w, clips)
    assert len(audio) == int(3.5 * SR)
    assert audio[SR - 1] == np.float32(0.1)
    assert not audio[SR : int(1.5 * SR)].any()
    assert audio[int(1.5 * SR)] == np.float32(0.2) and audio[-1] == np.float32(0.2)


def test_words_go_back_to_their_stretch_in_recording_time():
    w = Window((Piece(0, 0.0, 5.0, 4.0), Piece(3, 4.0, 20.0, 6.0)))
    words = [
        Word("first", 0.5, 1.0, 0.9),
        Word("edge", 3.7, 4.5),  # middle 4.1: in the second clip; clipped to its start
        Word("late", 9.5, 10.6),  # past the last clip: kept by it, clipped to its end
    ]
    got = unpack_words(w, words)
    assert got[0] == [Word("first", 5.5, 6.0, 0.9)]
    assert got[3] == [Word("edge", 20.0, 20.5), Word("late", 25.5, 26.0)]


def test_a_word_stretched_into_the_silence_between_clips_stays_with_the_nearer_clip():
    w = Window((Piece(0, 0.0, 2.0, 3.0), Piece(1, 4.0, 10.0, 3.0)))
    words = [Word("you", 2.8, 3.6), Word("ask", 3.7, 4.4)]  # middles 3.2 and 4.05, in the gap
    got = unpack_words(w, words)
    assert got[0] == [Word("you", 4.8, 5.0)]
    assert got[1] == [Word("ask", 10.0, 10.4)]


def test_a_window_with_no_words_gives_each_stretch_an_empty_list():
    w = Window((Piece(1, 0.0, 3.0, 2.0), Piece(2, 2.0, 8.0, 2.0)))
    assert unpack_words(w, []) == {1: [], 2: []}


def test_adding_a_clip_only_changes_the_last_window():
    """What the live path relies on: every window but the last is final once the next opens."""
    rng = np.random.default_rng(3)
    lengths = rng.uniform(0.5, 14.0, 40)
    clips = [clip(d) for d in lengths]
    starts = list(np.cumsum(lengths + 1.0))
    previous: list = []
    for n in range(1, len(clips) + 1):
        windows = pack(clips[:n], starts[:n])
        assert windows[: len(previous) - 1] == previous[:-1]
        previous = windows


def test_a_word_stretched_from_a_clip_into_the_silence_after_it_stays_with_that_clip():
    """Its middle is nearer the next clip, but its voice is in the clip it starts in."""
    w = Window((Piece(0, 0.0, 0.8, 3.22), Piece(1, 4.22, 6.0, 1.2)))
    words = [Word("uhm", 1.54, 3.16), Word("uhm", 3.16, 4.6), Word("forced", 4.7, 4.9)]
    got = unpack_words(w, words)
    assert [x.text for x in got[0]] == ["uhm", "uhm"]
    assert got[0][1] == Word("uhm", 3.96, 4.02)  # clipped to the end of its clip
    assert [x.text for x in got[1]] == ["forced"]
