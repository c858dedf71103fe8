"""Guarding a local server: a secret token, the Host and Origin headers, a strict CSP, size bounds.

A web app on 127.0.0.1 is reachable by every page the user's browser opens: another site could
post to it (cross-site requests), or make a name of its own resolve to 127.0.0.1 and read it (DNS
rebinding). So every request must carry the random token printed at start (in the URL once, then an
HttpOnly same-site cookie), name this server in ``Host``, and, when the browser says where it comes
from (``Origin``), come from this server's own pages. Pure ASGI middleware: it sees WebSocket
handshakes too, which Starlette's HTTP middleware does not.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

TOKEN_COOKIE = "vi_token"
TOKEN_PARAM = "token"
MAX_BODY_BYTES = 64 * 1024  # forms only (delete): nothing larger is ever posted
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")

# No inline script or style, nothing from another origin; the report's own inline blocks carry the
# per-response nonce. media-src 'self' serves the recordings and the spoken questions.
CSP = (
    "default-src 'none'; script-src 'self'{nonce}; style-src 'self'{nonce}; img-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def csp_header(nonce: str | None = None) -> str:
    return CSP.format(nonce=f" 'nonce-{nonce}'" if nonce else "")


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def allowed_hosts(bind_host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` values this server answers to: loopback names, plus the bound address itself
    when it is a real one (``0.0.0.0`` means "any", which no browser puts in a URL)."""
    names = list(LOOPBACK_NAMES)
    if bind_host not in WILDCARD_HOSTS and bind_host not in ("::1",):
        names.append(f"[{bind_host}]" if ":" in bind_host else bind_host)
    names += list(extra)
    return frozenset(f"{n}:{port}" for n in names)


@dataclass
class Guard:
    """What a request must show. ``hosts`` are ``name:port`` strings."""

    token: str
    hosts: frozenset[str]
    max_body_bytes: int = MAX_BODY_BYTES
    origins: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.origins = frozenset(f"http://{h}" for h in self.hosts)

    def check(self, headers: dict[str, str], query: str) -> tuple[int, str] | None:
        """None when the request may proceed, else (HTTP status, why)."""
        host = headers.get("host", "")
        if host not in self.hosts:
            return 421, f"unexpected Host {host!r}: open the address printed by `serve`"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return 403, f"requests from {origin!r} are refused"
        if not self.token_ok(headers, query):
            return (
                401,
                "missing or wrong token: open the address printed by `serve` (with ?token=...)",
            )
        return None

    def token_ok(self, headers: dict[str, str], query: str) -> bool:
        given = parse_qs(query).get(TOKEN_PARAM, [""])[0]
        if not given:
            cookie = SimpleCookie()
            try:
                cookie.load(headers.get("cookie", ""))
            except Exception:  # a malformed Cookie header is no token
                return False
            given = cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else ""
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())


class GuardMiddleware:
    """Refuses HTTP requests and WebSocket handshakes that fail the ``Guard``; bounds request
    bodies; sets the token cookie when the token came in the URL; adds the security headers."""

    def __init__(self, app, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        refused = self.guard.check(headers, query)
        if refused is None and scope["type"] == "http":
            length = headers.get("content-length")
            if length is not None and (
                not length.isdigit() or int(length) > self.guard.max_body_bytes
            ):
                refused = 413, f"request body over {self.guard.max_body_bytes} bytes"
        if refused is not None:
            status, why = refused
            if scope["type"] == "websocket":
                # Closing before accepting answers the handshake with HTTP 403.
                await send({"type": "websocket.close", "code": 1008, "reason": why[:120]})
                return
            await _plain(send, status, f"Error: {why}\n")
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        set_cookie = TOKEN_PARAM + "=" in query

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store"),
                ]
                names = {k.lower() for k, _ in message.get("headers", [])}
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", csp_header().encode()))
                if set_cookie:
                    extra.append(
                        (
                            b"set-cookie",
                            (
                                f"{TOKEN_COOKIE}={self.guard.token}; "
                                "Path=/; HttpOnly; SameSite=Strict"
                            ).encode(),
                        )
                    )
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, _bounded(receive, self.guard.max_body_bytes), send_with_headers)


def _bounded(receive, limit: int):
    """A body without Content-Length (chunked) is counted as it arrives."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ValueError(f"request body over {limit} bytes")
        return message

    return wrapped


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
