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
from fixture_answers import ANSWERS, HELDOUT_ANSWERS, HELDOUT_RUBRIC_HITS, RUBRIC_HITS, F, L, P

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


@dataclass(frozen=True)
class FixtureSet:
    """One set of clips: its answers, voices, rates, and which clips are spoken without fillers."""

    prefix: str  # clip names start with prefix + answer number: a01.., h01..
    answers: dict[str, list[object]]
    rubric_hits: dict[str, dict[str, bool]]
    voices: tuple[str, ...]
    rates: tuple[int, ...]
    no_filler: frozenset[tuple[int, int]]  # (answer index, replicate) spoken fluently
    subdir: str  # below --out


SETS = {
    "benchmark": FixtureSet(
        "a",
        ANSWERS,
        RUBRIC_HITS,
        tuple(VOICES),
        tuple(RATES),
        frozenset({(1, 2), (3, 0), (5, 1), (6, 2)}),
        "",
    ),
    # Other questions, accents, a second female voice and other rates: see fixture_answers.py.
    "heldout": FixtureSet(
        "h",
        HELDOUT_ANSWERS,
        HELDOUT_RUBRIC_HITS,
        ("en-gb-scotland", "en-us-nyc", "en-gb-x-gbclan", "en-us+f4"),
        (130, 160, 185),
        frozenset({(0, 1), (2, 2), (4, 0), (7, 1)}),
        "heldout",
    ),
}


def clip_plan(fs: FixtureSet) -> list[dict]:
    """4 voices x 3 rates x 2 SNRs = 24 clips; each answer in 3 clips with 3 voices, 3 rates and
    both SNR conditions.  voice = (a + k) % 4, rate = k, snr alternates with k (offset by a // 4),
    which makes every (voice, rate, snr) combination occur exactly once."""
    plan = []
    for a, qid in enumerate(fs.answers):
        for k in range(3):
            voice = fs.voices[(a + k) % 4]
            rate = fs.rates[k]
            cond = "clean" if (a // 4 + k) % 2 == 0 else "noisy"
            name = f"{fs.prefix}{a + 1:02d}_{qid}_{voice.replace('+', '-')}_{rate}_{cond}"
            plan.append(
                {
                    "name": name,
                    "question_id": qid,
                    "voice": voice,
                    "rate": rate,
                    "cond": cond,
                    "fillers": (a, k) not in fs.no_filler,
                    "items": fs.answers[qid],
                    "rubric_hits": fs.rubric_hits[qid],
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
def pause_length(pause: P, rng: np.random.Generator) -> float:
    """A scripted pause's length in this clip: +-``PAUSE_JITTER``, within ``PAUSE_RANGE``."""
    nominal = pause.seconds * (1 + rng.uniform(-PAUSE_JITTER, PAUSE_JITTER))
    return float(np.clip(nominal, *PAUSE_RANGE))


def build_clip(spec: dict, synth: Synth) -> tuple[np.ndarray, dict]:
    seed = zlib.crc32(spec["name"].encode())
    rng = np.random.default_rng(seed)
    voice, rate = spec["voice"], spec["rate"]

    items = spec["items"]
    if not spec["fillers"]:
        items = [it for it in items if not isinstance(it, F | L)]

    # Audio for every segment, and the gap (in samples) that precedes it.
    pieces: list[tuple[str, str, np.ndarray]] = []
    gaps: list[int] = []
    pending_pause: float | None = None
    for it in items:
        if isinstance(it, P):
            pending_pause = pause_length(it, rng)
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
        "rubric_hits": dict(spec["rubric_hits"]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("audio_fixtures"))
    ap.add_argument(
        "--set",
        choices=sorted(SETS),
        default="benchmark",
        help="benchmark: OUT itself; heldout: OUT/heldout (default: benchmark)",
    )
    args = ap.parse_args(argv)
    fs = SETS[args.set]
    out = args.out / fs.subdir
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            print(f"error: {tool} not found on PATH", file=sys.stderr)
            return 1
    out.mkdir(parents=True, exist_ok=True)
    names = []
    with tempfile.TemporaryDirectory() as tmp:
        synth = Synth(Path(tmp))
        for spec in clip_plan(fs):
            audio, truth = build_clip(spec, synth)
            sf.write(
                out / truth["audio"],
                audio,
                SR,
                format="FLAC",
                subtype="PCM_16",
                compression_level=1.0,
            )
            (out / f"{spec['name']}.json").write_text(json.dumps(truth, indent=2) + "\n")
            names.append(spec["name"])
            print(
                f"{spec['name']}: {truth['duration_s']:.1f}s answer {truth['answer_s']:.1f}s "
                f"{truth['word_count']}w {len(truth['fillers'])} fillers "
                f"{len(truth['pauses'])} pauses wpm {truth['words_per_minute']}"
            )
    (out / "index.json").write_text(json.dumps(sorted(names), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
