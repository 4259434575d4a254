"""The MQTT broker's accounts and what each may read and write, from the platform's records.

Three kinds of account, so that the broker itself keeps each party to its own topics:

- the platform: reads every station's observations, writes every warning;
- a receiving organisation (username: its code): reads only its own warning topics (those
  crossrisk.domain.delivery.own_topic_roots names); a coordination body also reads its
  region's warnings, the central office every region's;
- a station gateway, one per organisation owning stations (username `<code>.gateway`):
  writes only to its own stations' observation topics, `<prefix>/<region>/observations/
  <station>` and below, and reads nothing.

One gateway per organisation rather than per station: a city's monitoring network sends
through one gateway, and the organisation is what the platform's permissions know. The
MQTT ingest also refuses a reading that names a station other than its topic's, so the
broker's topic check is the whole check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from crossrisk.domain.delivery import own_topic_roots
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.station import Station
from crossrisk.domain.organisation import Organisation, OrganisationKind

GATEWAY_SUFFIX = ".gateway"


class AccountKind(StrEnum):
    PLATFORM = "platform"
    RECEIVER = "receiver"
    GATEWAY = "gateway"


@dataclass(frozen=True, slots=True)
class BrokerAccount:
    """One broker login and the topic filters it may read and write."""

    username: str
    kind: AccountKind
    organisation_code: str | None
    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()


# The topics beside a city's warnings (crossrisk.domain.delivery.default_topic).
CITY_NOTICES = ("checkpoints", "duties", "meetings")


def _topic(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


def observation_topic(prefix: str, station: Station) -> str:
    """The topic a station's readings are published on (the ingest's subscription)."""
    return _topic(prefix, station.region_code, "observations", station.code)


def platform_account(username: str, prefix: str) -> BrokerAccount:
    """The platform's own login: every observation in, every warning and checkpoint out."""
    return BrokerAccount(
        username=username,
        kind=AccountKind.PLATFORM,
        organisation_code=None,
        read=(_topic(prefix, "+", "observations", "#"),),
        write=(
            _topic(prefix, "+", "warnings", "#"),
            _topic(prefix, "warnings", "#"),
            *(_topic(prefix, "+", kind, "#") for kind in CITY_NOTICES),
        ),
    )


def receiver_account(
    prefix: str, organisation: Organisation, region_codes: Iterable[str]
) -> BrokerAccount:
    """An organisation's login for its warnings ("#" also matches the root itself)."""
    regions = sorted(region_codes)
    read = [_topic(root, "#") for root in own_topic_roots(prefix, organisation, regions)]
    if organisation.jurisdiction_code:
        # The journal checkpoints every member city keeps, its duty reminders and case
        # notices, and its meeting invitations each arrive on a topic of their own.
        read.extend(
            _topic(prefix, region, kind, organisation.jurisdiction_code, "#")
            for region in regions
            for kind in CITY_NOTICES
        )
    if organisation.kind is OrganisationKind.COORDINATION_BODY and organisation.region_code:
        read.append(_topic(prefix, organisation.region_code, "warnings", "#"))
    if organisation.kind is OrganisationKind.CENTRAL_OFFICE:
        read.append(_topic(prefix, "+", "warnings", "#"))
    return BrokerAccount(
        username=organisation.code,
        kind=AccountKind.RECEIVER,
        organisation_code=organisation.code,
        read=tuple(read),
    )


def gateway_account(
    prefix: str, organisation: Organisation, stations: Sequence[Station]
) -> BrokerAccount:
    """The login a city's monitoring network publishes its stations' readings with."""
    return BrokerAccount(
        username=organisation.code + GATEWAY_SUFFIX,
        kind=AccountKind.GATEWAY,
        organisation_code=organisation.code,
        write=tuple(_topic(observation_topic(prefix, s), "#") for s in sorted(stations, key=_code)),
    )


def _code(station: Station) -> str:
    return station.code


def broker_accounts(
    *,
    prefix: str,
    platform_username: str,
    organisations: Sequence[tuple[Organisation, frozenset[str]]],
    stations: Sequence[Station],
) -> list[BrokerAccount]:
    """Every account: the platform's, one per receiving organisation, one per station owner.

    organisations pairs each organisation with the regions it belongs to; a station belongs
    to the jurisdiction organisation of its jurisdiction code.
    """
    owner = {
        o.jurisdiction_code: o
        for o, _ in organisations
        if o.kind is OrganisationKind.JURISDICTION and o.jurisdiction_code
    }
    accounts = [platform_account(platform_username, prefix)]
    for organisation, regions in sorted(organisations, key=lambda item: item[0].code):
        if organisation.kind in (OrganisationKind.SYSTEM, OrganisationKind.EVALUATOR):
            continue  # the platform has its own account; evaluators receive no warnings
        accounts.append(receiver_account(prefix, organisation, regions))
        owned = [s for s in stations if owner.get(s.jurisdiction_code) is organisation]
        if owned:
            accounts.append(gateway_account(prefix, organisation, owned))
    _check_usernames(accounts)
    return accounts


def _check_usernames(accounts: Sequence[BrokerAccount]) -> None:
    seen: set[str] = set()
    for account in accounts:
        name = account.username
        # The password file is "username:hash" per line; the ACL file "user <name>".
        if not name or ":" in name or any(c.isspace() for c in name):
            raise InvalidInput(f"{name!r} cannot be a broker username (no ':' or spaces)")
        if name in seen:
            raise InvalidInput(
                f"two broker accounts would be named {name!r}; rename the organisation or "
                "set another CROSSRISK_MQTT_USERNAME"
            )
        seen.add(name)


def acl_text(accounts: Sequence[BrokerAccount]) -> str:
    """Mosquitto's acl_file: each user's topics; whatever is not listed is denied."""
    lines = [
        "# Written by `crossrisk mqtt acl` from the platform's organisations and stations.",
        "# Do not edit: the next run replaces this file.",
    ]
    for account in accounts:
        lines += ["", f"# {account.kind.value}", f"user {account.username}"]
        lines += [f"topic read {topic}" for topic in account.read]
        lines += [f"topic write {topic}" for topic in account.write]
    return "\n".join(lines) + "\n"
