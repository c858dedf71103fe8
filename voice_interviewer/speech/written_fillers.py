"""Filled pauses Whisper wrote, kept and timed by the voice they were said in (pure).

Whisper's word timestamps for a filled pause are often useless: "uh" gets zero length in the
silence before the sound, or several "uh"s pile up at one instant. Their text is still the best
evidence there is (plain faster-whisper writes most real "um"s), so none is dropped for its
timestamp. Instead each run of fillers between two content words is placed in the voice between
those words that no content word needs:

- every content word claims at least the time its text needs (``needed_s``): a zero-length word
  still took that long to say, so the voice around it is its own, not a filler's;
- the voice left between the two words is split into pieces; each piece holds about one filled
  pause per ``TYPICAL_FILLED_PAUSE_S`` (at least one), and the fillers go to the longest pieces,
  in order. Inside a piece a filler takes one sound (the piece cut at ``breaks.level_dips``, where
  one sound ends and the next starts): a sound left without one is the filler pass's to hear;
- with no voice left, the surplus of a neighbour whose timestamp is far longer than its text needs
  ("In" lasting 0.9 s because it started at the "um") is the filler's voice;
- with neither, the audio shows no voice for the filler: it is dropped (the phantom "uh" between
  "well," and a zero-length "including").

Whisper's repetition loops ("uh, uh, uh, ..." ten times over four short sounds) are held to what
the voice can hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from voice_interviewer.speech.timeline import Filler, Span, Word

# A filled pause typically lasts about 0.3 s ("uh" a little less, "um" a little more) in
# conversational English; set from that, not from any clip here. A piece of voice holds
# round(length / this) fillers, at least one.
TYPICAL_FILLED_PAUSE_S = 0.3
# Voice shorter than this is a word's edge or a click, not a filled pause.
MIN_FILLER_VOICE_S = 0.1


def needed_s(word: Word) -> float:
    """About how long saying ``word`` takes at a brisk pace: 0.08 s plus 0.07 s per letter."""
    return 0.08 + 0.07 * len(word.norm)


def claimed(word: Word, speech: Sequence[Span]) -> Span:
    """The time ``word`` occupies: its timestamps, widened to ``needed_s`` inside its speech
    span."""
    need = needed_s(word)
    if word.end - word.start >= need:
        return Span(word.start, word.end)
    mid = (word.start + word.end) / 2
    home = next((s for s in speech if s.start <= mid <= s.end), Span(mid - need, mid + need))
    start, end = mid - need / 2, mid + need / 2
    if start < home.start:
        start, end = home.start, min(home.end, home.start + need)
    elif end > home.end:
        start, end = max(home.start, home.end - need), home.end
    return Span(min(start, word.start), max(end, word.end))


def free_voice(speech: Sequence[Span], taken: Sequence[Span], lo: float, hi: float) -> list[Span]:
    """Pieces of ``speech`` between ``lo`` and ``hi`` that no ``taken`` span covers."""
    out: list[Span] = []
    for s in speech:
        a, b = max(s.start, lo), min(s.end, hi)
        if b <= a:
            continue
        cursor = a
        for t in sorted(taken, key=lambda t: t.start):
            if t.end <= cursor or t.start >= b:
                continue
            if t.start > cursor:
                out.append(Span(cursor, t.start))
            cursor = max(cursor, t.end)
        if b > cursor:
            out.append(Span(cursor, b))
    return [p for p in out if p.duration >= MIN_FILLER_VOICE_S]


def capacity(piece: Span) -> int:
    return max(1, round(piece.duration / TYPICAL_FILLED_PAUSE_S))


def swollen_surplus(word: Word, at_end: bool) -> Span | None:
    """The part of a word's timestamp beyond what its text needs, on one side, if long enough."""
    surplus = word.end - word.start - needed_s(word)
    if surplus < 2 * MIN_FILLER_VOICE_S:
        return None
    return Span(word.end - surplus, word.end) if at_end else Span(word.start, word.start + surplus)


def fill(pieces: Sequence[Span], texts: Sequence[str], dips: Sequence[Span] = ()) -> list[Filler]:
    """``texts`` laid in order over the longest ``pieces``, as many as the pieces hold; inside a
    piece, over its sounds (``share``)."""
    chosen: list[tuple[Span, int]] = []
    left = len(texts)
    for p in sorted(pieces, key=lambda p: -p.duration):
        if left == 0:
            break
        n = min(capacity(p), left)
        chosen.append((p, n))
        left -= n
    out: list[Filler] = []
    queue = list(texts)
    for p, n in sorted(chosen, key=lambda c: c[0].start):
        for sound, k in share(sounds_in(p, dips), n):
            step = sound.duration / k
            for j in range(k):
                start = sound.start + j * step
                out.append(
                    Filler(queue.pop(0), round(start, 3), round(start + step, 3), "filled_pause")
                )
    return out


def sounds_in(piece: Span, dips: Sequence[Span]) -> list[Span]:
    """``piece`` cut into its sounds at the level ``dips`` in it (itself when none is left)."""
    return free_voice([piece], dips, piece.start, piece.end) or [piece]


def share(sounds: Sequence[Span], n: int) -> list[tuple[Span, int]]:
    """``n`` fillers over the ``sounds`` of one piece (the piece cut at level dips), in time order.

    A filler is one sound: with no more fillers than sounds, each takes one of the longest, and the
    other sounds stay uncovered for the filler pass to hear (one written "uh" over an "um-uh" in
    one breath). With more, every sound takes one and the rest go where the most time per filler
    is (a long held sound Whisper wrote twice)."""
    if n <= len(sounds):
        longest = sorted(sounds, key=lambda s: -s.duration)[:n]
        return [(s, 1) for s in sorted(longest, key=lambda s: s.start)]
    counts = [1] * len(sounds)
    for _ in range(n - len(sounds)):
        k = max(range(len(sounds)), key=lambda k: sounds[k].duration / (counts[k] + 1))
        counts[k] += 1
    return list(zip(sounds, counts, strict=True))


def place_written_fillers(
    sequence: Sequence[Word | str], speech: Sequence[Span], dips: Sequence[Span] = ()
) -> list[Filler]:
    """Fillers for the filled-pause tokens in ``sequence``: content ``Word``s (already snapped to
    ``speech``, in recording time) interleaved, in Whisper's order, with the filled pauses'
    normalized texts ("uh") between them. ``dips``: the level dips in the speech, where the voice
    is cut into sounds."""
    content = [x for x in sequence if isinstance(x, Word)]
    taken = [claimed(w, speech) for w in content]
    out: list[Filler] = []
    i = 0  # index in ``content`` of the next content word
    run: list[str] = []
    for x in [*sequence, None]:
        if isinstance(x, str):
            run.append(x)
            continue
        if run:
            prev = content[i - 1] if i > 0 else None
            lo = max(prev.start, taken[i - 1].end) if prev else float("-inf")
            hi = min(x.end, taken[i].start) if x else float("inf")
            pieces = free_voice(speech, taken, lo, hi)
            if not pieces:
                edges = [prev and swollen_surplus(prev, True), x and swollen_surplus(x, False)]
                pieces = [e for e in edges if e]
            out.extend(fill(pieces, run, dips))
            run = []
        i += 1
    return out
