"""The local web app (Starlette): practice over a WebSocket, sessions, reports, history, delete and
export, all on the same library as the CLI. ``create_app`` builds it; ``cli/serve.py`` runs it.

Only one tab practises at a time (one microphone, one model); a second one is told so. The database
connection is per thread (SQLite's rule), so each request and each practice session opens the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from voice_interviewer.errors import UsageError, VoiceInterviewerError
from voice_interviewer.reports.correct_html import Corrections
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.sessions.corrections import correct_answer, load_corrections, save_correction
from voice_interviewer.sessions.store import SessionStore
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.web import pages
from voice_interviewer.web.banks import BankChoices
from voice_interviewer.web.browser_session import (
    BrowserPractice,
    BrowserPracticeSettings,
    Controls,
    Outgoing,
    PushedBlocks,
)
from voice_interviewer.web.messages import MessageError, StartRequest, parse_control, parse_start
from voice_interviewer.web.security import Guard, GuardMiddleware, csp_header

WS_MAX_MESSAGES_PER_S = 60  # audio comes in 20 blocks a second; control messages are rare
WS_START_TIMEOUT_S = 30.0
TTS_KEEP = 8  # spoken questions kept for replay


@dataclass
class AppConfig:
    """Everything the app needs; ``serve`` fills it from its options."""

    data_dir: Path
    guard: Guard
    scorer: Scorer  # shared: its model loads once, in the background
    bank: str | None = None  # default bank on the practice page
    voice: str | None = None
    rate: int | None = None


@dataclass
class AppState:
    practising: threading.Lock = field(default_factory=threading.Lock)
    speech: dict[str, bytes] = field(default_factory=dict)  # spoken questions by random key


def create_app(config: AppConfig) -> GuardMiddleware:
    state = AppState()
    choices = BankChoices(config.bank)

    @contextlib.contextmanager
    def store() -> Iterator[SessionStore]:
        s = SessionStore(config.data_dir)
        try:
            yield s
        finally:
            s.close()

    def publish_audio(wav: bytes) -> str:
        key = secrets.token_urlsafe(12)
        state.speech[key] = wav
        while len(state.speech) > TTS_KEEP:
            state.speech.pop(next(iter(state.speech)))
        return f"/speech/{key}.wav"

    def practice(request: Request) -> Response:
        try:
            bank = choices.load(request.query_params.get("bank"))
        except VoiceInterviewerError as exc:
            return HTMLResponse(pages.message_page("Unknown bank", str(exc), "p"), 404)
        return HTMLResponse(
            pages.practice_page(choices.listing(), bank, LIVE_DEFAULTS, LIVE_DEFAULTS.wait_s)
        )

    def sessions(request: Request) -> Response:
        with store() as s:
            return HTMLResponse(pages.sessions_page(s.list_sessions()))

    def report(request: Request) -> Response:
        from voice_interviewer.reports.html import render_session_html

        with store() as s:
            try:
                detail = s.load_session(request.path_params["sid"])
            except VoiceInterviewerError as exc:
                return HTMLResponse(pages.message_page("No such session", str(exc), "s"), 404)
            # Audio paths relative to <session dir>/index.html: the file names, served below.
            folder = s.session_dir(detail.id)
            fixes = Corrections(detail.id, load_corrections(folder), served=True)
            html = render_session_html(detail, folder / "index.html", corrections=fixes)
        return _nonced(html, "s")

    async def correct(request: Request) -> Response:
        """A verdict corrected on the report page (its form): saved with the session."""
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        seq, point, verdict = (form.get(k, [""])[0] for k in ("seq", "point", "verdict"))
        with store() as s:
            try:
                detail = s.load_session(request.path_params["sid"])
                c = correct_answer(detail, seq, point, verdict, config.scorer.embedder)
                save_correction(s.session_dir(detail.id), c)
            except VoiceInterviewerError as exc:
                return HTMLResponse(pages.message_page("Cannot correct", str(exc), "s"), 400)
        return RedirectResponse(f"/sessions/{detail.id}/#answer-{c.seq}", 303)

    def recording(request: Request) -> Response:
        name = request.path_params["name"]
        with store() as s:
            try:
                detail = s.load_session(request.path_params["sid"])
            except VoiceInterviewerError:
                return Response("Error: no such session\n", 404)
            for a in detail.answers:
                if a.wav_path.name == name and a.wav_exists:
                    return FileResponse(a.wav_path, media_type="audio/wav")
        return Response("Error: no such recording\n", 404)

    def delete(request: Request) -> Response:
        with store() as s:
            try:
                s.delete_session(request.path_params["sid"])
            except VoiceInterviewerError as exc:
                return HTMLResponse(pages.message_page("Cannot delete", str(exc), "s"), 404)
        return RedirectResponse("/sessions", 303)

    def export(request: Request) -> Response:
        from voice_interviewer.sessions.archive import default_archive_name, export_session

        with store() as s:
            try:
                detail = s.load_session(request.path_params["sid"])
            except VoiceInterviewerError as exc:
                return HTMLResponse(pages.message_page("No such session", str(exc), "s"), 404)
            tmp = Path(tempfile.mkdtemp(prefix="vi-export-"))
            name = default_archive_name(detail.id, detail.started_at)
            path = export_session(s, detail.id, tmp / name)
        cleanup = BackgroundTask(_remove_tree, tmp)
        return FileResponse(path, media_type="application/zip", filename=name, background=cleanup)

    def history(request: Request) -> Response:
        from voice_interviewer.reports.history import collect_history, render_history_html

        with store() as s:
            h = collect_history(s)
        return _nonced(render_history_html(h), "h")

    def speech(request: Request) -> Response:
        wav = state.speech.get(request.path_params["key"])
        if wav is None:
            return Response("Error: that question audio is gone\n", 404)
        return Response(wav, media_type="audio/wav")

    async def practice_ws(ws: WebSocket) -> None:
        await ws.accept()
        if not state.practising.acquire(blocking=False):
            await ws.send_json(
                {
                    "type": "error",
                    "code": "busy",
                    "message": "Another tab or window is practising right now: finish or stop that session first.",
                }
            )
            await ws.close(4409)
            return
        try:
            await _practise(ws)
        finally:
            state.practising.release()

    async def _practise(ws: WebSocket) -> None:
        try:
            start = parse_start(await asyncio.wait_for(ws.receive_text(), WS_START_TIMEOUT_S))
            # Off the event loop: parsing a large bank must not hold up every other request.
            runner_args = await asyncio.to_thread(_start, start)
        except (MessageError, KeyError, VoiceInterviewerError) as exc:
            await ws.send_json({"type": "error", "code": "bad_request", "message": _why(exc)})
            await ws.close(1008)
            return
        except (TimeoutError, WebSocketDisconnect):
            return
        loop = asyncio.get_running_loop()
        out: asyncio.Queue[Outgoing | None] = asyncio.Queue()
        source, controls = PushedBlocks(), Controls()

        def send(m: Outgoing) -> None:
            loop.call_soon_threadsafe(out.put_nowait, m)

        def run() -> None:
            bank, questions, settings = runner_args
            try:
                with store() as s:
                    BrowserPractice(
                        bank,
                        questions,
                        config.scorer,
                        s,
                        settings,
                        source,
                        controls,
                        send,
                        publish_audio if settings.speak else None,
                    ).run()
            except VoiceInterviewerError as exc:
                send(Outgoing("error", {"code": "practice", "message": str(exc)}))
            finally:
                loop.call_soon_threadsafe(out.put_nowait, None)

        async def sender() -> None:
            while (m := await out.get()) is not None:
                if m.type == "feedback":
                    m = Outgoing(
                        m.type,
                        {
                            **m.fields,
                            "html": pages.feedback_html(m.fields["analysis"], m.fields["lines"]),
                        },
                    )
                with contextlib.suppress(Exception):
                    await ws.send_json(m.to_json())
            with contextlib.suppress(Exception):
                await ws.close(1000)

        worker = loop.run_in_executor(None, run)
        sending = asyncio.create_task(sender())
        try:
            await _receive(ws, source, controls)
        finally:
            controls.stop.set()
            source.close()
            await worker
            await sending

    def _start(msg: StartRequest) -> tuple:
        from voice_interviewer.live.controller import select_questions
        from voice_interviewer.reports.history import weakest_question_ids

        bank = choices.load(msg.bank)
        ids = list(msg.questions) or None
        if msg.weakest:
            with store() as s:
                ids = weakest_question_ids(s, bank.id, msg.weakest)
            if not ids:
                raise UsageError(
                    f"no scored answers to bank '{bank.id}' yet: practise first, then “weakest” can pick"
                )
        questions = select_questions(bank, ids, list(msg.categories) or None, msg.count)
        # The same forgiving end of answer as `practice` (growing silence, then a grace period in
        # which speaking goes on with the answer); the page sets the base silence and the limits.
        seconds = dict(msg.seconds)
        endpoint = replace(
            LIVE_DEFAULTS,
            end_silence_s=seconds.get("end_silence", LIVE_DEFAULTS.end_silence_s),
            max_answer_s=seconds.get("max_answer", LIVE_DEFAULTS.max_answer_s),
            wait_s=seconds.get("wait", LIVE_DEFAULTS.wait_s),
        )
        settings = BrowserPracticeSettings(
            speak=msg.speak,
            voice=config.voice,
            rate=config.rate,
            endpoint=endpoint,
            follow_ups=msg.follow_ups,
        )
        return bank, questions, settings

    routes = [
        Route("/", practice),
        Route("/sessions", sessions),
        Route("/sessions/{sid}/", report),
        Route("/sessions/{sid}/export", export),
        Route("/sessions/{sid}/delete", delete, methods=["POST"]),
        Route("/sessions/{sid}/correct", correct, methods=["POST"]),
        Route("/sessions/{sid}/{name:str}", recording),
        Route("/history", history),
        Route("/speech/{key}.wav", speech),
        WebSocketRoute("/ws/practice", practice_ws),
        Mount("/static", StaticFiles(directory=str(_static_dir())), name="static"),
    ]
    return GuardMiddleware(Starlette(routes=routes), config.guard)


async def _receive(ws: WebSocket, source: PushedBlocks, controls: Controls) -> None:
    """Reads the page's messages until it goes away or misbehaves."""
    loop = asyncio.get_running_loop()
    window_start, count = loop.time(), 0
    while True:
        try:
            msg = await ws.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if msg["type"] == "websocket.disconnect":
            return
        now = loop.time()
        if now - window_start >= 1.0:
            window_start, count = now, 0
        count += 1
        if count > WS_MAX_MESSAGES_PER_S:
            await _refuse(ws, "too many messages a second")
            return
        try:
            if msg.get("bytes") is not None:
                source.push(msg["bytes"])
                continue
            control = parse_control(msg.get("text"))
        except ValueError as exc:  # MessageError, or an audio block PushedBlocks refuses
            await _refuse(ws, _why(exc))
            return
        if control.type == "played":
            controls.played.put(control.at_sample / SAMPLE_RATE)
        elif control.type == "done":
            controls.done.set()
        else:
            controls.stop.set()


async def _refuse(ws: WebSocket, why: str) -> None:
    with contextlib.suppress(Exception):
        await ws.send_json(
            {"type": "error", "code": "refused", "message": f"The connection was closed: {why}."}
        )
        # The reason travels in the close frame too: a client still sending when the error message
        # arrives may see only the close.
        await ws.close(1008, reason=why[:120])


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _nonced(html: str, current: str) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    return HTMLResponse(
        pages.adapt_report(html, nonce, current),
        headers={"content-security-policy": csp_header(nonce)},
    )


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _static_dir() -> Path:
    return Path(str(resources.files("voice_interviewer.web").joinpath("static")))
