"""Hand-made word lists with realistic timing."""

from __future__ import annotations

from voice_interviewer.speech.timeline import Word


def words_from(text: str, start: float = 0.0, dur: float = 0.3, gap: float = 0.05) -> list[Word]:
    """One Word per whitespace-separated token, as Whisper writes them (punctuation attached):
    each ``dur`` seconds long, ``gap`` seconds apart (0.05 s: well under an aside gap)."""
    out: list[Word] = []
    t = start
    for tok in text.split():
        out.append(Word(tok, round(t, 3), round(t + dur, 3)))
        t += dur + gap
    return out
