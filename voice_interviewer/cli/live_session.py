"""What ``practice`` and ``demo`` share: their options, and building a session (bank, store,
settings, the interviewer's voice, the front ends) from them."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from voice_interviewer.errors import DeviceError, UsageError
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS
from voice_interviewer.wording import as_launched


def add_session_options(
    p: argparse.ArgumentParser, *, seed_help: str, probes_default: int = 1
) -> None:
    from voice_interviewer.cli.common import BANK_HELP, MODEL_HELP

    p.add_argument("--bank", metavar="BANK", help=BANK_HELP)
    p.add_argument("--model", metavar="M", help=MODEL_HELP)
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where sessions and recordings are saved "
        "(default: $VOICE_INTERVIEWER_HOME, else your user data folder)",
    )
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON event per line on stdout "
        "(question, listening, speech_start, answer_end, feedback, compare, waiting, "
        "session_saved); "
        "the display goes to stderr",
    )
    p.add_argument(
        "--no-speak", action="store_true", help="print the questions without speaking them"
    )
    p.add_argument(
        "--tts",
        choices=("auto", "espeak", "piper"),
        default="auto",
        help="the interviewer's voice: piper (natural; `pip install 'voice-interviewer[piper]'`), "
        "espeak (always installed), or auto: piper when installed, else espeak "
        "(default %(default)s)",
    )
    p.add_argument(
        "--speak-feedback",
        action="store_true",
        help="after each answer, say a one- or two-sentence summary of the feedback",
    )
    p.add_argument(
        "--voice", metavar="VOICE", help="espeak voice id or name part (e.g. en-us, en-gb)"
    )
    p.add_argument(
        "--rate",
        type=int,
        metavar="WPM",
        help="speaking rate of the interviewer in words a minute (espeak default 200)",
    )
    p.add_argument(
        "--output-device",
        metavar="DEV",
        help="speaker: index or name part (see `voice-interviewer devices`)",
    )
    p.add_argument(
        "--end-on",
        choices=("silence", "enter"),
        default="silence",
        help="what ends an answer: a silence (or Enter), or only Enter (default %(default)s)",
    )
    p.add_argument(
        "--end-silence",
        type=float,
        default=LIVE_DEFAULTS.end_silence_s,
        metavar="S",
        help="seconds of silence after which an answer starts closing (default %(default)s); "
        f"it grows by {LIVE_DEFAULTS.end_silence_growth:g} s per second answered, up to "
        f"{LIVE_DEFAULTS.end_silence_max_s:g} s, because pauses to think grow too",
    )
    p.add_argument(
        "--grace",
        type=float,
        default=LIVE_DEFAULTS.grace_s,
        metavar="S",
        help="once the silence has passed, speaking within this many seconds continues the "
        "same answer (default %(default)s; 0: the silence ends it at once)",
    )
    p.add_argument("--no-cue", action="store_true", help="no chime when an answer is over")
    p.add_argument(
        "--max-answer",
        type=float,
        default=LIVE_DEFAULTS.max_answer_s,
        metavar="S",
        help="longest answer in seconds from its first word (default %(default)s)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=LIVE_DEFAULTS.wait_s,
        metavar="S",
        help="seconds to wait for an answer to start before moving on (default %(default)s)",
    )
    p.add_argument(
        "--follow-ups",
        action="store_true",
        help="after each answer, ask a follow-up (or a probe for a missing STAR part) "
        "and record that too",
    )
    p.add_argument(
        "--probes",
        type=int,
        default=probes_default,
        metavar="N",
        help="after an answer that missed a point, ask one short probe about it (judged on that "
        "point alone), at most N per question; 0: never (default %(default)s). Not after an "
        "answer a follow-up was asked about",
    )
    p.add_argument(
        "--show-example",
        action="store_true",
        help="after each question's feedback, print an example answer from the bank (with "
        "--speak-feedback, also say it)",
    )
    p.add_argument("--seed", type=int, metavar="N", help=seed_help)


def build_session(args: argparse.Namespace, console: Console, questions_from):
    """Bank, questions, store, settings and the model to load: everything that can fail fast."""
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.live.controller import PracticeSettings
    from voice_interviewer.paths import banks_dir, data_dir
    from voice_interviewer.sessions.store import SessionStore
    from voice_interviewer.speech.models import resolve_model

    for name in ("end_silence", "max_answer", "wait"):
        if not getattr(args, name) > 0:
            raise UsageError(f"--{name.replace('_', '-')} must be a positive number of seconds")
    if args.probes < 0:
        raise UsageError("--probes must be zero or a positive whole number")
    if not args.grace >= 0:
        raise UsageError("--grace must be zero or a positive number of seconds")
    bank = resolve_bank(args.bank, banks_dir(args.data_dir))
    store = SessionStore(data_dir(args.data_dir))
    questions = questions_from(bank, store)
    # Fails fast on a bad --model; loading happens in the background while the question plays.
    ref = resolve_model(args.model, models_dir=data_dir(args.data_dir) / "models")
    settings = PracticeSettings(
        speak=not args.no_speak,
        voice=args.voice,
        rate=args.rate,
        output_device=args.output_device,
        endpoint=endpoint_params(args),
        follow_ups=args.follow_ups,
        probes=args.probes,
        show_example=args.show_example,
        cue=not args.no_cue,
        tts=args.tts,
        speak_feedback=args.speak_feedback,
        seed=args.seed,
        jsonl=args.jsonl,
        # practice waits for Enter after feedback unless --auto-next; demo runs unattended
        auto_next=getattr(args, "auto_next", True),
    )
    return bank, questions, store, settings, ref


def endpoint_params(args: argparse.Namespace):
    from dataclasses import replace

    if args.end_on == "enter":
        return replace(
            LIVE_DEFAULTS,
            end_silence_s=float("inf"),
            grace_s=0.0,
            max_answer_s=args.max_answer,
            wait_s=args.wait,
        )
    # A shorter base silence than the default keeps the default's cap above it.
    return replace(
        LIVE_DEFAULTS,
        end_silence_s=args.end_silence,
        grace_s=args.grace,
        end_silence_max_s=max(args.end_silence, LIVE_DEFAULTS.end_silence_max_s),
        max_answer_s=args.max_answer,
        wait_s=args.wait,
    )


class FrontEnds:
    """The display and, with --jsonl, the event writer. The writer takes its copy of stdout first,
    before the display (or anything else) can redirect it."""

    def __init__(self, jsonl: bool) -> None:
        from voice_interviewer.live.display import RichDisplay
        from voice_interviewer.live.events import EventBus
        from voice_interviewer.live.jsonl import JsonlWriter

        self.writer = JsonlWriter(exclusive=True) if jsonl else None
        self.console = Console(stderr=jsonl, highlight=False)
        self.display = RichDisplay(self.console)
        self.bus = EventBus([self.display] + ([self.writer] if self.writer else []))

    def close(self) -> None:
        self.display.close()
        if self.writer is not None:
            self.writer.close()


def run_session(make_session, ref, speaker=None) -> int:
    """Starts loading the model (it loads while the first question plays), runs the session, and
    waits for the loader before returning: a native thread still loading at exit aborts Python.
    With a ``speaker`` rendering the first question, the model loads once that is rendered: on 2
    cores the two loads would slow each other, and the question is needed first."""
    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.speech.whisper import BackgroundTranscriber, WhisperTranscriber

    def load():
        if speaker is not None:
            speaker.wait_ahead(FIRST_RENDER_WAIT_S)
        return WhisperTranscriber(ref)

    transcriber = BackgroundTranscriber(load, ref.name)
    try:
        return make_session(Scorer(transcriber)).run(exiting=True)
    finally:
        transcriber.close()


FIRST_RENDER_WAIT_S = 5.0  # the longest Whisper's load waits for the first question's render


def make_speaker(settings, console: Console, required: bool, first_question: str | None = None):
    """The interviewer's voice, for the questions, the spoken feedback and the end chime; it
    starts rendering ``first_question`` at once, while the models load."""
    from voice_interviewer.live.devices import resolve_device
    from voice_interviewer.live.speaker import Speaker
    from voice_interviewer.live.tts import make_synthesizer

    if not (settings.speak or settings.cue or settings.speak_feedback):
        return None
    synthesizer = make_synthesizer(
        settings.tts, settings.voice
    )  # --tts piper without Piper: an error
    try:
        resolve_device(settings.output_device, "output")
        speaker = Speaker(synthesizer, settings.voice, settings.rate, settings.output_device)
        if settings.speak and first_question:
            speaker.prefetch(first_question)
        return speaker
    except DeviceError as exc:
        if required:
            raise
        if settings.speak or settings.speak_feedback:  # a missing chime needs no notice
            note = f"No way to speak ({exc}); the questions and feedback are shown only."
            console.print(Text(as_launched(note), "yellow"))
        return None
