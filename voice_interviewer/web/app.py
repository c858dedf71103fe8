"""The local web app (Starlette): practice over a WebSocket, sessions, reports, history, delete and
export, all on the same library as the CLI. ``create_app`` builds it; ``cli/serve.py`` runs it.

The handlers are plain module-level functions: what they share (the configuration, the banks on
offer, the one-tab practice lock, the spoken questions) is the app's ``AppState`` (``web.state``),
reached through ``request.app.state``. The practice WebSocket is in ``web.practice_socket``.

Only one tab practises at a time (one microphone, one model); a second one is told so. The database
connection is per thread (SQLite's rule), so each request and each practice session opens the store.
"""

from __future__ import annotations

import secrets
import tempfile
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from voice_interviewer.errors import VoiceInterviewerError
from voice_interviewer.reports.correct_html import Corrections
from voice_interviewer.sessions.corrections import correct_answer, load_corrections, save_correction
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS
from voice_interviewer.web import pages
from voice_interviewer.web.banks import BankChoices
from voice_interviewer.web.practice_socket import practice_ws
from voice_interviewer.web.security import GuardMiddleware, csp_header
from voice_interviewer.web.state import AppConfig, AppState, state_of

__all__ = ["AppConfig", "create_app"]


def create_app(config: AppConfig) -> GuardMiddleware:
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
    app = Starlette(routes=routes)
    app.state.shared = AppState(config, BankChoices(config.bank))
    return GuardMiddleware(app, config.guard)


# ------------------------------------------------------------------------------------ pages


def practice(request: Request) -> Response:
    choices = state_of(request).choices
    try:
        bank = choices.load(request.query_params.get("bank"))
    except VoiceInterviewerError as exc:
        return HTMLResponse(pages.message_page("Unknown bank", str(exc), "p"), 404)
    return HTMLResponse(
        pages.practice_page(choices.listing(), bank, LIVE_DEFAULTS, LIVE_DEFAULTS.wait_s)
    )


def sessions(request: Request) -> Response:
    with state_of(request).store() as s:
        return HTMLResponse(pages.sessions_page(s.list_sessions()))


def report(request: Request) -> Response:
    from voice_interviewer.reports.html import render_session_html

    with state_of(request).store() as s:
        try:
            detail = s.load_session(request.path_params["sid"])
        except VoiceInterviewerError as exc:
            return HTMLResponse(pages.message_page("No such session", str(exc), "s"), 404)
        # Audio paths relative to <session dir>/index.html: the file names, served below.
        folder = s.session_dir(detail.id)
        fixes = Corrections(detail.id, load_corrections(folder), served=True)
        try:  # each question's example answer, when the session's bank is still on offer
            bank = state_of(request).choices.load(detail.bank_id)
        except VoiceInterviewerError:
            bank = None
        html = render_session_html(detail, folder / "index.html", corrections=fixes, bank=bank)
    return _nonced(html, "s")


async def correct(request: Request) -> Response:
    """A verdict corrected on the report page (its form): saved with the session."""
    state = state_of(request)
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    seq, point, verdict = (form.get(k, [""])[0] for k in ("seq", "point", "verdict"))
    with state.store() as s:
        try:
            detail = s.load_session(request.path_params["sid"])
            c = correct_answer(detail, seq, point, verdict, state.config.scorer.embedder)
            save_correction(s.session_dir(detail.id), c)
        except VoiceInterviewerError as exc:
            return HTMLResponse(pages.message_page("Cannot correct", str(exc), "s"), 400)
    return RedirectResponse(f"/sessions/{detail.id}/#answer-{c.seq}", 303)


def recording(request: Request) -> Response:
    name = request.path_params["name"]
    with state_of(request).store() as s:
        try:
            detail = s.load_session(request.path_params["sid"])
        except VoiceInterviewerError:
            return Response("Error: no such session\n", 404)
        for a in detail.answers:
            if a.wav_path.name == name and a.wav_exists:
                return FileResponse(a.wav_path, media_type="audio/wav")
    return Response("Error: no such recording\n", 404)


def delete(request: Request) -> Response:
    with state_of(request).store() as s:
        try:
            s.delete_session(request.path_params["sid"])
        except VoiceInterviewerError as exc:
            return HTMLResponse(pages.message_page("Cannot delete", str(exc), "s"), 404)
    return RedirectResponse("/sessions", 303)


def export(request: Request) -> Response:
    from voice_interviewer.sessions.archive import default_archive_name, export_session

    with state_of(request).store() as s:
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

    with state_of(request).store() as s:
        h = collect_history(s)
    return _nonced(render_history_html(h), "h")


def speech(request: Request) -> Response:
    wav = state_of(request).speech.get(request.path_params["key"])
    if wav is None:
        return Response("Error: that question audio is gone\n", 404)
    return Response(wav, media_type="audio/wav")


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
