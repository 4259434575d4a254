"""Helpers the delivery repository's modules share: row translations and UPDATE results."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result

from crossrisk.domain.delivery import (
    ChannelConfig,
    ChannelKind,
    Envelope,
    Purpose,
    secret_fingerprint,
)
from crossrisk.store.models import (
    DeliveryChannelRow,
    DeliveryMessageRow,
)

NO_SYNC = {"synchronize_session": False}


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE matched."""
    # An UPDATE's result is a CursorResult, whose rowcount is the number of rows matched.
    return int(cast(CursorResult[Any], result).rowcount or 0)


def channel_config(row: DeliveryChannelRow) -> ChannelConfig:
    """A channel row as the domain sees it, its secret shown only by fingerprint."""
    return ChannelConfig(
        id=row.id,
        organisation_code=row.organisation_code,
        kind=ChannelKind(row.kind),
        address=row.address,
        secret_fingerprint=secret_fingerprint(row.secret),
        enabled=row.enabled,
        created_at=row.created_at,
    )


def envelope_of(row: DeliveryMessageRow) -> Envelope:
    """The message a delivery row carries."""
    return Envelope(
        warning_id=row.warning_id,
        purpose=Purpose(row.purpose),
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        subject=row.subject,
        body=row.body,
        cap_xml=bytes(row.cap_xml),
        ack_url=row.ack_url,
    )
