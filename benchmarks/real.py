#!/usr/bin/env python3
"""Filled pauses and words on recordings of real people, per speaker: the pipeline against plain
faster-whisper on the same clips in the same run.

Reads the clip sets of ``benchmarks.real_clips`` (``../shared/audio``: real/ of one speaker,
speakers/ of five others, jfk.flac, comfyui.mp3 and three clips without speech) and prints one
table per model with a row per speaker, for the scoring pipeline and for plain faster-whisper
(``WhisperModel.transcribe`` with its defaults, the same model files):

- filled pauses found / true / reported, count-matched per clip: found = min(reported, true) on
  each clip; recall = found / true, precision = found / reported;
- false filled pauses on the clips that have none (hard negatives: "'er" meaning "her", "like"
  as a verb, laughter, breaths, near silence, a meeting participant saying only "mm-hmm");
- content word error rate with filled pauses removed from both sides (annotations such as
  ``<cutoff-...>`` and ``[laughter]`` are not words; runs of single letters are one word);
- seconds of speech (voice activity) left without any word or filler, in pieces of 1 s or more
  and of 0.5 s or more, and how many fallback decodes the pipeline made (``Recognition``);
- compute seconds per second of audio.

    python -m benchmarks.real [--models tiny.en base] [--markdown FILE] [--details]

In-sample: everything chosen while looking at these clips. Thresholds chosen on them are chosen
leave-one-speaker-out (``--leave-out SPEAKER`` scores only the others).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evaluation.real_clips import (  # noqa: F401 (the clip sets' names, as before)
    REAL,
    SHARED_AUDIO,
    RealClip,
    content_reference,
    load_all_clips,
    load_clips,
    normalize_words,
    split_heard,
)
from evaluation.real_speech import (  # noqa: F401 (the names, as before)
    Heard,
    Tally,
    _all,
    measure,
    measure_by_speaker,
    pipeline_recognizer,
    plain_recognizer,
    unwritten_speech,
)


def table(results: dict[str, dict[str, Tally]], markdown: bool = True) -> str:
    """One row per speaker (and the speakers pooled): the pipeline beside plain faster-whisper."""
    pipe = results["pipeline"]
    plain = results.get("plain faster-whisper") or {s: Tally(audio_s=1.0) for s in pipe}
    speakers = list(pipe)
    others = [s for s in speakers if s not in ("mfa-a", "jfk", "comfyui", "no-speech")]
    groups = [(s, pipe[s], plain[s]) for s in speakers]
    if others:
        groups.append(("speakers/ pooled", _all(pipe, others), _all(plain, others)))
    groups.append(("all pooled", _all(pipe, speakers), _all(plain, speakers)))
    head = [
        "speaker",
        "filled found / true / reported",
        "recall",
        "precision",
        "false on clips without",
        "content WER pipeline",
        "content WER plain",
        "plain found / reported",
        "unwritten s (>=1 s / >=0.5 s) pipeline",
        "plain",
        "fallback decodes",
        "unclear (s)",
        "compute s per audio s (pipeline / plain)",
    ]
    cells = [head]
    for name, t, p in groups:
        cells.append(
            [
                name,
                f"{t.found} / {t.true} / {t.reported}",
                f"{t.recall:.2f}" if t.true else "-",
                f"{t.precision:.2f}" if t.reported else "-",
                f"{t.false_on_negatives} (on {t.negatives})" if t.negatives else "-",
                f"{t.wer:.3f} ({t.errors}/{t.ref_words})" if t.ref_words else "-",
                f"{p.wer:.3f} ({p.errors}/{p.ref_words})" if p.ref_words else "-",
                f"{p.found} / {p.reported}",
                f"{t.unwritten_1s:.1f} / {t.unwritten_05s:.1f}",
                f"{p.unwritten_1s:.1f} / {p.unwritten_05s:.1f}",
                str(t.fallbacks),
                f"{t.unclear} ({t.unclear_s:.1f} s)",
                f"{t.seconds / t.audio_s:.3f} / {p.seconds / p.audio_s:.3f}",
            ]
        )
    if markdown:
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in cells[1:]])
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells)


def details(results: dict[str, dict[str, Tally]]) -> str:
    out = []
    for label, by in results.items():
        out.append(f"== {label}")
        for speaker, t in by.items():
            for name, n, want, text in t.rows:
                mark = "" if n == want else f"  <- {n} filled, {want} said"
                out.append(f"{speaker} {name}: {text}{mark}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from voice_interviewer.speech.models import DEFAULT_MODEL

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", nargs="+", default=[DEFAULT_MODEL])
    ap.add_argument("--markdown", type=Path, help="also write the tables as markdown here")
    ap.add_argument("--details", action="store_true", help="per-clip transcripts after the table")
    ap.add_argument("--only", nargs="+", metavar="SPEAKER", help="score only these speakers")
    ap.add_argument(
        "--leave-out",
        nargs="+",
        metavar="SPEAKER",
        default=[],
        help="score every speaker but these (leave-one-speaker-out choices)",
    )
    ap.add_argument(
        "--no-plain", action="store_true", help="the pipeline only (quicker, while trying things)"
    )
    ap.add_argument(
        "--fillers-under-words",
        action="store_true",
        help="also measure the pipeline with ScoreOptions.fillers_under_words",
    )
    args = ap.parse_args(argv)
    if not (REAL / "labels.json").is_file():
        print(f"error: {REAL}/labels.json not found: the real clips are needed", file=sys.stderr)
        return 2
    clips = [
        c
        for c in load_all_clips()
        if (not args.only or c.speaker in args.only) and c.speaker not in args.leave_out
    ]
    markdown = []
    for m in args.models:
        results = measure_by_speaker(
            m,
            clips,
            lambda s: print(s, file=sys.stderr),
            args.fillers_under_words,
            not args.no_plain,
        )
        header = (
            f"{m}: {len(clips)} real clips of {len({c.speaker for c in clips})} speakers, "
            f"{sum(c.filled for c in clips)} labelled filled pauses; content WER on "
            f"{sum(c.content is not None for c in clips)} clips"
        )
        print(header)
        print(table(results, markdown=False))
        if args.details:
            print(details(results))
        markdown.append(f"{header}\n\n{table(results)}\n\n```\n{details(results)}\n```\n")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
