"""Delivery channels of organisations, and the deliveries of a warning, over HTTP."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import CHANNEL_KINDS, one_of
from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.delivery import (
    ADDRESS_MAX,
    SECRET_MAX,
    WARNING_ID_MAX,
    ChannelConfig,
    Delivery,
)
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import channels, delivery

router = APIRouter(prefix="/api", tags=["delivery"])


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = one_of(CHANNEL_KINDS, max_length=16, description="webhook, email or mqtt")
    address: str = Field(
        default="",
        max_length=ADDRESS_MAX,
        description="URL, e-mail address or MQTT topic ('' = the jurisdiction's topic)",
    )
    secret: str | None = Field(
        default=None, max_length=SECRET_MAX, description="the webhook's HMAC-SHA256 key"
    )


class ChannelOut(BaseModel):
    id: int
    organisation: str
    kind: str
    address: str
    secret_fingerprint: str | None
    enabled: bool
    created_at: datetime


class AttemptOut(BaseModel):
    number: int
    started_at: datetime
    finished_at: datetime | None
    ok: bool | None
    detail: str


class DeliveryOut(BaseModel):
    id: int
    warning: str
    purpose: str
    organisation: str
    channel: int | None
    kind: str
    address: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_detail: str
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut]


def channel_out(channel: ChannelConfig) -> ChannelOut:
    """The API form of a channel: never the secret, only its fingerprint."""
    return ChannelOut(
        id=channel.id,
        organisation=channel.organisation_code,
        kind=channel.kind.value,
        address=channel.address,
        secret_fingerprint=channel.secret_fingerprint,
        enabled=channel.enabled,
        created_at=channel.created_at,
    )


def delivery_out(item: Delivery) -> DeliveryOut:
    """The API form of a delivery with its attempts."""
    return DeliveryOut(
        id=item.id,
        warning=item.warning_id,
        purpose=item.purpose.value,
        organisation=item.organisation_code,
        channel=item.channel_id,
        kind=item.kind.value,
        address=item.address,
        status=item.status.value,
        attempts=item.attempts,
        next_attempt_at=item.next_attempt_at,
        last_detail=item.last_detail,
        delivered_at=item.delivered_at,
        created_at=item.created_at,
        attempt_log=[
            AttemptOut(
                number=a.number,
                started_at=a.started_at,
                finished_at=a.finished_at,
                ok=a.ok,
                detail=a.detail,
            )
            for a in item.attempt_log
        ],
    )


@router.get("/organisations/{code}/channels", response_model=list[ChannelOut])
def list_channels(code: str, actor: ActorDep, uow: UowDep) -> list[ChannelOut]:
    """The organisation's delivery channels."""
    return [channel_out(c) for c in delivery.list_channels(uow, actor, code)]


@router.post("/organisations/{code}/channels", response_model=ChannelOut, status_code=201)
def add_channel(
    code: str, body: ChannelIn, actor: ActorDep, uow: UowDep, request: Request, response: Response
) -> ChannelOut:
    """Configure a webhook (with its signing secret), an e-mail address or an MQTT topic."""
    settings = request.app.state.settings
    channel = delivery.add_channel(
        uow,
        actor,
        organisation_code=code,
        kind=body.kind,
        address=body.address,
        secret=body.secret,
        guard=OutboundGuard.from_settings(settings),
        topic_prefix=settings.mqtt_topic_prefix,
        now=utc_now(),
    )
    response.headers["Location"] = f"/api/organisations/{code}/channels/{channel.id}"
    return channel_out(channel)


@router.delete("/organisations/{code}/channels/{channel_id}", status_code=204)
def remove_channel(code: str, channel_id: RowId, actor: ActorDep, uow: UowDep) -> Response:
    """Remove a channel; messages still waiting for it are not sent."""
    delivery.remove_channel(uow, actor, channel_id, organisation_code=code, now=utc_now())
    return Response(status_code=204)


@router.get("/deliveries", response_model=list[DeliveryOut])
def deliveries(
    actor: ActorDep,
    uow: UowDep,
    warning: str = Query(min_length=1, max_length=WARNING_ID_MAX),
) -> list[DeliveryOut]:
    """Every delivery of a warning, each with its attempts and their results."""
    return [delivery_out(d) for d in delivery.deliveries_of(uow, actor, warning)]


class ChannelChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(description="false: new warnings skip the channel; it is kept")


@router.patch("/organisations/{code}/channels/{channel_id}", response_model=ChannelOut)
def change_channel(
    code: str, channel_id: RowId, body: ChannelChangeIn, actor: ActorDep, uow: UowDep
) -> ChannelOut:
    """Disable a channel, or enable it again."""
    return channel_out(
        channels.set_channel_enabled(
            uow, actor, channel_id, organisation_code=code, enabled=body.enabled, now=utc_now()
        )
    )


@router.post(
    "/organisations/{code}/channels/{channel_id}/test", response_model=DeliveryOut, status_code=201
)
def test_channel(
    code: str, channel_id: RowId, actor: ActorDep, uow: UowDep, request: Request
) -> DeliveryOut:
    """Send a CAP test alert (status Test) through the channel now; the delivery it made.

    The delivery's status, attempt and reply say whether the recipient took it.
    """
    senders = channels_from_settings(request.app.state.settings)
    try:
        sent = channels.send_test_message(
            uow, actor, channel_id, organisation_code=code, senders=senders, clock=utc_now
        )
    finally:
        close_all(senders)
    return delivery_out(sent)


@router.get("/organisations/{code}/deliveries", response_model=list[DeliveryOut])
def latest_deliveries(
    code: str,
    actor: ActorDep,
    uow: UowDep,
    limit: int = Query(default=channels.LATEST_LIMIT, ge=1, le=100),
) -> list[DeliveryOut]:
    """The organisation's most recent deliveries by any channel, newest first."""
    return [delivery_out(d) for d in channels.latest_deliveries(uow, actor, code, limit=limit)]
