"""The one way out over HTTP to a user-given URL: guarded, pinned, never redirected.

Every outbound HTTP request to an address a user typed (webhooks; feed pollers) opens its
connection here. The host is resolved and judged once by the OutboundGuard, and the
socket goes to one of exactly those addresses; TLS still names the host (SNI and
certificate check) and so does the Host header, so the receiver sees an ordinary request.
http.client follows no redirect, and this module adds none.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from urllib.parse import urlsplit

from crossrisk.delivery.channel import Deadline
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.outbound import IPAddress


class PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a host name that connects only to addresses given to it."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        addresses: list[IPAddress],
        timeout: float,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.ssl_context = ssl_context
        if ssl_context is not None:
            self.default_port = http.client.HTTPS_PORT  # the Host header omits :443

    def connect(self) -> None:
        """Connect to the first checked address that answers; TLS verifies the host name."""
        failure: OSError | None = None
        for address in self.addresses:
            try:
                sock = socket.create_connection((str(address), self.port), timeout=self.timeout)
                break
            except OSError as error:
                failure = error
        else:
            raise failure or OSError(f"{self.host} has no address to connect to")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.ssl_context is not None:
            try:
                sock = self.ssl_context.wrap_socket(sock, server_hostname=self.host)
            except BaseException:
                sock.close()
                raise
        self.sock = sock


def open_connection(
    url: str,
    *,
    guard: OutboundGuard,
    deadline: Deadline,
    ssl_context: ssl.SSLContext,
) -> tuple[PinnedConnection, str]:
    """A connected, guarded connection to the URL's host, and the request target to send.

    Raises DestinationRefused for a refused address, Unresolved when the name gives none.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    addresses = guard.addresses(host, port, timeout=deadline.remaining())
    connection = PinnedConnection(
        host,
        port,
        addresses=addresses,
        timeout=deadline.remaining(),
        ssl_context=ssl_context if tls else None,
    )
    try:
        connection.connect()
    except BaseException:
        connection.close()
        raise
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, target
