"""CAP senders bound to accounts: who may deliver alerts in whose name, and their signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crossrisk.domain.errors import Conflict, CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.services import cap_senders
from crossrisk.services.cap_import import receive_cap
from crossrisk.services.cap_receipts import CapOutcome, CapReceipt
from crossrisk.store.models import (
    CapSenderDelivererRow,
    CapSenderRow,
    JournalEntryRow,
    ReceivedAlertRow,
    RiskRow,
)
from crossrisk.store.uow import UnitOfWork
from tests.alerts.cap_samples import FLOOD_ID, FLOOD_SENDER, flood_alert
from tests.cap_signing import SigningKey, sign, signing_key
from tests.support import T0, actor

OPERATOR = system_actor("cap-import")
MET_SENDER = "qxj.huangshan.gov.cn"  # the meteorological service the committee trusts


def counts(uow: UnitOfWork) -> tuple[int, ...]:
    """What a refusal must leave as it was."""
    tables = (RiskRow, JournalEntryRow, ReceivedAlertRow, CapSenderRow, CapSenderDelivererRow)
    with uow.read_only() as tx:
        return tuple(
            tx.session.scalar(select(func.count()).select_from(table)) or 0 for table in tables
        )


def register(
    uow: UnitOfWork,
    sender_id: str = FLOOD_SENDER,
    *,
    allow: tuple[str, ...] = (),
    key: SigningKey | None = None,
    require_signature: bool = False,
) -> None:
    committee = actor(uow, "yrd-committee")
    draft = cap_senders.SenderDraft(
        sender_id=sender_id,
        name="黄山市水文局",
        region_code="yrd",
        certificate_pem=None if key is None else key.certificate_pem,
        require_signature=require_signature,
    )
    cap_senders.add_sender(uow, committee, draft, now=T0)
    for organisation in allow:
        cap_senders.allow_sender(uow, committee, sender_id, organisation_code=organisation, now=T0)


def receive(uow: UnitOfWork, xml: bytes, who: Actor, *, minutes: int = 0) -> CapReceipt:
    return receive_cap(uow, who, xml, now=T0 + timedelta(minutes=minutes))


def alert_from(sender: str, *, identifier: str = FLOOD_ID) -> bytes:
    return flood_alert(identifier=identifier).replace(
        f"<sender>{FLOOD_SENDER}</sender>".encode(), f"<sender>{sender}</sender>".encode()
    )


def refused(uow: UnitOfWork, xml: bytes, who: Actor, key: str) -> CrossriskError:
    before = counts(uow)
    with pytest.raises(CrossriskError) as caught:
        receive(uow, xml, who)
    assert caught.value.key == key, caught.value.detail
    assert counts(uow) == before
    return caught.value


# ---------------------------------------------------------------------------------------
# The registry


def test_the_committee_registers_a_sender_and_allows_a_city(uow: UnitOfWork) -> None:
    events: list[Event] = []
    uow.bus.subscribe(events.append)
    key = signing_key()
    register(uow, allow=("ema-341000",), key=key, require_signature=True)
    committee = actor(uow, "yrd-committee")
    sender = cap_senders.get_sender(uow, actor(uow, "ema-330100"), FLOOD_SENDER)
    assert (sender.region_code, sender.name, sender.require_signature) == (
        "yrd",
        "黄山市水文局",
        True,
    )
    assert sender.organisations == ("ema-341000",)
    assert sender.certificate_pem == key.certificate_pem.strip() + "\n"
    assert sender.registered_by == "test-yrd-committee"
    assert [s.sender_id for s in cap_senders.list_senders(uow, committee)] == [FLOOD_SENDER]
    with uow.read_only() as tx:
        entries = tx.journal.about(f"cap-sender:{FLOOD_SENDER}")
    assert [e.action for e in entries] == ["cap_sender.added", "cap_sender.allowed"]
    assert entries[0].payload["require_signature"] is True
    assert len(entries[0].payload["certificate_sha256"]) == 64
    assert entries[1].payload["organisation"] == "ema-341000"
    assert entries[1].payload["organisations"] == ["ema-341000"]
    assert [e.name for e in events] == ["cap_sender.added", "cap_sender.allowed"]
    assert events[1].payload == entries[1].payload


def test_another_regions_accounts_neither_see_nor_change_the_registry(uow: UnitOfWork) -> None:
    register(uow)
    other = actor(uow, "pearl-committee")
    assert cap_senders.list_senders(uow, other) == []
    before = counts(uow)
    with pytest.raises(CrossriskError) as caught:
        cap_senders.remove_sender(uow, other, FLOOD_SENDER, now=T0)
    assert caught.value.key == "cap-sender-not-found"
    assert counts(uow) == before


@pytest.mark.parametrize("organisation", ["ema-341000", "pearl-committee", "central-office"])
def test_only_the_committee_and_the_operator_register_senders(
    uow: UnitOfWork, organisation: str
) -> None:
    before = counts(uow)
    draft = cap_senders.SenderDraft(sender_id=MET_SENDER, name="气象局", region_code="yrd")
    with pytest.raises(NotPermitted) as caught:
        cap_senders.add_sender(uow, actor(uow, organisation), draft, now=T0)
    assert caught.value.key == "cap-senders-not-permitted"
    assert counts(uow) == before


@pytest.mark.parametrize(
    "sender_id, certificate, require, error, key",
    [
        ("crossrisk-341000", None, False, Conflict, "cap-sender-is-own"),
        ("crossrisk-yrd", None, False, Conflict, "cap-sender-is-own"),
        ("bad sender", None, False, InvalidInput, "cap-token-invalid"),
        (MET_SENDER, "-----BEGIN CERTIFICATE-----\nnonsense\n", False, InvalidInput, None),
        (MET_SENDER, None, True, InvalidInput, "cap-sender-certificate-missing"),
    ],
    ids=["a-citys-own", "the-regions-own", "space", "bad-certificate", "require-without-cert"],
)
def test_a_sender_that_cannot_be_registered_is_refused(
    uow: UnitOfWork,
    sender_id: str,
    certificate: str | None,
    require: bool,
    error: type[CrossriskError],
    key: str | None,
) -> None:
    before = counts(uow)
    draft = cap_senders.SenderDraft(
        sender_id=sender_id,
        name="x",
        region_code="yrd",
        certificate_pem=certificate,
        require_signature=require,
    )
    with pytest.raises(error) as caught:
        cap_senders.add_sender(uow, actor(uow, "yrd-committee"), draft, now=T0)
    assert caught.value.key == (key or "cap-certificate-invalid")
    assert counts(uow) == before


def test_a_sender_registered_twice_is_a_conflict(uow: UnitOfWork) -> None:
    register(uow)
    before = counts(uow)
    with pytest.raises(Conflict) as caught:
        register(uow)
    assert caught.value.key == "cap-sender-exists"
    assert counts(uow) == before


# ---------------------------------------------------------------------------------------
# Who may deliver which sender


def test_an_unregistered_sender_is_refused_to_a_city(uow: UnitOfWork) -> None:
    # Before senders were bound, any city posted alerts in any name.
    error = refused(uow, flood_alert(), actor(uow, "ema-341000"), "cap-sender-not-authorised")
    assert isinstance(error, NotPermitted)
    assert FLOOD_SENDER in error.detail and "not registered" in error.detail


def test_a_registered_sender_is_refused_to_a_city_it_was_not_allowed(uow: UnitOfWork) -> None:
    register(uow, allow=("yrd-committee",))
    refused(uow, flood_alert(), actor(uow, "ema-341000"), "cap-sender-not-authorised")
    receipt = receive(uow, flood_alert(), actor(uow, "yrd-committee"))
    assert receipt.outcome is CapOutcome.OPENED


def test_a_city_delivers_its_own_sender_without_registering_it(uow: UnitOfWork) -> None:
    receipt = receive(uow, alert_from("crossrisk-341000"), actor(uow, "ema-341000"))
    assert receipt.outcome is CapOutcome.OPENED and receipt.sender == "crossrisk-341000"
    # Another city's own sender is not its own.
    refused(
        uow,
        alert_from("crossrisk-341000", identifier="x-2"),
        actor(uow, "yrd-committee"),
        "cap-sender-not-authorised",
    )


def test_the_operator_delivers_any_registered_sender_and_no_other(uow: UnitOfWork) -> None:
    refused(uow, flood_alert(), OPERATOR, "cap-sender-not-authorised")
    register(uow)  # allowed to no organisation: the operator still may
    assert receive(uow, flood_alert(), OPERATOR).outcome is CapOutcome.OPENED


def test_a_city_cannot_pre_empt_the_meteorological_services_next_alert(
    uow: UnitOfWork,
) -> None:
    register(uow, MET_SENDER, allow=("yrd-committee",))
    next_id = "34100041600000_20260701120000"
    # Huangshan posts the service's next identifier first, hoping the real one is dropped
    # as "already received".
    forged = alert_from(MET_SENDER, identifier=next_id)
    refused(uow, forged, actor(uow, "ema-341000"), "cap-sender-not-authorised")
    with uow.read_only() as tx:
        assert tx.received_alerts.find(MET_SENDER, next_id) is None
    real = receive(uow, alert_from(MET_SENDER, identifier=next_id), actor(uow, "yrd-committee"))
    assert real.outcome is CapOutcome.OPENED
    assert (real.sender, real.identifier) == (MET_SENDER, next_id)
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(MET_SENDER, next_id)
    assert stored is not None and stored.received_by == "test-yrd-committee"


def test_a_removed_sender_may_be_delivered_by_no_one(uow: UnitOfWork) -> None:
    register(uow, allow=("ema-341000",))
    cap_senders.remove_sender(uow, actor(uow, "yrd-committee"), FLOOD_SENDER, now=T0)
    refused(uow, flood_alert(), actor(uow, "ema-341000"), "cap-sender-not-authorised")
    with uow.read_only() as tx:
        assert [e.action for e in tx.journal.about(f"cap-sender:{FLOOD_SENDER}")][-1] == (
            "cap_sender.removed"
        )


# ---------------------------------------------------------------------------------------
# Signatures


def test_a_signed_alert_that_verifies_is_received(uow: UnitOfWork) -> None:
    key = signing_key()
    register(uow, allow=("ema-341000",), key=key, require_signature=True)
    signed = sign(flood_alert(), key)
    receipt = receive(uow, signed, actor(uow, "ema-341000"))
    assert receipt.outcome is CapOutcome.OPENED
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
        assert stored is not None and stored.id is not None
        assert tx.received_alerts.xml(stored.id) == signed  # the signature is kept


def test_one_byte_changed_after_signing_is_refused(uow: UnitOfWork) -> None:
    key = signing_key()
    register(uow, allow=("ema-341000",), key=key)
    signed = sign(flood_alert(), key)
    tampered = signed.replace(b"Tunxi is expected", b"Tunxi is expectee", 1)
    assert tampered != signed
    error = refused(uow, tampered, actor(uow, "ema-341000"), "cap-signature-invalid")
    assert "Digest mismatch" in error.detail


def test_an_alert_signed_with_another_key_is_refused(uow: UnitOfWork) -> None:
    register(uow, allow=("ema-341000",), key=signing_key())
    forged = sign(flood_alert(), signing_key())  # a key the committee never registered
    refused(uow, forged, actor(uow, "ema-341000"), "cap-signature-invalid")


def test_a_sender_that_requires_signatures_refuses_an_unsigned_alert(uow: UnitOfWork) -> None:
    register(uow, allow=("ema-341000",), key=signing_key(), require_signature=True)
    refused(uow, flood_alert(), actor(uow, "ema-341000"), "cap-signature-required")
    refused(uow, flood_alert(), OPERATOR, "cap-signature-required")


def test_a_signed_alert_of_a_sender_without_certificate_is_refused(uow: UnitOfWork) -> None:
    register(uow, allow=("ema-341000",))
    signed = sign(flood_alert(), signing_key())
    refused(uow, signed, actor(uow, "ema-341000"), "cap-signature-unverifiable")


def test_a_signature_moved_inside_the_alert_is_refused(uow: UnitOfWork) -> None:
    key = signing_key()
    register(uow, allow=("ema-341000",), key=key)
    signed = sign(flood_alert(), key)
    start = signed.index(b"<ds:Signature")
    signature = signed[start : signed.index(b"</ds:Signature>") + len(b"</ds:Signature>")]
    moved = signed.replace(signature, b"").replace(b"</info>", b"</info>" + signature, 1)
    # Still valid CAP, but what the signature covers is no longer the alert as read.
    refused(uow, moved, actor(uow, "ema-341000"), "cap-signature-invalid")
