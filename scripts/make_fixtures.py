#!/usr/bin/env python3
"""Synthesize spoken interview answers whose timing truth is known by construction.

Every answer is a list of segments (speech phrases, filled pauses, lexical fillers) and explicit
silences.  Each segment is synthesized on its own with espeak-ng, resampled to 16 kHz mono with
sox, trimmed of its leading/trailing silence with a fixed energy threshold, and then placed on a
timeline with silence gaps of chosen lengths.  Because the gaps are inserted by this script, the
start/end of every segment, every pause and the response latency are known exactly.  Finally
seeded pink noise is mixed over the whole clip at a fixed SNR.

Usage::

    python scripts/make_fixtures.py [--out audio_fixtures]

Writes ``<out>/<name>.flac`` (16 kHz mono, 16-bit FLAC), ``<out>/<name>.json`` (truth),
``<out>/index.json`` (sorted list of clip names).  Output is deterministic for a given
espeak-ng/sox build.  See ``audio_fixtures/README.md`` for the truth keys.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16_000

# ---- trimming -----------------------------------------------------------------------------------
# A segment's leading/trailing silence is removed in 5 ms frames (80 samples at 16 kHz): frames
# whose RMS is below -50 dBFS (0.00316 of full scale, measured on espeak-ng's native output level,
# i.e. before any gain is applied) are dropped from both ends.  espeak-ng's silence is digital
# zero, so the threshold only decides how much of a very soft onset/offset tail counts as speech.
TRIM_FRAME = 80
TRIM_DB = -50.0
TRIM_THRESHOLD = 10 ** (TRIM_DB / 20)

# ---- levels -------------------------------------------------------------------------------------
SPEECH_RMS_DBFS = -35.0  # RMS over all segment samples after gain, before noise
SNR_DB = {"clean": 40, "noisy": 20}

# ---- gaps (seconds) -----------------------------------------------------------------------------
JOIN = (0.08, 0.35)  # ordinary join between segments of one sentence
TIGHT = (0.05, 0.15)  # filled pause tightly attached to the preceding word
LEAD = (0.5, 3.0)  # response latency
TRAIL = (0.5, 1.5)
PAUSE_JITTER = 0.10  # explicit pauses vary +-10 % per clip, clamped to PAUSE_RANGE
PAUSE_RANGE = (0.6, 3.0)
FILLED_PAUSE_DUR = (0.35, 0.75)  # target length of a filled pause after sox tempo
FILLED_PAUSE_RATE = 90  # espeak -s for filled pauses (slow = drawn out)
FILLED_PAUSE_PITCH = 40  # espeak -p for filled pauses (a bit lower than the default 50)
PAUSE_MIN = 0.5  # truth "pauses": silent gaps >= this
ARTIC_GAP_MIN = 0.25  # gaps >= this are excluded from articulation time

# espeak-ng -g: extra gap between words in units of 10 ms (at the default speed).  A 10 ms word gap
# measurably helps Whisper separate espeak's words; it is far below any pause threshold.
WORD_GAP = 1

VOICES = ["en-us", "en-gb", "en-gb-x-rp", "en-us+f3"]
RATES = [140, 165, 190]

FILLED_PAUSES = {"um", "uh", "er", "hmm"}
LEXICAL_FILLERS = {
    "like",
    "you know",
    "I mean",
    "basically",
    "actually",
    "literally",
    "sort of",
    "kind of",
    "so",
}


# ---- answer script ------------------------------------------------------------------------------
@dataclass(frozen=True)
class F:
    """Filled pause (um/uh/er/hmm)."""

    text: str


@dataclass(frozen=True)
class L:
    """Lexical filler spoken as its own short segment."""

    text: str


@dataclass(frozen=True)
class P:
    """Silent pause at a sentence boundary (nominal seconds)."""

    seconds: float


UM, UH, ER, HMM = F("um"), F("uh"), F("er"), F("hmm")

# Plain strings are speech segments: 3-15 words, no internal punctuation.  Consecutive items that
# are not separated by P() are joined by a short gap (JOIN; before a filled pause TIGHT with p=1/2).
# Ordinary (non-filler) uses of "like", "so", "actually" occur inside speech segments on purpose.
ANSWERS: dict[str, list[object]] = {
    "overfitting": [
        "overfitting is when a model fits the training data too closely",
        UM,
        "so it learns the noise instead of the real pattern",
        P(1.4),
        "the training error keeps dropping but the validation error goes up",
        P(2.3),
        L("so"),
        "to fix it my first step is to get more data",
        UH,
        "or use data augmentation",
        P(1.0),
        "I also use regularization like weight decay or dropout",
        L("you know"),
        "and early stopping so that the model generalizes to new data",
    ],
    "supervised-vs-unsupervised": [
        "the main difference is whether you have labels",
        P(0.9),
        "in supervised learning each example",
        L("like"),
        "comes with the right answer",
        "such as emails that are labeled as spam",
        "and the model learns to predict those labels",
        P(2.1),
        UM,
        "but unsupervised learning has no labels at all",
        "so the model has to find structure on its own",
        P(1.2),
        L("basically"),
        "things like grouping customers into segments",
        P(1.5),
        UH,
        "I would like to add that semi supervised learning sits somewhere in between",
    ],
    "model-evaluation": [
        "it depends on the business goal",
        P(1.3),
        "for classification I usually start with a confusion matrix",
        UM,
        "and then look at precision and recall",
        "because accuracy is misleading when classes are imbalanced",
        P(2.4),
        "in one project the accuracy looked great",
        "but it looked like a leak from the test set",
        P(1.0),
        UH,
        "for regression I look at the mean absolute error",
        P(1.7),
        L("I mean"),
        "the key thing is a separate test set",
        "and the metric the business actually cares about",
    ],
    "missing-values": [
        L("so"),
        "first I would try to understand why the data is missing",
        P(1.1),
        "whether it is random or whether it actually means something",
        P(2.2),
        "if only a few rows are affected I might just drop them",
        UH,
        "otherwise I would",
        L("kind of"),
        "impute with the median",
        "or the most common category",
        P(1.4),
        UM,
        "I would also add a flag column that marks missing entries",
        "so that the model can learn from the pattern itself",
    ],
    "failure": [
        UM,
        "in my last job I owned a churn prediction model",
        P(1.0),
        "and we promised to ship it before quarterly planning",
        P(1.6),
        L("so"),
        "I rushed the validation",
        UH,
        "and never checked how features were computed in production",
        P(2.5),
        "what actually happened was",
        L("like"),
        "the model did much worse in production",
        P(1.3),
        "I owned the mistake",
        ER,
        "rolled the model back and fixed the pipeline",
        P(1.5),
        L("I mean"),
        UM,
        "since then I always insist on proper validation",
    ],
    "prioritization": [
        HMM,
        "I start by writing down every project with its deadline",
        P(1.2),
        L("basically"),
        "I sort them by impact and urgency",
        P(0.9),
        UH,
        "then I talk to my manager and the other teams",
        "so that we all agree on the order",
        P(2.2),
        "the worst thing you can do is",
        L("literally"),
        "try to do everything at once",
        P(1.0),
        UM,
        "I split large projects into milestones",
        P(1.4),
        "if something will slip I tell people early",
        L("sort of"),
        "rather than at the last minute",
    ],
    "recommendation-system": [
        "I would start with the business goal",
        "which is usually more purchases",
        P(1.3),
        UM,
        "for the first version I would use collaborative filtering",
        "based on what similar customers bought",
        P(2.0),
        L("actually"),
        "new users and new products have a cold start problem",
        "so I would add content features",
        UH,
        "like the product category and brand",
        P(1.5),
        "at scale I would retrieve a few hundred candidates",
        "and rank them with a learned model",
        P(1.1),
        L("you know"),
        "and I would test it with online experiments",
    ],
    "underperforming-model": [
        "first I want to find out where the model goes wrong",
        P(1.0),
        "so I compare the training error with the test error",
        UM,
        "if both are high the model is too simple",
        P(2.3),
        L("so"),
        "I would try better features or a bigger model",
        P(1.2),
        "if only the test error is high I use regularization",
        P(0.9),
        UH,
        "the labels might be",
        L("like"),
        "really noisy in places",
        P(1.8),
        "then I would run a hyperparameter search",
        ER,
        "and look closely at the worst errors",
    ],
}

# Rubric truth: for each answer, whether it covers each point of its question in
# question_bank/amazon-mle.toml, judged by reading the answer's words (the speech segments) as an
# interviewer would, point by point, without running the keyword matcher: this is what the
# matcher is measured against, so it may disagree with it.  Fillers carry no content, so the
# fluent clips share their answer's truth.  Borderline calls are noted.
RUBRIC_HITS: dict[str, dict[str, bool]] = {
    "overfitting": {
        "definition": True,  # fits the training data too closely, learns the noise
        "detection": True,  # training error drops while validation error goes up
        "regularization": True,  # weight decay, dropout
        "data-and-complexity": True,  # more data, data augmentation
        "training-techniques": True,  # early stopping (no ensembling: credited on one of two)
        "bias-variance": False,
    },
    "supervised-vs-unsupervised": {
        "labeled-data": True,  # each example comes with the right answer
        "supervised-tasks": True,  # spam labelling: a classification task by example (borderline:
        # neither "classification" nor "regression" is named)
        "unlabeled-structure": True,  # no labels, finds structure on its own
        "unsupervised-tasks": True,  # grouping customers into segments = clustering
        "in-between": True,  # semi supervised learning
    },
    "model-evaluation": {
        "held-out-data": True,  # a separate test set
        "classification-metrics": True,  # confusion matrix, precision and recall
        "regression-metrics": True,  # mean absolute error
        "metric-choice": True,  # business goal; accuracy misleads when classes are imbalanced
        "online-evaluation": False,
    },
    "missing-values": {
        "investigate": True,  # why the data is missing, random or meaningful
        "drop": True,  # drop rows only when few are affected
        "simple-imputation": True,  # median, most common category
        "model-imputation": False,
        "missing-indicator": True,  # a flag column that marks missing entries
        "no-leakage": False,
    },
    "failure": {
        "real-failure": True,  # shipped a churn model that did much worse in production
        "ownership": True,  # "I owned the mistake", "I rushed the validation"
        "recovery": True,  # rolled the model back and fixed the pipeline
        "communication": False,  # nobody is told anything
        "learning": True,  # always insists on proper validation since
    },
    "prioritization": {
        "impact-urgency": True,  # sorts by impact and urgency
        "scope": True,  # splits large projects into milestones (no scope negotiation)
        "stakeholder-alignment": True,  # manager and other teams agree the order; warns early
        "execution": True,  # written list with deadlines, milestones, watches for slips
        # (borderline: no time-boxing, tracking tool or delegation named)
        "example-result": False,  # no concrete example
    },
    "recommendation-system": {
        "signals": True,  # goal = more purchases; signal = what similar customers bought
        "approaches": True,  # collaborative filtering, content features
        "retrieval-ranking": True,  # retrieve a few hundred candidates, rank with a learned model
        "cold-start": True,  # new users and new products, content features
        "serving": False,  # "at scale" is about retrieval, nothing on serving or latency
        "evaluation": True,  # online experiments (no offline metrics: credited on one of two)
    },
    "underperforming-model": {
        "diagnose": True,  # training vs test error: both high = too simple, only test = overfit
        "error-analysis": True,  # looks closely at the worst errors
        "data-quality": True,  # the labels might be really noisy (borderline: no fix named)
        "features": True,  # better features
        "model-tuning": True,  # bigger model, regularization, hyperparameter search
        "iterate": False,
    },
}
assert set(RUBRIC_HITS) == set(ANSWERS)

QUESTION_ORDER = list(ANSWERS)  # a01 .. a08

# Clips whose fillers are all removed (fluent versions), by (answer index, replicate).
NO_FILLER = {(1, 2), (3, 0), (5, 1), (6, 2)}


def clip_plan() -> list[dict]:
    """4 voices x 3 rates x 2 SNRs = 24 clips; each answer in 3 clips with 3 voices, 3 rates and
    both SNR conditions.  voice = (a + k) % 4, rate = k, snr alternates with k (offset by a // 4),
    which makes every (voice, rate, snr) combination occur exactly once."""
    plan = []
    for a, qid in enumerate(QUESTION_ORDER):
        for k in range(3):
            voice = VOICES[(a + k) % 4]
            rate = RATES[k]
            cond = "clean" if (a // 4 + k) % 2 == 0 else "noisy"
            name = f"a{a + 1:02d}_{qid}_{voice.replace('+', '-')}_{rate}_{cond}"
            plan.append(
                {
                    "name": name,
                    "question_id": qid,
                    "voice": voice,
                    "rate": rate,
                    "cond": cond,
                    "fillers": (a, k) not in NO_FILLER,
                }
            )
    combos = {(c["voice"], c["rate"], c["cond"]) for c in plan}
    assert len(combos) == len(plan) == 24
    return plan


# ---- synthesis ----------------------------------------------------------------------------------
class Synth:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.cache: dict[tuple, np.ndarray] = {}
        self.n = 0

    def _path(self, ext: str = "wav") -> Path:
        self.n += 1
        return self.tmp / f"s{self.n}.{ext}"

    def espeak(self, text: str, voice: str, rate: int, pitch: int = 50) -> np.ndarray:
        key = (text, voice, rate, pitch)
        if key not in self.cache:
            raw, res = self._path(), self._path()
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-g", str(WORD_GAP)]
                + ["-w", str(raw), text],
                check=True,
            )
            # sox works in fixed point and clips at full scale, so halve the level going in
            # (espeak-ng peaks close to 0 dBFS) and restore it after reading the float output.
            subprocess.run(
                ["sox", "-V1", "-v", "0.5", str(raw), "-r", str(SR), "-c", "1", "-b", "32"]
                + ["-e", "floating-point", str(res), "rate", "-v"],
                check=True,
            )
            x, sr = sf.read(res, dtype="float64")
            assert sr == SR
            self.cache[key] = trim(2.0 * x)
        return self.cache[key]

    def tempo(self, x: np.ndarray, factor: float) -> np.ndarray:
        src, dst = self._path(), self._path()
        sf.write(src, 0.5 * x, SR, subtype="FLOAT")
        subprocess.run(
            ["sox", "-V1", str(src), "-e", "floating-point", str(dst), "tempo", "-s"]
            + [f"{factor:.4f}"],
            check=True,
        )
        y, _ = sf.read(dst, dtype="float64")
        return trim(2.0 * y)


def frame_rms(x: np.ndarray, frame: int = TRIM_FRAME) -> np.ndarray:
    n = len(x) // frame
    f = x[: n * frame].reshape(n, frame)
    return np.sqrt(np.mean(f**2, axis=1))


def trim(x: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(frame_rms(x) >= TRIM_THRESHOLD)
    if len(loud) == 0:
        raise ValueError("segment is silent")
    return x[loud[0] * TRIM_FRAME : (loud[-1] + 1) * TRIM_FRAME].copy()


def longest_internal_silence(x: np.ndarray) -> float:
    quiet = frame_rms(x) < TRIM_THRESHOLD
    best = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        best = max(best, run)
    return best * TRIM_FRAME / SR


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    spec /= np.sqrt(np.maximum(f, 50.0))  # 1/f power, flat below 50 Hz
    y = np.fft.irfft(spec, n)
    return y / np.sqrt(np.mean(y**2))


def uni(rng: np.random.Generator, lo_hi: tuple[float, float]) -> float:
    return float(rng.uniform(*lo_hi))


def samples(seconds: float) -> int:
    return int(round(seconds * SR))


# ---- building one clip --------------------------------------------------------------------------
def build_clip(spec: dict, synth: Synth) -> tuple[np.ndarray, dict]:
    seed = zlib.crc32(spec["name"].encode())
    rng = np.random.default_rng(seed)
    voice, rate = spec["voice"], spec["rate"]

    items = ANSWERS[spec["question_id"]]
    if not spec["fillers"]:
        items = [it for it in items if not isinstance(it, F | L)]

    # Audio for every segment, and the gap (in samples) that precedes it.
    pieces: list[tuple[str, str, np.ndarray]] = []
    gaps: list[int] = []
    pending_pause: float | None = None
    for it in items:
        if isinstance(it, P):
            nominal = it.seconds * (1 + rng.uniform(-PAUSE_JITTER, PAUSE_JITTER))
            pending_pause = float(np.clip(nominal, *PAUSE_RANGE))
            continue
        if isinstance(it, F):
            assert it.text in FILLED_PAUSES
            base = synth.espeak(it.text, voice, FILLED_PAUSE_RATE, FILLED_PAUSE_PITCH)
            target = uni(rng, FILLED_PAUSE_DUR)
            audio = synth.tempo(base, len(base) / SR / target)
            kind, text = "filled_pause", it.text
            join = TIGHT if rng.random() < 0.5 else JOIN
        elif isinstance(it, L):
            assert it.text in LEXICAL_FILLERS
            audio = synth.espeak(it.text, voice, rate)
            kind, text = "lexical_filler", it.text
            join = JOIN
        else:
            assert isinstance(it, str)
            n_words = len(it.split())
            assert 3 <= n_words <= 15, it
            assert all(c.isalpha() or c in " '" for c in it), it
            audio = synth.espeak(it, voice, rate)
            kind, text = "speech", it
            join = JOIN
        if not pieces:
            gap = uni(rng, LEAD)
        elif pending_pause is not None:
            gap = pending_pause
        else:
            gap = uni(rng, join)
        pending_pause = None
        gaps.append(samples(gap))
        pieces.append((kind, text, audio))
        internal = longest_internal_silence(audio)
        assert internal < ARTIC_GAP_MIN, (spec["name"], text, internal)

    trail = samples(uni(rng, TRAIL))
    total = sum(gaps) + sum(len(a) for _, _, a in pieces) + trail

    clean = np.zeros(total)
    segments = []
    pos = 0
    for (kind, text, audio), gap in zip(pieces, gaps, strict=True):
        pos += gap
        clean[pos : pos + len(audio)] = audio
        segments.append({"kind": kind, "text": text, "s0": pos, "s1": pos + len(audio)})
        pos += len(audio)
    assert pos + trail == total

    # Gain: speech RMS (over segment samples only) -> SPEECH_RMS_DBFS; then noise at SNR.
    mask = np.zeros(total, dtype=bool)
    for s in segments:
        mask[s["s0"] : s["s1"]] = True
    speech_rms = np.sqrt(np.mean(clean[mask] ** 2))
    target_rms = 10 ** (SPEECH_RMS_DBFS / 20)
    clean *= target_rms / speech_rms
    snr = SNR_DB[spec["cond"]]
    noise = pink_noise(total, rng) * target_rms / 10 ** (snr / 20)
    audio = clean + noise
    peak = np.max(np.abs(audio))
    assert peak < 0.99, (spec["name"], peak)

    truth = make_truth(spec, segments, total, snr)
    return audio, truth


def r3(x: float) -> float:
    return round(float(x), 3)


def make_truth(spec: dict, segments: list[dict], total: int, snr: int) -> dict:
    segs = [
        {"kind": s["kind"], "text": s["text"], "start": r3(s["s0"] / SR), "end": r3(s["s1"] / SR)}
        for s in segments
    ]
    fillers = [
        {
            "text": s["text"],
            "kind": "filled_pause" if s["kind"] == "filled_pause" else "lexical",
            "start": r3(s["s0"] / SR),
            "end": r3(s["s1"] / SR),
        }
        for s in segments
        if s["kind"] != "speech"
    ]
    gaps = [(a["s1"], b["s0"]) for a, b in zip(segments, segments[1:], strict=False)]
    pauses = [
        {"start": r3(g0 / SR), "end": r3(g1 / SR)} for g0, g1 in gaps if (g1 - g0) / SR >= PAUSE_MIN
    ]
    speech_start = segments[0]["s0"] / SR
    speech_end = segments[-1]["s1"] / SR
    answer_s = speech_end - speech_start
    reference = " ".join(s["text"] for s in segments if s["kind"] == "speech")
    verbatim = " ".join(s["text"] for s in segments)
    word_count = len(reference.split())
    long_gap_s = sum((g1 - g0) / SR for g0, g1 in gaps if (g1 - g0) / SR >= ARTIC_GAP_MIN)
    return {
        "name": spec["name"],
        "audio": spec["name"] + ".flac",
        "question_id": spec["question_id"],
        "voice": spec["voice"],
        "rate": spec["rate"],
        "snr_db": snr,
        "duration_s": r3(total / SR),
        "speech_start": r3(speech_start),
        "speech_end": r3(speech_end),
        "reference_text": reference,
        "verbatim_text": verbatim,
        "segments": segs,
        "fillers": fillers,
        "pauses": pauses,
        "word_count": word_count,
        "answer_s": r3(answer_s),
        "words_per_minute": round(word_count / answer_s * 60, 1),
        "articulation_wpm": round(word_count / (answer_s - long_gap_s) * 60, 1),
        "rubric_hits": dict(RUBRIC_HITS[spec["question_id"]]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("audio_fixtures"))
    args = ap.parse_args(argv)
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            print(f"error: {tool} not found on PATH", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    names = []
    with tempfile.TemporaryDirectory() as tmp:
        synth = Synth(Path(tmp))
        for spec in clip_plan():
            audio, truth = build_clip(spec, synth)
            sf.write(
                args.out / truth["audio"],
                audio,
                SR,
                format="FLAC",
                subtype="PCM_16",
                compression_level=1.0,
            )
            (args.out / f"{spec['name']}.json").write_text(json.dumps(truth, indent=2) + "\n")
            names.append(spec["name"])
            print(
                f"{spec['name']}: {truth['duration_s']:.1f}s answer {truth['answer_s']:.1f}s "
                f"{truth['word_count']}w {len(truth['fillers'])} fillers "
                f"{len(truth['pauses'])} pauses wpm {truth['words_per_minute']}"
            )
    (args.out / "index.json").write_text(json.dumps(sorted(names), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
