"""`score`: score a recorded answer to one question."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console

from voice_interviewer.cli.common import BANK_HELP, MODEL_HELP, load_transcriber, stderr_console


def register(sub: argparse._SubParsersAction) -> None:
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


def cmd_score(args: argparse.Namespace) -> int:
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.reports.terminal import render_analysis
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.decode import load_audio

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
