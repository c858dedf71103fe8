"""Rubric coverage: which of a question's points the answer touched, with the words as evidence.

Keywords match case-insensitively on word boundaries, across punctuation and hyphens ("drop-out"
= "dropout"), plurals, -ing/-ed forms and British/American spelling (see ``textnorm``).
STAR parts (situation, task, action, result) are judged from cue phrases in the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from voice_interviewer.bank import Question
from voice_interviewer.scoring.textnorm import stem, tokens
from voice_interviewer.speech.timeline import Word


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    hit: bool
    evidence: list[str]  # the transcript words that matched, as spoken


@dataclass(frozen=True)
class StarResult:
    situation: bool
    task: bool
    action: bool
    result: bool

    def missing(self) -> list[str]:
        return [k for k in ("situation", "task", "action", "result") if not getattr(self, k)]


@dataclass(frozen=True)
class RubricResult:
    coverage: float
    points: list[PointResult]
    star: StarResult | None
    key_terms: list[tuple[float, float]] = field(default_factory=list)  # (start, end) of each match


@dataclass(frozen=True)
class _Tok:
    key: str  # stemmed
    raw: str  # lower-case token
    word: int  # index of the transcript word it came from


def _tokenize_words(words: Sequence[Word]) -> list[_Tok]:
    out: list[_Tok] = []
    for i, w in enumerate(words):
        for t in tokens(w.text):
            out.append(_Tok(stem(t), t, i))
    return out


def _find(phrase: str, toks: list[_Tok]) -> tuple[int, int] | None:
    """First match of ``phrase`` in ``toks`` as (first token, last token + 1)."""
    kw = tokens(phrase)
    if not kw:
        return None
    keys = [stem(t) for t in kw]
    joined = stem("".join(kw))
    n = len(keys)
    for i in range(len(toks)):
        if [t.key for t in toks[i : i + n]] == keys:
            return i, i + n
        # Spelled apart or together: "drop out" vs "dropout", "dataset" vs "data set".
        acc = ""
        for j in range(i, min(len(toks), i + n + 2)):
            acc += toks[j].raw
            if (j > i or n > 1) and stem(acc) == joined:
                return i, j + 1
            if len(acc) >= len(joined) + 4:
                break
    return None


def score_rubric(question: Question, words: Sequence[Word]) -> RubricResult:
    toks = _tokenize_words(words)
    results = []
    key_terms: set[tuple[float, float]] = set()
    for point in question.points:
        evidence: list[str] = []
        for kw in point.keywords:
            found = _find(kw, toks)
            if found:
                a, b = found
                first, last = toks[a].word, toks[b - 1].word
                key_terms.add((words[first].start, words[last].end))
                quote = " ".join(w.text for w in words[first : last + 1]).strip(" ,.;:!?")
                # "stopping" adds nothing beside "early stopping"
                if not any(quote.lower() in e.lower() for e in evidence):
                    evidence.append(quote)
        results.append(PointResult(point.id, point.text, bool(evidence), evidence))
    coverage = sum(r.hit for r in results) / len(results) if results else 0.0
    star = detect_star(" ".join(w.text for w in words)) if question.star else None
    return RubricResult(round(coverage, 3), results, star, sorted(key_terms))


# Cue phrases for each STAR part, written as regular expressions over lower-case text.
_STAR_CUES: dict[str, list[str]] = {
    "situation": [
        r"\b(at|in) my (previous|last|current|old|first) (job|role|company|team|position)",
        r"\bwhen i was (working|at|on|a)\b",
        r"\bback (in|when)\b",
        r"\bat the time\b",
        r"\b(a few|two|three|several|some) (years|months) ago\b",
        r"\blast (year|quarter|month)\b",
        r"\bthe situation\b",
        r"\bi was working (on|at|as)\b",
        r"\bwe were (building|working|launching|running)",
        r"\bour team (was|had)\b",
        r"\bin (20\d\d|my previous)\b",
        r"\bthe context\b",
        r"\bat (a|an) (startup|company)\b",
    ],
    "task": [
        r"\bmy (task|job|role|goal|responsibility) was\b",
        r"\bi was (responsible|asked|tasked|in charge)\b",
        r"\bi (had|needed|wanted) to\b",
        r"\bthe (goal|task|objective|challenge) was\b",
        r"\bwe (had|needed) to\b",
        r"\bresponsible for\b",
        r"\bmy objective\b",
        r"\bi owned\b",
    ],
    "action": [
        r"\bi (decided|built|implemented|created|designed|wrote|proposed|organized|organised|led|"
        r"started|set up|added|changed|scheduled|analyzed|analysed|investigated|talked|spoke|met|"
        r"reached out|worked with|took|ran|rolled back|fixed|introduced|reviewed|asked|presented|"
        r"split|moved|rebuilt|retrained|collected|convinced|prototyped|documented|negotiated)\b",
        r"\bwhat i did\b",
        r"\bso i\b",
        r"\b(first|then|next),? i\b",
    ],
    "result": [
        r"\bas a result\b",
        r"\bthe (result|outcome|impact)\b",
        r"\bin the end\b",
        r"\bultimately\b",
        r"\b(resulted|resulting) in\b",
        r"\b(reduced|improved|increased|decreased|cut|saved|raised|"
        r"lowered|boosted)\b",
        r"\bpercent\b",
        r"\d+ ?%",
        r"\bi learned\b",
        r"\blesson\b",
        r"\bwhich led to\b",
        r"\bwe (shipped|launched|delivered|met the deadline)\b",
        r"\bsince then\b",
    ],
}
_STAR_RE = {part: re.compile("|".join(cues)) for part, cues in _STAR_CUES.items()}


def detect_star(text: str) -> StarResult:
    lowered = " ".join(text.lower().replace("’", "'").split())
    return StarResult(**{part: bool(rx.search(lowered)) for part, rx in _STAR_RE.items()})
