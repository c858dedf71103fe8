"""The live mock interview: speak each question, record the answer, give feedback, save the session.

    select_questions -> for each: speak (live.speaker) -> LiveAnswer (microphone or FileFeed)
      -> feedback (+ optional follow-up) -> SessionStore; a summary at the end.

The controller knows no front end: it publishes typed events (``live.events``) on an ``EventBus``;
the Rich display (``live.display``) and the ``--jsonl`` writer (``live.jsonl``) subscribe.

Ending: Ctrl-C, SIGTERM and SIGHUP end the session and keep what was recorded (the partial answer
is analysed; a second signal during the save is ignored, see ``live.signals``); any other error
leaves the session without an end, so it is listed as incomplete, never as complete.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from voice_interviewer.bank import Bank, FollowUp, Question
from voice_interviewer.errors import DeviceError, UsageError
from voice_interviewer.live import events as ev
from voice_interviewer.live.capture import AnswerOutcome, BlockSource, LiveAnswer
from voice_interviewer.live.feedback import choose_follow_up, feedback_lines
from voice_interviewer.live.signals import InterruptGuard
from voice_interviewer.live.speaker import Speaker
from voice_interviewer.live.spoken import spoken_summary
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.corrections import learned_examples
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.speech.endpointing import EndpointParams
from voice_interviewer.speech.wavfile import WavAppender

__all__ = ["PracticeSession", "PracticeSettings", "select_questions"]

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
    speak: bool = True  # speak the questions
    tts: str = "auto"  # the voice: "auto" (Piper if installed, else espeak), "espeak" or "piper"
    voice: str | None = None
    rate: int | None = None
    output_device: str | None = None
    endpoint: EndpointParams = field(default_factory=EndpointParams)
    follow_ups: bool = False
    seed: int | None = None
    jsonl: bool = False
    cue: bool = True  # a short chime when an answer is over
    speak_feedback: bool = False  # say a one- or two-sentence summary after each answer
    kind: str = (
        "practice"  # what the session is saved as: 'practice' or 'demo' (store.SESSION_KINDS)
    )

    def end_hint(self) -> str:
        """How an answer ends, in words, for the display."""
        e = self.endpoint
        if e.end_silence_s == float("inf"):
            return "press Enter when you are done; Ctrl-C ends the session"
        return (
            f"a {e.end_silence_s:g} s silence or Enter ends the answer (pause to think: "
            "it waits), Ctrl-C ends the session"
        )


@dataclass
class AnswerRow:
    question: Question
    prompt: str
    status: str
    analysis: dict | None
    follow_up: bool = False


@dataclass
class _Answering:
    """One answer in progress, so an interrupt knows what to save."""

    answer_id: int
    live: LiveAnswer | None = None
    saved: bool = False


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
        bus: ev.EventBus,
        enter_pressed: Callable[[], bool] = lambda: False,
        clear_enter: Callable[[], None] = lambda: None,
    ) -> None:
        self.bank = bank
        self.questions = questions
        self.scorer = scorer
        self.store = store
        # The user's corrections saved in this data folder teach the rubric.
        scorer.taught = functools.partial(learned_examples, store.root)
        self.settings = settings
        self.open_source = open_source  # (question, n) -> a source of blocks for that answer
        self.speaker = speaker
        self.bus = bus
        self.enter_pressed = enter_pressed
        self.clear_enter = clear_enter
        self.rng = random.Random(settings.seed)
        self.rows: list[AnswerRow] = []
        self.session_id: int | None = None
        self.guard = InterruptGuard()  # replaced by ``run``'s own
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")
        self._seq = 0

    # ------------------------------------------------------------------ running

    def run(self, *, exiting: bool = False) -> int:
        """Runs the whole session; returns the exit code (0, or 128 + the signal that ended it).

        ``exiting``: the caller ends the process next (a command line). Once interrupted, signals
        then stay acknowledged until the process ends, so a Ctrl-C pressed again in its last
        moments neither kills it nor changes its exit status.
        """
        self.guard = InterruptGuard(hold=exiting)
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
                "grace_s": s.endpoint.grace_s,
                "speak": s.speak,
            },
            kind=s.kind,
        )
        interrupted = False
        with self.guard:
            try:
                self._loop()
            except KeyboardInterrupt as exc:
                self.guard.interrupted(exc)
                interrupted = True
                self.bus.publish(ev.Notice("Interrupted: saving what was recorded.", "warning"))
            except BaseException:
                # A crash: the session keeps no end, so it is listed as incomplete (its process is
                # gone), never as complete; what was saved so far stays.
                self._executor.shutdown(wait=False, cancel_futures=True)
                raise
            finally:
                if self.speaker is not None:
                    # A chime still playing when Python exits crashes PortAudio's teardown.
                    self.speaker.wait_cue()
                    self.speaker.close()
            self.store.end_session(self.session_id, interrupted=interrupted)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self.bus.publish(
                ev.SessionSummary(tuple(_summary_row(r) for r in self.rows), interrupted)
            )
            path = str(self.store.session_dir(self.session_id))
            self.bus.publish(ev.SessionSaved(self.session_id, path))
        return self.guard.exit_code if interrupted else 0

    def _loop(self) -> None:
        for n, q in enumerate(self.questions, 1):
            row = self._ask(q, n)
            if self.settings.follow_ups and row.status == "answered":
                probe = choose_follow_up(q, row.analysis, self.rng)
                if probe:
                    self._ask(q, n, probe)

    def _ask(self, q: Question, n: int, follow_up: FollowUp | None = None) -> AnswerRow:
        """Asks ``q``, or its ``follow_up`` (judged on its own points and target, not the parent's)."""
        self._seq += 1
        asked = follow_up.as_question(q) if follow_up else q
        prompt = asked.text
        answer_id, wav_path = self.store.begin_answer(
            self.session_id,
            self._seq,
            q.id,
            q.text,
            q.category,
            prompt,
            follow_up_of=self._seq - 1 if follow_up else None,
        )
        state = _Answering(answer_id)
        try:
            return self._answer(q, asked, n, follow_up is not None, wav_path, state)
        except KeyboardInterrupt as exc:
            self.guard.interrupted(exc)  # from here on the save is not itself interrupted
            if not state.saved:
                partial = state.live.partial if state.live is not None else None
                analysis = _analysis_dict(partial)
                self.store.complete_answer(
                    answer_id, status="interrupted", end_reason="interrupted", analysis=analysis
                )
                self.rows.append(
                    AnswerRow(q, prompt, "interrupted", analysis, follow_up is not None)
                )
            raise

    def _answer(
        self, q: Question, asked: Question, n: int, follow_up: bool, wav_path, state: _Answering
    ) -> AnswerRow:
        prompt = asked.text
        self.bus.publish(
            ev.QuestionAsked(q.id, prompt, follow_up, n, len(self.questions), q.category)
        )
        source = self.open_source(q, n)
        with WavAppender(
            wav_path
        ) as wav:  # an interrupt while the question plays keeps a valid WAV
            cut = self._speak(prompt, source)
            if self.speaker is not None and self.settings.speak and n < len(self.questions):
                self.speaker.prefetch(self.questions[n].text)  # rendered while this is answered
            self.clear_enter()
            self.bus.publish(ev.ListeningStarted(asked.target_seconds, self.settings.end_hint()))
            state.live = live = LiveAnswer(
                self.scorer,
                asked,
                self.settings.endpoint,
                wav,
                self._executor,
                on_event=self._live_event,
                on_level=lambda st: self.bus.publish(ev.LevelChanged(st, asked.target_seconds)),
            )
            outcome = live.run(source, cut, self.enter_pressed)
        analysis = _analysis_dict(outcome)
        status = "answered" if analysis else "unanswered"
        self.store.complete_answer(
            state.answer_id, status=status, end_reason=outcome.end_reason, analysis=analysis
        )
        state.saved = True
        row = AnswerRow(q, prompt, status, analysis, follow_up)
        self.rows.append(row)
        if analysis:
            lines = tuple(feedback_lines(analysis))
            self.bus.publish(
                ev.FeedbackReady(q.id, analysis, lines, outcome.decision_to_feedback_s or 0.0)
            )
            if self.settings.speak_feedback:  # after the printed feedback: no added latency
                self._say(spoken_summary(analysis), "the feedback")
        elif live.max_rms_dbfs < DEAD_SILENCE_DBFS:
            raise DeviceError(
                f"the microphone delivered only silence ({live.max_rms_dbfs:.0f} dBFS) for "
                f"{outcome.recorded_s:.0f} s: check it is unmuted and selected "
                "(try `voice-interviewer check`)"
            )
        else:
            self.bus.publish(ev.Notice("No answer heard; moving on.", "warning"))
        return row

    def _live_event(self, event: ev.SessionEvent) -> None:
        if (
            isinstance(event, ev.AnswerEnded)
            and event.reason != "interrupted"
            and self.settings.cue
            and self.speaker is not None
        ):
            self.speaker.start_cue()  # while the last words are analysed
        self.bus.publish(event)

    def _say(self, text: str, what: str) -> float | None:
        """Speaks ``text``; returns the playback end, or None if it could not be spoken."""
        if self.speaker is None:
            return None
        try:
            return self.speaker.say(text)
        except DeviceError as exc:
            notice = f"Could not speak {what} ({exc}); continuing silently."
            self.bus.publish(ev.Notice(notice, "warning"))
            self.speaker = None
            return None

    def _speak(self, text: str, source: BlockSource) -> float:
        """Speaks the question (the source is already capturing); returns where the answer starts."""
        end = self._say(text, "the question") if self.settings.speak else None
        # A microphone shares PortAudio's clock with playback; a FileFeed has its own.
        if end is not None and getattr(source, "shares_playback_clock", True):
            return end
        return source.stream_time()


def _analysis_dict(outcome: AnswerOutcome | None) -> dict | None:
    return outcome.analysis.to_dict() if outcome is not None and outcome.analysis else None


def _summary_row(r: AnswerRow) -> ev.SummaryRow:
    label = "  ↳ follow-up" if r.follow_up else r.question.id
    a = r.analysis
    if not a:
        return ev.SummaryRow(label, r.status, None, None, None, None, None)
    points = a["rubric"]["points"]
    return ev.SummaryRow(
        label,
        r.status,
        a["answer_s"],
        a["words_per_minute"],
        len(a["fillers"]),
        len(a["long_pauses"]),
        a["rubric"]["coverage"] if points else None,
    )
