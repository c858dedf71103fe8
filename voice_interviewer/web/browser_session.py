"""One practice session driven from a browser tab: the same recording, endpointing, transcription,
feedback and store as ``practice``, with the page as microphone and speaker.

The page streams 16 kHz mono PCM blocks over the WebSocket; ``PushedBlocks`` turns them into the
``BlockSource`` that ``LiveAnswer`` reads, stamped on the page's own sample clock. The question is
synthesised here with the same TTS and played by the page, which reports the sample count at which
playback ended: that is where the answer is cut, so the response latency counts from the moment the
question finished playing in the page. The session runs in a worker thread; what it has to say to
the page goes through ``send`` (thread-safe), as typed messages turned into JSON at the edge.
"""

from __future__ import annotations

import contextlib
import functools
import io
import queue
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

import numpy as np

from voice_interviewer.bank import Bank, FollowUp, Question
from voice_interviewer.errors import DeviceError, VoiceInterviewerError
from voice_interviewer.live import events as ev
from voice_interviewer.live.capture import SAMPLE_RATE, LevelStatus, LiveAnswer
from voice_interviewer.live.devices import CapturedBlock
from voice_interviewer.live.feedback import choose_follow_up, feedback_lines
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.corrections import learned_examples
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.speech.endpointing import EndpointParams
from voice_interviewer.speech.wavfile import WavAppender

MAX_BLOCK_SAMPLES = 8000  # 0.5 s: the page sends 50 ms blocks
# The page cannot deliver audio faster than it is captured: allow bursts after a stall, refuse floods.
MAX_AHEAD_S = 5.0
RATE_GRACE_S = 2.0


# Not in errors.py, on purpose: control flow inside this module (raised where the page stops the
# session, caught a few lines up the same call stack), never shown to a user.
class SessionStopped(Exception):
    """The page asked to stop, or went away."""


class PushedBlocks:
    """A ``BlockSource`` fed by the WebSocket. Time is the page's sample count / 16 kHz."""

    shares_playback_clock = True  # the page reports playback end on this same clock

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._q: queue.Queue[CapturedBlock | None] = queue.Queue()
        self._samples = 0
        self._clock = clock
        self._t0: float | None = None
        self.closed = threading.Event()

    def push(self, pcm16: bytes) -> None:
        """One block from the page (little-endian int16). Raises ValueError on abuse."""
        if len(pcm16) % 2 or not pcm16:
            raise ValueError("an audio block must be a whole number of 16-bit samples")
        n = len(pcm16) // 2
        if n > MAX_BLOCK_SAMPLES:
            raise ValueError(f"audio block of {n} samples (at most {MAX_BLOCK_SAMPLES})")
        now = self._clock()
        if self._t0 is None:
            self._t0 = now
        if (self._samples + n) / SAMPLE_RATE > (now - self._t0) + MAX_AHEAD_S + RATE_GRACE_S:
            raise ValueError("audio arrives faster than real time")
        samples = np.frombuffer(pcm16, "<i2").astype(np.float32) / 32768.0
        self._q.put(CapturedBlock(samples, self._samples / SAMPLE_RATE))
        self._samples += n

    def close(self) -> None:
        self.closed.set()
        self._q.put(None)

    def stream_time(self) -> float:
        return self._samples / SAMPLE_RATE

    def read(self, timeout: float | None = None) -> CapturedBlock | None:
        """The next block; None on timeout, or at once when the page has gone (the caller's stop
        check then ends the answer, keeping what was said)."""
        if self.closed.is_set() and self._q.empty():
            return None
        try:
            return self._q.get(timeout=timeout)
        except queue.Empty:
            return None


@dataclass(frozen=True)
class BrowserPracticeSettings:
    """What the page chose. Same meanings and defaults as ``practice``'s options."""

    speak: bool = True  # synthesise the question and have the page play it
    voice: str | None = None
    rate: int | None = None  # interviewer's words a minute
    endpoint: EndpointParams = field(default_factory=EndpointParams)
    follow_ups: bool = False
    seed: int | None = None


@dataclass(frozen=True)
class Outgoing:
    """A message for the page: ``type`` plus fields (JSON at the WebSocket edge)."""

    type: str
    fields: dict

    def to_json(self) -> dict:
        return {"type": self.type, **self.fields}


class Controls:
    """What the page tells a running session (set from the event loop, read by the worker)."""

    def __init__(self) -> None:
        self.played: queue.Queue[float] = queue.Queue()  # cut times (s on the page's clock)
        self.done = threading.Event()
        self.stop = threading.Event()


class BrowserPractice:
    def __init__(
        self,
        bank: Bank,
        questions: list[Question],
        scorer: Scorer,
        store: SessionStore,
        settings: BrowserPracticeSettings,
        source: PushedBlocks,
        controls: Controls,
        send: Callable[[Outgoing], None],
        publish_audio: Callable[[bytes], str] | None,
    ) -> None:
        self.bank = bank
        self.questions = questions
        self.scorer = scorer
        self.store = store
        # The user's corrections saved in this data folder teach the rubric.
        scorer.taught = functools.partial(learned_examples, store.root)
        self.settings = settings
        self.source = source
        self.controls = controls
        self.send = send
        self.publish_audio = publish_audio  # WAV bytes -> URL the page can play; None: no TTS
        self.rng = random.Random(settings.seed)
        self.session_id: int | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-transcribe")
        self._seq = 0
        self._tts = None

    def _emit(self, type_: str, **fields) -> None:
        self.send(Outgoing(type_, fields))

    def run(self) -> int:
        """The whole session; returns the session id. Everything recorded is saved, whatever ends it."""
        s = self.settings
        self.session_id = self.store.create_session(
            self.bank.id,
            self.bank.title,
            getattr(self.scorer.transcriber, "name", ""),
            {
                "questions": [q.id for q in self.questions],
                "follow_ups": s.follow_ups,
                "end_silence_s": s.endpoint.end_silence_s,
                "max_answer_s": s.endpoint.max_answer_s,
                "wait_s": s.endpoint.wait_s,
                "speak": s.speak,
                "front_end": "web",
            },
        )
        self._emit("session", session_id=self.session_id, count=len(self.questions))
        interrupted = False
        if self.questions:
            self._render_ahead(self.questions[0].text)  # renders run in order: this one first
        try:
            for n, q in enumerate(self.questions, 1):
                if n < len(self.questions):  # rendered while this one is asked and answered
                    self._render_ahead(self.questions[n].text)
                status, analysis = self._ask(q, q.text, n)
                if s.follow_ups and status == "answered":
                    probe = choose_follow_up(q, analysis, self.rng)
                    if probe:
                        self._ask(q, probe.text, n, follow_up=probe)
        except SessionStopped:
            interrupted = True
        except DeviceError:  # the microphone stopped: the caller tells the page
            interrupted = True
            raise
        finally:
            self.store.end_session(self.session_id, interrupted=interrupted)
            self._executor.shutdown(wait=False, cancel_futures=True)
            if self._tts is not None:
                self._tts.close()
        self._emit(
            "session_saved",
            session_id=self.session_id,
            interrupted=interrupted,
            report=f"/sessions/{self.session_id}/",
        )
        return self.session_id

    def _ask(self, q: Question, prompt: str, n: int, follow_up: FollowUp | None = None):
        """Asks ``q`` (or its ``follow_up``, judged on its own points and target)."""
        self._seq += 1
        asked = follow_up.as_question(q) if follow_up else q
        answer_id, wav_path = self.store.begin_answer(
            self.session_id,
            self._seq,
            q.id,
            q.text,
            q.category,
            prompt,
            follow_up_of=self._seq - 1 if follow_up else None,
        )
        audio_url = self._speech_url(prompt)
        lo, hi = asked.target_seconds
        self._emit(
            "question",
            seq=self._seq,
            n=n,
            of=len(self.questions),
            id=q.id,
            category=q.category,
            text=prompt,
            follow_up=follow_up is not None,
            audio=audio_url,
            target_seconds=[lo, hi],
        )
        try:
            cut = self._wait_played()
        except SessionStopped:
            self.store.complete_answer(
                answer_id, status="interrupted", end_reason="interrupted", analysis=None
            )
            raise
        self.controls.done.clear()
        self._emit(
            "listening",
            end_silence_s=self.settings.endpoint.end_silence_s,
            grace_s=self.settings.endpoint.grace_s,
            max_answer_s=self.settings.endpoint.max_answer_s,
            wait_s=self.settings.endpoint.wait_s,
        )
        wav = WavAppender(wav_path)
        live = LiveAnswer(
            self.scorer,
            asked,
            self.settings.endpoint,
            wav,
            _Announcing(self._executor, self._stretch_done),
            on_event=self._live_event,
            on_level=self._level,
        )
        try:
            outcome = live.run(self.source, cut, self._done_or_stop)
        except DeviceError:
            # The page's microphone stopped delivering audio: the answer ends there, saved as
            # interrupted (not left 'recording'), and so does the session (see ``run``).
            self.store.complete_answer(
                answer_id, status="interrupted", end_reason="interrupted", analysis=None
            )
            raise
        finally:
            wav.close()
        # "Stop" (or the page going away, or being refused) ends the answer like Done, keeping
        # what was said, then the session, whatever ended the answer: a session stopped before
        # its last question was answered is interrupted, never complete. The answer is saved as
        # interrupted when the stop cut it, as Ctrl-C does in the terminal.
        stopped = self.controls.stop.is_set()
        cut_by_stop = stopped and outcome.end_reason == "enter"
        reason = "done" if outcome.end_reason == "enter" else outcome.end_reason
        analysis = outcome.analysis.to_dict() if outcome.analysis else None
        status = "interrupted" if cut_by_stop else ("answered" if analysis else "unanswered")
        self.store.complete_answer(
            answer_id, status=status, end_reason=outcome.end_reason, analysis=analysis
        )
        if analysis:
            self._emit(
                "feedback",
                seq=self._seq,
                id=q.id,
                analysis=analysis,
                lines=feedback_lines(analysis),
                end_reason=reason,
                decision_to_feedback_s=round(outcome.decision_to_feedback_s or 0.0, 3),
            )
        elif live.max_rms_dbfs < -90.0 and not stopped:
            raise DeviceError(
                f"the microphone delivered only silence ({live.max_rms_dbfs:.0f} dBFS) for "
                f"{outcome.recorded_s:.0f} s: check it is unmuted and selected in the browser"
            )
        else:
            self._emit("unanswered", seq=self._seq, id=q.id, end_reason=reason)
        if stopped:
            raise SessionStopped()
        return status, analysis

    def _live_event(self, event: ev.SessionEvent) -> None:
        """The answer's typed events for the page: speech_start and answer_end with their --jsonl
        fields; the grace period before an answer ends (closing, resumed), which the terminal
        shows on its display."""
        if isinstance(event, ev.AnswerClosing):
            self._emit("closing", ends_at_s=round(event.ends_at_s, 2))
        elif isinstance(event, ev.AnswerResumed):
            self._emit("resumed")
        elif (fields := event.jsonl()) is not None:
            self._emit(fields.pop("event"), **fields)

    def _done_or_stop(self) -> bool:
        return self.controls.done.is_set() or self.controls.stop.is_set()

    def _wait_played(self) -> float:
        """Blocks until the page says the question finished playing; returns the cut time.

        Audio keeps arriving meanwhile; ``LiveAnswer`` drops what came before the cut."""
        while True:
            if self.controls.stop.is_set() or self.source.closed.is_set():
                raise SessionStopped()
            try:
                return self.controls.played.get(timeout=0.2)
            except queue.Empty:
                continue

    def _speech_url(self, text: str) -> str | None:
        if not self.settings.speak or self.publish_audio is None:
            return None
        try:
            audio, rate = self._voice().audio_for(text)
        except (VoiceInterviewerError, OSError, RuntimeError) as exc:
            self._emit("notice", message=f"Could not speak the question ({exc}); it is shown only.")
            self.publish_audio = None
            return None
        return self.publish_audio(wav_bytes(audio, rate))

    def _voice(self):
        """The terminal's voice (Piper when installed, else espeak), rendering questions ahead."""
        if self._tts is None:
            from voice_interviewer.live.speaker import Speaker
            from voice_interviewer.live.tts import make_synthesizer

            synthesizer = make_synthesizer("auto", self.settings.voice)
            self._tts = Speaker(synthesizer, self.settings.voice, self.settings.rate)
        return self._tts

    def _render_ahead(self, text: str) -> None:
        """Starts rendering the question asked next, so it plays without waiting for the voice."""
        if self.settings.speak and self.publish_audio is not None:
            with contextlib.suppress(VoiceInterviewerError, OSError, RuntimeError):
                self._voice().prefetch(text)

    def _level(self, st: LevelStatus) -> None:
        self._emit(
            "level",
            **{k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(st).items()},
        )

    def _stretch_done(self, fut: Future) -> None:
        if fut.cancelled() or fut.exception() is not None:
            return
        r = fut.result()
        if r is None:
            return
        self._emit(
            "stretch",
            start=round(r.span.start, 2),
            end=round(r.span.end, 2),
            words=[w.text for w in r.words],
            fillers=[f.text for f in r.fillers],
        )


class _Announcing:
    """An executor wrapper: each transcribed stretch is announced when done (the growing transcript)."""

    def __init__(self, executor: ThreadPoolExecutor, on_done: Callable[[Future], None]) -> None:
        self._executor = executor
        self._on_done = on_done

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut = self._executor.submit(fn, *args, **kwargs)
        fut.add_done_callback(self._on_done)
        return fut


def wav_bytes(audio: np.ndarray, rate: int) -> bytes:
    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, np.asarray(audio, np.float32), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()
