"""Cross-question credit: every fixture and text answer scored against every other question of
the bank. An answer to one question should make no point of another, so every point credited is
a false hit; the target is at most 2 % of the points judged.

    python -m benchmarks.rubric_cross [--sets NAME ...] [--details] [--markdown FILE]

Points made by a keyword (the author's word) are counted apart from those made by meaning alone:
the off-topic guard (``scoring.topics``) takes away only the latter.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.rubric import SETS, Answer, SetSpec, load_set, render
from voice_interviewer.bank import Bank, resolve_bank
from voice_interviewer.scoring.rubric import RubricSettings, prepare_rubric, score_rubric
from voice_interviewer.scoring.semantic import Embedder


@dataclass
class CrossScore:
    name: str
    held_out: bool
    pairs: int = 0  # (answer, other question)
    points: int = 0
    credited: int = 0
    by_keyword: int = 0
    unclear: int = 0
    flagged: int = 0  # pairs the guard called off topic
    details: list[str] = field(default_factory=list)


def cross_score(
    spec: SetSpec,
    answers: list[Answer],
    bank: Bank,
    embedder: Embedder,
    settings: RubricSettings = RubricSettings(),
) -> CrossScore:
    """Every answer of the set against every other question of the bank."""
    cs = CrossScore(spec.name, spec.held_out)
    for a in answers:
        for q in bank.questions:
            if q.id == a.question_id:
                continue
            r = score_rubric(q, a.words, embedder, settings, timed=a.timed)
            cs.pairs += 1
            cs.flagged += r.about is not None
            for p in r.points:
                cs.points += 1
                cs.unclear += p.status == "unclear"
                if p.hit:
                    cs.credited += 1
                    cs.by_keyword += bool(p.keywords)
                    cs.details.append(f"{a.label} -> {q.id}/{p.id} {p.score:.2f} {p.keywords}")
    return cs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="tiny.en", help="Whisper model for the fixture sets")
    ap.add_argument("--sets", nargs="+", choices=[s.name for s in SETS], help="only these sets")
    ap.add_argument("--details", action="store_true", help="every credited point")
    ap.add_argument("--markdown", type=Path, help="also write the table as markdown here")
    args = ap.parse_args(argv)

    from voice_interviewer.scoring.semantic_model import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    bank = resolve_bank(None)
    for q in bank.questions:
        prepare_rubric(q, embedder)
    scores = []
    for spec in SETS:
        if (args.sets and spec.name not in args.sets) or not spec.source.exists():
            continue
        cs = cross_score(spec, load_set(spec, args.model, bank), bank, embedder)
        scores.append(cs)
    cells = [
        [
            "set",
            "kind",
            "answer x other question",
            "points",
            "credited",
            "by keyword",
            "unclear",
            "called off topic",
        ]
    ]
    tot = CrossScore("all", False)
    for c in scores:
        for f in ("pairs", "points", "credited", "by_keyword", "unclear", "flagged"):
            setattr(tot, f, getattr(tot, f) + getattr(c, f))
    for c in [*scores, tot]:
        pct = 100 * c.credited / c.points if c.points else 0.0
        cells.append(
            [
                c.name,
                "-" if c is tot else "held out" if c.held_out else "tuning (in-sample)",
                str(c.pairs),
                str(c.points),
                f"{pct:.1f}% ({c.credited})",
                str(c.by_keyword),
                str(c.unclear),
                f"{c.flagged}/{c.pairs}",
            ]
        )
    print("cross-question credit: every answer against every other question of the bank")
    print(render(cells, markdown=False))
    if args.details:
        for c in scores:
            for line in c.details:
                print(" ", line)
    if args.markdown:
        args.markdown.write_text(render(cells, markdown=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
