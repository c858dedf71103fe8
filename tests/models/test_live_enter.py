"""Enter pressed a moment after the last word, real speech and tiny.en: the last stretch's window
was decoded ahead in the silence (``LiveAnswer`` decodes the stretch Enter would close), so
nothing is decoded after the decision, and the words are those ``score`` gives the same audio.

The answer is three real recordings (../shared/audio) joined by pauses, the last one cut just
after its last word. Enter is pressed 0.6 s after it, once the worker has caught up: on a busy
machine the decode ahead may not be done that soon, which is a matter of speed (measured by
``benchmarks.latency``), not of what is decoded.
"""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.hearing import BLOCK_S, hear_file, words_of
from evaluation.real_clips import REAL, SHARED_AUDIO
from evaluation.truth import SHARED_CLIP_QUESTION
from tests.conftest import skip_or_fail

# Each recording up to just after its last word (Silero: jfk 10.50 s, surround 11.74 s, words
# 6.05 s), so the silence after the last one is the pause before Enter.
CLIPS = (
    (SHARED_AUDIO / "jfk.flac", 10.6),
    (REAL / "surround.wav", 11.8),
    (REAL / "words.wav", 6.1),
)
PAUSE_S = 1.5
ENTER_AFTER_S = 0.6  # under the 1.2 s phrase gap that would close the last stretch by itself
SR = 16000


class CountingTranscriber:
    """The real transcriber, counting its decodes (windows and stretches decoded alone)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.decodes = 0

    def transcribe_windows(self, windows, *, prompt=None):
        self.decodes += len(windows)
        return self.inner.transcribe_windows(windows, prompt=prompt)

    def transcribe(self, audio, *, prompt=None):
        self.decodes += 1
        return self.inner.transcribe(audio, prompt=prompt)

    def __getattr__(self, name):  # label, label_many, ...
        return getattr(self.inner, name)


class CatchUpFeed:
    """The answer in 0.1 s blocks, then silence; from ``wait_from_s`` on, each block waits until
    the live answer's threads have done everything handed to them (``LiveAnswer.caught_up``)."""

    def __init__(self, audio: np.ndarray, wait_from_s: float) -> None:
        from voice_interviewer.live.capture import FileFeed

        self.feed = FileFeed(audio, realtime=False, block=int(BLOCK_S * SR))
        self.live = None  # the LiveAnswer it feeds
        self.wait_from_s = wait_from_s
        self.fed_s = 0.0

    def catch_up(self) -> None:
        self.live.caught_up()

    def stream_time(self) -> float:
        return self.feed.stream_time()

    def read(self, timeout=None):
        if self.fed_s >= self.wait_from_s:
            self.catch_up()
        block = self.feed.read(timeout)
        self.fed_s += BLOCK_S
        return block


@pytest.fixture(scope="module")
def whisper(whisper):
    """The shared Whisper, its decodes counted."""
    return CountingTranscriber(whisper)


@pytest.mark.parametrize(
    "ahead_thread", [False, True], ids=["worker-decodes-ahead", "ahead-thread"]
)
def test_enter_after_the_last_word_decodes_nothing_more_and_gives_the_file_words(
    whisper, tmp_path, ahead_thread
):
    from concurrent.futures import ThreadPoolExecutor

    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.live.capture import LiveAnswer
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.decode import load_audio
    from voice_interviewer.speech.endpointing import LIVE_DEFAULTS
    from voice_interviewer.speech.wavfile import WavAppender

    missing = [p for p, _ in CLIPS if not p.is_file()]
    if missing:
        skip_or_fail(f"{missing[0]} not found: the real recordings live in {SHARED_AUDIO}")
    pause = np.zeros(int(PAUSE_S * SR), np.float32)
    parts = [load_audio(p)[: int(end * SR)] for p, end in CLIPS]
    audio = np.concatenate([parts[0], pause, parts[1], pause, parts[2]])
    question = resolve_bank(None).question(SHARED_CLIP_QUESTION)
    scorer = Scorer(whisper, options=ScoreOptions(semantic_rubric=False))
    end_s = len(audio) / SR

    at_decision: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=1) as pool, WavAppender(tmp_path / "answer.wav") as wav:
        feed = CatchUpFeed(audio, wait_from_s=end_s)
        live = feed.live = LiveAnswer(
            scorer, question, LIVE_DEFAULTS, wav, pool, ahead_thread=ahead_thread
        )

        def enter() -> bool:
            if feed.fed_s < end_s + ENTER_AFTER_S:
                return False
            feed.catch_up()
            at_decision.update(decodes=whisper.decodes, stretches=len(live.stretches.inputs))
            return True

        outcome = live.run(feed, cut_time=0.0, stop_requested=enter)

    assert outcome.end_reason == "enter"
    # Enter closed the last stretch (the phrase gap had not) ...
    assert len(live.stretches.inputs) == at_decision["stretches"] + 1 >= 3
    # ... and its window had been decoded and its stretches finished ahead: nothing after.
    assert whisper.decodes == at_decision["decodes"]
    live_words = words_of(outcome)
    assert len(live_words) > 40 and "country" in {w.strip(".,!?").lower() for w in live_words}
    heard = np.zeros(live.listener.samples, np.float32)
    heard[: len(audio)] = audio[: len(heard)]
    assert hear_file(scorer, question, heard) == live_words
