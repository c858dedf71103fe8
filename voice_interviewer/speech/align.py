"""Word timing against voice activity (pure).

Whisper's word timestamps absorb silences into neighbouring words: "ask" in the JFK clip starts at
2.26 s although the speaker is silent until 3.33 s. Each word is clipped to the speech span it
overlaps most (never to one before the previous word's span, so order is kept). Words that overlap
no speech at all keep their times.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from voice_interviewer.speech.timeline import Filler, Span, Word, is_filled_pause_token
from voice_interviewer.speech.written_fillers import place_written_fillers

# A word wholly this far outside voice activity, before the first or after the last voice of its
# stretch, is Whisper's invention ("Thank you very much." after the last real word). Timed between
# two voices of a stretch it is quiet speech voice activity missed: "a bunch" in cold_corpus.wav
# (speaker mfa-b, a cold voice), said in a 0.8 s dip between two speech spans, had been dropped.
SILENCE_MARGIN_S = 0.1

# Laughter Whisper writes as text: "Ha ha." over the laugh after the last word of real/laughter.wav
# (its reading led on by the verbatim opening of the windows' prompt). No word was said.
_LAUGHTER = re.compile(r"(?:ha-?)*ha+")


def align_transcript(
    raw: Sequence[Word], speech: Sequence[Span], dips: Sequence[Span] = ()
) -> tuple[list[Word], list[Filler]]:
    """Whisper's words -> (content words snapped to speech, the filled pauses it wrote).

    Laughter written as words ("Ha ha.") is dropped, and so are content words lying wholly in
    silence before the first or after the last speech span; timed between two spans they are
    kept, with their times. Filled pauses are never judged by their own timestamps (often
    zero-length, or piled up at one instant): ``written_fillers`` places them in the voice
    between their neighbours (cut into sounds at ``dips``, the level dips in the speech), and
    drops only those no voice is left for."""
    sequence: list[int | str] = []
    content: list[Word] = []
    for w in raw:
        if _LAUGHTER.fullmatch(w.norm):
            continue
        if is_filled_pause_token(w.norm):
            sequence.append(w.norm)
        elif _voiced(w, speech) or _between_voices(w, speech):
            sequence.append(len(content))
            content.append(w)
    words = snap_words_to_speech(content, speech)
    placed = place_written_fillers(
        [words[x] if isinstance(x, int) else x for x in sequence], speech, dips
    )
    return words, placed


def _voiced(w: Word, speech: Sequence[Span]) -> bool:
    return any(
        s.start - SILENCE_MARGIN_S < w.end and w.start < s.end + SILENCE_MARGIN_S for s in speech
    )


def _between_voices(w: Word, speech: Sequence[Span]) -> bool:
    """Timed between two voices of the stretch. A zero-length word there is one Whisper could not
    place (a repeated "Word." of real/words.wav, a doubtful "put" of real/putty.wav), not one it
    heard in the dip."""
    return bool(speech) and speech[0].start <= w.start < w.end <= speech[-1].end


def snap_words_to_speech(words: Sequence[Word], speech: Sequence[Span]) -> list[Word]:
    starts = [s.start for s in speech]
    out: list[Word] = []
    for w in words:
        span = _span_for(w, speech, starts)
        if span is None:
            out.append(w)
            continue
        start = min(max(w.start, span.start), span.end)
        end = max(min(w.end, span.end), start)
        out.append(Word(w.text, round(start, 3), round(end, 3), w.probability))
    # Keep order monotonic: a clipped word may not start before the previous one ends.
    for k in range(1, len(out)):
        if out[k].start < out[k - 1].start:
            prev = out[k - 1]
            out[k] = Word(out[k].text, prev.start, max(prev.start, out[k].end), out[k].probability)
    return out


def _span_for(w: Word, speech: Sequence[Span], starts: list[float]) -> Span | None:
    hi = bisect.bisect_right(starts, w.end)
    candidates = [s for s in speech[max(0, hi - 16) : hi] if s.end > w.start]
    if not candidates:
        return None
    return max(candidates, key=lambda s: s.overlap(Span(w.start, w.end)))
