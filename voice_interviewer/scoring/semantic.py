"""Which sentence of an answer makes a rubric point, by meaning rather than by wording (pure).

The answer is cut into sentences and clauses from its words alone, never its punctuation
(``clauses``: conjunctions, subjects, pauses, length), so typed text without punctuation scores as
the same text with it; one spoken sentence often makes two points. Every clause and sentence is
embedded, and so is each view of a point: its text (whole, and each part of a list it names) and
its reference phrasings, plain sentences a candidate says when making it (``phrasings``). A point's
semantic similarity is the best cosine between a unit of the answer and a view of the point;
``Similarities.best`` can require the unit to be about that point more than about any other point
of the question.

A unit that is negated ("we never ran an A/B test", "I don't think it has much to do with bias")
does not make a point, unless the point itself is phrased negatively ("so it does not happen
again"). Negations are counted per clause: two in one clause cancel ("I never deploy without
tests"), two in different clauses do not; a list continued with "or" keeps its negation; a short
"but never got round to it" takes back the clause before; a practice dismissed ("a waste of time")
or only intended ("we keep meaning to") is denied too. A sentence that presents a strength as
a flaw ("my biggest failure is that I care too much") makes no point at all. The embedder is
passed in (``Embedder``): this module holds no model, so its logic is tested with a fake one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_interviewer.bank import Point
from voice_interviewer.scoring.clauses import (
    Sentence,
    clause_ranges,
    plain_text,
    sentence_groups,
)
from voice_interviewer.speech.timeline import Word, join_words


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text; rows compare by dot product (cosine)."""
        ...


@dataclass(frozen=True)
class Unit:
    """A sentence or one of its clauses: what is compared with the points."""

    text: str
    sentence: int  # index into the sentences
    first: int  # word range, as in Sentence
    last: int
    negated: bool
    boast: bool = False  # a virtue presented as a flaw: makes no point at all


# A shorter unit ("at scale", "first of all") is too short to make a point by meaning: its
# embedding matches any sentence that starts the same way. Keywords in it still count.
MIN_SEMANTIC_WORDS = 4
SPANS = (1, 2, 3)  # runs of this many neighbouring clauses are units of their own
# A short negated clause that opens with one of these and points back ("..., but never got round
# to it", "but honestly I never think about it that way") takes back the clause before it.
_RETRACTING = {"but", "though", "although", "yet"}
_BACK_REFERENCE = re.compile(r"\b(it|that|this|them|those|any of it|one)\b")
MAX_RETRACTING_WORDS = 10
# A short clause that only dismisses what the one before said ("I'd skip the baseline, it's
# usually a waste of time"; "we tried streaming, that was overkill") takes it back too.
_DISMISSING_BACK = re.compile(
    r"^(and |so )?(it|that|this|they)\b.*\b(waste of time|overkill|pointless|overrated)\b"
)
# A clause opened by one of these continues a list, and shares the negation of the clause before
# it: "I've never used support vector machines or naive Bayes".
_LIST_CONTINUING = {"or", "nor"}
_NEGATION = re.compile(
    r"\b(not|no|never|nobody|none|nothing|neither|nor|without|cannot|hardly|"
    r"\w+n't|dont|didnt|doesnt|wasnt|werent|wouldnt|couldnt|shouldnt|isnt|arent|havent|hasnt)\b"
)
# A negation inside a purpose or result clause says what the action prevents, not that it was
# not done: "so nothing from the test data leaks in", "to make sure it doesn't happen again".
_PURPOSE = re.compile(
    r"\b(so that|so|to make sure|making sure|to ensure|ensure|ensures|to avoid|avoid|that way|"
    r"in case|otherwise|until|unless)\s+(\w+\s+){0,4}?(not|no|never|nothing|nobody|none|\w+n't)\b"
)


# A strength dressed up as a weakness or failure ("my biggest failure is that I care too much"):
# an interviewer hears no failure in it, whatever words it uses.
_BOAST = re.compile(
    r"\b(perfectionis[tm]|cares? too much|work(s|ed)? too (hard|much)|"
    r"too (much of a )?(detail[- ]oriented|dedicated|hard[- ]working|thorough|passionate)|"
    r"can'?t (stand|let (things|it|anything) go)|(really|very|impossibly) high standards)"
)
# "data the model has never seen" describes the data (unseen), it denies nothing.
_UNSEEN = re.compile(r"\b(not|never|\w+n't)\s+(\w+\s+)?(see|sees|saw|seen)\b")
# Said without a "not", these deny as much as one: a practice dismissed ("simple models are a
# waste of time", "streaming would be overkill", "it's rarely worth it") or only intended ("we keep
# meaning to set up monitoring"). None of them holds a "not" of its own, so none cancels one.
_DISMISSAL = re.compile(
    r"\b(waste of time|overkill|rarely|seldom|pointless|overrated|(keep|kept|been) meaning to|"
    r"some ?day)\b"
)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def negation_count(text: str) -> int:
    """Negations that deny what the clause says, not those inside a purpose clause ("so it
    doesn't happen again") or describing unseen data ("data it never saw"); a dismissal or a
    mere intention counts as one."""
    t = _norm(text)
    denials = len(_NEGATION.findall(t)) + len(_DISMISSAL.findall(t))
    return denials - len(_PURPOSE.findall(t)) - len(_UNSEEN.findall(t))


# Two negations this close cancel ("I never deploy without tests"); farther apart in one clause
# (a clause cut from words alone can hold two sentences) each denies its own part.
CANCEL_WORDS = 6


def is_negated(text: str) -> bool:
    """Negated when a denial is left over once close pairs cancel: "we never ran it" is negated,
    "never without tests" is not; a negation inside a purpose clause or about unseen data is no
    denial."""
    t = _norm(text)
    kept = [m.start() for m in _NEGATION.finditer(t)] + [m.start() for m in _DISMISSAL.finditer(t)]
    spared = [m.span() for m in _PURPOSE.finditer(t)] + [m.span() for m in _UNSEEN.finditer(t)]
    for a, b in spared:  # each spares the last denial inside it
        inside = [k for k in kept if a <= k < b]
        if inside:
            kept.remove(max(inside))
    words = sorted(t.count(" ", 0, k) for k in kept)
    k = 0
    while k < len(words):
        if k + 1 < len(words) and words[k + 1] - words[k] <= CANCEL_WORDS:
            k += 2  # a close pair cancels
            continue
        return True
    return False


def split_sentences(words: Sequence[Word], timed: bool = True) -> list[Sentence]:
    """Sentences cut from the words alone, never from their punctuation (``clauses``): the same
    words give the same sentences with or without it."""
    ranges = clause_ranges(words, timed)
    out = []
    for group in sentence_groups(words, ranges, timed):
        a, b = ranges[group[0]][0], ranges[group[-1]][1]
        out.append(
            Sentence(
                join_words(w.text for w in words[a : b + 1]).strip(),
                a,
                b,
                round(words[a].start, 3) if timed else None,
                round(words[b].end, 3) if timed else None,
            )
        )
    return out


def split_clauses(words: Sequence[Word], s: Sentence, timed: bool = False) -> list[tuple[int, int]]:
    """Word ranges of the clauses of one sentence (``clauses.clause_ranges`` inside it)."""
    return [
        (s.first + a, s.first + b) for a, b in clause_ranges(words[s.first : s.last + 1], timed)
    ]


def _text(words: Sequence[Word], a: int, b: int) -> str:
    return plain_text(words, a, b)


def clause_negations(words: Sequence[Word], ranges: Sequence[tuple[int, int]]) -> list[bool]:
    """Whether each clause is negated. Negations are counted per clause, so two in different
    clauses never cancel ("I don't use recall, since it's not a classification problem"); a
    short negated clause that refers back ("but never got round to it") or only dismisses it
    ("it's a waste of time") negates the one before."""
    negated = [is_negated(_text(words, a, b)) for a, b in ranges]
    for k in range(1, len(ranges)):
        a, b = ranges[k]
        text = _norm(_text(words, a, b))
        opener = text.split(" ", 1)[0].strip(",.;:")
        if opener in _LIST_CONTINUING and negated[k - 1]:
            negated[k] = True
        elif (
            negated[k]
            and b - a + 1 <= MAX_RETRACTING_WORDS
            and (
                (opener in _RETRACTING and _BACK_REFERENCE.search(text))
                or _DISMISSING_BACK.match(text)
            )
        ):
            negated[k - 1] = True
    return negated


def answer_units(
    words: Sequence[Word], sentences: Sequence[Sentence], timed: bool | None = None
) -> list[Unit]:
    """Each sentence, each clause, and each run of two and three neighbouring clauses (a point
    often takes two: "I keep a chunk aside and only score it on that"; the cuts come from the
    words alone, so a run may cross a cut punctuation would not have made). A unit is negated
    when any clause in it is. Unit texts are the plain words (``clauses``)."""
    if timed is None:
        timed = any(s.start is not None for s in sentences)
    ranges = clause_ranges(words, timed)
    negated = clause_negations(words, ranges)
    sentence_of = [
        next((si for si, s in enumerate(sentences) if s.first <= a <= s.last), 0) for a, _ in ranges
    ]
    boast = [bool(_BOAST.search(_norm(_text(words, s.first, s.last)))) for s in sentences]
    units: list[Unit] = []
    seen: set[tuple[int, int]] = set()

    def add(first: int, last: int, si: int) -> None:
        a, b = ranges[first][0], ranges[last][1]
        si = _sentence_of((a + b) // 2, sentences, si)  # a run across sentences: its middle
        if (a, b) in seen:
            return
        seen.add((a, b))
        units.append(Unit(_text(words, a, b), si, a, b, any(negated[first : last + 1]), boast[si]))

    for si in range(len(sentences)):
        ks = [k for k, sk in enumerate(sentence_of) if sk == si]
        if ks:
            add(ks[0], ks[-1], si)
    for span in SPANS:
        for k in range(len(ranges) - span + 1):
            add(k, k + span - 1, sentence_of[k])
    return units


def _sentence_of(word: int, sentences: Sequence[Sentence], default: int) -> int:
    return next((si for si, s in enumerate(sentences) if s.first <= word <= s.last), default)


_PAREN = re.compile(r"\(([^)]*)\)")


def point_views(point: Point, says: Sequence[str] = ()) -> list[str]:
    """The texts a point is compared through: the whole text, the text without its examples in
    brackets, and the list it names after a colon or in brackets ("Filter methods: correlation,
    mutual information, ...") as one view per part, each with the point's head; and the
    reference phrasings of what a candidate says when making it (``phrasings``)."""
    text = " ".join(point.text.split())
    views = [text]
    plain = _PAREN.sub("", text).strip()
    if plain != text:
        views.append(plain)
    head, _, tail = plain.partition(":")
    lists = [tail] if tail else []
    lists += _PAREN.findall(text)
    for lst in lists:
        for part in re.split(r",|;|\bor\b|\band\b|/", lst):
            part = part.strip(" .")
            if len(part) >= 3:
                views.append(f"{head.strip()}: {part}" if tail else f"{plain}: {part}")
    views += [" ".join(x.split()) for x in says]
    return list(dict.fromkeys(views))


@dataclass(frozen=True)
class Similarities:
    """Cosines between every answer unit and every point (best view), and the point texts'
    own negation, computed once per answer."""

    units: list[Unit]
    matrix: np.ndarray  # (units, points)
    point_negated: list[bool]

    def best(
        self,
        point: int,
        dominance: float | None = None,
        skip: frozenset[int] = frozenset(),
        rivals: np.ndarray | None = None,
    ) -> tuple[float, int | None]:
        """The best similarity for ``point`` over units that may count, and that unit's index.

        ``dominance``: only units that are about this point more than about any other point of
        the question, give or take this much ("I split by time and test on the latest months" is
        about held-out data, however close it also is to the monitoring point). ``skip``: units
        that may not count (taught as not making the point). ``rivals``: per unit, how close it
        comes to another question's points less the margin allowed (``topics``); a unit closer to
        another question than to this point does not count."""
        best, at = -1.0, None
        for u in range(len(self.units)):
            if (
                u in skip
                or not self.counts(u, point)
                or len(self.units[u].text.split()) < MIN_SEMANTIC_WORDS
            ):
                continue
            cos = float(self.matrix[u, point])
            if dominance is not None and cos < self.matrix[u].max() - dominance:
                continue
            if rivals is not None and cos < rivals[u]:
                continue
            if cos > best:
                best, at = cos, u
        return best, at

    def counts(self, unit: int, point: int) -> bool:
        """A negated unit makes no point, unless the point itself is negative; a boast none."""
        u = self.units[unit]
        return not u.boast and (not u.negated or self.point_negated[point])


def embed_points(
    points: Sequence[Point], embedder: Embedder, says: Sequence[Sequence[str]] = ()
) -> None:
    """Embeds every view of ``points`` ahead of the answer: an embedder that caches (the packaged
    one does) then only has the answer's own sentences to embed when the answer ends."""
    views = [point_views(p, says[j] if j < len(says) else ()) for j, p in enumerate(points)]
    embed_lasting(embedder, [v for vs in views for v in vs])


def embed_lasting(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Rows of a bank's own texts (points, phrasings): the same every run, so an embedder that
    keeps them on disk (``embed_lasting``, the packaged one) is asked for them that way. An
    answer's sentences never go there."""
    lasting = getattr(embedder, "embed_lasting", None)
    return lasting(texts) if lasting is not None else embedder.embed(texts)


def similarities(
    points: Sequence[Point],
    words: Sequence[Word],
    sentences: Sequence[Sentence],
    embedder: Embedder,
    says: Sequence[Sequence[str]] = (),
) -> Similarities:
    """``says``: per point, the reference phrasings (may be empty or shorter than ``points``)."""
    units = answer_units(words, sentences)
    views = [point_views(p, says[j] if j < len(says) else ()) for j, p in enumerate(points)]
    flat = [v for vs in views for v in vs]
    if not units or not flat:
        return Similarities(units, np.zeros((len(units), len(points))), [False] * len(points))
    ue, ve = embedder.embed([u.text for u in units]), embed_lasting(embedder, flat)
    cos = ue @ ve.T
    matrix = np.zeros((len(units), len(points)), dtype=np.float32)
    k = 0
    for j, vs in enumerate(views):
        matrix[:, j] = cos[:, k : k + len(vs)].max(axis=1)
        k += len(vs)
    return Similarities(units, matrix, [is_negated(p.text) for p in points])
