"""`banks` and `questions`: list, validate, add and remove question banks; list a bank's
questions."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.text import Text

from voice_interviewer.cli.common import BANK_HELP, stdout_console
from voice_interviewer.errors import UsageError
from voice_interviewer.reports.terminal import id_column
from voice_interviewer.wording import as_launched, plural

ACTIONS = ("list", "validate", "add", "remove", "examples")
DATA_DIR_HELP = (
    "data folder whose banks/ holds the banks you added (default: $VOICE_INTERVIEWER_HOME, "
    "else your user data folder)"
)


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "banks",
        help="list question banks; validate, add or remove one",
        description="Question banks. `banks` lists the shipped banks and the ones you added; "
        "`banks validate PATH` checks a TOML bank; `banks add PATH` checks it and copies it into "
        "your data folder so every --bank finds it by its id; `banks remove ID` deletes a bank "
        "you added.",
    )
    b.add_argument(
        "action",
        nargs="?",
        choices=ACTIONS,
        default="list",
        help="list (default), validate PATH, add PATH, remove ID, examples export OUT",
    )
    b.add_argument(
        "target", nargs="?", metavar="PATH|ID", help="the bank file, or the id to remove"
    )
    b.add_argument(
        "out",
        nargs="?",
        metavar="OUT",
        help="examples export OUT: write the bank (--bank) with every answer you corrected "
        "(`correct`) added as [[questions.examples]] to the file OUT",
    )
    b.add_argument(
        "--bank", metavar="BANK", help="examples export: the bank (default: the default bank)"
    )
    b.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    b.add_argument("--json", action="store_true", help="machine-readable list")
    b.add_argument(
        "--strict",
        action="store_true",
        help="validate: exit 1 when an example answer ([[questions.examples]]) disagrees with "
        "the rubric matcher on any point (disagreements are always listed)",
    )
    b.set_defaults(func=cmd_banks)

    q = sub.add_parser(
        "questions",
        help="list the questions of a bank",
        description="List a bank's questions: id (what --question takes), category, text and "
        "target answer length.",
    )
    q.add_argument("--bank", metavar="BANK", help=BANK_HELP)
    q.add_argument("--json", action="store_true", help="machine-readable list")
    q.set_defaults(func=cmd_questions)


def cmd_banks(args: argparse.Namespace) -> int:
    from voice_interviewer.bank import install_bank, read_bank_file, remove_bank
    from voice_interviewer.paths import banks_dir

    user_dir = banks_dir(args.data_dir)
    if args.action == "examples":
        return _export_examples(args)
    if args.action != "list" and not args.target:
        what = "an ID" if args.action == "remove" else "a PATH to a TOML bank"
        raise UsageError(f"banks {args.action} needs {what}")
    if args.action == "validate":
        bank = read_bank_file(args.target)
        print(f"{args.target}: ok: {_describe(bank)}")
        _print_keyword_warnings(args.target, bank)
        return _validate_examples(args.target, bank, args.strict)
    elif args.action == "add":
        bank, replaced = install_bank(args.target, user_dir)
        verb = "replaced" if replaced else "added"
        print(f"{args.target}: {verb}: {_describe(bank)}; use it with --bank {bank.id}")
        _print_keyword_warnings(args.target, bank)
    elif args.action == "remove":
        path = remove_bank(args.target, user_dir)
        print(f"Removed bank '{args.target}' ({path}).")
    else:
        return _list_banks(args, user_dir)
    return 0


def _export_examples(args: argparse.Namespace) -> int:
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.cli.sessions import open_store
    from voice_interviewer.paths import banks_dir
    from voice_interviewer.sessions.example_export import collect_examples, export_examples

    if args.target != "export" or not args.out:
        raise UsageError("usage: banks examples export OUT [--bank BANK] [--data-dir DIR]")
    bank = resolve_bank(args.bank, banks_dir(args.data_dir))
    root, store = open_store(args.data_dir)
    try:
        examples = [] if store is None else collect_examples(store, bank)
    finally:
        if store is not None:
            store.close()
    n = export_examples(bank, examples, Path(args.out))
    print(
        as_launched(
            f"{args.out}: bank '{bank.id}' with {plural(n, 'corrected answer')} added as "
            f"examples (from {root}); check it with `voice-interviewer banks validate {args.out}`"
        )
    )
    return 0


def _print_keyword_warnings(path: str, bank) -> None:
    from voice_interviewer.bank.keywords import keyword_warnings

    for warning in keyword_warnings(bank):
        print(f"{path}: warning: {warning}")


def _describe(bank) -> str:
    n_points = sum(len(q.points) for q in bank.questions)
    questions = plural(len(bank.questions), "question")
    return f"bank '{bank.id}', {questions}, {plural(n_points, 'rubric point')}"


def _list_banks(args: argparse.Namespace, user_dir: Path) -> int:
    from rich.table import Table

    from voice_interviewer.bank import installed_bank_paths, read_bank_file, user_bank_paths

    shipped = installed_bank_paths()
    entries = [(read_bank_file(p), "shipped") for p in shipped.values()]
    entries += [
        (read_bank_file(p), "added")
        for i, p in user_bank_paths(user_dir).items()
        if i not in shipped
    ]
    if args.json:
        rows = [
            {
                "id": b.id,
                "title": b.title,
                "questions": len(b.questions),
                "categories": b.categories(),
                "path": b.source,
                "source": source,
            }
            for b, source in entries
        ]
        print(json.dumps(rows))
        return 0
    table = Table(title="Question banks")
    for col in ("id", "title", "questions", "categories", "source"):
        table.add_column(col)
    for b, source in entries:
        table.add_row(
            Text(b.id),
            Text(b.title),
            str(len(b.questions)),
            Text(", ".join(b.categories())),
            source,
        )
    stdout_console().print(table)
    if not any(source == "added" for _, source in entries):
        print(
            as_launched(
                f"Add your own with `voice-interviewer banks add FILE` (kept in {user_dir})."
            )
        )
    return 0


# Columns the table needs beside its id column: category, a few words of question, the target.
QUESTION_TEXT_MIN = 50


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
    console = stdout_console()
    title = Text(f"{bank.title} ({bank.id})", style="italic")
    targets = [f"{q.target_seconds[0]:.0f}-{q.target_seconds[1]:.0f} s" for q in bank.questions]
    widest = max((len(q.id) for q in bank.questions), default=2)
    if console.width < widest + QUESTION_TEXT_MIN:
        # Too narrow for the table beside a readable question: each id on its own line.
        console.print(title)
        for q, target in zip(bank.questions, targets, strict=True):
            console.print(Text(q.id, style="bold"), soft_wrap=True)
            console.print(Text(f"  {q.category} · {target}\n  {q.text}"))
        return 0
    table = Table(title=title)
    # The id is what `practice -q` and `score --question` take: whole on any terminal, the
    # question's text wraps instead.
    table.add_column("id", **id_column(q.id for q in bank.questions))
    for col in ("category", "question", "target"):
        table.add_column(col)
    for q, target in zip(bank.questions, targets, strict=True):
        table.add_row(Text(q.id), Text(q.category), Text(q.text), target)
    console.print(table)
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
        f"{path}: examples: {plural(check.examples, 'answer')}, {agree} of "
        f"{plural(check.points, 'point judgement')} agree with the matcher"
    )
    for d in check.disagreements:
        said = "hits" if d.expected else "misses"
        got = "missed" if d.expected else "hit"
        print(
            f"{path}: warning: question {d.question_id!r}, example #{d.example}: the example "
            f"{said} point {d.point_id!r}, the matcher {got} it (score {d.score:.2f})"
        )
    return 1 if strict and check.disagreements else 0
