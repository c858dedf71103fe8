"""`banks` and `questions`: list and validate question banks, list a bank's questions."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from voice_interviewer.cli.common import BANK_HELP
from voice_interviewer.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "banks",
        help="list installed question banks, or validate one",
        description="List installed banks, or `banks validate PATH` to check a TOML bank.",
    )
    b.add_argument(
        "action", nargs="?", choices=["validate"], help="validate: check the bank at PATH"
    )
    b.add_argument("path", nargs="?", metavar="PATH", help="bank file to validate")
    b.add_argument("--json", action="store_true", help="machine-readable list")
    b.add_argument(
        "--strict",
        action="store_true",
        help="validate: exit 1 when an example answer ([[questions.examples]]) disagrees with "
        "the rubric matcher on any point (disagreements are always listed)",
    )
    b.set_defaults(func=cmd_banks)

    q = sub.add_parser("questions", help="list the questions of a bank")
    q.add_argument("--bank", metavar="BANK", help=BANK_HELP)
    q.add_argument("--json", action="store_true", help="machine-readable list")
    q.set_defaults(func=cmd_questions)


def cmd_banks(args: argparse.Namespace) -> int:
    from rich.table import Table

    from voice_interviewer.bank import installed_bank_paths, load_bank

    if args.action == "validate":
        if not args.path:
            raise UsageError("banks validate needs a PATH to a TOML bank")
        bank = load_bank(args.path)
        n_points = sum(len(q.points) for q in bank.questions)
        print(
            f"{args.path}: ok: bank '{bank.id}', {len(bank.questions)} questions, {n_points} rubric points"
        )
        return _validate_examples(args.path, bank, args.strict)
    if args.action is not None:
        raise UsageError(
            f"unknown banks action '{args.action}' (use: banks, or banks validate PATH)"
        )
    banks = [load_bank(p) for p in installed_bank_paths().values()]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": b.id,
                        "title": b.title,
                        "questions": len(b.questions),
                        "categories": b.categories(),
                        "path": b.source,
                    }
                    for b in banks
                ]
            )
        )
        return 0
    table = Table(title="Installed question banks")
    for col in ("id", "title", "questions", "categories"):
        table.add_column(col)
    for b in banks:
        table.add_row(b.id, b.title, str(len(b.questions)), ", ".join(b.categories()))
    Console().print(table)
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from rich.table import Table

    from voice_interviewer.bank import resolve_bank

    bank = resolve_bank(args.bank)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": q.id,
                        "category": q.category,
                        "text": q.text,
                        "target_seconds": list(q.target_seconds),
                        "star": q.star,
                    }
                    for q in bank.questions
                ]
            )
        )
        return 0
    table = Table(title=f"{bank.title} ({bank.id})")
    for col in ("id", "category", "question", "target"):
        table.add_column(col)
    for q in bank.questions:
        table.add_row(
            q.id, q.category, q.text, f"{q.target_seconds[0]:.0f}-{q.target_seconds[1]:.0f} s"
        )
    Console().print(table)
    return 0


def _validate_examples(path: str, bank, strict: bool) -> int:
    """Score the bank's example answers; list each point where the matcher disagrees (a warning,
    or exit 1 with ``--strict``)."""
    from voice_interviewer.scoring.examples import check_examples
    from voice_interviewer.scoring.semantic_model import shared_embedder

    if not any(q.examples for q in bank.questions):
        return 0
    check = check_examples(bank, shared_embedder())
    agree = check.points - len(check.disagreements)
    print(
        f"{path}: examples: {check.examples} answers, {agree} of {check.points} point "
        f"judgements agree with the matcher"
    )
    for d in check.disagreements:
        said = "hits" if d.expected else "misses"
        got = "missed" if d.expected else "hit"
        print(
            f"{path}: warning: question {d.question_id!r}, example #{d.example}: the example {said} "
            f"point {d.point_id!r}, the matcher {got} it (score {d.score:.2f})"
        )
    return 1 if strict and check.disagreements else 0
