"""The practice WebSocket: the page's ``start`` message opens a session (``web.browser_session``),
run in a worker thread; the page's audio and ``played``/``done``/``next``/``retry``/``stop`` go in,
the session's messages (``web.wire``) come out. Only one tab practises at a time; a page that
misbehaves (a message of the wrong shape, a flood) is refused with an error message and a policy
close.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.websockets import WebSocket, WebSocketDisconnect

from voice_interviewer.bank import Bank, Question
from voice_interviewer.errors import UsageError, VoiceInterviewerError
from voice_interviewer.live.controller import PracticeSettings, select_questions
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.web.browser_session import Controls, run_browser_practice
from voice_interviewer.web.messages import MessageError, StartRequest, parse_control, parse_start
from voice_interviewer.web.pushed_blocks import PushedBlocks
from voice_interviewer.web.state import AppState, state_of
from voice_interviewer.web.wire import Message

__all__ = ["practice_ws"]

WS_MAX_MESSAGES_PER_S = 60  # audio comes in 20 blocks a second; control messages are rare
WS_START_TIMEOUT_S = 30.0
BUSY = "Another tab or window is practising right now: finish or stop that session first."


async def practice_ws(ws: WebSocket) -> None:
    await ws.accept()
    state = state_of(ws)
    if not state.practising.acquire(blocking=False):
        await ws.send_json({"type": "error", "code": "busy", "message": BUSY})
        await ws.close(4409)
        return
    try:
        await _practise(ws, state)
    finally:
        state.practising.release()


async def _practise(ws: WebSocket, state: AppState) -> None:
    try:
        start = parse_start(await asyncio.wait_for(ws.receive_text(), WS_START_TIMEOUT_S))
        # Off the event loop: parsing a large bank must not hold up every other request.
        bank, questions, settings = await asyncio.to_thread(_session_for, state, start)
    except (MessageError, KeyError, VoiceInterviewerError) as exc:
        await ws.send_json({"type": "error", "code": "bad_request", "message": _why(exc)})
        await ws.close(1008)
        return
    except (TimeoutError, WebSocketDisconnect):
        return
    loop = asyncio.get_running_loop()
    out: asyncio.Queue[Message | None] = asyncio.Queue()
    blocks, controls = PushedBlocks(), Controls()

    def send(m: Message | None) -> None:
        loop.call_soon_threadsafe(out.put_nowait, m)

    def run() -> None:
        try:
            with state.store() as s:
                scorer = state.config.scorer
                run_browser_practice(
                    bank,
                    questions,
                    scorer,
                    s,
                    settings,
                    blocks,
                    controls,
                    send,
                    state.publish_audio,
                )
        except VoiceInterviewerError as exc:
            send({"type": "error", "code": "practice", "message": str(exc)})
        finally:
            send(None)

    async def sender() -> None:
        while (m := await out.get()) is not None:
            with contextlib.suppress(Exception):
                await ws.send_json(m)
        with contextlib.suppress(Exception):
            await ws.close(1000)

    worker = loop.run_in_executor(None, run)
    sending = asyncio.create_task(sender())
    try:
        await _receive(ws, blocks, controls)
    finally:
        controls.stop.set()
        blocks.close()
        await worker
        await sending


def _session_for(
    state: AppState, start: StartRequest
) -> tuple[Bank, list[Question], PracticeSettings]:
    """The bank, questions and settings the ``start`` message asks for."""
    from voice_interviewer.reports.history import weakest_question_ids

    bank = state.choices.load(start.bank)
    ids = list(start.questions) or None
    if start.weakest:
        with state.store() as s:
            ids = weakest_question_ids(s, bank.id, start.weakest)
        if not ids:
            raise UsageError(
                f"no scored answers to bank '{bank.id}' yet: practise first, "
                "then “weakest” can pick"
            )
    questions = select_questions(bank, ids, list(start.categories) or None, start.count)
    # The same forgiving end of answer as `practice` (growing silence, then a grace period in
    # which speaking goes on with the answer); the page sets the base silence and the limits.
    settings = PracticeSettings(
        speak=start.speak,
        voice=state.config.voice,
        rate=state.config.rate,
        endpoint=start.endpoint(LIVE_DEFAULTS),
        follow_ups=start.follow_ups,
        probes=start.probes,
        auto_next=start.auto_next,
        cue=False,  # the page shows the answer's end; a chime here would sound on the server
    )
    return bank, questions, settings


async def _receive(ws: WebSocket, blocks: PushedBlocks, controls: Controls) -> None:
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
                blocks.push(msg["bytes"])
                continue
            control = parse_control(msg.get("text"))
        except ValueError as exc:  # MessageError, or an audio block PushedBlocks refuses
            await _refuse(ws, _why(exc))
            return
        if control.type == "played":
            controls.played.put(control.at_sample / SAMPLE_RATE)
        elif control.type == "done":
            controls.done.set()
        elif control.type in ("next", "retry"):
            controls.steps.put(control.type)
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
