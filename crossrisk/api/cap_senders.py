"""The CAP senders and feeds a region takes alerts from, over HTTP (committee writes)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.cap_sender import (
    CERTIFICATE_MAX,
    NAME_MAX,
    SENDER_MAX,
    URL_MAX,
    CapFeed,
    CapSender,
)
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import cap_senders

router = APIRouter(prefix="/api/cap", tags=["cap"])

SenderId = Path(min_length=1, max_length=SENDER_MAX)


class SenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender: str = Field(min_length=1, max_length=SENDER_MAX, description="the CAP <sender>")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    region: str = Field(min_length=1, max_length=32)
    certificate_pem: str | None = Field(
        default=None,
        max_length=CERTIFICATE_MAX,
        description="PEM X.509 certificate the alerts' XML signatures are checked against",
    )
    require_signature: bool = False


class SenderOut(BaseModel):
    sender: str
    name: str
    region: str
    has_certificate: bool
    require_signature: bool
    organisations: list[str]
    feeds: list[int]
    registered_at: datetime
    registered_by: str


class DelivererIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation: str | None = Field(default=None, min_length=1, max_length=64)
    feed: int | None = Field(default=None, ge=1, le=2**31 - 1)


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=URL_MAX, description="an Atom or RSS index")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    region: str = Field(min_length=1, max_length=32)


class FeedOut(BaseModel):
    id: int
    url: str
    name: str
    region: str
    senders: list[str]
    registered_at: datetime
    registered_by: str


def sender_out(sender: CapSender) -> SenderOut:
    """The API form of a registered sender."""
    return SenderOut(
        sender=sender.sender_id,
        name=sender.name,
        region=sender.region_code,
        has_certificate=sender.certificate_pem is not None,
        require_signature=sender.require_signature,
        organisations=list(sender.organisations),
        feeds=list(sender.feeds),
        registered_at=sender.registered_at,
        registered_by=sender.registered_by,
    )


def feed_out(feed: CapFeed) -> FeedOut:
    """The API form of a feed."""
    assert feed.id is not None
    return FeedOut(
        id=feed.id,
        url=feed.url,
        name=feed.name,
        region=feed.region_code,
        senders=list(feed.senders),
        registered_at=feed.registered_at,
        registered_by=feed.registered_by,
    )


@router.get("/senders", response_model=list[SenderOut])
def list_senders(actor: ActorDep, uow: UowDep) -> list[SenderOut]:
    """The external CAP senders registered for the regions the caller reads."""
    return [sender_out(s) for s in cap_senders.list_senders(uow, actor)]


@router.post("/senders", response_model=SenderOut, status_code=201)
def add_sender(body: SenderIn, actor: ActorDep, uow: UowDep, response: Response) -> SenderOut:
    """Register an external CAP sender for a region (its committee or the operator)."""
    sender = cap_senders.add_sender(
        uow,
        actor,
        cap_senders.SenderDraft(
            sender_id=body.sender,
            name=body.name,
            region_code=body.region,
            certificate_pem=body.certificate_pem,
            require_signature=body.require_signature,
        ),
        now=utc_now(),
    )
    response.headers["Location"] = f"/api/cap/senders/{sender.sender_id}"
    return sender_out(sender)


@router.get("/senders/{sender_id}", response_model=SenderOut)
def get_sender(actor: ActorDep, uow: UowDep, sender_id: str = SenderId) -> SenderOut:
    """One registered sender and who may deliver it."""
    return sender_out(cap_senders.get_sender(uow, actor, sender_id))


@router.delete("/senders/{sender_id}", status_code=204)
def remove_sender(actor: ActorDep, uow: UowDep, sender_id: str = SenderId) -> Response:
    """Unregister a sender: its alerts are refused from then on."""
    cap_senders.remove_sender(uow, actor, sender_id, now=utc_now())
    return Response(status_code=204)


@router.post("/senders/{sender_id}/deliverers", response_model=SenderOut)
def allow_sender(
    body: DelivererIn, actor: ActorDep, uow: UowDep, sender_id: str = SenderId
) -> SenderOut:
    """Let one organisation or one feed deliver the sender's alerts."""
    sender = cap_senders.allow_sender(
        uow,
        actor,
        sender_id,
        organisation_code=body.organisation,
        feed_id=body.feed,
        now=utc_now(),
    )
    return sender_out(sender)


@router.get("/feeds", response_model=list[FeedOut])
def list_feeds(actor: ActorDep, uow: UowDep) -> list[FeedOut]:
    """The CAP feeds polled for the regions the caller reads."""
    return [feed_out(f) for f in cap_senders.list_feeds(uow, actor)]


@router.post("/feeds", response_model=FeedOut, status_code=201)
def add_feed(body: FeedIn, actor: ActorDep, uow: UowDep, response: Response) -> FeedOut:
    """Register an Atom or RSS index of CAP files for `crossrisk cap poll`."""
    feed = cap_senders.add_feed(
        uow, actor, region_code=body.region, url=body.url, name=body.name, now=utc_now()
    )
    response.headers["Location"] = f"/api/cap/feeds/{feed.id}"
    return feed_out(feed)


@router.delete("/feeds/{feed_id}", status_code=204)
def remove_feed(feed_id: RowId, actor: ActorDep, uow: UowDep) -> Response:
    """Stop polling a feed; what it delivered stays."""
    cap_senders.remove_feed(uow, actor, feed_id, now=utc_now())
    return Response(status_code=204)
