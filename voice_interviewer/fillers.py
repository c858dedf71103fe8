"""Fillers and hesitations from the word sequence (pure).

- Filled pauses (um, uh, er, ah, hmm) are fillers wherever they appear.
- Lexical fillers count only where they are used as fillers: "it was, like, slow" but not "I would
  like to" or "looks like a bug"; "so" opening a sentence and set off ("So, ..."); "you know" / "I mean" as asides;
  "basically", "literally"; "actually" as a sentence opener or aside; "kind of" / "sort of" as
  hedges, not after a determiner ("what kind of model").
- Repetitions and restarts: the same one to three words said twice in a row.

A word is "set off" on a side when Whisper put a comma there or our voice activity found a gap of at
least ``aside_gap_s`` there: that is how an aside sounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from .timeline import Filler, Repetition, Word

FILLED_PAUSES = {
    "um",
    "umm",
    "ummm",
    "uhm",
    "uh",
    "uhh",
    "er",
    "erm",
    "ah",
    "ahh",
    "hmm",
    "hm",
    "hmmm",
    "mm",
    "mmm",
    "eh",
}
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
    "is",
    "was",
}
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
    return word.norm in FILLED_PAUSES


def find_fillers(words: Sequence[Word], aside_gap_s: float = 0.25) -> list[Filler]:
    """Every filler in order; multi-word fillers span their words."""
    norms = [w.norm for w in words]
    out: list[Filler] = []
    i = 0
    while i < len(words):
        n = _lexical_filler_length(words, norms, i, aside_gap_s)
        if is_filled_pause(words[i]):
            out.append(Filler(norms[i], words[i].start, words[i].end, "filled_pause"))
            i += 1
        elif n:
            text = " ".join(norms[i : i + n])
            out.append(Filler(text, words[i].start, words[i + n - 1].end, "lexical"))
            i += n
        else:
            i += 1
    return out


def _sentence_start(words: Sequence[Word], i: int) -> bool:
    j = i - 1
    while j >= 0 and is_filled_pause(words[j]):  # "Um, so ..." still opens the sentence
        j -= 1
    if j < 0:
        return True
    return words[j].text.rstrip().endswith(_SENTENCE_END) or words[i].start - words[j].end >= 1.0


def _set_off_before(words: Sequence[Word], i: int, gap: float) -> bool:
    if i == 0:
        return True
    prev = words[i - 1]
    return (
        prev.text.rstrip().endswith((",", ";", ":") + _SENTENCE_END)
        or words[i].start - prev.end >= gap
    )


def _set_off_after(words: Sequence[Word], last: int, gap: float) -> bool:
    if words[last].text.rstrip().endswith((",", ";", ":", "...")):
        return True
    if last + 1 >= len(words):
        return True
    return words[last + 1].start - words[last].end >= gap


def _lexical_filler_length(words: Sequence[Word], norms: list[str], i: int, gap: float) -> int:
    """How many words starting at ``i`` form a lexical filler (0 if none)."""
    w = norms[i]
    prev = norms[i - 1] if i > 0 else ""
    nxt = norms[i + 1] if i + 1 < len(norms) else ""
    if w in ("basically", "literally"):
        return 1
    if w == "actually":
        start = _sentence_start(words, i)
        return (
            1 if start or (_set_off_before(words, i, gap) and _set_off_after(words, i, gap)) else 0
        )
    if w == "so":
        # "So, to fix it ..." opens with a filler; "... goes wrong. So I compare ..." is the
        # conjunction that Whisper's full stop happens to put first: no comma or pause after it.
        if not _sentence_start(words, i) or nxt in _SO_NOT_FILLER_AFTER:
            return 0
        # Any audible break after it counts: voice activity splits at 0.1 s of silence, and a
        # spoken "So ... to fix it" leaves one even when Whisper writes no comma.
        return 1 if _set_off_after(words, i, SO_BREAK_S) else 0
    if w in ("kinda", "sorta"):
        return 1 if prev not in _DETERMINERS else 0
    if w == "like":
        comma_before = i > 0 and words[i - 1].text.rstrip().endswith(",")
        comma_after = words[i].text.rstrip().endswith(",")
        if comma_before and comma_after:  # "it was, like, slow": an aside whatever comes before
            return 1
        if prev in _LIKE_NOT_FILLER_BEFORE or nxt in _LIKE_NOT_FILLER_AFTER:
            return 0
        before = _set_off_before(words, i, gap) or _sentence_start(words, i)
        return 1 if before and _set_off_after(words, i, gap) else 0
    if w == "you" and nxt == "know":
        after = norms[i + 2] if i + 2 < len(norms) else ""
        if prev in _KNOW_NOT_FILLER_BEFORE:
            return 0
        if _set_off_after(words, i + 1, gap) or after not in _KNOW_NOT_FILLER_AFTER:
            return 2
        return 0
    if w == "i" and nxt == "mean":
        if prev in _MEAN_NOT_FILLER_BEFORE:
            return 0
        return 2 if _set_off_after(words, i + 1, gap) else 0
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
