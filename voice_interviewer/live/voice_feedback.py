"""What the interviewer says about how the answer sounded (pure): printed lines and a spoken clause.

The judgements are the ones the voice measures made with the scoring policy (``scoring.voice``),
so the words agree with the verdicts in the measurement table and the report.
"""

from __future__ import annotations

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.wording import plural

__all__ = ["voice_feedback_lines", "voice_spoken_sentence"]


def voice_feedback_lines(a: Analysis) -> list[str]:
    """A line on the pitch, one on trailing off when a sentence did, one on the microphone when
    its level spoiled the recording; none when the voice was not measured."""
    v = a.voice
    if v is None:
        return []
    lines = []
    if v.monotone is True:
        lines.append(
            f"Your voice sounded monotone (pitch varied by {v.pitch_variation_st:.1f} semitones): "
            "let it rise and fall with what you stress."
        )
    elif v.monotone is False:
        lines.append(f"Your pitch varied naturally ({v.pitch_variation_st:.1f} semitones).")
    if v.trailing_off:
        lines.append(
            f"{plural(len(v.trailing_off), 'sentence')} of {v.sentences} trailed off "
            f"(e.g. “{v.trailing_off[0].text}”): carry your voice to the end."
        )
    if v.microphone == "clipping":
        lines.append("The microphone clipped: turn the input level down or move back from it.")
    elif v.microphone == "too quiet":
        lines.append(
            f"Your speech was too quiet to score well ({v.loudness_dbfs:.0f} dBFS): move closer "
            "to the microphone or turn its input level up."
        )
    return lines


def voice_spoken_sentence(a: Analysis) -> str:
    """The one thing to say aloud about the voice, the most pressing first ('' when all is well):
    the microphone level, then a monotone voice, then trailing off."""
    v = a.voice
    if v is None:
        return ""
    if v.microphone == "clipping":
        return "Your microphone was clipping; turn its level down."
    if v.microphone == "too quiet":
        return "You were hard to hear; move closer to the microphone."
    if v.monotone:
        return "Your voice sounded a bit monotone; vary your pitch."
    if v.trailing_off:
        return "Some sentences trailed off; finish them strongly."
    return ""
