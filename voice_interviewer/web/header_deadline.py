"""A deadline for a request's headers: a client that connects and then sends its request a byte at
a time (or nothing) is disconnected, instead of holding a connection for ever.

uvicorn times out an idle keep-alive connection, but not one that is in the middle of its headers
(any byte received disarms the keep-alive timer). So each connection gets ``HEADER_TIMEOUT_S``
from when it opens, and again from the end of each response, to get a whole request's headers
in; once they are in, the request runs as long as it needs. A connection upgraded to a WebSocket
is no longer this protocol's and is left alone.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.auto import AutoHTTPProtocol

HEADER_TIMEOUT_S = 10.0  # a browser on this machine sends its headers in a millisecond


class HeaderDeadlineProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """uvicorn's HTTP protocol (httptools, else h11) with the header deadline."""

    header_timeout_s = HEADER_TIMEOUT_S
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        waiting_after = self.cycle  # a new request's headers replace it

        def expire() -> None:
            transport = self.transport
            if transport.is_closing() or transport.get_protocol() is not self:
                return  # closed, or upgraded to a WebSocket
            if self.cycle is waiting_after:  # no whole request arrived in time
                transport.close()

        self._deadline = self.loop.call_later(self.header_timeout_s, expire)
