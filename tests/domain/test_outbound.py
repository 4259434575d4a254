"""Which addresses the platform may connect to when a user named the destination."""

from __future__ import annotations

import ipaddress

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.outbound import (
    DestinationRefused,
    check_addresses,
    parse_allow_list,
    why_refused,
)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped: judged as the IPv4 it carries
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "reserved"),  # carrier-grade NAT, shared address space
        ("192.0.2.1", "private"),  # documentation
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_only_public_unicast_addresses_pass(address: str, reason: str | None) -> None:
    assert why_refused(ipaddress.ip_address(address)) == reason


def test_a_name_with_any_refused_address_is_refused_without_telling_the_address() -> None:
    addresses = [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.5")]
    with pytest.raises(DestinationRefused) as refused:
        check_addresses("db.internal", addresses, ())
    assert refused.value.key == "channel-address-forbidden"
    assert refused.value.params == {"host": "db.internal", "reason": "private"}
    assert "10.0.0.5" not in refused.value.detail


def test_the_operators_allow_list_admits_its_networks_only() -> None:
    allow = parse_allow_list(" 127.0.0.1/32, 10.0.0.0/8 ,")
    check_addresses("receiver", [ipaddress.ip_address("10.9.9.9")], allow)
    check_addresses("mapped", [ipaddress.ip_address("::ffff:127.0.0.1")], allow)
    with pytest.raises(DestinationRefused):
        check_addresses("metadata", [ipaddress.ip_address("169.254.169.254")], allow)
    with pytest.raises(DestinationRefused):
        check_addresses("other-loopback", [ipaddress.ip_address("127.0.0.2")], allow)


@pytest.mark.parametrize("text", ["10.0.0.0/33", "localhost", "10.0.0.1/8"])
def test_a_malformed_allow_list_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="CROSSRISK_OUTBOUND_ALLOW"):
        parse_allow_list(text)
