"""Comparing the pipeline's output with known truth (pure): word error rate, event matching.

Shared by ``tests/test_accuracy.py`` and ``benchmarks/accuracy.py``. Nothing here imports the
package under test, so the yardstick cannot drift with the code it measures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FILLER_TOLERANCE_S = 0.3  # a detection this close to a truth filler (or overlapping it) matches
PAUSE_MIN_OVERLAP = 0.5  # a detected pause must cover this share of the truth pause

_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def normalize_words(text: str) -> list[str]:
    """Lower case; "%" -> "percent"; 0-20 as words; punctuation and hyphens -> spaces.

    Apostrophes inside a word are kept ("it's" stays one word)."""
    text = text.lower().replace("’", "'").replace("%", " percent ")
    text = re.sub(r"\b(\d+)\b", lambda m: _number(m.group(1)), text)
    text = re.sub(r"[^a-z0-9']+", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def _number(digits: str) -> str:
    n = int(digits)
    return f" {_NUMBERS[n]} " if n < len(_NUMBERS) else f" {digits} "


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Substitutions + deletions + insertions turning ``ref`` into ``hyp`` (word Levenshtein)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(errors, reference words) after normalising both texts; sum these to pool clips."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    return edit_distance(ref, hyp), len(ref)


def wer(reference: str, hypothesis: str) -> float:
    errors, n = word_errors(reference, hypothesis)
    return errors / n if n else float(bool(normalize_words(hypothesis)))


@dataclass(frozen=True)
class Event:
    start: float
    end: float
    kind: str = ""
    text: str = ""


def as_events(items: Iterable[dict], kind: str | None = None) -> list[Event]:
    """Dicts with start/end (and optional kind/text) -> events, optionally of one kind."""
    out = [
        Event(float(d["start"]), float(d["end"]), d.get("kind", ""), d.get("text", ""))
        for d in items
    ]
    return [e for e in out if kind is None or e.kind == kind]


def gap(a: Event, b: Event) -> float:
    """Seconds between two intervals; 0 when they overlap or touch."""
    return max(0.0, max(a.start, b.start) - min(a.end, b.end))


def overlap(a: Event, b: Event) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def _one_to_one(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one assignment over candidate (cost, truth, detected) pairs, cheapest first."""
    used_t: set[int] = set()
    used_d: set[int] = set()
    out = []
    for _cost, t, d in sorted(pairs):
        if t not in used_t and d not in used_d:
            used_t.add(t)
            used_d.add(d)
            out.append((t, d))
    return sorted(out)


def match_fillers(
    truth: Sequence[Event], detected: Sequence[Event], tolerance: float = FILLER_TOLERANCE_S
) -> list[tuple[int, int]]:
    """(truth index, detected index) pairs: same kind, overlapping or within ``tolerance`` s."""
    pairs = []
    for i, t in enumerate(truth):
        for j, d in enumerate(detected):
            if t.kind == d.kind and gap(t, d) <= tolerance:
                cost = gap(t, d) + abs(t.start - d.start) + abs(t.end - d.end)
                pairs.append((cost, i, j))
    return _one_to_one(pairs)


def match_pauses(
    truth: Sequence[Event], detected: Sequence[Event], min_overlap: float = PAUSE_MIN_OVERLAP
) -> list[tuple[int, int]]:
    """(truth index, detected index) pairs: the detection covers >= ``min_overlap`` of the truth."""
    pairs = []
    for i, t in enumerate(truth):
        need = min_overlap * (t.end - t.start)
        for j, d in enumerate(detected):
            ov = overlap(t, d)
            if ov > 0 and ov >= need:
                pairs.append((-ov, i, j))
    return _one_to_one(pairs)


@dataclass(frozen=True)
class DetectionScore:
    true_pos: int
    n_truth: int
    n_detected: int

    @property
    def precision(self) -> float | None:
        return self.true_pos / self.n_detected if self.n_detected else None

    @property
    def recall(self) -> float | None:
        return self.true_pos / self.n_truth if self.n_truth else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: DetectionScore) -> DetectionScore:
        return DetectionScore(
            self.true_pos + other.true_pos,
            self.n_truth + other.n_truth,
            self.n_detected + other.n_detected,
        )


def rubric_agreement(truth: dict[str, bool], hits: dict[str, bool]) -> tuple[int, int]:
    """(points where the matcher's hit equals the truth, points in the truth)."""
    missing = set(truth) - set(hits)
    if missing:
        raise KeyError(f"no rubric result for point(s) {sorted(missing)}")
    return sum(hits[k] == v for k, v in truth.items()), len(truth)


# ---- one clip: the pipeline's ``score --json`` dict against a truth dict -------------------------
FILLER_KINDS = ("filled_pause", "lexical")


@dataclass
class ClipScore:
    name: str
    word_errors: int
    ref_words: int
    hypothesis: str  # the spoken (non-filler) words, as compared
    fillers: dict[str, DetectionScore]  # by kind
    filler_timing: dict[str, list[tuple[float, float]]]  # by kind: (|d start|, |d end|) per match
    missed_fillers: list[Event]
    false_fillers: list[Event]
    pauses_found: dict[float, tuple[int, int]]  # minimum length -> (found, truth pauses that long)
    pauses: DetectionScore  # all truth pauses against all detected ones (precision, recall)
    missed_pauses: list[Event]
    wpm_error_pct: float | None
    latency_error_s: float | None
    rubric_agree: int
    rubric_points: int
    rubric_disagreements: list[tuple[str, bool, bool, list[str]]]  # (id, truth, hit, evidence)


def spoken_text(result: dict) -> str:
    """The words of a ``score --json`` result that are not fillers."""
    return " ".join(w["text"] for w in result["words"] if not w["filler"])


def compare_clip(
    truth: dict, result: dict, pause_minimums: Sequence[float] = (1.0, 0.5)
) -> ClipScore:
    """Score one ``Analysis.to_dict()`` against a fixture truth (see audio_fixtures/README.md).

    ``truth`` needs ``reference_text`` and ``pauses``; ``fillers``, ``words_per_minute``,
    ``speech_start`` and ``rubric_hits`` are compared when present."""
    hyp = spoken_text(result)
    errors, n_ref = word_errors(truth["reference_text"], hyp)

    t_fill = as_events(truth.get("fillers") or [])
    d_fill = as_events(result["fillers"])
    fillers, timing = {}, {}
    matched_t: set[int] = set()
    matched_d: set[int] = set()
    for kind in FILLER_KINDS:
        ti = [i for i, e in enumerate(t_fill) if e.kind == kind]
        di = [j for j, e in enumerate(d_fill) if e.kind == kind]
        pairs = match_fillers([t_fill[i] for i in ti], [d_fill[j] for j in di])
        fillers[kind] = DetectionScore(len(pairs), len(ti), len(di))
        timing[kind] = []
        for a, b in pairs:
            t, d = t_fill[ti[a]], d_fill[di[b]]
            timing[kind].append((abs(d.start - t.start), abs(d.end - t.end)))
            matched_t.add(ti[a])
            matched_d.add(di[b])

    t_p, d_p = as_events(truth["pauses"]), as_events(result["pauses"])
    ppairs = match_pauses(t_p, d_p)
    found = {a for a, _ in ppairs}
    by_min = {}
    for m in pause_minimums:
        idx = [i for i, p in enumerate(t_p) if p.end - p.start >= m - 1e-9]
        by_min[m] = (len(found & set(idx)), len(idx))

    wpm_t, wpm_d = truth.get("words_per_minute"), result.get("words_per_minute")
    wpm_err = (wpm_d - wpm_t) / wpm_t * 100 if wpm_t and wpm_d is not None else None
    lat_t, lat_d = truth.get("speech_start"), result.get("response_latency_s")
    lat_err = lat_d - lat_t if lat_t is not None and lat_d is not None else None

    rubric_truth = truth.get("rubric_hits") or {}
    points = {p["id"]: p for p in result["rubric"]["points"]}
    agree, n = rubric_agreement(rubric_truth, {k: p["hit"] for k, p in points.items()})
    disagreements = [
        (k, v, points[k]["hit"], points[k]["evidence"])
        for k, v in rubric_truth.items()
        if points[k]["hit"] != v
    ]
    return ClipScore(
        name=truth.get("name", ""),
        word_errors=errors,
        ref_words=n_ref,
        hypothesis=hyp,
        fillers=fillers,
        filler_timing=timing,
        missed_fillers=[e for i, e in enumerate(t_fill) if i not in matched_t],
        false_fillers=[e for j, e in enumerate(d_fill) if j not in matched_d],
        pauses_found=by_min,
        pauses=DetectionScore(len(ppairs), len(t_p), len(d_p)),
        missed_pauses=[p for i, p in enumerate(t_p) if i not in found],
        wpm_error_pct=wpm_err,
        latency_error_s=lat_err,
        rubric_agree=agree,
        rubric_points=n,
        rubric_disagreements=disagreements,
    )


# ---- real recordings in ../shared/audio (see its README.md) --------------------------------------
JFK_REFERENCE = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
# Approximate silent pauses (README): after "Americans", after "ask not", after "for you".
JFK_PAUSES = [
    {"start": 2.2, "end": 3.3},
    {"start": 4.4, "end": 5.4},
    {"start": 7.6, "end": 8.2},
]
NO_SPEECH_CLIPS = ("laugh1.mp3", "laugh2.mp3", "empty.mp3")
# The pipeline needs a question (for the decoding prompt); these clips answer none of them.
SHARED_CLIP_QUESTION = "team-communication"
