"""Filled pauses Whisper leaves out ("um", "uh"): found from voice activity, confirmed by a short
decode.

Whisper's transcripts drop filled pauses, but the speaker's voice is still there. Two places hide
them: speech that no transcribed word covers, and the edges of a word whose timestamp swallowed a
filler ("In" lasting 0.9 s because it starts at the "um" before it). Each such stretch is a
candidate. An unvoiced one (breath, noise, most laughter: see ``voicing``) is dropped unheard; a
voiced one is decoded on its own with a disfluent prompt (which makes Whisper write "Um," for a
filled pause), and kept as a filled pause when the decode opens with one and the sound is held (a
filled pause is one steady vowel or hum, words keep changing), or when the sound is held long and
steady whatever the decode reads. A decode that opens with several ("Um, er...") gives one per
sound of the candidate (cut at level dips: "um-uh" said in one breath), and pieces of one long
filler are merged, but not across a dip. Breaths, noise and words whose timestamps Whisper
misplaced decode as nothing or as ordinary words and are dropped. The main transcript is never
re-decoded, so its word error rate is untouched.

The filled pauses Whisper did write are placed by ``written_fillers`` and passed in as words, so
they are not found twice; hums outside every speech span are ``held_voice``'s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from voice_interviewer.speech.breaks import level_dips
from voice_interviewer.speech.sound_measures import (
    VOICING,
    spectral_stationarity,
    steady_voiced_runs,
    voicing,
)
from voice_interviewer.speech.timeline import (
    SAMPLE_RATE,
    Filler,
    Span,
    Word,
    is_filled_pause_token,
    normalize_token,
)
from voice_interviewer.speech.written_fillers import share, sounds_in

MIN_CANDIDATE_S = 0.2  # shorter leftovers are word edges, not a filled pause
MAX_CANDIDATE_S = 2.5  # longer ones are lost words or noise
CLIP_PAD_S = 0.1
DISFLUENT_PROMPT = (
    "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. Uh, so, er, um."
)


class Labeler(Protocol):
    def label_many(self, clips: Sequence[np.ndarray], *, prompt: str | None = None) -> list[str]:
        """A short greedy decode of each clip (see ``WhisperTranscriber.label_many``)."""
        ...


class RepeatLabeler:
    """A labeler that answers a batch it has labelled before from memory (one answer's worth).

    A live answer's window is decoded again each time it grows, and a stretch whose words moved by
    a few milliseconds is finished again: its candidates are often the very same samples (on the
    30 s fixture answer, Enter 0.5 s after the last word, 0.07 s of the 0.15 s of labels after the
    decision). Only a whole batch is remembered, with its prompt: a greedy decode of the same
    inputs gives the same text, so a remembered label is exactly the one a fresh decode gives, and
    the live transcript stays the file's."""

    def __init__(self, inner: Labeler) -> None:
        self.inner = inner
        self._seen: dict[tuple, list[str]] = {}

    def label_many(self, clips: Sequence[np.ndarray], *, prompt: str | None = None) -> list[str]:
        digest = hashlib.blake2b(digest_size=16)
        for c in clips:
            digest.update(np.ascontiguousarray(c, dtype=np.float32).tobytes())
        key = (prompt, tuple(len(c) for c in clips), digest.digest())
        if key not in self._seen:
            self._seen[key] = self.inner.label_many(clips, prompt=prompt)
        return list(self._seen[key])


def uncovered_speech(
    speech: Sequence[Span], words: Sequence[Word], min_s: float = MIN_CANDIDATE_S
) -> list[Span]:
    """Parts of speech spans that no word covers, at least ``min_s`` long (pure)."""
    out: list[Span] = []
    ordered = sorted(words, key=lambda w: w.start)
    for s in speech:
        cursor = s.start
        for w in ordered:
            if w.end <= cursor or w.start >= s.end:
                continue
            if w.start - cursor >= min_s:
                out.append(Span(round(cursor, 3), round(w.start, 3)))
            cursor = max(cursor, w.end)
        if s.end - cursor >= min_s:
            out.append(Span(round(cursor, 3), round(s.end, 3)))
    return out


def swollen_word_edges(words: Sequence[Word], min_s: float = MIN_CANDIDATE_S) -> list[Span]:
    """The surplus at either edge of words far longer than their text needs (pure).

    Whisper lets a word after a filled pause start where the filler starts ("In" lasting 0.9 s),
    and lets a word before one run on through it ("mean" lasting 1 s in "I mean, um, since"). A
    word needs about 0.08 s plus 0.07 s per letter; what is beyond that (by ``min_s`` or more) is a
    candidate at its start and another at its end: which edge holds the filler is for the decode
    to tell."""
    out = []
    for w in words:
        needed = 0.08 + 0.07 * len(w.norm)
        surplus = w.end - w.start - needed
        if surplus >= min_s and not is_filled_pause_token(w.norm):
            out.append(Span(round(w.start, 3), round(w.start + surplus, 3)))
            out.append(Span(round(w.end - surplus, 3), round(w.end, 3)))
    return out


def first_filled_pause(text: str) -> str | None:
    """The decode's opening token if it is a filler ("Um, so" -> "um").

    A filler further in ("And, uh, I'm") was read from a word's sound: on the fixtures every
    confirmed filled pause opened its decode, and most that did not were a word's tail."""
    return next(iter(leading_filled_pauses(text)), None)


# A filled pause is one held sound; the short decode also reads word fragments as "uh". Measured on
# the benchmark fixtures' candidates: true ones have a frame-to-frame spectral similarity of median
# 0.95 (10th percentile 0.93) and last 0.26-0.72 s; false ones 0.90 (0.86) and 0.21-0.40 s.
MIN_STATIONARITY = 0.92  # a short candidate decoded as a filler must sound this steady...
SURE_DURATION_S = 0.45  # ...unless it is this long
# And the decode misses some: a 0.8 s "hmm" read as "I...", an "uh" inside "and" read as "And
# then". Every candidate of >= 0.5 s at >= 0.9 was a filled pause; lost words are not held that
# long.
HELD_S = 0.5
HELD_STATIONARITY = 0.9


def classify_candidate(
    decode: str, duration_s: float, stationarity: float
) -> tuple[str, bool] | None:
    """(the filled pause a candidate is, whether the decode opened with it), or None (pure).

    Either the short decode opens with a filler and the sound is steady (or long), or the sound is
    held long and steady whatever the decode says; then any filler in the decode names it."""
    opening = first_filled_pause(decode)
    if opening and (duration_s >= SURE_DURATION_S or stationarity >= MIN_STATIONARITY):
        return opening, True
    if duration_s >= HELD_S and stationarity >= HELD_STATIONARITY:
        named = [t for t in map(normalize_token, decode.split()) if is_filled_pause_token(t)]
        return (named[0] if named else "uh"), False
    return None


def decode_can_matter(duration_s: float, stationarity: float) -> bool:
    """Whether ``classify_candidate`` could keep a candidate of this sound, for some decode
    (pure): a short candidate that does not sound steady is no filled pause whatever its decode
    reads, so it is not decoded (the label decodes were a tenth of a 2-minute answer's cost)."""
    return duration_s >= SURE_DURATION_S or stationarity >= MIN_STATIONARITY


def detect_filled_pauses(
    audio: np.ndarray,
    speech: Sequence[Span],
    words: Sequence[Word],
    labeler: Labeler,
    under_words: bool = False,
    dips: Sequence[Span] | None = None,
) -> list[Filler]:
    """The filled pauses in ``audio`` that ``words`` (the content words, and the filled pauses
    Whisper wrote) leave out. ``under_words``: also look for held sounds under words'
    timestamps (``held_under_words``), at about twice the decodes. ``dips``: the level dips in
    the speech (``breaks.level_dips``), when the caller has them already."""
    decoded: list[Filler] = []  # the decode opened with a filler
    held: list[Filler] = []  # only the sound says so: yields to a decoded one it overlaps
    candidates = uncovered_speech(speech, words) + swollen_word_edges(words)
    # A held sound under a word competes with that word: only its decode can tell, so for these
    # the sound alone (``classify_candidate``'s second rule) is no evidence.
    held_sounds = set(held_under_words(audio, speech, words, candidates) if under_words else [])
    candidates = sorted([*candidates, *held_sounds], key=lambda c: c.start)

    def sound(c: Span) -> np.ndarray:
        return clip_of(audio, c, 0.0)

    # breath, noise, laughter: no filled pause is unvoiced
    voiced = [
        c for c in candidates if c.duration <= MAX_CANDIDATE_S and voicing(sound(c)) >= VOICING
    ]
    steadiness = [spectral_stationarity(sound(c)) for c in voiced]
    heard = [
        (c, steady)
        for c, steady in zip(voiced, steadiness, strict=True)
        if decode_can_matter(c.duration, steady)
    ]
    # All decoded in one batch; one that overlaps a filler found before it is then passed over.
    decodes = labeler.label_many([clip_of(audio, c) for c, _ in heard], prompt=DISFLUENT_PROMPT)
    confirmed = _confirmed_under_words(audio, heard, decodes, held_sounds, labeler)
    dips = level_dips(audio, speech) if dips is None else dips
    for (c, steady), decode in zip(heard, decodes, strict=True):
        if _overlaps(c, decoded):
            continue
        found = classify_candidate(decode, c.duration, steady)
        if found and (c in confirmed or c not in held_sounds):
            token, opened = found
            if opened:
                decoded.extend(over_sounds(sounds_in(c, dips), leading_filled_pauses(decode)))
            else:
                held.append(Filler(token, c.start, c.end, "filled_pause"))
    return merge_close(decoded + [f for f in held if not _overlaps(f, decoded)], dips)


def leading_filled_pauses(text: str) -> list[str]:
    """The filled pauses a decode opens with, up to its first other word ("Um, er, so" -> um,
    er)."""
    out = []
    for token in filter(None, map(normalize_token, text.split())):
        if not is_filled_pause_token(token):
            break
        out.append(token)
    return out


def over_sounds(sounds: Sequence[Span], texts: Sequence[str]) -> list[Filler]:
    """The filled pauses a candidate's decode opened with, one per sound of it, the longest sounds
    first (pure): "Um, er..." for "um-uh" said in one breath is two fillers; "Uh, uh, uh, uh" for
    two sounds is two."""
    return [
        Filler(text, s.start, s.end, "filled_pause")
        for text, (s, _) in zip(texts, share(sounds, min(len(texts), len(sounds))), strict=False)
    ]


def held_under_words(
    audio: np.ndarray, speech: Sequence[Span], words: Sequence[Word], candidates: Sequence[Span]
) -> list[Span]:
    """Held, voiced sounds (``steady_voiced_runs``) that neither a filled pause Whisper wrote nor
    another candidate already holds: a filled pause whose time Whisper gave to a word ("which"
    lasting 0.6 s because it starts at the "um", the real "which" after it) (pure)."""
    written = [w for w in words if is_filled_pause_token(w.norm)]
    return [
        r
        for r in steady_voiced_runs(audio, speech, MIN_CANDIDATE_S)
        if not _overlaps(r, written)
        and not any(c.start <= r.start and r.end <= c.end for c in candidates)
    ]


# A held sound under a word is read again with less of its neighbours' sound around it; a filled
# pause still reads as one, a word's vowel often turns into the word ("Um..." -> "Oh."). On the
# espeak benchmark and Piper tuning sets, the first reading opened with a filler on 57 of the 66
# such sounds that were filled pauses and on one that was not; the second reading kept all 57 and
# dropped that one.
RECHECK_PAD_S = 0.05


def _confirmed_under_words(
    audio: np.ndarray,
    heard: Sequence[tuple[Span, float]],
    decodes: Sequence[str],
    under_words: set[Span],
    labeler: Labeler,
) -> set[Span]:
    """The held sounds under words whose decode opened with a filler and still does when read
    with ``RECHECK_PAD_S`` of context instead of ``CLIP_PAD_S``: only the decode can tell a filled
    pause from the word whose time it shares, so it must not hang on 50 ms of context."""
    opened = [
        c
        for (c, _), d in zip(heard, decodes, strict=True)
        if c in under_words and first_filled_pause(d)
    ]
    if not opened:
        return set()
    again = labeler.label_many(
        [clip_of(audio, c, RECHECK_PAD_S) for c in opened], prompt=DISFLUENT_PROMPT
    )
    return {c for c, d in zip(opened, again, strict=True) if first_filled_pause(d)}


def clip_of(audio: np.ndarray, c: Span, pad_s: float = CLIP_PAD_S) -> np.ndarray:
    """A candidate's sound with ``pad_s`` either side: what its decode hears."""
    a = max(0, int((c.start - pad_s) * SAMPLE_RATE))
    return audio[a : min(len(audio), int((c.end + pad_s) * SAMPLE_RATE))]


def without_overlaps(fillers: Sequence[Filler], kept: Sequence[Filler]) -> list[Filler]:
    """``fillers`` that overlap none of ``kept`` (pure): one sound is one filler."""
    return [f for f in fillers if not _overlaps(f, kept)]


def _overlaps(x: Span | Filler, fillers: Sequence[Span | Filler | Word]) -> bool:
    return any(f.start < x.end and x.start < f.end for f in fillers)


MERGE_GAP_S = 0.25
DIP_SLACK_S = 0.02  # a dip this close to the gap between two pieces is in it (frame rounding)


def merge_close(
    fillers: Sequence[Filler], dips: Sequence[Span] = (), gap_s: float = MERGE_GAP_S
) -> list[Filler]:
    """One filler for pieces less than ``gap_s`` apart (pure): a long "umm" can fall into two
    candidates (a swollen word edge and the uncovered speech next to it). Not across a level dip
    (``breaks.level_dips``) between them: there one sound ends and the next begins ("uh-um")."""
    out: list[Filler] = []
    for f in sorted(fillers, key=lambda f: f.start):
        between = Span(out[-1].end - DIP_SLACK_S, f.start + DIP_SLACK_S) if out else None
        if between and f.start - out[-1].end < gap_s and not _overlaps(between, dips):
            first = out[-1]
            out[-1] = Filler(first.text, first.start, max(first.end, f.end), first.kind)
        else:
            out.append(f)
    return out
