"""Running the app: bind the socket first (so the port, possibly picked by the OS, is known to the
Host check and the printed URL), then uvicorn with bounded WebSocket frames. ``serve`` runs it in
the foreground; tests and the latency benchmark run it on a thread (``BackgroundServer``)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import UsageError
from voice_interviewer.scoring.scorer import Scorer
from voice_interviewer.web.security import Guard, allowed_hosts, new_token

WS_MAX_FRAME_BYTES = 64 * 1024  # an audio block is 1.6 kB; nothing the page sends is larger


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port or --host"
        ) from None
    return sock


def display_url(host: str, port: int, token: str) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/?token={token}"


@dataclass
class Served:
    """A bound socket and the app configured for it."""

    sock: socket.socket
    port: int
    token: str
    url: str
    app: object


def prepare(
    host: str,
    port: int,
    data_dir: Path,
    scorer: Scorer,
    bank: str | None = None,
    voice: str | None = None,
    rate: int | None = None,
) -> Served:
    from voice_interviewer.web.app import AppConfig, create_app

    sock = bind(host, port)
    real_port = sock.getsockname()[1]
    token = new_token()
    config = AppConfig(
        data_dir, Guard(token, allowed_hosts(host, real_port)), scorer, bank, voice, rate
    )
    return Served(sock, real_port, token, display_url(host, real_port, token), create_app(config))


def uvicorn_server(app):
    import uvicorn

    from voice_interviewer.web.header_deadline import HeaderDeadlineProtocol

    return uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            ws_max_size=WS_MAX_FRAME_BYTES,
            ws_ping_interval=10,
            ws_ping_timeout=20,
            lifespan="off",
            access_log=False,
            http=HeaderDeadlineProtocol,
        )  # slow clients: a deadline for the headers
    )


class BackgroundServer:
    """The app on a thread: ``with BackgroundServer(served): ...`` (stops and joins on exit)."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.server = uvicorn_server(served.app)
        self._thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [served.sock]},
            name="web-server",
            daemon=True,
        )

    def __enter__(self) -> Served:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self.served

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=15)
        self.served.sock.close()
