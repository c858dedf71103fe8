"""`score`: score a recorded answer to one question."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from voice_interviewer.cli.common import (
    BANK_HELP,
    MODEL_HELP,
    load_transcriber,
    stderr_console,
    stdout_console,
)
from voice_interviewer.cli.score_batch import add_batch_options, cmd_score_batch, wants_batch
from voice_interviewer.errors import AudioInputError, NoSpeechError, UsageError
from voice_interviewer.user_files import read_regular

# A recording longer than this gets a progress bar while it is transcribed (a spinner otherwise).
PROGRESS_MIN_S = 60.0
MAX_TEXT_BYTES = 4 << 20  # a typed answer; an hour's speech is ~60 KB


def no_speech_json(audio: str, question_id: str, message: str) -> dict:
    """What `score --json` prints for a recording without speech: the file, the question, why."""
    return {
        "audio": audio,
        "question": {"id": question_id},
        "error": "no_speech",
        "message": message,
    }


def _print_json(data: dict) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "score",
        help="score a recorded answer to one question (or many recordings)",
        description="Transcribe a recorded answer and report timing, pace, pauses, "
        "fillers and rubric coverage. With --text, score a typed or pasted answer instead: "
        "rubric coverage and STAR only (the timing measures are null).",
    )
    s.add_argument(
        "audio",
        metavar="AUDIO",
        nargs="*",
        help="the recording: wav, flac, mp3, m4a, ... (any rate, mono or stereo); several "
        "recordings, folders or globs score a batch (see below)",
    )
    s.add_argument(
        "--text",
        metavar="FILE",
        help="score the answer written in this UTF-8 text file instead of a recording "
        "('-' reads standard input); for checking a written answer, or a bank's points",
    )
    s.add_argument(
        "--question",
        "-q",
        metavar="ID",
        help="id of the question it answers (see `voice-interviewer questions`); needed unless "
        "--manifest gives each answer's question",
    )
    s.add_argument("--bank", metavar="BANK", help=BANK_HELP)
    s.add_argument("--model", metavar="M", help=MODEL_HELP)
    s.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (keys in docs/json.md) instead of the report",
    )
    s.add_argument(
        "--no-filler-pass",
        action="store_true",
        help="skip the second look for filled pauses (um, uh) that Whisper leaves out; faster, "
        "misses most of them",
    )
    s.add_argument(
        "--fillers-under-words",
        action="store_true",
        help="also look for filled pauses under words' timestamps (Whisper often gives an um's "
        "time to the next word): finds more on some voices, at twice the filler pass's cost",
    )
    add_batch_options(s)
    s.set_defaults(func=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.reports.terminal import render_analysis
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.decode import LONG_AUDIO_S, SAMPLE_RATE, load_audio

    if wants_batch(args):
        return cmd_score_batch(args)
    err = stderr_console()
    if bool(args.audio) == (args.text is not None):
        raise UsageError("score needs either AUDIO or --text FILE (one of them)")
    if not args.question:
        raise UsageError(
            "score needs --question ID: the question answered "
            "(`voice-interviewer questions` lists the ids)"
        )
    bank = resolve_bank(args.bank)
    question = bank.question(args.question)
    if args.text is not None:
        return _score_text(args, question)
    args.audio = args.audio[0]
    audio = load_audio(args.audio)  # a bad file is reported before any model loads
    seconds = len(audio) / SAMPLE_RATE
    if seconds > LONG_AUDIO_S:
        err.print(
            Text(f"{args.audio}: {seconds / 60:.0f} min of audio; scoring it takes a few minutes.")
        )
    transcriber = load_transcriber(args.model, err)
    options = ScoreOptions(
        filler_pass=not args.no_filler_pass, fillers_under_words=args.fillers_under_words
    )
    scorer = Scorer(transcriber, options=options)
    try:
        with transcribing_progress(err, str(args.audio), len(audio) / SAMPLE_RATE) as progress:
            analysis = scorer.score_recording(audio, question, str(args.audio), progress)
    except NoSpeechError as exc:
        if args.json:  # scripts get the reason on stdout too; the exit stays non-zero
            _print_json(no_speech_json(str(args.audio), question.id, str(exc)))
        raise
    if args.json:
        _print_json({**analysis.to_dict(), "audio": str(args.audio)})
    else:
        render_analysis(stdout_console(), analysis, title=str(args.audio))
    return 0


@contextmanager
def transcribing_progress(
    console: Console, name: str, seconds: float
) -> Iterator[Callable[[float], None] | None]:
    """A spinner for a short recording; for one over ``PROGRESS_MIN_S`` a bar of the audio
    transcribed so far, with the time left (both on stderr, gone when done)."""
    if seconds <= PROGRESS_MIN_S:
        with console.status(Text(f"Transcribing {name}...")):
            yield None
        return
    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} s of audio"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"Transcribing {name}", total=seconds)
        yield lambda done: bar.update(task, completed=min(done, seconds))


def read_answer_text(spec: str) -> str:
    """The text of FILE, or of standard input for '-'; one-line errors naming the file."""
    if spec == "-":
        text = sys.stdin.read()
    else:
        raw = read_regular(spec, "a text file", AudioInputError, MAX_TEXT_BYTES)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise AudioInputError(
                f"{spec}: not UTF-8 text (is it a recording? pass it as AUDIO)"
            ) from None
    if not text.strip():
        raise AudioInputError(f"{'standard input' if spec == '-' else spec}: the answer is empty")
    return text


def _score_text(args: argparse.Namespace, question) -> int:
    from voice_interviewer.reports.terminal import render_analysis
    from voice_interviewer.scoring.semantic_model import shared_embedder
    from voice_interviewer.scoring.text_answer import score_text

    text = read_answer_text(args.text)
    analysis = score_text(question, text, shared_embedder())
    if args.json:
        _print_json({**analysis.to_dict(), "text_file": args.text})
    else:
        title = "typed answer" if args.text == "-" else args.text
        render_analysis(stdout_console(), analysis, title=title)
    return 0
