"""The ``report``, ``history``, ``delete``, ``export`` and ``import`` subcommands.

Wired into the CLI by ``register(sub)``. Reading commands never create a database where there is
none; ``import`` does (importing into a fresh data folder is how a session moves to a new machine).
"""

from __future__ import annotations

import argparse
import json
import sys
import webbrowser
from datetime import date
from pathlib import Path

from voice_interviewer.cli.common import stdout_console
from voice_interviewer.cli.sessions import (
    DATA_DIR_HELP,
    SESSION_HELP,
    START_HINT,
    open_store,
    session_bank,
    session_ref,
)
from voice_interviewer.errors import SessionError, UsageError
from voice_interviewer.output_files import write_private_text
from voice_interviewer.paths import data_dir
from voice_interviewer.sessions.folders import REPORT_NAME
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.wording import as_launched


def register(sub: argparse._SubParsersAction) -> None:
    """Adds report, history, delete, export and import to the CLI's subparsers."""
    r = sub.add_parser(
        "report",
        help="write a session's report as a self-contained HTML page (or Markdown / JSON)",
        description="Write the report of a saved session: a summary with the three things to "
        "work on next, then every question with its recording, the transcript (click a word to "
        "hear it), a pace-over-time picture, the measurements and the rubric. With no output "
        "option the HTML goes into the session's folder and its path is printed.",
    )
    r.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    r.add_argument(
        "--html",
        metavar="OUT",
        help="write the HTML report to OUT (recordings are linked relative to it)",
    )
    r.add_argument(
        "--markdown",
        metavar="OUT",
        help="write the report as Markdown to OUT ('-' for standard output)",
    )
    r.add_argument(
        "--json",
        metavar="OUT",
        help="write session metadata, every analysis, the summary and the three things to work "
        "on as JSON to OUT ('-' for standard output)",
    )
    r.add_argument(
        "--embed-audio",
        action="store_true",
        help="put the recordings inside the HTML (base64) so the file works on its own, e.g. "
        "sent to someone; larger",
    )
    r.add_argument("--open", action="store_true", help="open the HTML report in your web browser")
    r.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    r.set_defaults(func=cmd_report)

    h = sub.add_parser(
        "history",
        help="your progress across sessions: trends, weakest questions, most-missed points",
        description="Trends across saved sessions (words per minute, fillers per minute, long "
        "pauses, rubric coverage, answers within their target length), overall and per category, "
        "plus the weakest questions and the rubric points missed most often.",
    )
    h.add_argument("--bank", metavar="B", help="only sessions of this bank id")
    h.add_argument(
        "--category",
        metavar="C",
        help="only answers to questions of this category (e.g. behavioral)",
    )
    h.add_argument(
        "--since", metavar="YYYY-MM-DD", help="only sessions practised on or after this date"
    )
    h.add_argument(
        "--html",
        metavar="OUT",
        help="write the history as a self-contained HTML page with line charts to OUT (and say "
        "where) instead of printing the tables",
    )
    h.add_argument(
        "--json",
        action="store_true",
        help="print the history as one JSON object instead of the tables",
    )
    h.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    h.set_defaults(func=cmd_history)

    d = sub.add_parser(
        "delete",
        help="delete a saved session and its recordings",
        description="Delete a saved session: its rows and its folder of recordings. Asks first "
        "on a terminal; elsewhere pass --yes.",
    )
    d.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    d.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    d.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    d.set_defaults(func=cmd_delete)

    e = sub.add_parser(
        "export",
        help="write a session (answers, analyses and recordings) to one zip file",
        description="Write a saved session to one zip: a manifest (session, answers, analyses) "
        "and the WAV recordings. `voice-interviewer import` reads it back.",
    )
    e.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    e.add_argument(
        "-o",
        "--output",
        metavar="FILE.zip",
        help="where to write it (default: voice-interviewer-session-<id>-<date>.zip in the "
        "current folder)",
    )
    e.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    e.set_defaults(func=cmd_export)

    i = sub.add_parser(
        "import",
        help="add a session from a zip written by `export`",
        description="Add the session in a zip written by `voice-interviewer export` to this data "
        "folder as a new session (new id). A damaged archive is refused and nothing is written.",
    )
    i.add_argument("archive", metavar="FILE.zip", help="the archive to import")
    i.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    i.set_defaults(func=cmd_import)


def _existing_store(override: str | None) -> SessionStore:
    root, store = open_store(override)
    if store is None:
        raise SessionError(f"no saved sessions in {root}; {START_HINT}")
    return store


def _write_private(path: Path, text: str) -> None:
    """Reports hold transcripts of someone's voice: a new file readable by the user only."""
    write_private_text(path, text)


def _emit(out: str, text: str) -> None:
    if out == "-":
        sys.stdout.write(text)
    else:
        _write_private(Path(out), text)
        print(Path(out))


# ---------------------------------------------------------------- report


def cmd_report(args: argparse.Namespace) -> int:
    from voice_interviewer.reports.correct_html import Corrections
    from voice_interviewer.reports.html import audio_src, render_session_html
    from voice_interviewer.reports.summary import report_json_text, report_markdown
    from voice_interviewer.sessions.corrections import load_corrections

    ref = session_ref(args.session)
    store = _existing_store(args.data_dir)
    try:
        detail = store.load_session(ref)
        default_html = store.session_dir(detail.id) / REPORT_NAME
        given = load_corrections(default_html.parent)
    finally:
        store.close()
    # A file has no server to post to: it shows the `correct` command for each point.
    fixes = Corrections(detail.id, given, served=False, data_dir=args.data_dir)
    if args.json:
        _emit(args.json, report_json_text(detail))
    if args.markdown:
        where = Path.cwd() / "report.md" if args.markdown == "-" else Path(args.markdown)
        links = {a.id: audio_src(a.wav_path, where) for a in detail.answers if a.wav_exists}
        _emit(
            args.markdown,
            report_markdown(detail, links, session_bank(detail.bank_id, args.data_dir)),
        )
    html_out = Path(args.html) if args.html else None
    if html_out is None and (args.open or args.embed_audio or not (args.json or args.markdown)):
        html_out = default_html
    if html_out is not None:
        # Each question's example answer, collapsed, when the session's bank is still installed.
        bank = session_bank(detail.bank_id, args.data_dir)
        html = render_session_html(detail, html_out, args.embed_audio, fixes, bank)
        _write_private(html_out, html)
        print(html_out)
        if args.open and not _open_in_browser(html_out):
            print(
                f"No web browser found to open it: open {html_out.resolve()} in a browser "
                "yourself.",
                file=sys.stderr,
            )
    return 0


def _open_in_browser(path: Path) -> bool:
    """Whether a browser took the page (False on a machine without one, e.g. over SSH)."""
    try:
        return webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        return False


# ---------------------------------------------------------------- history


def parse_since(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected a date as YYYY-MM-DD, e.g. 2025-11-01"
        ) from None


def cmd_history(args: argparse.Namespace) -> int:
    from voice_interviewer.reports.history import (
        collect_history,
        render_history,
        render_history_html,
    )

    since = parse_since(args.since)
    root, store = open_store(args.data_dir)
    if store is None:
        raise SessionError(f"no saved sessions in {root}; {START_HINT}")
    try:
        h = collect_history(store, bank=args.bank, category=args.category, since=since)
    finally:
        store.close()
    if args.html:
        _write_private(Path(args.html), render_history_html(h))
    if args.json:
        json.dump(h.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.html:  # the page holds the tables: printing them too buries where it went
        print(f"History page: {args.html}")
    else:
        render_history(stdout_console(), h)
    return 0


# ---------------------------------------------------------------- delete / export / import


def cmd_delete(args: argparse.Namespace) -> int:
    from voice_interviewer.sessions.store import DamagedSessionError

    ref = session_ref(args.session)
    store = _existing_store(args.data_dir)
    try:
        try:
            d = store.load_session(ref)
            sid = d.id
            when = d.started_at[:16].replace("T", " ")
            what = f"session {d.id} ({when}, {d.bank_id}, {d.answered} of {d.asked} answered)"
        except DamagedSessionError as exc:  # deleting is what its error message advises
            sid, what = exc.session_id, f"the damaged session {exc.session_id}"
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError(
                    f"deleting session {sid} needs confirmation and there is no terminal to "
                    "ask on; pass --yes to delete it"
                )
            reply = input(f"Delete {what} and its recordings? [y/N] ")
            if reply.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.")
                return 0
        store.delete_session(sid)
    finally:
        store.close()
    print(f"Deleted session {sid}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from voice_interviewer.sessions.archive import export_session

    ref = session_ref(args.session)
    store = _existing_store(args.data_dir)
    try:
        out = export_session(store, ref, Path(args.output) if args.output else None)
    except OSError as exc:  # e.g. -o names a file inside a file, or a folder not writable
        where = exc.filename or args.output or "the current folder"
        raise SessionError(
            f"{where}: cannot write the archive there ({exc.strerror or exc})"
        ) from None
    finally:
        store.close()
    print(out)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from voice_interviewer.sessions.archive import import_into

    # A refused archive creates nothing: the database is opened once the archive checks out.
    sid = import_into(data_dir(args.data_dir, create=False), Path(args.archive))
    print(
        as_launched(
            f"Imported as session {sid} (see `voice-interviewer review {sid}` or `report {sid}`)."
        )
    )
    return 0
