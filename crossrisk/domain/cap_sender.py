"""CAP senders (CAP 1.2 §3.2.1 <sender>) and the feeds that deliver them.

A CAP alert names its sender, and the platform keys what it received on (sender,
identifier). A sender is therefore an identity: only those bound to it may deliver it.
Each organisation may use its own sender id (formed as the platform forms the <sender> of
its own warnings); the region's committee registers external senders (a meteorological
or hydrological service, a neighbouring region's platform) and says which organisations
and which feeds may deliver each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Organisation, OrganisationKind
from crossrisk.domain.warning import check_cap_token

# CAP sets no limit; real senders use a few dozen characters. A registered sender is
# journaled under the subject "cap-sender:<id>", which the journal bounds at 64.
SENDER_MAX = 53
NAME_MAX = 200
URL_MAX = 2000
CERTIFICATE_MAX = 16_384  # a PEM certificate is 1–3 kB; a chain of a few stays well within


def region_cap_sender(region_code: str) -> str:
    """The <sender> of the CAP warnings a region's platform issues."""
    return f"crossrisk-{region_code}"


def own_cap_sender(organisation: Organisation) -> str | None:
    """The sender id an organisation may always use; None for the platform itself.

    Formed as the <sender> of our own warnings: a committee's is its region's (what its
    warnings carry), a city's names its jurisdiction, any other organisation its code.
    """
    match organisation.kind:
        case OrganisationKind.SYSTEM:
            return None
        case OrganisationKind.COORDINATION_BODY if organisation.region_code:
            return region_cap_sender(organisation.region_code)
        case OrganisationKind.JURISDICTION if organisation.jurisdiction_code:
            return region_cap_sender(organisation.jurisdiction_code)
        case _:
            return region_cap_sender(organisation.code)


def check_sender_id(sender_id: str) -> str:
    """Refuse a sender id CAP could not carry or the platform could not store."""
    check_cap_token("sender", sender_id)
    if len(sender_id) > SENDER_MAX:
        raise InvalidInput(
            f"a CAP sender id is at most {SENDER_MAX} characters; this one has {len(sender_id)}",
            key="cap-sender-invalid",
        )
    return sender_id


def check_feed_url(url: str) -> str:
    """Refuse a feed address that is not an absolute http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > URL_MAX:
        raise InvalidInput(
            f"a CAP feed is an http or https URL of at most {URL_MAX} characters; got {url!r}",
            key="cap-feed-url-invalid",
        )
    return url


@dataclass(frozen=True, slots=True)
class CapSender:
    """An external sender the committee registered, and who may deliver it."""

    sender_id: str
    name: str
    region_code: str  # the region whose committee registered it and answers for it
    certificate_pem: str | None  # verifies the alerts' XML signatures when given
    require_signature: bool
    organisations: tuple[str, ...]  # organisation codes that may deliver it
    feeds: tuple[int, ...]  # feed ids that may deliver it
    registered_at: datetime
    registered_by: str

    def __post_init__(self) -> None:
        check_sender_id(self.sender_id)
        if not self.name.strip() or len(self.name) > NAME_MAX:
            raise InvalidInput(
                f"a CAP sender's name is 1 to {NAME_MAX} characters", key="cap-sender-invalid"
            )
        if self.require_signature and not self.certificate_pem:
            raise InvalidInput(
                f"sender {self.sender_id} cannot require signatures without a certificate "
                "to check them against",
                key="cap-sender-certificate-missing",
            )


@dataclass(frozen=True, slots=True)
class CapFeed:
    """An Atom or RSS index of CAP files the committee had the platform poll."""

    id: int | None
    region_code: str
    url: str
    name: str
    senders: tuple[str, ...]  # the registered senders it may deliver
    registered_at: datetime
    registered_by: str

    def __post_init__(self) -> None:
        check_feed_url(self.url)
        if not self.name.strip() or len(self.name) > NAME_MAX:
            raise InvalidInput(
                f"a CAP feed's name is 1 to {NAME_MAX} characters", key="cap-feed-invalid"
            )


@dataclass(frozen=True, slots=True)
class FeedEntryTaken:
    """The last entry the poller took from a feed, and what receiving it did."""

    feed_id: int
    taken_at: datetime
    outcome: str  # the receipt's outcome, or the key of the refusal (cap-sender-not-authorised)
