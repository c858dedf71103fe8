"""Command line: thin. Parses arguments, calls the library, prints; errors become one line.

Every user-caused failure is a ``VoiceInterviewerError``: printed as ``Error: message`` on stderr
with a non-zero exit, never a traceback. Each command group registers its own subcommands.
"""

from __future__ import annotations

import argparse
import sys

from voice_interviewer import __version__
from voice_interviewer.cli import banks, practice, review, score, serve, sessions
from voice_interviewer.errors import VoiceInterviewerError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="voice-interviewer",
        description="Offline voice mock interviewer: speaks questions, records and transcribes your "
        "answers locally, and reports pace, pauses, fillers and rubric coverage. Nothing leaves "
        "your machine.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    for group in (score, banks, practice, sessions, review, serve):
        group.register(sub)
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
