"""The live mock interview: speak each question, record the answer, give feedback, save the session.

    select_questions -> for each: speak (pyttsx3 -> sounddevice) -> LiveAnswer (microphone or FileFeed)
      -> feedback (+ optional follow-up) -> SessionStore; a summary at the end.

The display goes to stdout, or to stderr with ``--jsonl`` (stdout then carries one JSON event per line).
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from voice_interviewer.bank import Bank, Question
from voice_interviewer.errors import DeviceError, UsageError
from voice_interviewer.live.capture import BlockSource, LevelStatus, LiveAnswer
from voice_interviewer.live.feedback import choose_follow_up, feedback_lines
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.speech.endpointing import EndpointParams
from voice_interviewer.speech.wavfile import WavAppender

# A live microphone always has some noise; a muted one (or a dead input) delivers exact zeros.
DEAD_SILENCE_DBFS = -90.0


def select_questions(
    bank: Bank,
    ids: list[str] | None = None,
    categories: list[str] | None = None,
    count: int | None = None,
    shuffle: bool = False,
    seed: int | None = None,
) -> list[Question]:
    """Questions in the order asked: named ids in that order, else the bank (filtered by category)."""
    chosen = [bank.question(i) for i in ids] if ids else list(bank.questions)
    if categories:
        known = set(bank.categories())
        unknown = [c for c in categories if c not in known]
        if unknown:
            raise UsageError(
                f"unknown category {unknown[0]!r}: choose from {', '.join(sorted(known))}"
            )
        chosen = [q for q in chosen if q.category in categories]
    if shuffle:
        random.Random(seed).shuffle(chosen)
    if count is not None:
        if count < 1:
            raise UsageError("--count must be at least 1")
        chosen = chosen[:count]
    if not chosen:
        raise UsageError("no questions match the selection")
    return chosen


@dataclass
class PracticeSettings:
    speak: bool = True
    voice: str | None = None
    rate: int | None = None
    output_device: str | None = None
    endpoint: EndpointParams = field(default_factory=EndpointParams)
    follow_ups: bool = False
    seed: int | None = None
    jsonl: bool = False
    kind: str = (
        "practice"  # what the session is saved as: 'practice' or 'demo' (store.SESSION_KINDS)
    )


class EventLog:
    """``--jsonl`` events on stdout, one object per line, flushed at once."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()

    def emit(self, event: str, **fields) -> None:
        if not self.enabled:
            return
        with self._lock:
            sys.stdout.write(json.dumps({"event": event, "t": time.time(), **fields}) + "\n")
            sys.stdout.flush()


class EnterKey:
    """Lines typed on stdin (Enter) end the current answer. A daemon thread; harmless at EOF."""

    def __init__(self) -> None:
        self._pressed = threading.Event()
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=self._read, name="enter-key", daemon=True).start()

    def _read(self) -> None:
        try:
            for _line in sys.stdin:
                self._pressed.set()
        except (OSError, ValueError):
            pass

    def clear(self) -> None:
        self._pressed.clear()

    def pressed(self) -> bool:
        return self._pressed.is_set()


class Speaker:
    """Speaks questions: pyttsx3 renders to memory, sounddevice plays, so the end time is known."""

    def __init__(self, settings: PracticeSettings) -> None:
        from voice_interviewer.live.tts import SpeechSynthesizer

        self.settings = settings
        self.tts = SpeechSynthesizer()
        if settings.voice:
            self.tts.resolve_voice(settings.voice)  # fail early on an unknown voice

    def say(self, text: str) -> float:
        """Plays ``text``; returns the playback end on the PortAudio clock."""
        from voice_interviewer.live.devices import play

        audio, rate = self.tts.synthesize(text, voice=self.settings.voice, rate=self.settings.rate)
        return play(audio, rate, self.settings.output_device)


@dataclass
class AnswerRow:
    question: Question
    prompt: str
    status: str
    analysis: dict | None
    follow_up: bool = False


class PracticeSession:
    def __init__(
        self,
        bank: Bank,
        questions: list[Question],
        scorer: Scorer,
        store: SessionStore,
        settings: PracticeSettings,
        open_source: Callable[[Question, int], BlockSource],
        speaker: Speaker | None,
        console: Console,
    ) -> None:
        self.bank = bank
        self.questions = questions
        self.scorer = scorer
        self.store = store
        self.settings = settings
        self.open_source = open_source  # (question, n) -> a source of blocks for that answer
        self.speaker = speaker
        self.console = console
        self.events = EventLog(settings.jsonl)
        self.enter = EnterKey()
        self.rng = random.Random(settings.seed)
        self.rows: list[AnswerRow] = []
        self.session_id: int | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")
        self._seq = 0

    # ------------------------------------------------------------------ running

    def run(self) -> int:
        s = self.settings
        self.session_id = self.store.create_session(
            self.bank.id, self.bank.title, getattr(self.scorer.transcriber, "name", ""),
            {"questions": [q.id for q in self.questions], "follow_ups": s.follow_ups,
             "end_silence_s": s.endpoint.end_silence_s, "max_answer_s": s.endpoint.max_answer_s,
             "wait_s": s.endpoint.wait_s, "speak": s.speak},
            kind=s.kind,
        )  # fmt: skip
        interrupted = False
        try:
            for n, q in enumerate(self.questions, 1):
                self.console.rule(f"Question {n} of {len(self.questions)} · {q.category}")
                row = self._ask(q, q.text, n)
                if s.follow_ups and row.status == "answered":
                    probe = choose_follow_up(q, row.analysis, self.rng)
                    if probe:
                        self._ask(q, probe, n, follow_up_of=row)
        except KeyboardInterrupt:
            interrupted = True
            self.console.print("\n[bold]Interrupted[/]: saving what was recorded.")
        finally:
            self.store.end_session(self.session_id, interrupted=interrupted)
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._summary(interrupted)
        path = str(self.store.session_dir(self.session_id))
        self.events.emit("session_saved", session_id=self.session_id, path=path)
        self.console.print(f"Session [bold]{self.session_id}[/] saved in {path} "
                           f"(review it with `voice-interviewer review {self.session_id}`).")  # fmt: skip
        return 130 if interrupted else 0

    def _ask(
        self, q: Question, prompt: str, n: int, follow_up_of: AnswerRow | None = None
    ) -> AnswerRow:
        self._seq += 1
        asked = replace(q, text=prompt) if follow_up_of else q
        answer_id, wav_path = self.store.begin_answer(
            self.session_id, self._seq, q.id, q.text, q.category, prompt,
            follow_up_of=None if follow_up_of is None else self._seq - 1,
        )  # fmt: skip
        self.events.emit("question", id=q.id, text=prompt, follow_up=follow_up_of is not None)
        label = "Follow-up" if follow_up_of else "Question"
        self.console.print(Text.assemble((f"{label}: ", "bold cyan"), (prompt, "bold")))
        source = self.open_source(q, n)
        cut = self._speak(prompt, source)
        self.enter.clear()
        self.events.emit("listening")
        lo, hi = q.target_seconds
        self.console.print(f"[dim]Listening… answer in {lo:.0f}-{hi:.0f} s; a {self.settings.endpoint.end_silence_s:g} s "
                           "silence or Enter ends the answer, Ctrl-C ends the session.[/]")  # fmt: skip
        wav = WavAppender(wav_path)
        live = LiveAnswer(self.scorer, asked, self.settings.endpoint, wav, self._executor,
                          on_event=lambda name, f: self.events.emit(name, **f))  # fmt: skip
        try:
            with Live(console=self.console, transient=True, refresh_per_second=10) as meter:
                live.on_level = lambda st: meter.update(_meter(st, q.target_seconds))
                outcome = live.run(source, cut, self.enter.pressed)
        except KeyboardInterrupt:
            wav.close()
            partial = getattr(live, "outcome", None)
            analysis = partial.analysis.to_dict() if partial and partial.analysis else None
            self.store.complete_answer(
                answer_id, status="interrupted", end_reason="interrupted", analysis=analysis
            )
            self.rows.append(
                AnswerRow(q, prompt, "interrupted", analysis, follow_up_of is not None)
            )
            raise
        finally:
            wav.close()
        analysis = outcome.analysis.to_dict() if outcome.analysis else None
        status = "answered" if analysis else "unanswered"
        self.store.complete_answer(
            answer_id, status=status, end_reason=outcome.end_reason, analysis=analysis
        )
        row = AnswerRow(q, prompt, status, analysis, follow_up_of is not None)
        self.rows.append(row)
        if analysis:
            self.events.emit("feedback", id=q.id, analysis=analysis,
                             decision_to_feedback_s=round(outcome.decision_to_feedback_s or 0.0, 3))  # fmt: skip
            self.console.print(Text("Feedback", style="bold green"))
            for line in feedback_lines(analysis):
                self.console.print(f"  {line}")
        elif live.max_rms_dbfs < DEAD_SILENCE_DBFS:
            raise DeviceError(
                f"the microphone delivered only silence ({live.max_rms_dbfs:.0f} dBFS) for "
                f"{outcome.recorded_s:.0f} s: check it is unmuted and selected "
                "(try `voice-interviewer check`)"
            )
        else:
            self.console.print("[yellow]No answer heard; moving on.[/]")
        return row

    def _speak(self, text: str, source: BlockSource) -> float:
        """Speaks the question (the source is already capturing); returns where the answer starts."""
        if self.speaker is not None and self.settings.speak:
            try:
                end = self.speaker.say(text)
                # A microphone shares PortAudio's clock with playback; a FileFeed has its own.
                if getattr(source, "shares_playback_clock", True):
                    return end
            except DeviceError as exc:
                self.console.print(
                    f"[yellow]Could not speak the question ({exc}); continuing silently.[/]"
                )
                self.speaker = None
        return source.stream_time()

    def _summary(self, interrupted: bool) -> None:
        t = Table(title="Session summary" + (" (interrupted)" if interrupted else ""))
        for col in ("question", "status", "length", "wpm", "fillers", "long pauses", "coverage"):
            t.add_column(col)
        for r in self.rows:
            a = r.analysis
            name = "  ↳ follow-up" if r.follow_up else r.question.id
            if not a:
                t.add_row(name, r.status, "-", "-", "-", "-", "-")
                continue
            t.add_row(name, r.status, f"{a['answer_s']:.0f} s", f"{a['words_per_minute'] or 0:.0f}",
                      str(len(a["fillers"])), str(len(a["long_pauses"])), f"{a['rubric']['coverage']:.0%}")  # fmt: skip
        self.console.print(t)


def _meter(st: LevelStatus, target: tuple[float, float]) -> Text:
    width = 30
    level = int(np.clip((st.rms_dbfs + 60) / 60, 0, 1) * width)
    lo, hi = target
    state = "speaking" if st.speaking else ("pausing" if st.speech_started else "waiting for you")
    colour = "green" if lo <= st.elapsed_s <= hi else ("yellow" if st.elapsed_s < lo else "red")
    return Text.assemble(
        ("mic ", "dim"), ("█" * level + "░" * (width - level), "green" if st.speaking else "white"),
        f" {st.rms_dbfs:5.0f} dB  ", (f"{st.elapsed_s:5.1f} s", colour), f" / {lo:.0f}-{hi:.0f} s  ", (state, "dim"),
    )  # fmt: skip
