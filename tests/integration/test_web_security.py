"""The web app's guard, against the real server (uvicorn on a thread, real HTTP and WebSocket
connections): no token, a foreign Origin or a wrong Host is refused; the token cookie works; the
CSP is strict; oversized bodies and WebSocket frames, floods and a second practising tab are
refused. No model is loaded: nothing here gets as far as transcribing."""

from __future__ import annotations

import http.client
import json
import time

import pytest

pytest.importorskip("starlette", reason="the [web] extra is not installed")
pytest.importorskip("websockets", reason="the [web] extra is not installed")

from websockets.exceptions import ConnectionClosed, InvalidStatus  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from tests.fakes import FakeWhisper  # noqa: E402
from voice_interviewer.web.security import Guard, allowed_hosts  # noqa: E402
from voice_interviewer.web.server import BackgroundServer, prepare  # noqa: E402


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from voice_interviewer.scoring.scorer import Scorer

    s = prepare(
        "127.0.0.1",
        0,
        tmp_path_factory.mktemp("home"),
        Scorer(FakeWhisper(refuse="no transcription expected in the security tests")),
    )
    with BackgroundServer(s) as running:
        yield running


def get(
    served, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None
):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    h = {"Host": f"127.0.0.1:{served.port}", **(headers or {})}
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    out = (r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read())
    conn.close()
    return out


def ws_url(served) -> str:
    return f"ws://127.0.0.1:{served.port}/ws/practice"


def good_ws_headers(served) -> dict:
    return {"Cookie": f"vi_token={served.token}"}


ORIGIN = "http://127.0.0.1:{port}"


def test_without_token_every_page_is_refused(served):
    for path in ("/", "/sessions", "/history", "/static/practice.js", "/sessions/1/"):
        status, _, body = get(served, path)
        assert status == 401, path
        assert body.startswith(b"Error: missing or wrong token")
    assert get(served, "/?token=wrong" + served.token)[0] == 401
    assert get(served, "/", {"Cookie": "vi_token=nope"})[0] == 401


def test_token_in_url_sets_a_strict_cookie_that_then_suffices(served):
    status, headers, body = get(served, f"/?token={served.token}")
    assert status == 200 and b"Start practising" in body
    cookie = headers["set-cookie"]
    assert (
        f"vi_token={served.token}" in cookie
        and "HttpOnly" in cookie
        and "SameSite=Strict" in cookie
    )
    status, _, body = get(served, "/sessions", {"Cookie": f"vi_token={served.token}"})
    assert status == 200 and b"No sessions yet" in body


def test_wrong_host_is_refused_even_with_the_token(served):
    # DNS rebinding: evil.example resolves to 127.0.0.1, but the browser sends Host: evil.example.
    status, _, body = get(
        served, f"/?token={served.token}", {"Host": f"evil.example:{served.port}"}
    )
    assert status == 421 and b"unexpected Host" in body
    assert get(served, f"/?token={served.token}", {"Host": "127.0.0.1:1"})[0] == 421
    assert get(served, f"/?token={served.token}", {"Host": f"localhost:{served.port}"})[0] == 200


def test_foreign_origin_is_refused_even_with_the_token(served):
    cookie = {"Cookie": f"vi_token={served.token}"}
    status, _, body = get(
        served, "/sessions/1/delete", {**cookie, "Origin": "http://evil.example"}, "POST", b""
    )
    assert status == 403 and b"evil.example" in body
    own = {**cookie, "Origin": ORIGIN.format(port=served.port)}
    assert get(served, "/sessions", own)[0] == 200


def test_pages_carry_a_strict_csp_without_inline_code(served):
    _, headers, body = get(served, f"/?token={served.token}")
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http:" not in csp
    html = body.decode()
    assert "<script>" not in html and "<style>" not in html and " style=" not in html
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    # The history page keeps its inline blocks, allowed by a per-response nonce only.
    _, headers, body = get(served, "/history", {"Cookie": f"vi_token={served.token}"})
    nonce = headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in body.decode()
    assert "unsafe-inline" not in headers["content-security-policy"]


def test_oversized_body_is_refused(served):
    cookie = {"Cookie": f"vi_token={served.token}", "Content-Type": "application/octet-stream"}
    status, _, _ = get(served, "/sessions/1/delete", cookie, "POST", b"x" * (65 * 1024))
    assert status == 413


def test_websocket_needs_token_host_and_origin(served):
    origin = ORIGIN.format(port=served.port)
    with pytest.raises(InvalidStatus) as no_token:
        connect(ws_url(served), origin=origin, open_timeout=10)
    assert no_token.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        connect(
            ws_url(served),
            origin="http://evil.example",
            additional_headers=good_ws_headers(served),
            open_timeout=10,
        )
    with pytest.raises(InvalidStatus):
        connect(
            f"ws://127.0.0.1:{served.port}/ws/practice?x=1",
            origin=origin,
            open_timeout=10,
            additional_headers={**good_ws_headers(served), "Host": "evil.example"},
        )
    with connect(
        ws_url(served), origin=origin, additional_headers=good_ws_headers(served), open_timeout=10
    ) as ws:
        ws.send(json.dumps({"type": "start", "bank": "no-such-bank"}))
        msg = json.loads(ws.recv(timeout=10))
        assert msg["type"] == "error" and "no-such-bank" in msg["message"]


def test_a_second_tab_is_told_another_is_practising(served):
    time.sleep(1.0)  # the previous test's practice connection is being let go
    origin = ORIGIN.format(port=served.port)
    h = good_ws_headers(served)
    first = connect(ws_url(served), origin=origin, additional_headers=h, open_timeout=10)
    with (
        first,
        connect(ws_url(served), origin=origin, additional_headers=h, open_timeout=10) as second,
    ):
        msg = json.loads(second.recv(timeout=10))
        assert msg["type"] == "error" and msg["code"] == "busy"
        assert "Another tab" in msg["message"]


def test_websocket_frames_are_bounded_in_size_and_rate(served):
    time.sleep(1.0)  # the previous test's practice connections are being let go
    origin = ORIGIN.format(port=served.port)
    h = good_ws_headers(served)
    with connect(ws_url(served), origin=origin, additional_headers=h, open_timeout=10) as ws:
        ws.send(b"\0" * (70 * 1024))  # over uvicorn's ws_max_size: the server closes (1009)
        with pytest.raises(ConnectionClosed):
            for _ in range(5):
                ws.recv(timeout=10)
    with connect(ws_url(served), origin=origin, additional_headers=h, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "start", "questions": ["overfitting"], "speak": False}))
        seen = []
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(400):  # 400 blocks of 50 ms at once: a flood, not a microphone
                ws.send(b"\0\1" * 800)
            while True:
                seen.append(json.loads(ws.recv(timeout=20)))
        # The server refuses the flood: policy close (1008) with its reason in the close frame; the
        # error message is also sent, but a client still sending may see only the close.
        frame = closed.value.rcvd
        assert frame is not None and frame.code == 1008, (frame, seen)
        assert "too many" in frame.reason or "rate" in frame.reason, frame.reason
        errors = [m for m in seen if m["type"] == "error"]
        assert all("The connection was closed" in m["message"] for m in errors), seen


def test_allowed_hosts_and_guard_are_pure():
    hosts = allowed_hosts("0.0.0.0", 8000)
    assert "127.0.0.1:8000" in hosts and "localhost:8000" in hosts and "0.0.0.0:8000" not in hosts
    assert "192.168.1.5:8000" in allowed_hosts("192.168.1.5", 8000)
    g = Guard("t0k", frozenset({"127.0.0.1:1"}))
    assert g.check({"host": "127.0.0.1:1"}, "token=t0k") is None
    assert g.check({"host": "127.0.0.1:1", "cookie": "vi_token=t0k"}, "") is None
    assert g.check({"host": "127.0.0.1:1", "cookie": "vi_token=t0"}, "")[0] == 401
    assert g.check({"host": "127.0.0.1:1", "origin": "null"}, "token=t0k")[0] == 403
