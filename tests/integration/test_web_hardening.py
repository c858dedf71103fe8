"""Issue 28 items 4, 5, 6, 10 and 11 against the real server (uvicorn on a thread, real HTTP and
WebSocket connections): every WebSocket message is checked before use (a refusal, never a
traceback), a bank is chosen by id from the app's own list and parsed off the event loop, a
recording is served only from its session's folder, a session stopped early or whose microphone
stopped is not 'complete', and a client too slow with its headers is disconnected. No model is
loaded: nothing here gets as far as transcribing speech (the page sends silence)."""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import threading
import time

import pytest

pytest.importorskip("starlette", reason="the [web] extra is not installed")
pytest.importorskip("websockets", reason="the [web] extra is not installed")

from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from evaluation import hostile  # noqa: E402
from tests.fakes import FakeWhisper  # noqa: E402
from voice_interviewer.sessions.store import SessionStore  # noqa: E402
from voice_interviewer.web.server import BackgroundServer, prepare  # noqa: E402

BLOCK = 800  # samples in one of the page's 50 ms blocks


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def served(home):
    from voice_interviewer.scoring.scorer import Scorer

    s = prepare(
        "127.0.0.1",
        0,
        home,
        Scorer(FakeWhisper(refuse="no transcription expected: the page sends silence")),
    )
    with BackgroundServer(s) as running:
        yield running


def get(served, path: str, timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=timeout)
    conn.request(
        "GET",
        path,
        headers={"Host": f"127.0.0.1:{served.port}", "Cookie": f"vi_token={served.token}"},
    )
    r = conn.getresponse()
    out = (r.status, r.read())
    conn.close()
    return out


def practice(served):
    """A practice WebSocket, once the previous test's connection has let go of the one-tab lock."""
    for _ in range(100):
        ws = connect(
            f"ws://127.0.0.1:{served.port}/ws/practice",
            origin=f"http://127.0.0.1:{served.port}",
            additional_headers={"Cookie": f"vi_token={served.token}"},
            open_timeout=10,
        ).__enter__()  # closed by the caller's `with`
        try:
            first = ws.recv(timeout=0.3)
        except TimeoutError:
            return ws
        ws.close()
        assert json.loads(first)["code"] == "busy", first
        time.sleep(0.2)
    raise AssertionError("the practice connection of a previous test was never let go")


def until(ws, kind: str) -> dict:
    while True:
        m = json.loads(ws.recv(timeout=30))
        if m["type"] == kind:
            return m
        assert m["type"] != "error", m


def refusal(ws) -> tuple[list[dict], object]:
    """The messages up to the close, and the close frame."""
    seen = []
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            seen.append(json.loads(ws.recv(timeout=30)))
    return seen, closed.value.rcvd


def latest_session(home):
    """The newest session once the server has ended it (the worker saves it as the page goes)."""
    for _ in range(300):
        store = SessionStore(home)
        try:
            s = store.list_sessions()[0] if store.list_sessions() else None
            if s is not None and s.status != "running":
                return s, store.load_session(s.id).answers
        finally:
            store.close()
        time.sleep(0.1)
    raise AssertionError("the session never ended")


# ------------------------------------------------------------------ item 4: every message checked


@pytest.mark.parametrize(
    "first",
    [
        "[1,2]",
        '"start"',
        "null",
        "3",
        '{"type": "start", "count": "many"}',
        '{"type": "start", "questions": "overfitting"}',
        '{"type": "start", "end_silence": 1e999}',
        "[" * 30000 + "]" * 30000,
    ],
    ids=["list", "string", "null", "number", "count", "questions", "huge-seconds", "nested"],
)
def test_a_first_message_of_the_wrong_shape_is_refused_with_a_message(served, first):
    ws = practice(served)
    with ws:
        ws.send(first)
        seen, frame = refusal(ws)
    errors = [m for m in seen if m["type"] == "error"]
    assert errors and errors[0]["code"] == "bad_request", seen
    assert frame is not None and frame.code == 1008, frame
    assert get(served, "/sessions")[0] == 200  # the server carries on


@pytest.mark.parametrize(
    "control",
    [
        '{"type": "played", "at_sample": ' + "9" * 400 + "}",
        '{"type": "played", "at_sample": -5}',
        '{"type": "played"}',
        '{"type": "played", "at_sample": "soon"}',
        "[]",
        '"stop"',
        '{"type": "reboot"}',
    ],
    ids=["at-sample-10e400", "negative", "missing", "text", "list", "string", "unknown"],
)
def test_a_control_message_of_the_wrong_shape_or_range_is_refused(served, home, control):
    ws = practice(served)
    with ws:
        ws.send(json.dumps({"type": "start", "questions": ["overfitting"], "speak": False}))
        until(ws, "question")
        ws.send(control)
        seen, frame = refusal(ws)
    assert frame is not None and frame.code == 1008, (frame, seen)
    errors = [m for m in seen if m["type"] == "error"]
    assert all("The connection was closed" in m["message"] for m in errors), seen
    session, _ = latest_session(home)
    assert session.status == "interrupted"


# ------------------------------------------------------------------ item 5: banks by id only


def test_a_bank_is_chosen_from_the_apps_list_never_by_path(served, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("this is [not toml")
    said = []
    for name in (str(broken), str(tmp_path / "absent.toml"), "/etc/passwd", "../question_bank/x"):
        ws = practice(served)
        with ws:
            ws.send(json.dumps({"type": "start", "bank": name, "speak": False}))
            seen, _ = refusal(ws)
        [error] = [m for m in seen if m["type"] == "error"]
        said.append(error["message"])
        status, body = get(served, "/?bank=" + name)
        assert status == 404 and b"invalid TOML" not in body and b"not found" not in body
    for message in said:  # the same words whatever the name: nothing about the file
        assert "no question bank" in message and "amazon-mle" in message, message
        assert "TOML" not in message and "exist" not in message and "found" not in message
    assert len({m.split("'")[2] for m in said}) == 1, said


def test_a_bank_is_parsed_off_the_event_loop(served, monkeypatch):
    """While the start message's bank is being parsed, other requests are answered: the parse is
    held until a page has been served (on the event loop, that page would never come)."""
    import voice_interviewer.web.banks as banks

    parsing, served_meanwhile = threading.Event(), threading.Event()
    real = banks.read_bank_file

    def slow_load(path):
        if threading.current_thread() is not threading.main_thread():
            parsing.set()
            served_meanwhile.wait(60)
        return real(path)

    monkeypatch.setattr(banks, "read_bank_file", slow_load)
    ws = practice(served)
    with ws:
        ws.send(json.dumps({"type": "start", "questions": ["overfitting"], "speak": False}))
        assert parsing.wait(30)
        status, _ = get(served, "/sessions", timeout=20)
        served_meanwhile.set()
        assert status == 200
        until(ws, "question")
        ws.send(json.dumps({"type": "stop"}))
        refusal(ws)


# ------------------------------------------------------------------ item 6: recordings served


def test_a_recording_outside_its_session_folder_is_not_served(served, home, tmp_path):
    secret = tmp_path / "passwd.wav"
    secret.write_bytes(b"root:x:0:0:secret\n")
    sid = hostile.make_session(home)
    db = sqlite3.connect(home / "sessions.db")
    db.execute("UPDATE answers SET wav_path = ? WHERE session_id = ?", (str(secret), sid))
    db.commit()
    db.close()
    status, body = get(served, f"/sessions/{sid}/passwd.wav")
    assert status == 404 and b"secret" not in body
    status, page = get(served, f"/sessions/{sid}/")
    assert status == 200 and b'passwd.wav"' not in page and b"<audio" not in page


# ------------------------------------------------------------------ item 10: session status


def _listening(served):
    ws = practice(served)
    ws.send(json.dumps({"type": "start", "questions": ["overfitting"], "speak": False}))
    until(ws, "question")
    ws.send(json.dumps({"type": "played", "at_sample": 0}))
    until(ws, "listening")
    for _ in range(10):
        ws.send(b"\0\0" * BLOCK)
        time.sleep(0.05)
    return ws


def test_a_session_refused_before_any_speech_is_not_complete(served, home):
    ws = _listening(served)
    with ws:
        ws.send(json.dumps({"type": "bogus"}))
        refusal(ws)
    session, answers = latest_session(home)
    assert (session.status, session.answered, session.asked) == ("interrupted", 0, 1)
    assert [a.status for a in answers] != ["answered"]


def test_a_microphone_that_stops_delivering_audio_ends_the_session_as_interrupted(served, home):
    ws = _listening(served)
    with ws:  # no more audio: the server gives up on the microphone and says so
        error = until(ws, "error")
    assert "stopped delivering audio" in error["message"], error
    session, answers = latest_session(home)
    assert (session.status, session.answered) == ("interrupted", 0)
    assert [a.status for a in answers] == ["interrupted"]  # saved, not left 'recording'


# ------------------------------------------------------------------ item 11: slow clients


def test_a_client_too_slow_with_its_headers_is_disconnected(served):
    ws = practice(served)  # opened before: a WebSocket outlives the header deadline
    with ws, socket.create_connection(("127.0.0.1", served.port), timeout=90) as sock:
        sock.sendall(b"GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the rest
        try:
            closed = sock.recv(1024) == b""
        except ConnectionResetError:
            closed = True
        assert closed
        ws.send(json.dumps({"type": "start", "questions": ["overfitting"], "speak": False}))
        assert until(ws, "question")["id"] == "overfitting"
        ws.send(json.dumps({"type": "stop"}))
        refusal(ws)
    assert get(served, "/sessions")[0] == 200
