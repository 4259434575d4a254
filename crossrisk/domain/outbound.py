"""Which network addresses the platform may connect to when a user named the destination.

A webhook URL is typed by an officer, so without a rule the platform would connect, from
inside the operator's network, wherever it is told: the database on localhost, the cloud
metadata service at 169.254.169.254, an intranet host. Only public (globally routable)
unicast addresses are allowed, unless the operator allow-lists networks (receivers inside
the operator's own network, the tests' receivers on loopback).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from crossrisk.domain.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
AllowList = tuple[IPNetwork, ...]


class DestinationRefused(InvalidInput):
    """The destination resolves to an address the platform does not connect to."""

    code = "destination-refused"
    title = "Destination refused"


def parse_allow_list(text: str, *, setting: str = "CROSSRISK_OUTBOUND_ALLOW") -> AllowList:
    """The networks of a comma-separated list of CIDRs ("" allows nothing extra)."""
    networks: list[IPNetwork] = []
    for item in text.split(","):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=True))
        except ValueError as error:
            raise InvalidInput(f"{setting}: {item.strip()!r} is not a network ({error})") from None
    return tuple(networks)


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 form carries (mapped, 6to4), else the address itself.

    `::ffff:127.0.0.1` reaches loopback on a dual-stack host; judged as IPv6 it would look
    like a reserved block at best, so the IPv4 it carries is what is judged.
    """
    if isinstance(address, ipaddress.IPv6Address):
        return address.ipv4_mapped or address.sixtofour or address
    return address


def why_refused(address: IPAddress) -> str | None:
    """Why an address is no public unicast destination, or None when it is one."""
    judged = embedded_ipv4(address)
    # Order matters: the most telling name first (127.0.0.1 is also "not global").
    checks = (
        ("unspecified", judged.is_unspecified),
        ("loopback", judged.is_loopback),
        ("link-local", judged.is_link_local),
        ("multicast", judged.is_multicast),
        ("reserved", judged.is_reserved),
        ("private", judged.is_private),
    )
    for reason, holds in checks:
        if holds:
            return reason
    if isinstance(judged, ipaddress.IPv6Address) and judged.teredo is not None:
        return "reserved"  # a tunnel whose far end the platform cannot judge
    if not judged.is_global:
        return "reserved"  # shared (100.64/10), documentation and benchmark blocks
    return None


def allowed(address: IPAddress, allow: AllowList) -> bool:
    """True when an operator's allow-list names the address (or the IPv4 it carries)."""
    judged = embedded_ipv4(address)
    return any(judged in network or address in network for network in allow)


def check_addresses(host: str, addresses: Iterable[IPAddress], allow: AllowList) -> None:
    """Refuse the host if any address it resolves to is neither public nor allow-listed.

    Any one refused address refuses the host: a name that resolves to a public and a
    private address could otherwise be steered to the private one by the connection order.
    """
    for address in addresses:
        reason = why_refused(address)
        if reason is not None and not allowed(address, allow):
            # The address itself is not told: the refusal would otherwise answer internal
            # DNS questions for whoever registers a channel.
            named = "is" if host == str(address) else "resolves to"
            raise DestinationRefused(
                f"{host} {named} a {reason} address; the platform connects only to "
                "public addresses (an operator may allow networks with "
                "CROSSRISK_OUTBOUND_ALLOW)",
                key="channel-address-forbidden",
                params={"host": host, "reason": reason},
            )
