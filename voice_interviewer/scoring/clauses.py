"""An answer cut into clauses and sentences without looking at its punctuation (pure).

Typed answers and transcripts from other tools often come without punctuation, and Whisper's own
punctuation varies from one decode to the next: the rubric must give the same words the same
coverage either way. So the cuts are made from the words alone: before a conjunction or a subject
that opens a clause ("... and we kept a holdout", "... I skipped a check"), at a pause when the
words have times, and in the middle of a run too long to be one clause. Clauses group into
sentences at the stronger openers ("so", "then", "I", "we") and at long pauses.

``plain`` is a word as the matcher reads it: punctuation around it dropped, so "data," and "data"
are the same word; the evidence shown keeps the words as spoken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voice_interviewer.speech.timeline import Word

MIN_CLAUSE_WORDS = 3  # a shorter piece stays with its neighbour ("and so on")
MAX_CLAUSE_WORDS = 25  # a longer run of words is cut in two (at its longest pause when timed)
MAX_SENTENCE_WORDS = 32  # clauses join into a sentence up to this many words
CLAUSE_PAUSE_S = 0.35  # a silence this long between two words ends a clause
SENTENCE_PAUSE_S = 0.7  # and this long ends a sentence

# Open a new clause wherever they stand (once the clause before has MIN_CLAUSE_WORDS words).
_OPENERS = {
    "but",
    "so",
    "because",
    "since",
    "then",
    "which",
    "while",
    "whereas",
    "although",
    "though",
    "otherwise",
    "unless",
    "until",
    "also",
    "plus",
    "if",
    "when",
    "once",
    "after",
    "before",
    "first",
    "second",
    "third",
    "finally",
    "afterwards",
    "later",
    "now",
    "next",
    "eventually",
    "instead",
    "honestly",
    "basically",
    "it's",
    "that's",
    "there's",
    "they're",
    "you're",
}
# "and"/"or" join words as often as clauses ("training and validation loss"): they open a clause
# only before a subject or a clause word ("and we kept", "and then").
_JOINERS = {"and", "or", "nor"}
_SUBJECTS = {
    "i",
    "we",
    "you",
    "they",
    "he",
    "she",
    "it",
    "that",
    "this",
    "there",
    "my",
    "our",
    "then",
    "so",
    "also",
    "i'd",
    "i'm",
    "i've",
    "i'll",
    "we'd",
    "we're",
    "we've",
    "we'll",
    "it's",
    "that's",
    "there's",
    "you'd",
    "you're",
    "they're",
    "they'd",
    "nothing",
    "nobody",
    "none",
    "never",
    "no",
}
# A first-person subject opens a clause of its own ("I told my manager I skipped a check") unless
# the word before binds it to what precedes ("the model that I trained", "what we did").
_SELF = {"i", "we", "i'd", "i'm", "i've", "i'll", "we'd", "we're", "we've", "we'll"}
_BINDS = {
    "that",
    "what",
    "which",
    "who",
    "whom",
    "when",
    "where",
    "how",
    "if",
    "than",
    "as",
    "because",
    "so",
    "and",
    "but",
    "or",
    "then",
    "once",
    "after",
    "before",
    "while",
    "since",
    "until",
    "unless",
    "whether",
    "why",
    "the",
    "a",
    "an",
    "to",
    "could",
    "would",
    "should",
    "did",
    "do",
    "can",
    "will",
    "have",
    "had",
}
# Other subjects open a clause when a verb follows ("... it turned out", "... they had no labels");
# as objects ("made it work") they do not.
_OTHER_SUBJECTS = {"it", "they", "there", "you", "he", "she", "this", "that"}
_VERBS = {
    "is",
    "was",
    "were",
    "are",
    "has",
    "had",
    "have",
    "turned",
    "took",
    "made",
    "means",
    "meant",
    "did",
    "does",
    "didn't",
    "doesn't",
    "wasn't",
    "isn't",
    "weren't",
    "can",
    "could",
    "would",
    "will",
    "should",
    "might",
    "must",
    "gave",
    "got",
    "became",
    "seemed",
    "worked",
    "helped",
    "needs",
    "need",
    "just",
    "also",
    "then",
    "still",
    "never",
    "only",
    "really",
    "ended",
    "went",
    "came",
    "showed",
    "shows",
    "looks",
    "looked",
    "learns",
    "learned",
    "won't",
    "can't",
}
# "not" after a noun or pronoun sets off a contrast ("that's on me not on the client"); after an
# auxiliary it negates the verb ("it was not ready") and stays.
_AUXILIARIES = {
    "is",
    "was",
    "were",
    "are",
    "am",
    "be",
    "been",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "could",
    "would",
    "should",
    "will",
    "might",
    "must",
    "may",
    "need",
    "why",
    "or",
    "and",
    "if",
    "whether",
    "just",
    "certainly",
    "definitely",
    "probably",
    "maybe",
    "also",
    "still",
    "i'm",
    "it's",
    "that's",
    "i",
    "we",
    "you",
    "they",
    "to",
    "but",
    "so",
    "really",
    "actually",
}
# A run too long to be one clause is cut where a clause most likely starts.
_SOFT_OPENERS = _OTHER_SUBJECTS | {"like", "for", "with", "now", "where", "who", "to", "not", "by"}

# A word after these continues the phrase they open: never a cut there.
_HOLDS_ON = {
    "a",
    "an",
    "the",
    "my",
    "our",
    "your",
    "their",
    "his",
    "her",
    "its",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "about",
    "into",
    "than",
    "very",
    "more",
    "most",
}

# Openers that start a new sentence, not just a clause of the one before.
_STRONG = _SELF | {"so", "then", "but", "also", "first", "second", "third", "finally", "afterwards"}

_EDGE = re.compile(r"^[^\w']+|[^\w']+$")


def plain(text: str) -> str:
    """A word without the punctuation around it ("data," -> "data"; "don't" stays)."""
    return _EDGE.sub("", text.replace("’", "'"))


@dataclass(frozen=True)
class Sentence:
    text: str  # as spoken (the words' own punctuation)
    first: int  # index of its first word in the answer's words
    last: int  # index of its last word (inclusive)
    start: float | None  # seconds; None when the answer was typed
    end: float | None


def _gap(words: Sequence[Word], i: int, timed: bool) -> float:
    """Silence before word ``i``."""
    return words[i].start - words[i - 1].end if timed and i > 0 else 0.0


def _opens_clause(low: list[str], i: int, capital: bool = False) -> bool:
    w, prev = low[i], low[i - 1]
    if prev in _HOLDS_ON:
        return False  # "a first version", "for the ...": the phrase goes on
    if capital and w not in _SELF:
        return True  # a capital after a lower-case word: most likely a new sentence
    if w in _OPENERS:
        return True
    if w in _JOINERS:
        return True
    if w in _OTHER_SUBJECTS:
        return prev not in _BINDS and i + 1 < len(low) and low[i + 1] in _VERBS
    if w == "not":
        return prev not in _AUXILIARIES
    return w in _SELF and prev not in _BINDS


def _capitalised(word: str) -> bool:
    """'Then', 'Unsupervised'; not 'I', 'BERT' or 'XGBoost' (acronyms and names in capitals)."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def clause_ranges(words: Sequence[Word], timed: bool) -> list[tuple[int, int]]:
    """Word ranges (first, last inclusive) of the answer's clauses, from the words alone."""
    raw = [plain(w.text) for w in words]
    low = [r.lower() for r in raw]
    pieces: list[tuple[int, int]] = []
    a = 0
    for i in range(1, len(words)):
        if i - a < MIN_CLAUSE_WORDS:
            continue
        capital = _capitalised(raw[i]) and not _capitalised(raw[i - 1])
        if _opens_clause(low, i, capital) or _gap(words, i, timed) >= CLAUSE_PAUSE_S:
            pieces.append((a, i - 1))
            a = i
    if words:
        pieces.append((a, len(words) - 1))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        out += _cut_long(words, low, a, b, timed)
    # A last piece too short to stand alone joins the one before it.
    if len(out) > 1 and out[-1][1] - out[-1][0] + 1 < MIN_CLAUSE_WORDS:
        out[-2:] = [(out[-2][0], out[-1][1])]
    return out


def _cut_long(
    words: Sequence[Word], low: list[str], a: int, b: int, timed: bool
) -> list[tuple[int, int]]:
    if b - a + 1 <= MAX_CLAUSE_WORDS:
        return [(a, b)]
    inner = range(a + MIN_CLAUSE_WORDS, b - MIN_CLAUSE_WORDS + 2)
    mid = (a + b + 1) // 2

    def rank(i: int) -> tuple[float, bool, int]:
        # the longest pause when timed; then a word that opens clauses; then the middle
        return (round(_gap(words, i, timed), 1), low[i] in _SOFT_OPENERS, -abs(i - mid))

    cut = max(inner, key=rank)
    return _cut_long(words, low, a, cut - 1, timed) + _cut_long(words, low, cut, b, timed)


def sentence_groups(
    words: Sequence[Word], clauses: Sequence[tuple[int, int]], timed: bool
) -> list[list[int]]:
    """Indices of the clauses of each sentence: a new sentence at a strong opener, at a long
    pause, or when the sentence would grow past MAX_SENTENCE_WORDS."""
    groups: list[list[int]] = []
    for k, (a, b) in enumerate(clauses):
        if groups:
            first = clauses[groups[-1][0]][0]
            opener = plain(words[a].text)
            fits = b - first + 1 <= MAX_SENTENCE_WORDS
            capital = _capitalised(opener) and not _capitalised(plain(words[a - 1].text))
            strong = opener.lower() in _STRONG or capital
            if fits and not strong and _gap(words, a, timed) < SENTENCE_PAUSE_S:
                groups[-1].append(k)
                continue
        groups.append([k])
    return groups


def plain_text(words: Sequence[Word], a: int, b: int) -> str:
    """The words a..b as the matcher reads them: no punctuation, one space between words."""
    return " ".join(p for w in words[a : b + 1] if (p := plain(w.text)))
