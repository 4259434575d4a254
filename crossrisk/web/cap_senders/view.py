"""What the CAP sender registry page shows: senders, feeds and each organisation's own id.

The page is read by every account of a region (a city finds the <sender> its own alerts
must carry); its forms appear only for the regions whose registry the visitor keeps, the
region's committee or the operator (`can_manage_cap_senders`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from crossrisk.domain.cap_sender import CapFeed, CapSender, FeedEntryTaken, own_cap_sender
from crossrisk.domain.organisation import Actor, OrganisationKind
from crossrisk.domain.permissions.cap_senders import can_manage_cap_senders
from crossrisk.locale import N_
from crossrisk.services import cap_senders
from crossrisk.services.cap_receipts import CapOutcome
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared import refusal_labels
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage

# What the allow form's one choice names: "organisation:<code>" or "feed:<id>".
ORGANISATION_PREFIX = "organisation:"
FEED_PREFIX = "feed:"

# What receiving a feed's entry did, as the feed table says it.
RECEIPT_OUTCOME = {
    CapOutcome.OPENED: N_("opened a risk"),
    CapOutcome.UPDATED: N_("updated a risk"),
    CapOutcome.CLOSED: N_("withdrew a risk"),
    CapOutcome.UNCHANGED: N_("recorded; no risk changed"),
    CapOutcome.NOT_ACTUAL: N_("recorded: a system, test or draft message"),
    CapOutcome.EXERCISE: N_("recorded: an exercise"),
    CapOutcome.OUTSIDE: N_("recorded: outside every region"),
    CapOutcome.NOT_PLACED: N_("recorded: no area to place it by"),
    CapOutcome.EXPIRED: N_("recorded: expired on arrival"),
    CapOutcome.UNMATCHED: N_("recorded: cancels no alert received here"),
    CapOutcome.NOT_ACTED_ON: N_("recorded: an acknowledgement or error"),
    CapOutcome.ALREADY_RECEIVED: N_("received before"),
}


@dataclass(frozen=True, slots=True)
class Deliverer:
    """One organisation or feed a sender may be delivered by, as the page names it."""

    value: str  # the allow form's value for it
    label: str


@dataclass(frozen=True, slots=True)
class SenderRow:
    """A registered sender with its deliverers named and its certificate's fingerprint."""

    sender: CapSender
    region: str
    deliverers: tuple[Deliverer, ...]
    fingerprint: str | None
    # Organisations and feeds the committee may still allow: the form's choices.
    choices: tuple[Deliverer, ...]
    manageable: bool


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A polled feed with its region named."""

    feed: CapFeed
    region: str
    manageable: bool
    last_taken: FeedEntryTaken | None
    last_outcome: str  # what receiving the last entry did, in the page's language


@dataclass(frozen=True, slots=True)
class OwnSender:
    """The sender id an organisation may always use for its own CAP alerts."""

    code: str
    name: str
    sender_id: str
    mine: bool


def certificate_fingerprint(pem: str | None) -> str | None:
    """The certificate's SHA-256 fingerprint, as `openssl x509 -fingerprint -sha256` says it."""
    if pem is None:
        return None
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None  # the registry checked it when adding; a stored oddity is shown as absent
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def outcome_said(lang: PageLanguage, entry: FeedEntryTaken | None) -> str:
    """What receiving the entry did, or the refusal's sentence when it was refused."""
    if entry is None:
        return ""
    try:
        return lang.gettext(RECEIPT_OUTCOME[CapOutcome(entry.outcome)])
    except (ValueError, KeyError):
        # A refused entry keeps its refusal's key: say it as the pages say that refusal.
        sentence = refusal_labels.REFUSAL.get(entry.outcome)
        said = lang.gettext(sentence) if sentence and "%(" not in sentence else entry.outcome
        return lang.gettext("refused: %(reason)s") % {"reason": said}


def deliverer_of(value: str) -> tuple[str | None, int | None]:
    """The organisation code or the feed id the allow form chose; (None, None) for neither."""
    if value.startswith(ORGANISATION_PREFIX):
        code = value.removeprefix(ORGANISATION_PREFIX)
        return (code or None), None
    if value.startswith(FEED_PREFIX):
        number = value.removeprefix(FEED_PREFIX)
        # Feed ids are 32-bit rows: anything else names no feed, and the service says so.
        if number.isdigit() and len(number) <= 10 and 1 <= int(number) <= 2**31 - 1:
            return None, int(number)
    return None, None


def registry_context(uow: UnitOfWork, actor: Actor, lang: PageLanguage) -> dict[str, Any]:
    """The senders, the feeds and the own sender ids the actor reads, and what it may add."""
    directory = read_directory(uow, actor)
    chinese = lang.is_chinese
    senders = cap_senders.list_senders(uow, actor)
    feeds = cap_senders.list_feeds(uow, actor)
    feed_names = {feed.id: feed.name for feed in feeds}
    taken = cap_senders.last_taken_entries(uow, actor)
    managed = [code for code in directory.regions if can_manage_cap_senders(actor, code)]
    return {
        "senders": [
            _sender_row(sender, actor, directory, feeds, feed_names, lang) for sender in senders
        ],
        "feeds": [
            _feed_row(feed, actor, directory, taken.get(feed.id or 0), lang) for feed in feeds
        ],
        "own_senders": _own_senders(actor, directory, chinese=chinese),
        "managed_regions": [
            (code, directory.region_name(code, chinese=chinese)) for code in managed
        ],
    }


def _sender_row(
    sender: CapSender,
    actor: Actor,
    directory: Directory,
    feeds: list[CapFeed],
    feed_names: dict[int | None, str],
    lang: PageLanguage,
) -> SenderRow:
    chinese = lang.is_chinese
    allowed = [
        Deliverer(ORGANISATION_PREFIX + code, directory.organisation_name(code, chinese=chinese))
        for code in sender.organisations
    ] + [_feed_deliverer(lang, feed_id, feed_names.get(feed_id, "—")) for feed_id in sender.feeds]
    # Any organisation the visitor reads may be allowed; a feed only of the sender's region.
    candidates = [
        Deliverer(ORGANISATION_PREFIX + o.code, o.name_zh if chinese else o.name_en)
        for o in directory.organisations.values()
        if o.kind is not OrganisationKind.SYSTEM and o.code not in sender.organisations
    ] + [
        _feed_deliverer(lang, feed.id, feed.name)
        for feed in feeds
        if feed.id is not None
        and feed.region_code == sender.region_code
        and feed.id not in sender.feeds
    ]
    return SenderRow(
        sender=sender,
        region=directory.region_name(sender.region_code, chinese=chinese),
        deliverers=tuple(allowed),
        fingerprint=certificate_fingerprint(sender.certificate_pem),
        choices=tuple(candidates),
        manageable=can_manage_cap_senders(actor, sender.region_code),
    )


def _feed_row(
    feed: CapFeed,
    actor: Actor,
    directory: Directory,
    last: FeedEntryTaken | None,
    lang: PageLanguage,
) -> FeedRow:
    return FeedRow(
        feed=feed,
        region=directory.region_name(feed.region_code, chinese=lang.is_chinese),
        manageable=can_manage_cap_senders(actor, feed.region_code),
        last_taken=last,
        last_outcome=outcome_said(lang, last),
    )


def _feed_deliverer(lang: PageLanguage, feed_id: int, name: str) -> Deliverer:
    return Deliverer(
        f"{FEED_PREFIX}{feed_id}",
        lang.gettext("Feed %(id)d: %(name)s") % {"id": feed_id, "name": name},
    )


def _own_senders(actor: Actor, directory: Directory, *, chinese: bool) -> list[OwnSender]:
    found = []
    for organisation in sorted(directory.organisations.values(), key=lambda o: o.code):
        sender_id = own_cap_sender(organisation)
        if sender_id is None:
            continue
        found.append(
            OwnSender(
                code=organisation.code,
                name=organisation.name_zh if chinese else organisation.name_en,
                sender_id=sender_id,
                mine=organisation.code == actor.organisation.code,
            )
        )
    # The visitor's own first: that is the line a city came to read.
    return sorted(found, key=lambda own: not own.mine)
