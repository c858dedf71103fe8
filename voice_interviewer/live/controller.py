"""The practice engine: the one session loop, whatever the front end (terminal or web page).

    create_session -> for each question, for each attempt: render its voice -> QuestionAsked ->
      the front end has it heard (cut time) -> LiveAnswer (front end's audio) -> save ->
      FeedbackReady (+ AttemptsCompared from the 2nd attempt) | NoAnswer (+ a follow-up) (+ a
      probe on a missed point, ``live.probes``; the example answer when asked for) ->
      WaitingForNext -> the front end's next_step: "retry" asks the same question again (its
      next attempt), "next" goes on, "stop" ends the session (unless --auto-next, which goes on)
    -> end_session -> SessionSummary, SessionSaved.

Front ends (``live.front_end.FrontEnd``) feed it and listen to it; it knows neither:

- In: the answer's audio (``open_source``: a microphone, a ``FileFeed``, the page's pushed blocks),
  when the question was heard (a ``QuestionPlayer``: the terminal's ``SoundCard`` plays the rendered
  question and returns the playback end; the page's player waits for the page's "played" with its
  sample clock), and the candidate's signals: done with this answer (Enter, the page's Done), stop
  the session (the page's Stop, or the page going away), and after feedback: next, or try again.
- Out: typed events on an ``EventBus`` (``live.events``). The Rich display and the ``--jsonl``
  writer subscribe in the terminal; in the browser, ``web.wire`` turns each event into the page's
  JSON message. What only the page shows (the session's id, the question's audio, the level, the
  growing transcript, the answer's limits) is in the events as display-only fields or events, so
  the ``--jsonl`` contract is unchanged.

Every rule is written once, here: the settings saved with the session (``PracticeSettings.saved``),
follow-ups, the end cue and spoken feedback, the dead-microphone check (``DEAD_SILENCE_DBFS``), and
how a session ends:

- Ctrl-C, SIGTERM and SIGHUP (``live.signals``) end it and keep what was recorded: the partial
  answer is analysed and saved as interrupted; a second signal during the save is ignored.
- The front end's Stop ends the answer like Done (keeping what was said, saved as interrupted),
  then the session; a Stop before the question was heard saves the answer as interrupted, empty.
- Any other error leaves the session without an end, listed as incomplete, never as complete;
  a front end that outlives it (the web server) has it ended as interrupted instead.

The analysis travels as ``Analysis`` objects; only the store and the edges (``jsonl()``,
``web.wire``) serialize it.
"""

from __future__ import annotations

import functools
import random
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from voice_interviewer.bank import Bank, FollowUp, Question
from voice_interviewer.errors import DeviceError, VoiceInterviewerError
from voice_interviewer.live import events as ev
from voice_interviewer.live.attempts import AnswerRow, Attempts, summary_row
from voice_interviewer.live.capture import AnnouncingExecutor, BlockSource, LiveAnswer
from voice_interviewer.live.feedback import choose_follow_up, feedback_lines
from voice_interviewer.live.front_end import FrontEnd, SessionStopped, SoundCard
from voice_interviewer.live.practice_settings import PracticeSettings, select_questions
from voice_interviewer.live.probes import (
    choose_probe_point,
    probe_follow_up,
    probe_verdict,
    probed_point,
    wants_probe,
)
from voice_interviewer.live.signals import InterruptGuard
from voice_interviewer.live.speaker import Speaker
from voice_interviewer.live.spoken import spoken_summary
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.corrections import learned_examples
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.speech.recognize import StretchResult
from voice_interviewer.speech.wavfile import WavAppender

__all__ = ["DEAD_SILENCE_DBFS", "PracticeSession", "PracticeSettings", "select_questions"]

# A live microphone always has some noise; a muted one (or a dead input) delivers exact zeros.
DEAD_SILENCE_DBFS = -90.0


@dataclass
class _Answering:
    """One answer in progress, so an interrupt knows what to save."""

    answer_id: int
    attempt: int = 1
    probe_point: str | None = None  # a probe's missed point (``live.probes.probed_point``)
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
        front: FrontEnd,
        speaker: Speaker | None,
        bus: ev.EventBus,
    ) -> None:
        self.bank = bank
        self.questions = questions
        self.scorer = scorer
        self.store = store
        # The user's corrections saved in this data folder teach the rubric.
        scorer.taught = functools.partial(learned_examples, store.root)
        self.settings = settings
        self.front = front
        self.player = front.player or SoundCard(speaker)
        self.speaker = speaker  # renders the questions; plays the cue and spoken feedback
        self.bus = bus
        self.rng = random.Random(settings.seed)
        self.rows: list[AnswerRow] = []
        self.session_id: int | None = None
        self.guard = InterruptGuard()  # replaced by ``run``'s own
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")
        self._seq = 0
        self._probes_asked: dict[str, int] = {}  # question id -> probes asked (``live.probes``)

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
            s.saved(self.questions, self.front.name),
            kind=s.kind,
        )
        self.bus.publish(ev.SessionStarted(self.session_id, len(self.questions)))
        if self.questions:
            self._prefetch(self.questions[0].text)
        interrupted = signalled = False
        with self.guard:
            try:
                self._loop()
            except KeyboardInterrupt as exc:
                self.guard.interrupted(exc)
                interrupted = signalled = True
                self.bus.publish(ev.Notice("Interrupted: saving what was recorded.", "warning"))
            except SessionStopped:
                interrupted = True
            except BaseException:
                # A crash: the session keeps no end, so it is listed as incomplete (its process is
                # gone), never as complete; what was saved so far stays. A server outlives the
                # error and tells the page: there the session was stopped, not crashed, so it
                # ends as interrupted.
                self._executor.shutdown(wait=False, cancel_futures=True)
                if self.front.errors_end_session:
                    self.store.end_session(self.session_id, interrupted=True)
                raise
            finally:
                if self.speaker is not None:
                    # A chime still playing when Python exits crashes PortAudio's teardown.
                    self.speaker.wait_cue()
                    self.speaker.close()
            self.store.end_session(self.session_id, interrupted=interrupted)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self.bus.publish(
                ev.SessionSummary(tuple(summary_row(r) for r in self.rows), interrupted)
            )
            path = str(self.store.session_dir(self.session_id))
            self.bus.publish(ev.SessionSaved(self.session_id, path, interrupted))
        return self.guard.exit_code if signalled else 0

    def _loop(self) -> None:
        for n, q in enumerate(self.questions, 1):
            attempts = Attempts(q)
            while True:  # one attempt at ``q`` (Try again asks it again)
                row = self._ask(q, n, attempts.number)
                if (compared := attempts.answered(row)) is not None:
                    self.bus.publish(ev.AttemptsCompared(q.id, compared))
                # What follows an attempt (a follow-up, a probe) comes before the wait, so the
                # candidate decides on the whole exchange; Try again repeats the main question.
                if self.settings.follow_ups and row.status == "answered":
                    probe = choose_follow_up(q, row.analysis, self.rng)
                    if probe:
                        self._ask(q, n, attempts.number, probe)
                self._follow_through(q, n, row, attempts.number)
                if self._next_step(q, attempts.number, n == len(self.questions)) != "retry":
                    break
                attempts.number += 1
                self._prefetch(q.text)

    def _follow_through(self, q: Question, n: int, row: AnswerRow, attempt: int) -> None:
        """After an attempt and its follow-up: a probe on a point it missed (the rule is
        ``live.probes``), then the question's example answer if the settings ask."""
        asked = self._probes_asked.get(q.id, 0)
        follow_up_asked = self.rows[-1] is not row
        if wants_probe(
            cap=self.settings.probes,
            asked=asked,
            status=row.status,
            follow_up_asked=follow_up_asked,
            analysis=row.analysis,
        ):
            point = choose_probe_point(q, row.analysis)
            if point is not None:
                self._probes_asked[q.id] = asked + 1
                probe = self._ask(q, n, attempt, probe_follow_up(point))
                if probe.status == "answered":
                    verdict = probe_verdict(point, probe.analysis)
                    self.bus.publish(ev.Notice(verdict))
                    if self.settings.speak_feedback:
                        self._say(verdict, "the feedback")
        example = q.example_answer()
        if self.settings.show_example and example:
            self.bus.publish(ev.ExampleAnswer(q.id, example))
            if self.settings.speak_feedback:  # the model answer itself, nothing around it
                self._say(example, "the example answer")

    def _next_step(self, q: Question, attempt: int, last: bool) -> str:
        """After feedback: the candidate's Next or Try again (straight on with auto_next)."""
        if self.settings.auto_next:
            return "next"
        self.bus.publish(ev.WaitingForNext(q.id, attempt, last))
        step = self.front.next_step()
        if step == "stop":
            raise SessionStopped()
        return step

    def _ask(
        self, q: Question, n: int, attempt: int = 1, follow_up: FollowUp | None = None
    ) -> AnswerRow:
        """Asks ``q`` (its ``attempt``-th time), or its ``follow_up`` (judged on its own points and
        target, not the parent's)."""
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
            attempt=attempt,
        )
        state = _Answering(answer_id, attempt, probed_point(follow_up))
        try:
            return self._answer(q, asked, n, follow_up is not None, wav_path, state)
        except (KeyboardInterrupt, SessionStopped) as exc:
            if isinstance(exc, KeyboardInterrupt):
                self.guard.interrupted(exc)  # from here on the save is not itself interrupted
            if not state.saved:
                partial = state.live.partial if state.live is not None else None
                analysis = partial.analysis if partial is not None else None
                self._save(answer_id, "interrupted", "interrupted", analysis)
                self.rows.append(
                    AnswerRow(q, prompt, "interrupted", analysis, follow_up is not None, attempt)
                )
            raise
        except BaseException:
            if self.front.errors_end_session and not state.saved:
                self._save(answer_id, "interrupted", "interrupted", None)  # not left 'recording'
            raise

    def _answer(
        self, q: Question, asked: Question, n: int, follow_up: bool, wav_path, state: _Answering
    ) -> AnswerRow:
        prompt = asked.text
        source = self.front.open_source(q, n)
        # Open before the question plays: an interrupt while it plays keeps a valid (empty) WAV.
        with WavAppender(wav_path) as wav:
            speech = self._render(prompt)
            self.bus.publish(
                ev.QuestionAsked(
                    q.id,
                    prompt,
                    follow_up,
                    n,
                    len(self.questions),
                    q.category,
                    self._seq,
                    asked.target_seconds,
                    speech,
                    state.attempt,
                    state.probe_point,
                )
            )
            cut = self._hear(speech, source)
            if n < len(self.questions):
                self._prefetch(self.questions[n].text)  # rendered while this is answered
            self.front.clear_done()
            endpoint = self.settings.endpoint
            hint = self.settings.end_hint()
            self.bus.publish(ev.ListeningStarted(asked.target_seconds, hint, endpoint))
            state.live = live = LiveAnswer(
                self.scorer,
                asked,
                endpoint,
                wav,
                AnnouncingExecutor(self._executor, self._stretch_done),
                on_event=self._live_event,
                on_level=lambda st: self.bus.publish(ev.LevelChanged(st, asked.target_seconds)),
            )
            outcome = live.run(source, cut, self._done_or_stop)
        # The page's Stop ends the answer like Done, then the session: the answer it cut short is
        # saved as interrupted, as Ctrl-C's is.
        stopped = self.front.stop_requested()
        analysis = outcome.analysis
        if stopped and outcome.end_reason == "enter":
            status = "interrupted"
        else:
            status = "answered" if analysis is not None else "unanswered"
        self._save(state.answer_id, status, outcome.end_reason, analysis)
        state.saved = True
        row = AnswerRow(q, prompt, status, analysis, follow_up, state.attempt)
        self.rows.append(row)
        if analysis is not None:
            lines = tuple(feedback_lines(analysis))
            latency = outcome.decision_to_feedback_s or 0.0
            self.bus.publish(
                ev.FeedbackReady(q.id, analysis, lines, latency, self._seq, outcome.end_reason)
            )
            if self.settings.speak_feedback:  # after the printed feedback: no added latency
                self._say(spoken_summary(analysis), "the feedback")
        elif live.max_rms_dbfs < DEAD_SILENCE_DBFS and not stopped:
            raise DeviceError(
                f"the microphone delivered only silence ({live.max_rms_dbfs:.0f} dBFS) for "
                f"{outcome.recorded_s:.0f} s: check it is unmuted and selected "
                + self.front.microphone_hint
            )
        else:
            self.bus.publish(ev.NoAnswer(q.id, self._seq, outcome.end_reason))
        if stopped:
            raise SessionStopped()
        return row

    def _save(self, answer_id: int, status: str, end_reason: str, a: Analysis | None) -> None:
        self.store.complete_answer(answer_id, status=status, end_reason=end_reason, analysis=a)

    def _done_or_stop(self) -> bool:
        return self.front.done_requested() or self.front.stop_requested()

    def _live_event(self, event: ev.SessionEvent) -> None:
        if (
            isinstance(event, ev.AnswerEnded)
            and event.reason != "interrupted"
            and self.settings.cue
            and self.speaker is not None
        ):
            self.speaker.start_cue()  # while the last words are analysed
        self.bus.publish(event)

    def _stretch_done(self, fut: Future) -> None:
        """A transcribed stretch: the growing transcript (on the transcription thread)."""
        if fut.cancelled() or fut.exception() is not None:
            return
        r = fut.result()
        if isinstance(r, StretchResult):  # not the rubric's or the voice's work
            words = tuple(w.text for w in r.words)
            fillers = tuple(f.text for f in r.fillers)
            self.bus.publish(ev.StretchTranscribed(r.span.start, r.span.end, words, fillers))

    # ------------------------------------------------------------------ the voice

    def _prefetch(self, text: str) -> None:
        if self.speaker is not None and self.settings.speak:
            self.speaker.prefetch(text)

    def _render(self, text: str) -> ev.Speech | None:
        """The question's voice, or None when it is not spoken (or the voice failed)."""
        if self.speaker is None or not self.settings.speak:
            return None
        try:
            return self.speaker.render(text)
        except (VoiceInterviewerError, OSError, RuntimeError) as exc:
            self._voice_lost(exc, "the question")
            return None

    def _hear(self, speech: ev.Speech | None, source: BlockSource) -> float:
        """Has the front end play the question; returns where the answer starts."""
        try:
            return self.player.play(speech, source)
        except DeviceError as exc:
            self._voice_lost(exc, "the question")
            return self.player.play(None, source)

    def _say(self, text: str, what: str) -> None:
        """Speaks ``text`` on the sound card, if there is a voice."""
        if self.speaker is None:
            return
        try:
            self.speaker.say(text)
        except DeviceError as exc:
            self._voice_lost(exc, what)

    def _voice_lost(self, exc: Exception, what: str) -> None:
        notice = f"Could not speak {what} ({exc}); continuing silently."
        self.bus.publish(ev.Notice(notice, "warning"))
        self.speaker = None
