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

from benchmarks.real import load_clips
from evaluation.truth import SHARED_CLIP_QUESTION
from voice_interviewer.bank import resolve_bank
from voice_interviewer.live import events as ev
from voice_interviewer.live.capture import FileFeed, LiveAnswer
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.endpointing import EndpointParams
from voice_interviewer.speech.models import resolve_model
from voice_interviewer.speech.vad import SileroModel, speech_spans
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
    decodes: int  # windows decoded live (as they grew, and ahead of Enter) ...
    windows: int  # ... and the windows ``score`` decodes

    def cell(self) -> str:
        return f"{self.wall_s:.2f} ({self.cpu_s:.2f} CPU)"


@dataclass(frozen=True)
class Answer:
    name: str
    audio: np.ndarray  # the answer, then END_SILENCE_S of silence
    question_id: str
    last_word_s: float  # where its last word ends


def build_answer(seconds: float) -> Answer:
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
    audio = np.concatenate(parts)
    return Answer(f"{seconds:.0f}", audio, qid, len(audio) / SR - END_SILENCE_S - GAP_S)


def build_real_answer(seconds: float) -> Answer:
    """Real recordings (../shared/audio: one speaker, thinking pauses, filled pauses, laughter),
    each trimmed to its speech (Silero) as the fixtures are, ``GAP_S`` apart, until ``seconds``
    long, then ``END_SILENCE_S`` of silence; its last word ends where Silero hears the last
    speech in the whole answer. Never tuned on for this path."""
    vad = SileroModel()
    parts, total = [], 0.0
    for clip in [c for c in load_clips() if c.content is not None]:
        audio = load_audio(clip.path)
        spans = speech_spans(vad.probabilities(audio))
        speech = audio[int(spans[0].start * SR) : int(spans[-1].end * SR)]
        parts += [speech, np.zeros(int(GAP_S * SR), np.float32)]
        total += len(speech) / SR + GAP_S
        if total >= seconds:
            break
    parts.append(np.zeros(int(END_SILENCE_S * SR), np.float32))
    audio = np.concatenate(parts)
    last_word = speech_spans(vad.probabilities(audio))[-1].end  # as the live path will hear it
    return Answer(f"real, {seconds:.0f}", audio, SHARED_CLIP_QUESTION, last_word)


class PacedFeed(FileFeed):
    """``FileFeed`` played ``pace`` times slower than real time, its clock in audio seconds: on a
    machine shared with other work, the worker gets about the CPU it would have in real time on
    a machine ``pace`` times less loaded (the decision->feedback wall time is still real)."""

    def __init__(self, audio: np.ndarray, pace: float) -> None:
        super().__init__(audio, realtime=True)
        self._pace = pace

    def stream_time(self) -> float:
        if self._t0 is None:
            self._t0 = time.monotonic()
        return (time.monotonic() - self._t0) / self._pace

    def read(self, timeout: float | None = None):
        self.stream_time()  # starts the clock
        due = self._t0 + (self._pos + self._block) / SR * self._pace
        if (wait := due - time.monotonic()) > 0:
            if timeout is not None and wait > timeout:
                time.sleep(timeout)
                return None
            time.sleep(wait)
        self_realtime, self._realtime = self._realtime, False
        try:
            return super().read(timeout)
        finally:
            self._realtime = self_realtime


def live_latency(
    scorer: Scorer,
    answer: Answer,
    question,
    enter_after: float | None = None,
    pace: float = 1.0,
    ahead_thread: bool | None = None,
) -> Ending:
    """The answer fed in real time (``pace`` times slower: ``PacedFeed``) through the live path;
    ``enter_after``: Enter ends it that long after its last word (None: the end silence does)."""
    feed = FileFeed(answer.audio, realtime=True) if pace == 1.0 else PacedFeed(answer.audio, pace)
    last_word = answer.last_word_s
    decided: list[float] = []

    def on_event(event) -> None:
        if isinstance(event, ev.AnswerEnded):  # sent right after the decision
            decided.append(time.process_time())

    transcriber = scorer.transcriber
    decode = transcriber.transcribe_windows
    decodes: list[int] = []

    def counted(windows, **kw):
        decodes.append(len(windows))
        return decode(windows, **kw)

    transcriber.transcribe_windows = counted  # counts the decodes of this answer only
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=1) as pool:
        wav = WavAppender(Path(tmp) / "answer.wav")
        params = EndpointParams(end_silence_s=3.0, wait_s=20)
        live = LiveAnswer(
            scorer, question, params, wav, pool, on_event=on_event, ahead_thread=ahead_thread
        )
        if enter_after is None:
            pressed = lambda: False  # noqa: E731
        else:
            pressed = lambda: feed.stream_time() >= last_word + enter_after  # noqa: E731
        outcome = live.run(feed, cut_time=0.0, stop_requested=pressed)
        cpu = time.process_time() - decided[0]
        wav.close()
    transcriber.transcribe_windows = decode
    assert outcome.analysis is not None, "no speech recognised"
    assert outcome.end_reason == ("silence" if enter_after is None else "enter")
    return Ending(
        outcome.decision_to_feedback_s,
        cpu,
        outcome.analysis.answer_s,
        len(outcome.recognition.stretches),
        sum(decodes),
        len(live.stretches.windows()),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--lengths", type=float, nargs="*", default=[30.0, 120.0])
    ap.add_argument(
        "--real",
        type=float,
        nargs="*",
        default=[60.0],
        help="also answers of real recordings joined, this long",
    )
    ap.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="play the answers this many times slower than real time (a shared machine: the "
        "worker gets the CPU it would have on one this many times less loaded)",
    )
    ap.add_argument(
        "--enter",
        type=float,
        nargs="*",
        default=list(ENTER_AFTER_S),
        help="Enter pressed this many seconds after the last word (one ending each)",
    )
    ap.add_argument("--no-after", action="store_true", help="skip the after-recording columns")
    ap.add_argument(
        "--ahead",
        choices=("auto", "off", "both"),
        default="auto",
        help="the decode ahead of Enter in a thread of its own: as the app does (auto: on 2+ "
        "cores), off (the worker does it when idle), or both, one after the other per answer",
    )
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    ref = resolve_model(args.model)
    transcriber = WhisperTranscriber(ref)
    scorer = Scorer(transcriber)
    bank = resolve_bank(None)
    rows = []
    answers = [build_answer(s) for s in args.lengths] + [build_real_answer(s) for s in args.real]
    modes = {"auto": [(None, "")], "off": [(False, "")]}.get(
        args.ahead, [(False, " (worker only)"), (None, " (ahead thread)")]
    )
    for answer, (ahead, label) in ((a, m) for a in answers for m in modes):
        audio, question = answer.audio, bank.question(answer.question_id)
        silence = live_latency(scorer, answer, question, pace=args.pace, ahead_thread=ahead)
        enters = [
            live_latency(scorer, answer, question, a, args.pace, ahead_thread=ahead)
            for a in args.enter
        ]
        after_s = plain_s = float("nan")
        if not args.no_after:
            t0 = time.perf_counter()
            scorer.score(audio, question)
            after_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            segments, _ = transcriber._model.transcribe(
                audio, language="en", beam_size=5, word_timestamps=True
            )
            list(segments)
            plain_s = time.perf_counter() - t0
        rows.append((answer.name + label, silence, enters, after_s, plain_s))
        print(f"done {answer.name} s", flush=True)
    header = (
        "answer (target s)",
        "speech s",
        "stretches",
        "live, silence ends it: decision->feedback s",
        *(f"live, Enter {a} s after the last word: decision->feedback s" for a in args.enter),
        "after recording: our pipeline s",
        "after recording: plain faster-whisper s",
        "window decodes live (silence ending) / windows",
    )
    lines = [
        f"model {ref.name}, {len(answers)} answers fed in real time (x{args.pace:g} slower); "
        "live cells: wall "
        "seconds (process CPU seconds) from the end-of-answer decision to the analysis",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for name, silence, enters, after_s, plain_s in rows:
        cells = [name, f"{silence.answer_s:.1f}", str(silence.stretches)]
        cells += [silence.cell(), *(e.cell() for e in enters), f"{after_s:.2f}", f"{plain_s:.2f}"]
        cells.append(f"{silence.decodes} / {silence.windows}")
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")


if __name__ == "__main__":
    main()
