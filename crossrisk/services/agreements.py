"""Governance agreements: drafted and amended by the committee, signed by each party.

An agreement is in force once every party and the committee (as coordinator) signed it;
an amendment is a new version of the same number, signed again, and the version in force
is superseded only when the amendment comes into force.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crossrisk.domain.agreements.agreement import (
    Agreement,
    AgreementDraft,
    AgreementState,
    check_draft,
    require_amendable,
)
from crossrisk.domain.errors import NotFound, NotPermitted
from crossrisk.domain.monitoring.station import Station
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.domain.permissions.agreements import can_draft_agreement, can_sign_agreement
from crossrisk.domain.permissions.regions import (
    can_read_region,
    regions_to_list,
    require_read_region,
)
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.repositories.agreements import obligation_dict
from crossrisk.store.uow import Transaction, UnitOfWork


def list_agreements(
    uow: UnitOfWork, actor: Actor, *, region_code: str | None = None
) -> list[Agreement]:
    """The agreements the actor reads (of one region, if given), newest first."""
    with uow.read_only() as tx:
        regions = regions_to_list(actor, region_code)
        return tx.agreements.listed(region_codes=regions)


def get_agreement(uow: UnitOfWork, actor: Actor, agreement_id: int) -> Agreement:
    """One version of an agreement, for whoever reads its region."""
    with uow.read_only() as tx:
        return load(tx, actor, agreement_id)


def versions_of(uow: UnitOfWork, actor: Actor, agreement_id: int) -> list[Agreement]:
    """Every version of the agreement's series, oldest first."""
    with uow.read_only() as tx:
        agreement = load(tx, actor, agreement_id)
        return tx.agreements.series(agreement.region_code, agreement.number)


def load(
    tx: Transaction, actor: Actor, agreement_id: int, *, for_update: bool = False
) -> Agreement:
    """The agreement if the actor reads its region; NotFound rather than NotPermitted else."""
    agreement = tx.agreements.get(agreement_id, for_update=for_update)
    if not can_read_region(actor, agreement.region_code):
        # An outsider learns no more than that there is no such agreement for it.
        raise NotFound(
            f"no agreement {agreement_id}",
            key="agreement-not-found",
            params={"agreement": agreement_id},
        )
    return agreement


def draft_agreement(
    uow: UnitOfWork, actor: Actor, region_code: str, draft: AgreementDraft, *, now: datetime
) -> Agreement:
    """The committee drafts an agreement: number 1 of a new series, awaiting signatures."""
    with uow as tx:
        _require_draft(actor, region_code)
        tx.regions.get(region_code)
        agreement = Agreement(
            id=None,
            region_code=region_code,
            number=tx.agreements.next_number(region_code),
            version=1,
            state=AgreementState.SIGNING,
            text=_checked(tx, region_code, draft),
            coordinator=coordinator_of(tx, region_code),
            drafted_by=actor.username,
            drafted_at=now,
        )
        agreement = tx.agreements.add(agreement)
        _record(tx, actor, "agreement.drafted", agreement, now=now, text=True)
        tx.commit()
    return agreement


def amend_agreement(
    uow: UnitOfWork, actor: Actor, agreement_id: int, draft: AgreementDraft, *, now: datetime
) -> Agreement:
    """The committee amends an agreement in force: a new version to be signed again."""
    with uow as tx:
        current = load(tx, actor, agreement_id, for_update=True)
        _require_draft(actor, current.region_code)
        series = tx.agreements.series(current.region_code, current.number)
        require_amendable(current, pending=any(v.state is AgreementState.SIGNING for v in series))
        amendment = tx.agreements.add(
            replace(
                current,
                id=None,
                version=max(v.version for v in series) + 1,
                state=AgreementState.SIGNING,
                text=_checked(tx, current.region_code, draft),
                coordinator=coordinator_of(tx, current.region_code),
                drafted_by=actor.username,
                drafted_at=now,
                signatures=(),
                in_force_at=None,
                superseded_at=None,
                obligation_status={},
                checked_at=None,
            )
        )
        _record(tx, actor, "agreement.amended", amendment, now=now, text=True, amends=current.id)
        tx.commit()
    return amendment


def sign_agreement(uow: UnitOfWork, actor: Actor, agreement_id: int, *, now: datetime) -> Agreement:
    """An officer signs for its organisation; the last signature puts the version in force."""
    with uow as tx:
        agreement = load(tx, actor, agreement_id, for_update=True)
        party = actor.organisation.code
        if party in agreement.signatories and not can_sign_agreement(actor, party):
            raise NotPermitted(
                f"{actor.username} is a viewer; only an officer signs for {party}",
                key="agreement-sign-viewer",
                params={"organisation": party},
            )
        signed = tx.agreements.save(agreement.signed(party, by=actor.username, now=now))
        _record(tx, actor, "agreement.signed", signed, now=now, organisation=party)
        if signed.state is AgreementState.IN_FORCE:
            _supersede_earlier(tx, actor, signed, now=now)
            _record(tx, actor, "agreement.in_force", signed, now=now)
        tx.commit()
    return signed


def _supersede_earlier(tx: Transaction, actor: Actor, signed: Agreement, *, now: datetime) -> None:
    for earlier in tx.agreements.series(signed.region_code, signed.number):
        if earlier.state is AgreementState.IN_FORCE and earlier.version < signed.version:
            done = tx.agreements.save(
                replace(earlier, state=AgreementState.SUPERSEDED, superseded_at=now)
            )
            _record(tx, actor, "agreement.superseded", done, now=now, by_version=signed.version)


@dataclass(frozen=True, slots=True)
class DraftingChoices:
    """What a draft of the region may name: its member cities' organisations and stations."""

    parties: list[Organisation]
    stations: list[Station]
    coordinator: str


def drafting_choices(uow: UnitOfWork, actor: Actor, region_code: str) -> DraftingChoices:
    """The parties and stations a draft of the region may name, for the draft form."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        tx.regions.get(region_code)
        by_jurisdiction = member_organisations(tx, region_code)
        return DraftingChoices(
            parties=[
                tx.organisations.get(by_jurisdiction[code]) for code in sorted(by_jurisdiction)
            ],
            stations=[
                s
                for s in tx.stations.list(region_codes=[region_code])
                if s.jurisdiction_code in by_jurisdiction
            ],
            coordinator=coordinator_of(tx, region_code),
        )


def coordinator_of(tx: Transaction, region_code: str) -> str:
    """The organisation code of the region's coordination body, which signs as coordinator."""
    for organisation in tx.organisations.of_kind(OrganisationKind.COORDINATION_BODY):
        if organisation.region_code == region_code:
            return organisation.code
    raise NotFound(
        f"region {region_code} has no coordination body",
        key="agreement-no-coordinator",
        params={"region": region_code},
    )


def _require_draft(actor: Actor, region_code: str) -> None:
    if not can_draft_agreement(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} drafts and amends its agreements",
            key="agreement-draft-not-permitted",
            params={"region": region_code},
        )


def member_organisations(tx: Transaction, region_code: str) -> dict[str, str]:
    """The organisation code of each member city of the region, by jurisdiction code."""
    members = {j.code for j in tx.regions.members(region_code)}
    return {
        o.jurisdiction_code: o.code
        for o in tx.organisations.of_kind(OrganisationKind.JURISDICTION)
        if o.jurisdiction_code in members
    }


def _checked(tx: Transaction, region_code: str, draft: AgreementDraft) -> AgreementDraft:
    if not draft.accountability.reviewer:
        # A text that names no reviewer leaves the review to the coordinator.
        draft = replace(
            draft,
            accountability=replace(draft.accountability, reviewer=coordinator_of(tx, region_code)),
        )
    by_jurisdiction = member_organisations(tx, region_code)
    stations = {
        s.code: by_jurisdiction.get(s.jurisdiction_code, "")
        for s in tx.stations.list(region_codes=[region_code])
    }
    return check_draft(
        draft,
        members=set(by_jurisdiction.values()),
        organisations={o.code for o in tx.organisations.all()},
        items=aid_catalogue().codes,
        stations=stations,
    )


def text_payload(text: AgreementDraft) -> dict[str, Any]:
    """The agreement's text as the journal keeps it and the API shows it."""
    return {
        "title": text.title,
        "title_en": text.title_en,
        "subject": text.subject,
        "subject_en": text.subject_en,
        "parties": list(text.parties),
        "obligations": [obligation_dict(o) for o in text.obligations],
        "compensation": text.compensation.as_dict(),
        "accountability": {
            "reviewer": text.accountability.reviewer,
            "outcomes": [o.value for o in text.accountability.outcomes],
            "statement_days": text.accountability.statement_days,
            "penalty_yuan": text.accountability.penalty_yuan,
        },
        "valid_from": text.valid_from.isoformat(),
        "valid_until": None if text.valid_until is None else text.valid_until.isoformat(),
    }


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    agreement: Agreement,
    *,
    now: datetime,
    text: bool = False,
    **extra: Any,
) -> None:
    payload: dict[str, Any] = {
        "agreement_id": agreement.id,
        "number": agreement.number,
        "version": agreement.version,
        "state": agreement.state.value,
        **extra,
    }
    if text:
        payload["text"] = text_payload(agreement.text)
    tx.record(
        actor,
        action,
        subject=f"agreement:{agreement.id}",
        payload=payload,
        region_code=agreement.region_code,
        now=now,
    )
