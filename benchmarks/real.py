#!/usr/bin/env python3
"""Filled pauses and words on recordings of real people: the pipeline against plain faster-whisper.

Reads ``../shared/audio/real`` (16 clips of one speaker with verbatim labels, see its README) and
the clips in ``../shared/audio`` (jfk.flac, comfyui.mp3, and laugh1/laugh2/empty, which hold no
filled pause), and prints, for each model, side by side for the scoring pipeline and for plain
faster-whisper (``WhisperModel.transcribe`` with its defaults, the same model files):

- filled pauses found / true / reported, count-matched per clip (the labels have no times):
  found = min(reported, true) on each clip; recall = found / true, precision = found / reported;
- false filled pauses on the clips that have none (hard negatives: "'er" meaning "her", "like"
  as a verb, laughter, breaths, a hesitation inside a word, near silence);
- content word error rate with filled pauses removed from both sides (reference annotations such
  as ``<cutoff-...>`` and ``[laughter]`` are not words; runs of single letters are one word, so
  "m f a" and "MFA" agree);
- compute seconds per second of audio.

    python -m benchmarks.real [--models tiny.en base] [--markdown FILE] [--details]

Everything in this set is in-sample for anything tuned while looking at it: it is one speaker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from benchmarks.truth import JFK_REFERENCE, NO_SPEECH_CLIPS, SHARED_CLIP_QUESTION, edit_distance
from benchmarks.truth import normalize_words as _normalize_words

REPO = Path(__file__).resolve().parents[1]


def find_shared_audio() -> Path:
    """``shared/audio`` beside the checkout (as in CI), or beside the folder of git worktrees
    (``/work/wt/NAME`` next to ``/work/shared``); ``$VOICE_INTERVIEWER_SHARED_AUDIO`` overrides."""
    if os.environ.get("VOICE_INTERVIEWER_SHARED_AUDIO"):
        return Path(os.environ["VOICE_INTERVIEWER_SHARED_AUDIO"])
    for base in REPO.parents[:2]:
        if (base / "shared" / "audio").is_dir():
            return base / "shared" / "audio"
    return REPO.parent / "shared" / "audio"


SHARED_AUDIO = find_shared_audio()
REAL = SHARED_AUDIO / "real"

# Filled pauses in any spelling (the same families the package counts; kept here on purpose so the
# yardstick does not move with the code it measures).
_FILLED = re.compile(r"u+h+|u+h*m+|e+r+m*|e+h+|a+h+|h+m+|m{2,}")


def is_filled(token: str) -> bool:
    return _FILLED.fullmatch(token) is not None


# Spoken contractions a transcript may write either way.
_EXPANSIONS = {"gonna": ("going", "to"), "wanna": ("want", "to"), "gotta": ("got", "to")}


def normalize_words(text: str) -> list[str]:
    """``truth.normalize_words``, then runs of single letters joined ("m f a" -> "mfa")."""
    out: list[str] = []
    run = ""
    for w in (t for word in _normalize_words(text) for t in _EXPANSIONS.get(word, (word,))):
        if len(w) == 1 and w not in ("a", "i"):
            run += w
            continue
        if len(w) == 1 and run:  # "a" or "i" inside a run of letters ("m f a")
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


@dataclass(frozen=True)
class RealClip:
    """One labelled recording: reference content words and how many filled pauses it holds."""

    name: str
    path: Path
    content: tuple[str, ...] | None  # reference words without fillers; None: no usable reference
    filled: int  # filled pauses said


# Labels' spellings of what was said, as a transcript writes them.
_SPOKEN_FORM = {"'er": "her"}


def content_reference(words: Sequence[str], fillers: Sequence[dict]) -> tuple[str, ...]:
    """The labels' words without annotations and without the labelled filled pauses (pure).

    Filled pauses are removed by the labels, not by spelling: "'er" (her) is a word here. A
    hesitation-lengthened word (``<hes-forced>``) is the word; a cut-off one is no word."""
    pending = [f["text"] for f in fillers if f["kind"] == "filled"]
    kept: list[str] = []
    for w in words:
        if w.startswith("<hes-"):
            w = w[len("<hes-") : -1]
        elif w.startswith("<") or w.startswith("["):
            continue
        elif pending and w == pending[0]:
            pending.pop(0)
            continue
        kept.append(_SPOKEN_FORM.get(w, w))
    return tuple(normalize_words(" ".join(kept)))


def load_clips(real: Path = REAL, shared: Path = SHARED_AUDIO) -> list[RealClip]:
    labels = json.loads((real / "labels.json").read_text())
    clips = [
        RealClip(
            c["file"],
            real / c["file"],
            content_reference(c["words"], c["fillers"]),
            sum(f["kind"] == "filled" for f in c["fillers"]),
        )
        for c in labels
    ]
    clips.append(
        RealClip("jfk.flac", shared / "jfk.flac", tuple(normalize_words(JFK_REFERENCE)), 0)
    )
    # comfyui's reference is partial ("..."): counted for false filled pauses only.
    clips.append(RealClip("comfyui.mp3", shared / "comfyui.mp3", None, 0))
    clips += [RealClip(n, shared / n, None, 0) for n in NO_SPEECH_CLIPS]
    return clips


@dataclass(frozen=True)
class Heard:
    """What one recognizer made of one clip: its words in order (filled pauses included)."""

    words: tuple[str, ...]
    seconds: float  # compute time


def split_heard(words: Sequence[str]) -> tuple[int, list[str]]:
    """(filled pauses, content words) of a recognizer's output words (pure)."""
    norm = [t for w in words for t in normalize_words(w)]
    return sum(map(is_filled, norm)), [t for t in norm if not is_filled(t)]


@dataclass
class Tally:
    """Pooled numbers of one recognizer over the set."""

    found: int = 0
    true: int = 0
    reported: int = 0
    false_on_negatives: int = 0
    negatives: int = 0
    errors: int = 0
    ref_words: int = 0
    seconds: float = 0.0
    audio_s: float = 0.0
    rows: list[tuple[str, int, int, str]] = field(default_factory=list)  # name, fp, true, text

    def add(self, clip: RealClip, heard: Heard, audio_s: float) -> None:
        n_filled, content = split_heard(heard.words)
        self.found += min(n_filled, clip.filled)
        self.true += clip.filled
        self.reported += n_filled
        if clip.filled == 0:
            self.negatives += 1
            self.false_on_negatives += n_filled
        if clip.content is not None:
            self.errors += edit_distance(list(clip.content), content)
            self.ref_words += len(clip.content)
        self.seconds += heard.seconds
        self.audio_s += audio_s
        self.rows.append((clip.name, n_filled, clip.filled, " ".join(heard.words)))

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.reported if self.reported else 1.0

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else 0.0


# ---- the two recognizers -------------------------------------------------------------------------
def pipeline_recognizer(
    model: str, fillers_under_words: bool = False
) -> Callable[[np.ndarray], Heard]:
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    scorer = Scorer(
        WhisperTranscriber(resolve_model(model)),
        options=ScoreOptions(semantic_rubric=False, fillers_under_words=fillers_under_words),
    )
    question = resolve_bank(None).question(SHARED_CLIP_QUESTION)

    def run(audio: np.ndarray) -> Heard:
        t0 = time.perf_counter()
        analysis = scorer.score(audio, question)
        return Heard(tuple(w.text for w in analysis.words), time.perf_counter() - t0)

    return run


def plain_recognizer(model: str) -> Callable[[np.ndarray], Heard]:
    """faster-whisper as its README shows it: defaults, the whole clip, no VAD, no prompt."""
    from faster_whisper import WhisperModel

    from voice_interviewer.speech.models import resolve_model

    ref = resolve_model(model)
    fw = WhisperModel(ref.location, device="cpu", compute_type="int8", local_files_only=ref.local)

    def run(audio: np.ndarray) -> Heard:
        t0 = time.perf_counter()
        segments, _ = fw.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
        words = tuple(w.word.strip() for s in segments for w in (s.words or []) if w.word.strip())
        return Heard(words, time.perf_counter() - t0)

    return run


RECOGNIZERS = {"pipeline": pipeline_recognizer, "plain faster-whisper": plain_recognizer}
UNDER_WORDS = "pipeline, fillers under words"  # ScoreOptions.fillers_under_words, opt-in


def measure(
    model: str, clips: Sequence[RealClip], log=print, under_words: bool = False
) -> dict[str, Tally]:
    from voice_interviewer.speech.decode import load_audio

    audios = {c.name: load_audio(c.path) for c in clips}
    out: dict[str, Tally] = {}
    recognizers = dict(RECOGNIZERS)
    if under_words:
        recognizers[UNDER_WORDS] = partial(pipeline_recognizer, fillers_under_words=True)
    for label, make in recognizers.items():
        recognize = make(model)
        tally = Tally()
        for c in clips:
            heard = recognize(audios[c.name])
            tally.add(c, heard, len(audios[c.name]) / 16000)
            log(f"  [{model} {label}] {c.name}: {' '.join(heard.words)!r}")
        out[label] = tally
    return out


def table(results: dict[str, dict[str, Tally]], markdown: bool = True) -> str:
    cols = [f"{m} {label}" for m, by in results.items() for label in by]
    tallies = [t for by in results.values() for t in by.values()]
    rows = [
        ("filled pauses found / true / reported", [f"{t.found} / {t.true} / {t.reported}" for t in tallies]),
        ("filled-pause recall", [f"{t.recall:.2f}" for t in tallies]),
        ("filled-pause precision", [f"{t.precision:.2f}" for t in tallies]),
        ("false filled pauses on the negative clips", [f"{t.false_on_negatives} (on {t.negatives} clips)" for t in tallies]),
        ("content WER (filled pauses removed)", [f"{t.wer:.3f} ({t.errors}/{t.ref_words})" for t in tallies]),
        ("compute s per audio s", [f"{t.seconds / t.audio_s:.3f}" for t in tallies]),
    ]  # fmt: skip
    cells = [["metric", *cols]] + [[name, *vals] for name, vals in rows]
    if markdown:
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in cells[1:]])
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells)


def details(results: dict[str, dict[str, Tally]]) -> str:
    out = []
    for model, by in results.items():
        for label, t in by.items():
            out.append(f"== {model} {label}")
            for name, n, want, text in t.rows:
                mark = "" if n == want else f"  <- {n} filled, {want} said"
                out.append(f"{name}: {text}{mark}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from voice_interviewer.speech.models import DEFAULT_MODEL

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=[DEFAULT_MODEL])
    ap.add_argument("--markdown", type=Path, help="also write the table as markdown here")
    ap.add_argument("--details", action="store_true", help="per-clip transcripts after the table")
    ap.add_argument(
        "--fillers-under-words",
        action="store_true",
        help="also measure the pipeline with ScoreOptions.fillers_under_words",
    )
    args = ap.parse_args(argv)
    if not (REAL / "labels.json").is_file():
        print(f"error: {REAL}/labels.json not found: the real clips are needed", file=sys.stderr)
        return 2
    clips = load_clips()
    results = {
        m: measure(m, clips, lambda s: print(s, file=sys.stderr), args.fillers_under_words)
        for m in args.models
    }
    header = (
        f"{len(clips)} real clips: {sum(c.filled > 0 for c in clips)} with filled pauses, "
        f"{sum(c.filled == 0 for c in clips)} without; content WER on "
        f"{sum(c.content is not None for c in clips)} clips (real/ + jfk.flac)"
    )
    print(header)
    print(table(results, markdown=False))
    if args.details:
        print(details(results))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(
            header + "\n\n" + table(results) + "\n\n```\n" + details(results) + "\n```\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
