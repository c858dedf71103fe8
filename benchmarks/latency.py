"""Latency of feedback in a live session: from the end-of-answer decision to the analysis.

Feeds a ~30 s and a ~120 s spoken answer (fixture clips joined) in real time through the live
capture path (FileFeed -> LiveAnswer: endpointing, worker-thread transcription, filler pass,
analysis), and prints the time from the end-of-answer decision to feedback next to what a
transcribe-after-recording approach takes on the same audio (our pipeline run after the fact, and
plain faster-whisper over the whole recording). The answer ends twice: by the end silence, and by
Enter pressed 0.5 s after the last word (then the last stretch is decoded after the decision).

    python -m benchmarks.latency [--model tiny.en] [--lengths 30 120] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from voice_interviewer.bank import resolve_bank
from voice_interviewer.live.capture import FileFeed, LiveAnswer
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.endpointing import EndpointParams
from voice_interviewer.speech.models import resolve_model
from voice_interviewer.speech.wavfile import WavAppender
from voice_interviewer.speech.whisper import WhisperTranscriber

ROOT = Path(__file__).resolve().parents[1]
SR = 16000


ENTER_AFTER_S = 0.5  # Enter pressed this long after the last word
END_SILENCE_S = 5.0  # the silence after the answer (the end silence ends it within it)
GAP_S = 1.5


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
    scorer: Scorer, audio: np.ndarray, question, enter: bool = False
) -> tuple[float, float, int]:
    """(decision -> feedback seconds, answer seconds, stretches) through the real-time path;
    ``enter``: Enter ends the answer ``ENTER_AFTER_S`` after its last word."""
    enter_at = len(audio) / SR - END_SILENCE_S - GAP_S + ENTER_AFTER_S
    feed = FileFeed(audio, realtime=True)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=1) as pool:
        wav = WavAppender(Path(tmp) / "answer.wav")
        live = LiveAnswer(scorer, question, EndpointParams(end_silence_s=3.0, wait_s=20), wav, pool)
        pressed = (lambda: feed.stream_time() >= enter_at) if enter else (lambda: False)
        outcome = live.run(feed, cut_time=0.0, stop_requested=pressed)
        wav.close()
    assert outcome.analysis is not None, "no speech recognised"
    return (
        outcome.decision_to_feedback_s,
        outcome.analysis.answer_s,
        len(outcome.recognition.stretches),
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
        live_s, answer_s, stretches = live_latency(scorer, audio, question)
        enter_s, _, _ = live_latency(scorer, audio, question, enter=True)
        t0 = time.perf_counter()
        scorer.score(audio, question)
        after_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        segments, _ = transcriber._model.transcribe(
            audio, language="en", beam_size=5, word_timestamps=True
        )
        list(segments)
        plain_s = time.perf_counter() - t0
        rows.append((seconds, answer_s, stretches, live_s, enter_s, after_s, plain_s))
        print(f"done {seconds:.0f} s", flush=True)
    header = ("answer (target s)", "speech s", "stretches", "live: decision->feedback s",
              "live, Enter after the last word: decision->feedback s",
              "after recording: our pipeline s", "after recording: plain faster-whisper s")  # fmt: skip
    lines = [
        f"model {ref.name}, {len(args.lengths)} answers fed in real time",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for r in rows:
        lines.append(
            f"| {r[0]:.0f} | {r[1]:.1f} | {r[2]} | {r[3]:.2f} | {r[4]:.2f} | {r[5]:.2f} | {r[6]:.2f} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")


if __name__ == "__main__":
    main()
