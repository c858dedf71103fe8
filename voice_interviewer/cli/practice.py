"""CLI for the live side: ``practice``, ``demo``, ``devices`` and ``check`` (thin wrappers)."""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from voice_interviewer.cli.live_session import (
    FrontEnds,
    add_session_options,
    build_session,
    make_speaker,
    run_session,
)
from voice_interviewer.errors import DeviceError, UsageError
from voice_interviewer.wording import plural


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "practice",
        help="a spoken mock interview on your speakers and microphone",
        description="Speak each question, record your answer until you are done, then "
        "give feedback. A pause to think never ends an answer: the silence that ends one "
        "grows as you go on, then a grace period lets you carry on; a chime says the answer "
        "is in (or use --end-on enter and press Enter). Ctrl-C, a `kill` or a closed "
        "terminal ends the session and keeps everything recorded so far.",
    )
    p.add_argument(
        "--question",
        "-q",
        action="append",
        metavar="ID",
        help="ask this question (repeatable, asked in that order)",
    )
    p.add_argument(
        "--category",
        action="append",
        metavar="NAME",
        help="only this category (repeatable): "
        "technical, system-design, behavioral, problem-solving",
    )
    p.add_argument("--count", type=int, metavar="N", help="ask at most N questions")
    p.add_argument("--shuffle", action="store_true", help="shuffle the questions (see --seed)")
    p.add_argument(
        "--weakest",
        type=int,
        metavar="N",
        help="drill the N questions with the lowest rubric coverage in your saved sessions "
        "(see `voice-interviewer history`)",
    )
    p.add_argument(
        "--input-device",
        metavar="DEV",
        help="microphone: index or name part (see `voice-interviewer devices`)",
    )
    p.add_argument(
        "--auto-next",
        action="store_true",
        help="go straight on to the next question after the feedback (default: wait for Enter; "
        "type r then Enter to try the same question again, q then Enter to end the session)",
    )
    add_session_options(p, seed_help="random seed for --shuffle and follow-up choice")
    p.set_defaults(func=cmd_practice)

    d = sub.add_parser(
        "demo",
        help="a complete two-question session with a recorded sample answer as the microphone",
        description="Runs a whole practice session on any machine, even without audio "
        "devices: questions are spoken if there is an output device, and the answers "
        "are bundled recordings fed in real time through the same endpointing, "
        "transcription and feedback code. With --bank, the questions of that bank "
        "that a sample answers (else its first two, with a note).",
    )
    # The demo plays one sample answer per question: nothing to answer a probe with.
    add_session_options(
        d, seed_help="random seed for the follow-up choice (with --follow-ups)", probes_default=0
    )
    d.set_defaults(func=cmd_demo)

    v = sub.add_parser(
        "devices",
        help="list audio input and output devices",
        description="List the audio devices PortAudio sees: index, name, host API, "
        "input and output channels, default rate, and which are the defaults. "
        "--input-device and --output-device take an index or a part of a name.",
    )
    v.add_argument("--json", action="store_true", help="machine-readable list")
    v.set_defaults(func=cmd_devices)

    c = sub.add_parser(
        "check",
        help="microphone self-test: record 3 s, report level, clipping and speech",
        description="Records a few seconds: say something. Reports the level, "
        "clipping and whether speech was heard; exits non-zero if the microphone is silent.",
    )
    c.add_argument("--input-device", metavar="DEV", help="microphone: index or name part")
    c.add_argument(
        "--seconds",
        type=float,
        default=3.0,
        metavar="S",
        help="how long to record (default %(default)s)",
    )
    c.add_argument("--json", action="store_true", help="machine-readable result")
    c.set_defaults(func=cmd_check)


# ------------------------------------------------------------------------------------------ shared


def cmd_practice(args: argparse.Namespace) -> int:
    fronts = FrontEnds(args.jsonl)
    try:
        return _practice(args, fronts)
    finally:
        fronts.close()


def _practice(args: argparse.Namespace, fronts: FrontEnds) -> int:
    from voice_interviewer.live.controller import PracticeSession, select_questions
    from voice_interviewer.live.devices import Microphone
    from voice_interviewer.live.front_end import terminal_front_end
    from voice_interviewer.live.keys import EnterKey

    console = fronts.console
    bank, questions, store, settings, ref = build_session(
        args,
        console,
        lambda b, store: select_questions(
            b,
            _weakest(args, b, store) or args.question,
            args.category,
            args.count,
            args.shuffle,
            args.seed,
        ),
    )
    first = questions[0].text if questions else None
    speaker = make_speaker(settings, console, args.output_device is not None, first)
    # Opened once, before the first question plays: opening through PulseAudio can take ~1 s.
    mic = Microphone(args.input_device)
    try:
        mic.open()
    except DeviceError as exc:
        # A newcomer on a machine without a microphone should still see the product work.
        raise DeviceError(
            f"{exc} (no microphone here? `voice-interviewer demo` plays a recorded answer)"
        ) from None
    enter = EnterKey()
    # First: it notes when the session waits for Next before the prompt reaches the screen.
    fronts.bus.subscribers.insert(0, enter)
    with mic:
        return run_session(
            lambda scorer: PracticeSession(
                bank,
                questions,
                scorer,
                store,
                settings,
                terminal_front_end(mic, enter),
                speaker,
                fronts.bus,
            ),
            ref,
            speaker,
        )


def _weakest(args: argparse.Namespace, bank, store) -> list[str] | None:
    if args.weakest is None:
        return None
    from voice_interviewer.reports.history import weakest_question_ids

    if args.weakest < 1:
        raise UsageError("--weakest must be at least 1")
    if args.question:
        raise UsageError("--weakest picks the questions itself: leave out --question")
    ids = weakest_question_ids(store, bank.id, args.weakest)
    if not ids:
        raise UsageError(
            f"no scored answers to bank '{bank.id}' yet: practise first, then --weakest can pick"
        )
    return ids


def sample_answers() -> list[tuple[str, Path]]:
    """The bundled sample answers: (question id, path), in demo order."""
    folder = resources.files("voice_interviewer.samples")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".flac"):
            meta = json.loads(folder.joinpath(entry.name[:-5] + ".json").read_text())
            out.append((meta["question_id"], Path(str(entry))))
    return out


DEMO_QUESTIONS = 2


def demo_plan(bank, samples: list[tuple[str, Path]]) -> tuple[list, list[Path], str | None]:
    """The demo's questions, the sample answer played for each, and a note when the samples do
    not answer this bank's questions (then its first questions are asked, answered by samples
    to other questions: the timing, pace, pause and filler numbers stay real, coverage does not)."""
    ids = {q.id for q in bank.questions}
    fitting = [(bank.question(qid), path) for qid, path in samples if qid in ids]
    if fitting:
        chosen = fitting[:DEMO_QUESTIONS]
        return [q for q, _ in chosen], [p for _, p in chosen], None
    questions = list(bank.questions[: min(DEMO_QUESTIONS, len(samples))])
    answered = " and ".join(repr(qid) for qid, _ in samples)
    asked = "question" if len(questions) == 1 else plural(len(questions), "question")
    note = (
        f"No bundled sample answer is for a question of bank '{bank.id}' (they answer "
        f"{answered}): the demo asks its first {asked} and plays sample answers to other "
        "questions, so timing, pace, pauses and fillers are measured for real but the rubric "
        "coverage is not about your questions. Answer them yourself with "
        f"`voice-interviewer practice --bank {bank.id}`."
    )
    return questions, [path for _, path in samples[: len(questions)]], note


def cmd_demo(args: argparse.Namespace) -> int:
    fronts = FrontEnds(args.jsonl)
    try:
        return _demo(args, fronts)
    finally:
        fronts.close()


def _demo(args: argparse.Namespace, fronts: FrontEnds) -> int:
    from voice_interviewer.live.capture import FileFeed
    from voice_interviewer.live.controller import PracticeSession
    from voice_interviewer.live.front_end import FrontEnd
    from voice_interviewer.live.keys import EnterKey
    from voice_interviewer.speech.decode import load_audio

    console = fronts.console
    samples = sample_answers()
    if not samples:
        raise DeviceError("the bundled sample answers are missing: reinstall voice-interviewer")
    plan: dict = {}

    def questions_from(bank, store):
        plan["questions"], plan["paths"], plan["note"] = demo_plan(bank, samples)
        return plan["questions"]

    bank, questions, store, settings, ref = build_session(args, console, questions_from)
    settings.kind = "demo"  # listed, but kept out of history and --weakest
    audio = [load_audio(path) for path in plan["paths"]]
    speaker = make_speaker(settings, console, False, questions[0].text if questions else None)
    console.print(
        "[bold]Demo[/]: the candidate's microphone is a recorded sample answer, "
        "played in real time."
    )
    if plan["note"]:
        console.print(Text(plan["note"], style="yellow"))
    enter = EnterKey()
    return run_session(
        lambda scorer: PracticeSession(
            bank,
            questions,
            scorer,
            store,
            settings,
            FrontEnd(
                lambda q, n: FileFeed(audio[n - 1]),
                done_requested=enter.pressed,
                clear_done=enter.clear,
            ),
            speaker,
            fronts.bus,
        ),
        ref,
        speaker,
    )


def cmd_devices(args: argparse.Namespace) -> int:
    from voice_interviewer.live.devices import list_devices

    devices = list_devices()
    if args.json:
        print(json.dumps([d.__dict__ for d in devices]))
        return 0
    if not devices:
        raise DeviceError(
            "no audio devices found: check your sound card, or that PulseAudio/PipeWire is running"
        )
    t = Table(title="Audio devices")
    for col in ("index", "name", "host API", "in", "out", "rate", "default"):
        t.add_column(col)
    for d in devices:
        default = " ".join(
            x for x, ok in (("input", d.is_default_input), ("output", d.is_default_output)) if ok
        )
        t.add_row(
            str(d.index),
            d.name,
            d.hostapi,
            str(d.max_input_channels),
            str(d.max_output_channels),
            f"{d.default_samplerate:.0f}",
            default,
        )
    Console().print(t)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from voice_interviewer.live.mic_check import FLOOR_DBFS, SILENT_RMS_DBFS, record_check
    from voice_interviewer.speech.vad import SileroModel, speech_spans

    err = Console(stderr=True, highlight=False)
    with err.status(f"Recording {args.seconds:g} s: say something..."):
        samples, report = record_check(args.seconds, args.input_device)
    speech = speech_spans(SileroModel().probabilities(samples))
    heard = sum(s.duration for s in speech)
    result = {**report.__dict__, "speech_heard": heard >= 0.3, "speech_s": round(heard, 2)}
    if args.json:
        print(json.dumps(result))
    else:
        t = Table(title="Microphone check", show_header=False)
        t.add_row("level (RMS)", f"{report.rms_dbfs:.1f} dBFS")
        t.add_row("peak", f"{report.peak_dbfs:.1f} dBFS")
        t.add_row("clipped samples", f"{report.clipped_fraction:.2%}")
        t.add_row("speech heard", f"yes ({heard:.1f} s)" if result["speech_heard"] else "no")
        t.add_row("verdict", report.verdict)
        Console().print(t)
    if report.rms_dbfs < SILENT_RMS_DBFS:
        level = (
            "every sample was zero"
            if report.peak_dbfs <= FLOOR_DBFS
            else f"{report.rms_dbfs:.0f} dBFS"
        )
        raise DeviceError(
            f"the microphone recorded only silence ({level}): check it is unmuted and plugged "
            "in, or pick another with --input-device (see `voice-interviewer devices`)"
        )
    return 0
