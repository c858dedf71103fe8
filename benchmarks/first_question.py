"""How soon the interviewer's question plays after the previous step, with Piper and with espeak.

    .venv/bin/python -m benchmarks.first_question [--runs 3]

The target (issue 26): the first question plays within 1 s of the previous step on 2 cores. The
steps are timed as ``practice`` and ``demo`` run them, without sound devices (playback starts
the moment the rendered audio is handed to the device, so the wait measured is the render):

- first question: the speaker is made and starts rendering the first question (``make_speaker``
  prefetches it), Whisper loads in the background once it is rendered, and the scorer loads the
  sentence model (``run_session``); the previous step is the session set up, ready to ask; the
  wait is from then until the question's audio is ready (and, in brackets, from the start);
- next question: rendered while the previous answer is recorded and scored (the controller
  prefetches it); the wait is from the feedback until its audio is ready;
- and without rendering ahead (the question rendered when it is asked), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from voice_interviewer.bank import resolve_bank
from voice_interviewer.cli.live_session import FIRST_RENDER_WAIT_S
from voice_interviewer.live.speaker import Speaker
from voice_interviewer.live.tts import make_synthesizer
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.models import resolve_model
from voice_interviewer.speech.whisper import BackgroundTranscriber, WhisperTranscriber

TARGET_S = 1.0
SAMPLE = "voice_interviewer/samples/01-overfitting.flac"


def one_run(kind: str) -> dict[str, float]:
    bank = resolve_bank(None)
    first, second = bank.questions[0], bank.questions[1]
    out: dict[str, float] = {}
    # As ``practice``/``demo`` run it (``make_speaker`` then ``run_session``): the speaker starts
    # rendering the first question, Whisper loads in the background once that is rendered, the
    # scorer loads the sentence model; then the session asks the first question (the previous
    # step).
    start = time.perf_counter()
    speaker = Speaker(make_synthesizer(kind))
    speaker.prefetch(first.text)
    ref = resolve_model(None)
    transcriber = BackgroundTranscriber(
        lambda: speaker.wait_ahead(FIRST_RENDER_WAIT_S) or WhisperTranscriber(ref), ref.name
    )
    scorer = Scorer(transcriber)
    t0 = time.perf_counter()
    speaker.audio_for(first.text)
    out["first question, after the session is set up"] = time.perf_counter() - t0
    out["(start to first question ready)"] = time.perf_counter() - start
    # The next question renders while the answer is scored (here after the fact, all at once:
    # more CPU at the same moment than a live answer, which spreads it over the answer).
    speaker.prefetch(second.text)
    scorer.score(load_audio(SAMPLE), first)
    t0 = time.perf_counter()
    speaker.audio_for(second.text)
    out["next question after the feedback"] = time.perf_counter() - t0
    speaker.close()
    transcriber.close()
    # For comparison, without rendering ahead: a new synthesiser (Piper loads its model on first
    # use), asked for the question when the session asks it. Run last, so that the steps above
    # start from a fresh process (nothing imported or loaded yet).
    cold = Speaker(make_synthesizer(kind))
    t0 = time.perf_counter()
    cold.audio_for(first.text)
    out["asked, not rendered ahead"] = time.perf_counter() - t0
    cold.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per voice, each a new process")
    ap.add_argument("--one", choices=("piper", "espeak"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # one run in this process: as a fresh ``practice`` starts, nothing loaded yet
        print(json.dumps(one_run(args.one)))
        return
    load = os.getloadavg()[0]
    print(
        f"{os.cpu_count()} cores, load average {load:.1f} at the start; "
        f"{args.runs} runs per voice, each a new process; target <= {TARGET_S:g} s\n"
    )
    print("| voice | step | median wait until the question can play (s) | worst (s) |")
    print("| --- | --- | ---: | ---: |")
    for kind in ("piper", "espeak"):
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.first_question", "--one", kind],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        for step in runs[0]:
            waits = [r[step] for r in runs]
            print(f"| {kind} | {step} | {statistics.median(waits):.2f} | {max(waits):.2f} |")


if __name__ == "__main__":
    main()
