"""Latency of feedback in a live session: from the end-of-answer decision to the analysis.

Feeds a ~30 s and a ~120 s spoken answer (fixture clips joined) in real time through the live
capture path (FileFeed -> LiveAnswer: endpointing, worker-thread transcription, filler pass,
analysis), and prints the time from the end-of-answer decision to feedback next to what a
transcribe-after-recording approach takes on the same audio (our pipeline run after the fact, and
plain faster-whisper over the whole recording). The answer ends three times: by the end silence,
and by Enter pressed 0.5 s and 1.0 s after the last word (the live path decodes the last stretch
ahead once 0.3 s of silence follows it). Each live ending also reports the process CPU seconds
after the decision: on a shared machine the wall time includes waiting for a core.

    python -m benchmarks.latency [--model tiny.en] [--lengths 30 120] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_interviewer.bank import resolve_bank
from voice_interviewer.live import events as ev
from voice_interviewer.live.capture import FileFeed, LiveAnswer
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.endpointing import EndpointParams
from voice_interviewer.speech.models import resolve_model
from voice_interviewer.speech.wavfile import WavAppender
from voice_interviewer.speech.whisper import WhisperTranscriber

ROOT = Path(__file__).resolve().parents[1]
SR = 16000


ENTER_AFTER_S = (0.5, 1.0)  # Enter pressed this long after the last word
END_SILENCE_S = 5.0  # the silence after the answer (the end silence ends it within it)
GAP_S = 1.5


@dataclass(frozen=True)
class Ending:
    """One answer ended live: from the end-of-answer decision to the analysis."""

    wall_s: float
    cpu_s: float  # process CPU seconds over the same time (the machine may be shared)
    answer_s: float
    stretches: int
    decodes: int  # windows decoded live, tentative decodes included ...
    windows: int  # ... and the windows ``score`` decodes

    def cell(self) -> str:
        return f"{self.wall_s:.2f} ({self.cpu_s:.2f} CPU)"


def build_answer(seconds: float) -> tuple[np.ndarray, str]:
    """Joins fixture clips (each trimmed to its speech, 1.5 s apart) until ``seconds`` long,
    then ``END_SILENCE_S`` of silence."""
    index = json.loads((ROOT / "audio_fixtures" / "index.json").read_text())
    names = index if isinstance(index, list) else index.get("clips", [])
    parts, qid = [np.zeros(int(1.0 * SR), np.float32)], None
    total = 1.0
    for name in names:
        truth = json.loads((ROOT / "audio_fixtures" / f"{name}.json").read_text())
        qid = qid or truth["question_id"]
        audio = load_audio(ROOT / "audio_fixtures" / truth["audio"])
        speech = audio[int(truth["speech_start"] * SR) : int(truth["speech_end"] * SR)]
        take = min(len(speech), int((seconds - total) * SR))
        parts += [speech[:take], np.zeros(int(GAP_S * SR), np.float32)]
        total += take / SR + GAP_S
        if total >= seconds:
            break
    parts.append(np.zeros(int(END_SILENCE_S * SR), np.float32))  # the silence that ends it
    return np.concatenate(parts), qid


def live_latency(
    scorer: Scorer, audio: np.ndarray, question, enter_after: float | None = None
) -> Ending:
    """The answer fed in real time through the live path; ``enter_after``: Enter ends it that
    long after its last word (None: the end silence does)."""
    feed = FileFeed(audio, realtime=True)
    last_word = len(audio) / SR - END_SILENCE_S - GAP_S
    decided: list[float] = []

    def on_event(event) -> None:
        if isinstance(event, ev.AnswerEnded):  # sent right after the decision
            decided.append(time.process_time())

    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=1) as pool:
        wav = WavAppender(Path(tmp) / "answer.wav")
        params = EndpointParams(end_silence_s=3.0, wait_s=20)
        live = LiveAnswer(scorer, question, params, wav, pool, on_event=on_event)
        if enter_after is None:
            pressed = lambda: False  # noqa: E731
        else:
            pressed = lambda: feed.stream_time() >= last_word + enter_after  # noqa: E731
        outcome = live.run(feed, cut_time=0.0, stop_requested=pressed)
        cpu = time.process_time() - decided[0]
        wav.close()
    assert outcome.analysis is not None, "no speech recognised"
    assert outcome.end_reason == ("silence" if enter_after is None else "enter")
    return Ending(
        outcome.decision_to_feedback_s,
        cpu,
        outcome.analysis.answer_s,
        len(outcome.recognition.stretches),
        getattr(live.stretches, "decodes", 0),  # 0: a version without the count
        len(live.stretches.windows()),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--lengths", type=float, nargs="+", default=[30.0, 120.0])
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    ref = resolve_model(args.model)
    transcriber = WhisperTranscriber(ref)
    scorer = Scorer(transcriber)
    bank = resolve_bank(None)
    rows = []
    for seconds in args.lengths:
        audio, qid = build_answer(seconds)
        question = bank.question(qid)
        silence = live_latency(scorer, audio, question)
        enters = [live_latency(scorer, audio, question, after) for after in ENTER_AFTER_S]
        t0 = time.perf_counter()
        scorer.score(audio, question)
        after_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        segments, _ = transcriber._model.transcribe(
            audio, language="en", beam_size=5, word_timestamps=True
        )
        list(segments)
        plain_s = time.perf_counter() - t0
        rows.append((seconds, silence, enters, after_s, plain_s))
        print(f"done {seconds:.0f} s", flush=True)
    header = (
        "answer (target s)",
        "speech s",
        "stretches",
        "live, silence ends it: decision->feedback s",
        *(f"live, Enter {a} s after the last word: decision->feedback s" for a in ENTER_AFTER_S),
        "after recording: our pipeline s",
        "after recording: plain faster-whisper s",
        "window decodes live (silence ending) / windows",
    )
    lines = [
        f"model {ref.name}, {len(args.lengths)} answers fed in real time; live cells: wall "
        "seconds (process CPU seconds) from the end-of-answer decision to the analysis",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for seconds, silence, enters, after_s, plain_s in rows:
        cells = [f"{seconds:.0f}", f"{silence.answer_s:.1f}", str(silence.stretches)]
        cells += [silence.cell(), *(e.cell() for e in enters), f"{after_s:.2f}", f"{plain_s:.2f}"]
        cells.append(f"{silence.decodes} / {silence.windows}")
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")


if __name__ == "__main__":
    main()
