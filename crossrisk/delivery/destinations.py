"""The guard every outbound connection to a user-given host passes: resolve, then judge.

It resolves a host once, within a time bound, and refuses it when any address is not a
public one (crossrisk.domain.outbound) and not allow-listed by the operator. The caller
connects to exactly the addresses returned, never resolving the name again, so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot steer it.

This module opens no connection (crossrisk.delivery.outbound_http does): the services
check a webhook when it is registered with it and import no HTTP library.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crossrisk.domain.outbound import AllowList, IPAddress, check_addresses
from crossrisk.settings import Settings

Resolver = Callable[[str, int], list[IPAddress]]
LOOKUP_SECONDS = 5.0


class Unresolved(Exception):
    """The host gave no address (unknown name, no DNS answer in time): worth a retry."""


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The host's addresses from the system resolver, in its order, without repeats."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolved(f"{host} does not resolve ({error})") from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


@dataclass(frozen=True, slots=True)
class OutboundGuard:
    """Resolves and judges destinations; `allow` holds the operator's extra networks."""

    allow: AllowList = ()
    resolve: Resolver = field(default=system_resolver)

    @classmethod
    def from_settings(cls, settings: Settings) -> OutboundGuard:
        """The guard with the operator's allow-list (CROSSRISK_OUTBOUND_ALLOW)."""
        return cls(allow=settings.outbound_allow)

    def addresses(
        self, host: str, port: int, *, timeout: float = LOOKUP_SECONDS
    ) -> list[IPAddress]:
        """The checked addresses to connect to; DestinationRefused or Unresolved otherwise."""
        try:
            found = [ipaddress.ip_address(host)]  # a literal address needs no lookup
        except ValueError:
            found = _within(timeout, host, lambda: self.resolve(host, port))
        if not found:
            raise Unresolved(f"{host} has no address")
        check_addresses(host, found, self.allow)
        return found

    def check_url(self, url: str) -> None:
        """Refuse a URL whose host resolves to a refused address (at registration).

        A name that does not resolve yet is let through: it reaches nobody, and every
        send resolves and judges it again before connecting.
        """
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            self.addresses(parts.hostname or "", port)
        except Unresolved:
            return


def _within(seconds: float, host: str, lookup: Callable[[], list[IPAddress]]) -> list[IPAddress]:
    # getaddrinfo takes no timeout; a lookup left running in its daemon thread is harmless.
    result: list[list[IPAddress]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(lookup())
        except BaseException as error:  # handed to the waiting thread
            failure.append(error)

    thread = threading.Thread(target=run, name=f"resolve {host}"[:60], daemon=True)
    thread.start()
    thread.join(seconds)
    if failure:
        raise failure[0]
    if not result:
        raise Unresolved(f"{host} did not resolve within {seconds:g} s")
    return result[0]
