"""Speech without words: decoded again on its own, and reported when it stays empty (pure logic
around a decode function).

The transcript is the ground every other measure stands on, and a decode can come back without
some of what was said: Whisper skipped the first 7 s of a noisy packed window (fixture a05: the
answer's first two sentences gone, its response latency 10.2 s instead of 1.7 s), and on some
CPUs one rounding difference empties a stretch of a voice note. Voice activity says where speech
was, so nothing said is lost silently:

1. before the filler pass, speech of ``REDECODE_S`` or more that no word covers (a whole stretch
   included) is decoded again on its own: its own window, the plain prompt (``LostSpeech.recover``);
2. after it, speech of ``UNCLEAR_S`` or more that neither a word nor a filled pause covers is
   decoded once more if step 1 did not try it, and what stays empty is reported as unclear speech
   (``LostSpeech.unclear``): the transcript, ``score --json``'s ``unclear`` and the report say
   where, so the candidate knows the measures there rest on nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from voice_interviewer.speech.align import align_transcript
from voice_interviewer.speech.filled_pauses import uncovered_speech
from voice_interviewer.speech.timeline import Filler, Span, Word

__all__ = ["REDECODE_S", "UNCLEAR_S", "LostSpeech"]

# Uncovered speech this long is words Whisper dropped (shorter pieces are mostly filled pauses,
# which the filler pass hears more cheaply): decoded again before the filler pass.
REDECODE_S = 1.0
# Uncovered speech this long after the filler pass is decoded (if not yet) and else reported: the
# issue's "say 0.5 s"; a word is rarely shorter, and a filled pause has been looked for by then.
UNCLEAR_S = 0.5

T = TypeVar("T", Word, Filler)

# Leftovers shorter than this are the edges of words, not speech without words.
MIN_PIECE_S = 0.2

# A decode of one piece of speech on its own: its words in recording time, [] when there are none
# (or none plausible for that much voice).
Decode = Callable[[Span], list[Word]]


class LostSpeech:
    """The safety net of one stretch: which uncovered speech was decoded again, and how often."""

    def __init__(self, speech: Sequence[Span], dips: Sequence[Span], decode: Decode) -> None:
        self.speech = list(speech)
        self.dips = list(dips)
        self._decode = decode
        self.tried: list[Span] = []
        self.decodes = 0  # fallback decodes made, for the benchmark

    def recover(
        self, words: list[Word], fillers: list[Filler], min_s: float
    ) -> tuple[list[Word], list[Filler]]:
        """Each piece of speech of ``min_s`` or more without a word or filler, not tried before,
        decoded on its own; its words (and the filled pauses it wrote, placed in its voice)
        added."""
        for piece in self._uncovered(words, fillers, min_s):
            if any(t.start <= (piece.start + piece.end) / 2 <= t.end for t in self.tried):
                continue
            self.tried.append(piece)
            self.decodes += 1
            extra = self._decode(piece)
            if not extra:
                continue
            inside = [s for s in self.speech if s.end > piece.start and s.start < piece.end]
            more_words, more_fillers = align_transcript(extra, inside, self.dips)
            # The decode's window reaches past the piece into words already written: only what
            # it heard inside the piece is new.
            new = [w for w in _inside(more_words, piece) if not _written(w, words)]
            words = sorted(words + new, key=lambda w: w.start)
            fillers = sorted(fillers + _inside(more_fillers, piece), key=lambda f: f.start)
        return words, fillers

    def unclear(self, words: Sequence[Word], fillers: Sequence[Filler]) -> list[Span]:
        """Speech of ``UNCLEAR_S`` or more that nothing covers, after every decode."""
        return self._uncovered(words, fillers, UNCLEAR_S)

    def _uncovered(
        self, words: Sequence[Word], fillers: Sequence[Filler], min_s: float
    ) -> list[Span]:
        """Uncovered speech, the pieces with no word or filler between them joined into one (a
        stretch decoded empty is one piece, not one per speech span: one decode, with context),
        each holding ``min_s`` or more of speech."""
        covered = sorted([*words, *(Word(f.text, f.start, f.end) for f in fillers)], key=_start)
        joined: list[tuple[Span, float]] = []  # (piece, seconds of speech in it)
        for piece in uncovered_speech(self.speech, covered, MIN_PIECE_S):
            if joined and not any(joined[-1][0].end <= c.start < piece.start for c in covered):
                last, speech_s = joined[-1]
                joined[-1] = (Span(last.start, piece.end), speech_s + piece.duration)
            else:
                joined.append((piece, piece.duration))
        return [piece for piece, speech_s in joined if speech_s >= min_s]


def _start(w: Word) -> float:
    return w.start


# A word heard again this close to the same word already written is that word, timed elsewhere.
SAME_WORD_S = 1.0


def _written(w: Word, words: Sequence[Word]) -> bool:
    mid = (w.start + w.end) / 2
    return any(x.norm == w.norm and abs((x.start + x.end) / 2 - mid) < SAME_WORD_S for x in words)


def _inside(items: Sequence[T], piece: Span) -> list[T]:
    """The words or fillers whose middle lies in ``piece``."""
    return [x for x in items if piece.start <= (x.start + x.end) / 2 <= piece.end]
