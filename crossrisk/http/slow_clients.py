"""Closing connections whose request headers never finish (slow clients, "slowloris").

uvicorn closes a connection left idle between requests (its keep-alive timeout), but sets
no limit on how long a request's line and headers may take to arrive: a client that opens
connections and sends a byte now and then holds each of them, and a worker's sockets,
forever. This adds that one limit to uvicorn's h11 protocol and changes nothing else.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose headers take over `header_timeout` s."""

    def __init__(self, *args: Any, header_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self._headers_due: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._expect_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._awaiting_headers():
            # Part of a request line or its headers, or the first bytes of the next request
            # on a kept-alive connection: the clock runs from the first of them.
            if self._headers_due is None:
                self._expect_headers()
        else:
            self._headers_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_received()
        super().connection_lost(exc)

    def _awaiting_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE and not self.transport.is_closing()

    def _expect_headers(self) -> None:
        self._headers_due = self.loop.call_later(self.header_timeout, self._headers_overdue)

    def _headers_received(self) -> None:
        if self._headers_due is not None:
            self._headers_due.cancel()
            self._headers_due = None

    def _headers_overdue(self) -> None:
        self._headers_due = None
        if self._awaiting_headers():
            self.transport.close()


def header_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """The protocol to hand uvicorn (its `http` option) for a header timeout of `seconds`.

    A partial of a module-level class, so uvicorn can hand it to worker processes (pickled).
    """
    return cast(
        "type[asyncio.Protocol]", functools.partial(HeaderTimeoutProtocol, header_timeout=seconds)
    )
