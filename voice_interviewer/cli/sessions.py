"""The ``sessions`` and ``review`` subcommands: list saved practice sessions and replay their
reports.

Wired into the CLI by ``register(sub)``; both only read the session store, and neither creates a
database where there is none.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text

from voice_interviewer.cli.common import stdout_console
from voice_interviewer.errors import SessionError
from voice_interviewer.paths import ENV_HOME, data_dir
from voice_interviewer.reports.summary import NEVER_WRITTEN, NOT_ANSWERED
from voice_interviewer.sessions.store import DB_NAME, AnswerRecord, SessionDetail, SessionStore
from voice_interviewer.wording import as_launched, plural

START_HINT = "start one with `voice-interviewer practice`"
SESSION_HELP = "the session id (see `voice-interviewer sessions`), or 'last' for the newest"
DATA_DIR_HELP = (
    f"folder holding the saved sessions and recordings (default: ${ENV_HOME} if set, "
    "else your platform's user data folder)"
)
STATUS_STYLE = {
    "running": "cyan",
    "recording": "cyan",
    "complete": "green",
    "answered": "green",
    "interrupted": "yellow",
    "unanswered": "yellow",
    "incomplete": "red",
}
END_REASON_TEXT = {
    "silence": "you stopped speaking",
    "enter": "you pressed Enter",
    "max": "the time limit was reached",
    "no_answer": "no answer was heard",
    "eof": "the recording ended",
    "interrupted": "the session was interrupted",
}
# The page's Done button ends an answer as Enter does in the terminal (both saved as 'enter').
WEB_END_REASON_TEXT = {**END_REASON_TEXT, "enter": "you pressed Done"}


def end_reason_text(reason: str, settings: dict) -> str:
    """How an answer ended, in the words of the front end it was recorded with."""
    words = WEB_END_REASON_TEXT if settings.get("front_end") == "web" else END_REASON_TEXT
    return words.get(reason, reason)


def register(sub: argparse._SubParsersAction) -> None:
    """Adds ``sessions`` and ``review`` to the CLI's subparsers."""
    s = sub.add_parser(
        "sessions",
        help="list saved practice sessions",
        description="List saved practice sessions, newest first: date, bank, answers given, "
        "average pace, rubric coverage and fillers, and whether the session finished (running: "
        "it is being recorded now). Demo sessions are listed, marked demo, and left out of "
        "`history` and `practice --weakest`.",
    )
    s.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    s.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of session summaries (id, started_at, ended_at, bank_id, "
        "bank_title, model, kind, status, answered, asked, planned, averages) instead of the table",
    )
    s.set_defaults(func=cmd_sessions)

    r = sub.add_parser(
        "review",
        help="show a saved session: each question, your answer and its report",
        description="Show a saved practice session: its header, then for every question the "
        "prompt, what happened, where the recording is, and the full answer report.",
    )
    r.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    r.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    r.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: the session's metadata, settings and answers, each answer "
        "with its analysis (the `score --json` schema, or null when there is none)",
    )
    r.add_argument(
        "--examples",
        action="store_true",
        help="after each question's answers, show an example answer from the session's bank "
        "(its model_answer, else its first example)",
    )
    r.set_defaults(func=cmd_review)


# SQLite ids are signed 64-bit: a larger number is no session and must not reach the database.
MAX_SESSION_ID = 2**63 - 1


def session_ref(text: str) -> str:
    """The SESSION argument checked: ASCII digits within SQLite's range, or 'last'/'latest'
    ("²" is a digit to Python, not an id). A one-line SessionError otherwise."""
    ref = text.strip().lower()
    if ref in ("last", "latest"):
        return ref
    if not (ref.isascii() and ref.isdigit()):
        raise SessionError(
            f"{text!r} is not a session id: give a number such as 3, or 'last' "
            "(see `voice-interviewer sessions`)"
        )
    if int(ref) > MAX_SESSION_ID:
        raise SessionError(
            f"no session {ref}: it is far beyond any id (see `voice-interviewer sessions`)"
        )
    return str(int(ref))


def open_store(override: str | None) -> tuple[Path, SessionStore | None]:
    """The data folder and its store, or None when no session was ever saved there."""
    root = data_dir(override, create=False)
    if not (root / DB_NAME).is_file():
        return root, None
    return root, SessionStore(root)


# ---------------------------------------------------------------- sessions


def cmd_sessions(args: argparse.Namespace) -> int:
    root, store = open_store(args.data_dir)
    summaries = [] if store is None else store.list_sessions()
    if store is not None:
        store.close()
    if args.json:
        _print_json([s.to_dict() for s in summaries])
        return 0
    console = stdout_console()
    if not summaries:
        console.print(as_launched(f"No saved sessions in {root} yet: {START_HINT}."), markup=False)
        return 0
    # The folder on a line of its own: as the table's title it wrapped at the table's width,
    # mid-word in a long path.
    console.print(Text(f"Practice sessions in {root}", style="italic"))
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    # Every column but the bank keeps its width on a narrow terminal; a long bank id folds
    # into what is left (the others take 69 columns, spacing included).
    for col, justify, width in (
        ("id", "right", 2),
        ("date", "left", 16),
        ("bank", "left", None),
        ("answered\nof asked", "right", 8),
        ("avg\nwpm", "right", 3),
        ("avg\ncoverage", "right", 8),
        ("fillers\nper min", "right", 7),
        ("status", "left", 11),
    ):
        table.add_column(
            col, justify=justify, min_width=width, overflow="fold", no_wrap=col != "bank"
        )
    table.columns[2].max_width = max(10, console.width - 69)
    for s in summaries:
        table.add_row(
            str(s.id),
            _date(s.started_at),
            Text(s.bank_id + (" (demo)" if s.kind == "demo" else "")),
            f"{s.answered}/{s.asked}",
            _num(s.avg_wpm, "{:.0f}"),
            _num(s.avg_coverage, "{:.0%}"),
            _num(s.avg_fillers_per_minute, "{:.1f}"),
            Text(s.status, style=STATUS_STYLE.get(s.status, "")),
        )
    console.print(table)
    show = "Show one with `voice-interviewer review ID` (or `review last`)."
    console.print(as_launched(show), markup=False)
    return 0


# ---------------------------------------------------------------- review


def session_bank(bank_id: str, data_dir_override: str | None):
    """The installed bank a session was practised on (for its example answers), or None when it
    is no longer installed or no longer loads."""
    from voice_interviewer.bank import read_bank_file
    from voice_interviewer.bank.library import available_bank_paths
    from voice_interviewer.errors import VoiceInterviewerError
    from voice_interviewer.paths import banks_dir

    path = available_bank_paths(banks_dir(data_dir_override)).get(bank_id)
    try:
        return read_bank_file(path) if path is not None else None
    except VoiceInterviewerError:
        return None


def cmd_review(args: argparse.Namespace) -> int:
    from voice_interviewer.reports.attempts import comparison_table, comparisons_by_seq
    from voice_interviewer.reports.follow_through import example_answers, probe_seqs
    from voice_interviewer.reports.terminal import render_analysis

    ref = session_ref(args.session)
    root, store = open_store(args.data_dir)
    if store is None:
        raise SessionError(f"no saved sessions in {root}; {START_HINT}")
    try:
        detail = store.load_session(ref)
    finally:
        store.close()
    if args.json:
        _print_json(detail.to_dict())
        return 0
    console = stdout_console()
    console.print(session_header(detail))
    if not detail.answers:
        console.print(Text("\nNo questions were asked in this session.", style="yellow"))
    bank = session_bank(detail.bank_id, args.data_dir) if args.examples else None
    if args.examples and bank is None:
        console.print(
            Text(f"No example answers: bank '{detail.bank_id}' is not installed.", style="yellow")
        )
    examples = example_answers(detail.answers, bank)
    probes = probe_seqs(detail.answers)
    compared = comparisons_by_seq(detail.answers)
    for a in detail.answers:
        title = _answer_title(a, a.seq in probes)
        console.print()
        console.rule(Text(title, style="bold"), align="left")
        # The report's panel opens with the question: the header names it only when there is none.
        console.print(answer_header(a, a.analysis is None, detail.settings))
        if a.analysis is not None:
            render_analysis(console, a.analysis, title=title)
        if a.seq in compared:  # a later attempt: beside the one before it
            console.print(comparison_table(compared[a.seq]))
        if a.seq in examples:
            console.print(Text(f"\nAn example answer ({a.question_id})", style="bold cyan"))
            console.print(Text(examples[a.seq]))
    return 0


def session_header(d: SessionDetail) -> Text:
    t = Text(f"Session {d.id}" + (" (demo)" if d.kind == "demo" else ""), style="bold")
    ended = f" → {_date(d.ended_at)}" if d.ended_at else ""
    t.append(f"\ndate:    {_date(d.started_at)}{ended}")
    t.append(f"\nbank:    {d.bank_title} ({d.bank_id})")
    t.append(f"\nmodel:   {d.model}")
    t.append("\nstatus:  ").append(d.status, style=STATUS_STYLE.get(d.status, ""))
    if d.status == "incomplete":
        t.append(" (it never ended: the program stopped before the session finished)", style="dim")
    elif d.status == "running":
        t.append(" (in progress: a voice-interviewer is recording it now)", style="dim")
    if d.kind == "demo":
        t.append("\nkind:    demo (sample answers; left out of history and --weakest)")
    t.append(f"\nanswers: {d.answered} of {plural(d.asked, 'question')} asked answered")
    if d.planned is not None and d.planned > sum(a.follow_up_of is None for a in d.answers):
        t.append(f" ({d.planned} planned)")
    if d.answered:
        t.append(
            f"; avg {_num(d.avg_wpm, '{:.0f}')} wpm, coverage {_num(d.avg_coverage, '{:.0%}')}, "
            f"{_num(d.avg_fillers_per_minute, '{:.1f}')} fillers/min"
        )
    settings = describe_settings(d.settings)
    if settings:
        t.append(f"\nsettings: {settings}", style="dim")
    return t


def describe_settings(settings: dict) -> str:
    """The settings a session was recorded with, in words (unknown keys as ``key: value``)."""
    s = dict(settings)
    parts = []
    if s.get("questions"):
        parts.append(
            f"{plural(len(s['questions']), 'question')} ({', '.join(map(str, s.pop('questions')))})"
        )
    s.pop("questions", None)
    if "speak" in s:
        parts.append("questions spoken" if s.pop("speak") else "questions shown, not spoken")
    if "follow_ups" in s:
        parts.append("follow-ups" if s.pop("follow_ups") else "no follow-ups")
    if isinstance(s.get("probes"), int):
        n = s.pop("probes")
        parts.append(f"at most {plural(n, 'probe')} a question" if n else "no probes")
    for key, words in (
        ("end_silence_s", "an answer ends after {} s of silence"),
        ("max_answer_s", "at most {} s an answer"),
        ("wait_s", "waits {} s for an answer to start"),
    ):
        if isinstance(s.get(key), int | float):
            parts.append(words.format(f"{s.pop(key):g}"))
    grace = s.pop("grace_s", None)
    if isinstance(grace, int | float):
        parts.append(
            f"speaking again within {grace:g} s of that silence goes on with the answer"
            if grace > 0
            else "no grace period after that silence"
        )
    if s.get("front_end") == "web":
        s.pop("front_end")
        parts.append("recorded on the web page")
    source = s.pop("imported_from", None)
    if isinstance(source, dict):
        was = f" (session {source['session_id']} there)" if source.get("session_id") else ""
        parts.append(f"imported from {source.get('archive', 'an archive')}{was}")
    for key, value in s.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        parts.append(f"{key.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def answer_header(
    a: AnswerRecord, with_question: bool = True, settings: dict | None = None
) -> Text:
    """What happened to one answer; ``with_question`` also names the question (and the prompt),
    left out when the answer's report follows, whose panel opens with them. ``settings``: the
    session's, which say whether it was recorded on the page (Done) or in the terminal (Enter)."""
    t = Text()
    if with_question:
        t.append(a.question_text, style="bold")
        t.append(f"\n{a.question_id} · {a.category}\n", style="dim")
        if a.follow_up_of is not None:
            t.append("follow-up: ", style="bold").append(a.prompt_text + "\n")
        elif a.prompt_text and a.prompt_text != a.question_text:
            t.append("asked as: ", style="bold").append(a.prompt_text + "\n")
    t.append("status: ").append(a.status, style=STATUS_STYLE.get(a.status, ""))
    if a.status == "incomplete":
        t.append(" (recording never finished: the program stopped mid-answer)", style="dim")
    elif a.status == "recording":
        t.append(" (being recorded now)", style="dim")
    elif a.end_reason:
        t.append(f" ({end_reason_text(a.end_reason, settings or {})})", style="dim")
    if a.wav_exists:
        t.append(f"\nrecording: {a.wav_path}")
    elif a.recording_lost:  # it was scored, so it was recorded: lost data
        t.append(f"\nrecording: {a.wav_path} ").append("(missing: gone from disk)", style="red")
    elif a.status in ("incomplete", "recording"):
        t.append(f"\nrecording: {a.wav_path} ({NEVER_WRITTEN})")
    else:
        t.append(f"\nrecording: none ({NOT_ANSWERED})")
    if a.analysis is None and a.status not in ("incomplete", "recording"):
        t.append("\nNo report: nothing was scored for this answer.", style="yellow")
    return t


# ---------------------------------------------------------------- helpers


def _answer_title(a: AnswerRecord, probe: bool = False) -> str:
    from voice_interviewer.reports.summary import answer_title

    return answer_title(a, probe)


def _date(iso: str | None) -> str:
    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _num(x: float | None, fmt: str) -> str:
    return "-" if x is None else fmt.format(x)


def _print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
