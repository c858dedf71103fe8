"""Rubric settings tried side by side on the tuning sets only: how settings are chosen.

    python -m benchmarks.rubric_sweep --try "" --try "topic_margin=0.08 cross_margin=0.05"
        [--cross] [--sets NAME ...]

Each ``--try`` is one row: ``RubricSettings`` fields changed from the defaults (an empty string is
the defaults). Agreement with hand judgement per tuning set; with ``--cross``, also the
cross-question credit (``rubric_cross``) over the same sets, which takes a minute or two a row.
The held-out sets are refused: a setting chosen looking at them would make their figures
in-sample. One model and its cache serve every row, so rows after the first are quicker.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields, replace

from benchmarks.rubric import SETS, load_set, render, score_set
from benchmarks.rubric_cross import cross_score
from voice_interviewer.bank import resolve_bank
from voice_interviewer.scoring.rubric import RubricSettings, prepare_rubric

TUNING = [s for s in SETS if not s.held_out]


def parse_try(text: str) -> RubricSettings:
    """``"topic_margin=0.05 cross_margin=0.1"`` -> the defaults with those changed."""
    names = {f.name for f in fields(RubricSettings) if f.name != "star"}
    changes: dict[str, float] = {}
    for item in text.split():
        name, _, value = item.partition("=")
        if name not in names:
            raise SystemExit(
                f"--try {text!r}: no setting {name!r} (known: {', '.join(sorted(names))})"
            )
        try:
            changes[name] = float(value)
        except ValueError:
            raise SystemExit(f"--try {text!r}: {value!r} is not a number") from None
    return replace(RubricSettings(), **changes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--try",
        dest="tries",
        action="append",
        default=[],
        metavar="'NAME=VALUE ...'",
        help="settings changed from the defaults, one row each ('' = the defaults)",
    )
    ap.add_argument("--cross", action="store_true", help="also cross-question credit (slow)")
    ap.add_argument(
        "--sets", nargs="+", choices=[s.name for s in TUNING], help="only these tuning sets"
    )
    ap.add_argument("--model", default="tiny.en", help="Whisper model for the fixture set")
    args = ap.parse_args(argv)
    tries = [(t, parse_try(t)) for t in (args.tries or [""])]

    from voice_interviewer.scoring.semantic_model import shared_embedder

    embedder = shared_embedder()
    bank = resolve_bank(None)
    for q in bank.questions:
        prepare_rubric(q, embedder)
    specs = [s for s in TUNING if (not args.sets or s.name in args.sets) and s.source.exists()]
    loaded = [(s, load_set(s, args.model, bank)) for s in specs]
    head = ["settings", *[s.name for s in specs], "agreement", "false hits", "misses", "unclear"]
    cells = [head + (["cross-question credit"] if args.cross else [])]
    for label, settings in tries:
        scores = [score_set(s, answers, bank, embedder, settings) for s, answers in loaded]
        points = sum(x.points for x in scores)
        agree = sum(x.agree for x in scores)
        row = [label or "defaults", *[f"{x.agree}/{x.points}" for x in scores]]
        row += [f"{agree}/{points} ({100 * agree / points:.1f}%)"]
        row += [
            str(sum(getattr(x, k) for x in scores)) for k in ("false_hits", "misses", "unclear")
        ]
        if args.cross:
            cross = [cross_score(s, answers, bank, embedder, settings) for s, answers in loaded]
            credited, judged = sum(c.credited for c in cross), sum(c.points for c in cross)
            row.append(f"{100 * credited / judged:.1f}% ({credited})")
        cells.append(row)
        print(f"  done: {row[0]}", file=sys.stderr, flush=True)
    print("rubric settings on the tuning sets (in-sample by construction)")
    print(render(cells, markdown=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
