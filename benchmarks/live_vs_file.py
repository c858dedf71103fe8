#!/usr/bin/env python3
"""Live transcription against scoring the file: the same audio, block by block or all at once.

For each clip, "live" is what ``practice`` does with a microphone: the audio arrives in 0.1 s
blocks (``FileFeed``, without the real-time sleeping) into ``LiveAnswer`` with the live endpoint
settings, whose worker thread transcribes the stretches as the controller drives it, until the
endpointer ends the answer in the silence after the clip. "File" is ``Scorer.score`` of the
samples that live answer heard (the clip and the silence after it, as long as the answer lasted:
the recording it saved, before the WAV's 16-bit rounding). Both are compared with
the clip's reference by content word error rate, computed as ``benchmarks.real`` does (filled
pauses removed from both sides; ``truth.normalize_words``).

Sets: the real clips (``../shared/audio/real`` + jfk.flac; one speaker, labels in labels.json),
and the synthetic fixture sets in ``audio_fixtures/`` (espeak benchmark and held-out, Piper).

    python -m benchmarks.live_vs_file [--models tiny.en] [--sets real benchmark heldout piper]
                                      [--limit N] [--details] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.real import REAL, RealClip, load_clips, normalize_words, split_heard
from evaluation.hearing import hear_file, hear_live, words_of
from evaluation.truth import SHARED_CLIP_QUESTION, edit_distance

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_SETS = {
    "benchmark": ROOT / "audio_fixtures",
    "heldout": ROOT / "audio_fixtures" / "heldout",
    "piper": ROOT / "audio_fixtures" / "piper",
}


@dataclass(frozen=True)
class ClipComparison:
    """One clip heard live and as a file."""

    name: str
    ref_words: int  # 0: no reference (counted for "same words" only)
    live_errors: int
    file_errors: int
    live_words: tuple[str, ...]  # everything recognised, filled pauses included
    file_words: tuple[str, ...]
    live_end: str  # why the live answer ended ("silence" when the clip was heard to its end)

    @property
    def same_words(self) -> bool:
        return self.live_words == self.file_words


@dataclass(frozen=True)
class LiveFileResult:
    model: str
    live_wer: float
    file_wer: float
    clips: tuple[ClipComparison, ...]

    @property
    def ref_words(self) -> int:
        return sum(c.ref_words for c in self.clips)

    @property
    def same(self) -> int:
        return sum(c.same_words for c in self.clips)


def fixture_clips(folder: Path) -> list[RealClip]:
    """A synthetic fixture set as reference clips: the truth's words (it holds no filler)."""
    names = json.loads((folder / "index.json").read_text())
    out = []
    for n in names:
        t = json.loads((folder / f"{n}.json").read_text())
        filled = sum(f["kind"] == "filled_pause" for f in t.get("fillers") or [])
        out.append(
            RealClip(n, folder / t["audio"], tuple(normalize_words(t["reference_text"])), filled)
        )
    return out


def question_id(clip: RealClip) -> str:
    """The fixture's question (its truth beside the audio), else the shared clips' one."""
    truth = clip.path.with_suffix(".json")
    if truth.is_file():
        return json.loads(truth.read_text())["question_id"]
    return SHARED_CLIP_QUESTION


def errors(clip: RealClip, words: Sequence[str]) -> int:
    if clip.content is None:
        return 0
    return edit_distance(list(clip.content), split_heard(words)[1])


def measure(
    model: str, clips: Sequence[RealClip], log: Callable[[str], None] = print
) -> LiveFileResult:
    """Live and file content WER of ``model`` over ``clips`` (pooled over the clips' words)."""
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.decode import load_audio
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    scorer = Scorer(
        WhisperTranscriber(resolve_model(model)), options=ScoreOptions(semantic_rubric=False)
    )
    bank = resolve_bank(None)
    rows = []
    for clip in clips:
        question = bank.question(question_id(clip))
        hearing = hear_live(scorer, question, load_audio(clip.path))
        live, end = words_of(hearing.outcome), hearing.outcome.end_reason
        file = hear_file(scorer, question, hearing.heard)
        n = len(clip.content) if clip.content is not None else 0
        row = ClipComparison(clip.name, n, errors(clip, live), errors(clip, file), live, file, end)
        rows.append(row)
        log(
            f"  [{model}] {clip.name}: live {row.live_errors}/{n} file {row.file_errors}/{n}"
            f"{'' if row.same_words else '  (words differ)'}"
        )
    ref = sum(r.ref_words for r in rows)
    return LiveFileResult(
        model,
        sum(r.live_errors for r in rows) / ref if ref else 0.0,
        sum(r.file_errors for r in rows) / ref if ref else 0.0,
        tuple(rows),
    )


def load_set(name: str, limit: int | None = None) -> list[RealClip]:
    clips = load_clips() if name == "real" else fixture_clips(FIXTURE_SETS[name])
    if name == "real":  # no reference, no words to compare but "same": keep only the worded ones
        clips = [c for c in clips if c.content is not None]
    if limit and limit < len(clips):  # spread over the set, not the first N
        clips = [clips[round(i * len(clips) / limit)] for i in range(limit)]
    return clips


def table(results: dict[tuple[str, str], LiveFileResult]) -> str:
    head = (
        "model",
        "set",
        "clips",
        "ref words",
        "live WER",
        "file WER",
        "live - file",
        "clips with the same words",
        "live answers cut short",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (model, name), r in results.items():
        cut = sum(c.live_end != "silence" for c in r.clips)
        lines.append(
            f"| {model} | {name} | {len(r.clips)} | {r.ref_words} | {100 * r.live_wer:.1f}% | "
            f"{100 * r.file_wer:.1f}% | {100 * (r.live_wer - r.file_wer):+.1f} | "
            f"{r.same}/{len(r.clips)} | {cut} |"
        )
    return "\n".join(lines)


def details(results: dict[tuple[str, str], LiveFileResult]) -> str:
    out = []
    for (model, name), r in results.items():
        for c in r.clips:
            if not c.same_words:
                out += [
                    f"== {model} {name} {c.name} (live {c.live_errors}, file {c.file_errors}"
                    f" of {c.ref_words}; live ended: {c.live_end})",
                    f"  live: {' '.join(c.live_words)}",
                    f"  file: {' '.join(c.file_words)}",
                ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=["tiny.en"])
    ap.add_argument(
        "--sets", nargs="+", default=["real", *FIXTURE_SETS], choices=["real", *FIXTURE_SETS]
    )
    ap.add_argument("--limit", type=int, help="at most this many clips per set")
    ap.add_argument("--details", action="store_true", help="the clips whose words differ")
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    args = ap.parse_args(argv)
    if "real" in args.sets and not (REAL / "labels.json").is_file():
        print(f"error: {REAL}/labels.json not found: the real clips are needed", file=sys.stderr)
        return 2
    results = {
        (m, s): measure(m, load_set(s, args.limit), log=lambda x: print(x, file=sys.stderr))
        for m in args.models
        for s in args.sets
    }
    text = table(results)
    print(text)
    if args.details:
        print(details(results))
    if args.markdown:
        args.markdown.write_text(text + "\n\n```\n" + details(results) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
