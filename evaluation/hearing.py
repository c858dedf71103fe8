"""The pipeline hearing a recording two ways: live, block by block as ``practice`` takes a
microphone (``FileFeed`` without the real-time sleeping, into ``LiveAnswer`` with the live endpoint
settings), and as a file (``Scorer.score``). Used by ``benchmarks/live_vs_file.py`` (the table) and
the tests that the two agree (tests/models/test_live_file_agree.py, test_live_enter.py).
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from voice_interviewer.live.capture import AnswerOutcome

BLOCK_S = 0.1  # what a microphone callback delivers


@dataclass(frozen=True)
class LiveHearing:
    outcome: AnswerOutcome
    heard: np.ndarray  # the samples the live answer took in: the clip, then silence
    windows: int  # shared decoding windows its stretches filled


def hear_live(scorer, question, audio: np.ndarray) -> LiveHearing:
    """``audio`` answered live, block by block."""
    from voice_interviewer.live.capture import FileFeed, LiveAnswer
    from voice_interviewer.speech.endpointing import LIVE_DEFAULTS
    from voice_interviewer.speech.wavfile import WavAppender

    feed = FileFeed(audio, realtime=False, block=int(BLOCK_S * 16000))
    with (
        tempfile.TemporaryDirectory() as tmp,
        ThreadPoolExecutor(max_workers=1) as pool,
        WavAppender(Path(tmp) / "answer.wav") as wav,
    ):
        live = LiveAnswer(scorer, question, LIVE_DEFAULTS, wav, pool)
        outcome = live.run(feed, cut_time=0.0)
    heard = np.zeros(live.listener.samples, np.float32)
    heard[: len(audio)] = audio[: len(heard)]
    return LiveHearing(outcome, heard, len(live.stretches.windows()))


def words_of(outcome: AnswerOutcome) -> tuple[str, ...]:
    return tuple(w.text for w in outcome.analysis.words) if outcome.analysis else ()


def hear_file(scorer, question, audio: np.ndarray) -> tuple[str, ...]:
    analysis = scorer.score(audio, question)
    return tuple(w.text for w in analysis.words)
