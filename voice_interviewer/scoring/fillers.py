"""Fillers and hesitations from the word sequence (pure).

- Filled pauses (um, uh, er, ah, hmm, in any spelling) are fillers wherever they appear.
- Lexical fillers count only where they are used as fillers: "it was, like, slow" but not "I would
  like to" or "looks like a bug"; "so" opening a sentence and set off ("So, ..."); "you know" /
  "I mean" as asides; "basically", "literally"; "actually" as a sentence opener or aside; "kind of"
  / "sort of" as hedges, not after a determiner ("what kind of model").
- Repetitions and restarts: the same one to three words said twice in a row.

A word is "set off" on a side when Whisper put a comma there, a filled pause is next to it ("I
mean, um, ..."), the timestamps leave a gap of at least ``aside_gap_s``, or a short silence the
timestamps absorbed (``breaks``, from ``breaks.quiet_breaks``) lies between it and its neighbour:
that is how an aside sounds. Callers pass the filled pauses heard acoustically as words, so that
they count here.
"""

from __future__ import annotations

from collections.abc import Sequence

from voice_interviewer.speech.timeline import Filler, Repetition, Span, Word, is_filled_pause_token

_SENTENCE_END = (".", "?", "!")
_DETERMINERS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "what",
    "which",
    "some",
    "any",
    "every",
    "each",
    "no",
    "one",
    "another",
    "same",
    "different",
    "these",
    "those",
    "all",
    "many",
    "right",
    "wrong",
    "first",
    "new",
    "certain",
    "particular",
    "whatever",
    "other",
    "our",
    "my",
    "your",
    "their",
    "its",
}
# "like" as a verb or preposition after these: "would like", "looks like", "feel like".
_LIKE_NOT_FILLER_BEFORE = {
    "would",
    "i'd",
    "we'd",
    "you'd",
    "they'd",
    "he'd",
    "she'd",
    "d",
    "look",
    "looks",
    "looked",
    "looking",
    "seem",
    "seems",
    "seemed",
    "feel",
    "feels",
    "felt",
    "sound",
    "sounds",
    "sounded",
    "something",
    "anything",
    "nothing",
    "things",
    "just",
    "more",
    "much",
    "not",
    "don't",
    "didn't",
    "doesn't",
    "i",
    "we",
    "they",
    "you",
    "people",
    "also",
    "really",
    "lot",
    "exactly",
}
# "it was like a dream" compares; "it was, like, the model": an aside, so it must be set off.
_COPULAS = {"is", "was", "be", "been", "are", "were", "it's", "that's"}
_LIKE_NOT_FILLER_AFTER = {
    "to",
    "it",
    "them",
    "him",
    "her",
    "me",
    "us",
    "this",
    "that",
    "these",
    "those",
}
_KNOW_NOT_FILLER_AFTER = {
    "what",
    "how",
    "that",
    "who",
    "why",
    "where",
    "when",
    "if",
    "whether",
    "the",
    "a",
    "an",
    "about",
    "it",
    "him",
    "her",
    "them",
    "this",
    "which",
}
_KNOW_NOT_FILLER_BEFORE = {
    "do",
    "did",
    "don't",
    "didn't",
    "if",
    "would",
    "to",
    "you",
    "i",
    "we",
    "they",
}
_MEAN_NOT_FILLER_BEFORE = {"what", "do", "did", "don't", "didn't", "you", "i"}
_SO_NOT_FILLER_AFTER = {"that", "far", "much", "many", "long", "often"}
SO_BREAK_S = 0.08


def is_filled_pause(word: Word) -> bool:
    return is_filled_pause_token(word.norm)


def find_fillers(
    words: Sequence[Word], aside_gap_s: float = 0.25, breaks: Sequence[Span] = ()
) -> list[Filler]:
    """Every filler in order; multi-word fillers span their words."""
    seq = _Sequence(words, aside_gap_s, breaks)
    out: list[Filler] = []
    i = 0
    while i < len(words):
        n = _lexical_filler_length(seq, i)
        if is_filled_pause(words[i]):
            out.append(Filler(seq.norms[i], words[i].start, words[i].end, "filled_pause"))
            i += 1
        elif n:
            text = " ".join(seq.norms[i : i + n])
            out.append(Filler(text, words[i].start, words[i + n - 1].end, "lexical"))
            i += n
        else:
            i += 1
    return out


class _Sequence:
    """The words with what tells whether one is set off from its neighbours."""

    def __init__(self, words: Sequence[Word], gap_s: float, breaks: Sequence[Span]) -> None:
        self.words = words
        self.norms = [w.norm for w in words]
        self.gap_s = gap_s
        self.breaks = breaks

    def norm(self, i: int) -> str:
        return self.norms[i] if 0 <= i < len(self.norms) else ""

    def sentence_start(self, i: int) -> bool:
        words = self.words
        j = i - 1
        while j >= 0 and is_filled_pause(words[j]):  # "Um, so ..." still opens the sentence
            j -= 1
        if j < 0:
            return True
        return (
            words[j].text.rstrip().endswith(_SENTENCE_END) or words[i].start - words[j].end >= 1.0
        )

    def set_off_before(self, i: int) -> bool:
        if i == 0:
            return True
        prev = self.words[i - 1]
        return (
            prev.text.rstrip().endswith((",", ";", ":") + _SENTENCE_END)
            or is_filled_pause(prev)
            or self._apart(i - 1, i, self.gap_s)
        )

    def set_off_after(self, last: int, gap_s: float | None = None) -> bool:
        if self.words[last].text.rstrip().endswith((",", ";", ":", "...")):
            return True
        if last + 1 >= len(self.words):
            return True
        return is_filled_pause(self.words[last + 1]) or self._apart(
            last, last + 1, self.gap_s if gap_s is None else gap_s
        )

    def _apart(self, a: int, b: int, gap_s: float) -> bool:
        """A gap between the timestamps, or a quiet break the timestamps absorbed: one lying
        between the middles of the two words."""
        wa, wb = self.words[a], self.words[b]
        if wb.start - wa.end >= gap_s:
            return True
        lo, hi = (wa.start + wa.end) / 2, (wb.start + wb.end) / 2
        return any(br.start < hi and lo < br.end for br in self.breaks)


def _lexical_filler_length(seq: _Sequence, i: int) -> int:
    """How many words starting at ``i`` form a lexical filler (0 if none)."""
    words = seq.words
    w, prev, nxt = seq.norm(i), seq.norm(i - 1), seq.norm(i + 1)
    if w in ("basically", "literally"):
        return 1
    if w == "actually":
        aside = seq.set_off_before(i) and seq.set_off_after(i)
        return 1 if seq.sentence_start(i) or aside else 0
    if w == "so":
        # "So, to fix it ..." opens with a filler; "... goes wrong. So I compare ..." is the
        # conjunction that Whisper's full stop happens to put first: no comma or pause after it.
        if not seq.sentence_start(i) or nxt in _SO_NOT_FILLER_AFTER:
            return 0
        # Any audible break after it counts: a spoken "So ... to fix it" leaves one even when
        # Whisper writes no comma.
        return 1 if seq.set_off_after(i, SO_BREAK_S) else 0
    if w in ("kinda", "sorta"):
        return 1 if prev not in _DETERMINERS else 0
    if w == "like":
        comma_before = i > 0 and words[i - 1].text.rstrip().endswith(",")
        comma_after = words[i].text.rstrip().endswith(",")
        if comma_before and comma_after:  # "it was, like, slow": an aside whatever comes before
            return 1
        if prev in _LIKE_NOT_FILLER_BEFORE or nxt in _LIKE_NOT_FILLER_AFTER:
            return 0
        before = seq.set_off_before(i) or (prev not in _COPULAS and seq.sentence_start(i))
        return 1 if before and seq.set_off_after(i) else 0
    if w == "you" and nxt == "know":
        if prev in _KNOW_NOT_FILLER_BEFORE:
            return 0
        return 2 if seq.set_off_after(i + 1) or seq.norm(i + 2) not in _KNOW_NOT_FILLER_AFTER else 0
    if w == "i" and nxt == "mean":
        if prev in _MEAN_NOT_FILLER_BEFORE:
            return 0
        return 2 if seq.set_off_after(i + 1) else 0
    if w in ("kind", "sort") and nxt == "of":
        return 2 if prev not in _DETERMINERS else 0
    return 0


def find_repetitions(words: Sequence[Word]) -> list[Repetition]:
    """Immediate repeats of one to three words ("I I think", "it was, it was"), fillers ignored."""
    idx = [i for i, w in enumerate(words) if not is_filled_pause(w) and w.norm]
    norms = [words[i].norm for i in idx]
    out: list[Repetition] = []
    k = 0
    while k < len(norms):
        for n in (3, 2, 1):
            if k + 2 * n <= len(norms) and norms[k : k + n] == norms[k + n : k + 2 * n]:
                first, last = idx[k], idx[k + 2 * n - 1]
                text = " ".join(words[j].text for j in idx[k : k + 2 * n])
                out.append(Repetition(text.strip(" ,."), words[first].start, words[last].end))
                k += 2 * n - 1
                break
        k += 1
    return out
