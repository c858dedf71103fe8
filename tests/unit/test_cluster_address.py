"""Issue 28 item 9: `score --cluster` pointed at something that is not a Dask scheduler (here a
web server) is one error line, not a traceback ("Unable to allocate 3.07 EiB")."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from voice_interviewer import cli

pytest.importorskip("distributed", reason="the [cluster] extra is not installed")

CLIP = (
    Path(__file__).resolve().parents[2]
    / "audio_fixtures"
    / "a01_overfitting_en-gb-x-rp_190_clean.flac"
)


@pytest.fixture
def web_server():
    """A listener that answers every connection with HTTP, as a web server on that port would."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 20)
                    conn.recv(65536)  # until the client gives up
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    thread.join(timeout=10)
    sock.close()


def test_a_cluster_address_that_is_not_dask_is_one_error_line(capsys, web_server):
    code = cli.main(["score", "--question", "overfitting", str(CLIP), "--cluster", web_server])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code != 0 and out == "", err
    assert len(lines) == 1 and lines[0].startswith(f"Error: {web_server}: "), err
    assert "not a Dask scheduler" in lines[0]
