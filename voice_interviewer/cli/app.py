"""Command line: thin. Parses arguments, calls the library, prints; errors become one line.

Every user-caused failure is a ``VoiceInterviewerError``: printed as ``Error: message`` on stderr
with a non-zero exit, never a traceback. Each command group registers its own subcommands.
"""

from __future__ import annotations

import argparse
import difflib
import sys

from voice_interviewer import __version__
from voice_interviewer.cli import banks, correct, practice, review, score, serve, sessions
from voice_interviewer.errors import UsageError, VoiceInterviewerError
from voice_interviewer.live.alsa_messages import quiet_alsa_messages
from voice_interviewer.wording import as_launched


def build_parser() -> tuple[argparse.ArgumentParser, list[str]]:
    """The parser and the command names (its subcommands)."""
    p = argparse.ArgumentParser(
        prog="voice-interviewer",
        description="Offline voice mock interviewer: speaks questions, records and transcribes "
        "your answers locally, and reports pace, pauses, fillers and rubric coverage. Nothing "
        "leaves your machine.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    for group in (score, banks, practice, sessions, review, serve, correct):
        group.register(sub)
    return p, list(sub.choices)


def unknown_command(argv: list[str], commands: list[str]) -> str | None:
    """The one-line complaint for a first word that is no command (argparse would print the whole
    usage, burying the mistake), with the closest command names; None when the command is known."""
    word = next((a for a in argv if not a.startswith("-")), None)
    if word is None or word in commands or argv[0] in ("-h", "--help", "--version"):
        return None
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown command {word!r}{hint} (`voice-interviewer --help` lists the commands)"


def main(argv: list[str] | None = None) -> int:
    parser, commands = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    problem = unknown_command(argv, commands)
    if problem:
        print(f"Error: {problem}", file=sys.stderr)
        return UsageError.exit_code
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    # ALSA prints "underrun occurred" and the like on stderr, over questions and meters.
    quiet_alsa_messages()
    try:
        return int(args.func(args) or 0)
    except VoiceInterviewerError as exc:
        print(f"Error: {as_launched(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
