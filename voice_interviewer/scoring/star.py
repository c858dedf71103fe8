"""STAR parts (situation, task, action, result) judged sentence by sentence (pure).

A part is told when a sentence or clause of the answer tells it, found two ways:

- cue phrases ("my goal was", "as a result", "I built"), regular expressions over the unit;
- meaning: the unit's cosine with a few plain example sentences of each part (``STAR_EXAMPLES``,
  written for this module, not taken from any judged answer), counted only when the unit is
  closer to that part than to any other (a sentence that sets the scene is not also an action).

Without an embedder only the cue phrases count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voice_interviewer.scoring.semantic import Embedder
from voice_interviewer.scoring.serialization import JsonObject, StarDict

STAR_PARTS = ("situation", "task", "action", "result")


@dataclass(frozen=True)
class StarResult:
    situation: bool
    task: bool
    action: bool
    result: bool

    def missing(self) -> list[str]:
        return [k for k in STAR_PARTS if not getattr(self, k)]

    def to_dict(self) -> StarDict:
        return {
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
        }

    @classmethod
    def from_dict(cls, o: JsonObject) -> StarResult:
        return cls(*(o.boolean(k) for k in STAR_PARTS))


@dataclass(frozen=True)
class StarSettings:
    """The cosine at which a unit tells each part by meaning. Chosen on the STAR truth of the
    tuning sets only (36 parts; ``python -m benchmarks.rubric``): parts differ in how close
    unrelated sentences come (almost any sentence of a story is loosely "a task")."""

    situation: float = 0.42
    task: float = 0.48
    action: float = 0.38
    result: float = 0.47

    @classmethod
    def from_dict(cls, o: JsonObject) -> StarSettings:
        """Saved thresholds; one a version with fewer parts did not save takes its default."""
        return cls(**{k: o.number(k) for k in STAR_PARTS if k in o.d})


# Plain sentences of each part, as a candidate might say them.
STAR_EXAMPLES: dict[str, tuple[str, ...]] = {
    "situation": (
        "At my last job our team ran the recommendation service for an online shop.",
        "Two years ago I was working on a fraud detection project at a bank.",
        "We were about to launch a new product and the data pipeline kept failing.",
        "The context was a large client, an old system and a small team.",
    ),
    "task": (
        "My job was to deliver the new model before the deadline.",
        "I was responsible for making the pipeline reliable.",
        "The goal was to cut the response time in half.",
        "I had to convince the team to change the plan.",
    ),
    "action": (
        "So I built a prototype and tested it on real data.",
        "I talked to each stakeholder and proposed a new plan.",
        "First I found the root cause, then I fixed it and added tests.",
        "I split the work into smaller pieces and handed some of it to a colleague.",
    ),
    "result": (
        "As a result, the error rate dropped by thirty percent.",
        "In the end we shipped on time and the client renewed the contract.",
        "The outcome was a faster system and happier users.",
        "I learned to check the data before promising a date.",
    ),
}

# Cue phrases for each part, as regular expressions over lower-case text.
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
        r"\b(reduced|improved|increased|decreased|cut|saved|raised|lowered|boosted)\b",
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


def _lower(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def cue_parts(text: str) -> set[str]:
    """The parts whose cue phrases occur in ``text``."""
    lowered = _lower(text)
    return {part for part, rx in _STAR_RE.items() if rx.search(lowered)}


def detect_star(text: str) -> StarResult:
    """STAR from cue phrases alone, over the whole text."""
    found = cue_parts(text)
    return StarResult(*(part in found for part in STAR_PARTS))


def meaning_parts(
    units: Sequence[str], embedder: Embedder, settings: StarSettings = StarSettings()
) -> list[set[str]]:
    """Per unit, the part it tells by meaning: the closest part, if close enough."""
    if not units:
        return []
    examples = [(part, s) for part in STAR_PARTS for s in STAR_EXAMPLES[part]]
    emb = embedder.embed(list(units) + [s for _, s in examples])
    cos = emb[: len(units)] @ emb[len(units) :].T
    by_part = np.stack(
        [
            cos[:, [i for i, (p, _) in enumerate(examples) if p == part]].max(axis=1)
            for part in STAR_PARTS
        ],
        axis=1,
    )
    out = []
    for row in by_part:
        k = int(row.argmax())
        part = STAR_PARTS[k]
        out.append({part} if row[k] >= getattr(settings, part) else set())
    return out


def judge_star(
    units: Sequence[str], embedder: Embedder | None, settings: StarSettings = StarSettings()
) -> StarResult:
    """A part is told when any unit (sentence or clause) tells it by cue or by meaning."""
    found: set[str] = set()
    for text in units:
        found |= cue_parts(text)
    if embedder is not None:
        for parts in meaning_parts(units, embedder, settings):
            found |= parts
    return StarResult(*(part in found for part in STAR_PARTS))
