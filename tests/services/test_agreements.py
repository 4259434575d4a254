"""Agreements: drafted by the committee, signed by each party and the committee, amended as
a new version; on both backends, each change journaled and announced."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from crossrisk.domain.agreements.agreement import AgreementState, Obligation, ObligationKind
from crossrisk.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.services import agreements
from crossrisk.store.models import AgreementRow, AgreementSignatureRow
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import (
    COMMITTEE,
    HANGZHOU,
    HUANGSHAN,
    PARTIES,
    QUZHOU,
    mutual_aid,
)
from tests.support import T0, actor, row_counts


def journal(uow: UnitOfWork, prefix: str = "agreement.") -> list[tuple[str, dict]]:
    with uow.read_only() as tx:
        return [
            (e.action, dict(e.payload)) for e in tx.journal.entries() if e.action.startswith(prefix)
        ]


def drafted(uow: UnitOfWork, **changes: object):  # type: ignore[no-untyped-def]
    return agreements.draft_agreement(
        uow, actor(uow, COMMITTEE), "yrd", mutual_aid(**changes), now=T0
    )


def signed_by_all(uow: UnitOfWork, agreement_id: int, hours: int = 1):  # type: ignore[no-untyped-def]
    result = None
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        result = agreements.sign_agreement(
            uow, actor(uow, party), agreement_id, now=T0 + timedelta(hours=hours, minutes=n)
        )
    return result


def test_the_committee_drafts_an_agreement_awaiting_every_signature(stations: UnitOfWork) -> None:
    seen: list[Event] = []
    stations.bus.subscribe(seen.append)

    made = drafted(stations)

    assert (made.number, made.version, made.state) == (1, 1, AgreementState.SIGNING)
    assert made.signatories == (*PARTIES, COMMITTEE)
    assert made.unsigned == made.signatories
    read = agreements.get_agreement(stations, actor(stations, HUANGSHAN), made.id or 0)
    assert read.text.obligations[0].item_code == "sandbag"
    ((action, payload),) = journal(stations)
    assert action == "agreement.drafted" and payload["text"]["parties"] == list(PARTIES)
    assert [e.name for e in seen] == ["agreement.drafted"] and seen[0].region_code == "yrd"


def test_it_comes_into_force_when_the_last_party_signs(stations: UnitOfWork) -> None:
    made = drafted(stations)
    first = agreements.sign_agreement(stations, actor(stations, HANGZHOU), made.id or 0, now=T0)
    assert first.state is AgreementState.SIGNING and first.unsigned == (
        HUANGSHAN,
        QUZHOU,
        COMMITTEE,
    )

    done = signed_by_all_but(stations, made.id or 0, skip=HANGZHOU)

    assert done.state is AgreementState.IN_FORCE and done.in_force_at is not None
    assert [s.organisation_code for s in done.signatures] == [*PARTIES, COMMITTEE]
    actions = [action for action, _ in journal(stations)]
    assert actions.count("agreement.signed") == 4 and actions[-1] == "agreement.in_force"


def signed_by_all_but(uow: UnitOfWork, agreement_id: int, *, skip: str):  # type: ignore[no-untyped-def]
    result = None
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        if party != skip:
            result = agreements.sign_agreement(
                uow, actor(uow, party), agreement_id, now=T0 + timedelta(minutes=n)
            )
    return result


@pytest.mark.parametrize(
    ("signer", "role", "error", "key"),
    [
        ("ema-310000", Role.OFFICER, NotPermitted, "agreement-not-a-party"),
        (HANGZHOU, Role.VIEWER, NotPermitted, "agreement-sign-viewer"),
    ],
)
def test_only_an_officer_of_a_party_signs(
    stations: UnitOfWork, signer: str, role: Role, error: type[Exception], key: str
) -> None:
    made = drafted(stations)
    before = len(journal(stations, ""))

    with pytest.raises(error) as refused:
        agreements.sign_agreement(stations, actor(stations, signer, role), made.id or 0, now=T0)

    assert refused.value.key == key  # type: ignore[attr-defined]
    assert len(journal(stations, "")) == before
    assert (
        agreements.get_agreement(stations, actor(stations, COMMITTEE), made.id or 0).signatures
        == ()
    )


def test_a_party_signs_once(stations: UnitOfWork) -> None:
    made = drafted(stations)
    agreements.sign_agreement(stations, actor(stations, HANGZHOU), made.id or 0, now=T0)
    with pytest.raises(Conflict) as refused:
        agreements.sign_agreement(stations, actor(stations, HANGZHOU), made.id or 0, now=T0)
    assert refused.value.key == "agreement-signed-already"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"parties": ()}, "agreement-no-parties"),
        ({"parties": (HANGZHOU, "ema-440300")}, "agreement-party-not-member"),
        ({"valid_until": date(2026, 6, 30)}, "agreement-validity-reversed"),
        ({"obligations": ()}, "agreement-no-obligations"),
        ({"title": " "}, "text-empty"),
        ({"title": "协议\x00"}, "text-control"),
        (
            {
                "obligations": (
                    Obligation(HANGZHOU, ObligationKind.KEEP_RESERVE, item_code="gold", quantity=1),
                )
            },
            "agreement-obligation-item",
        ),
        (
            {
                "obligations": (
                    Obligation(
                        HANGZHOU, ObligationKind.KEEP_RESERVE, item_code="sandbag", quantity=-5
                    ),
                )
            },
            "agreement-obligation-figure",
        ),
        (
            {
                "obligations": (
                    Obligation(
                        HANGZHOU, ObligationKind.MAINTAIN_GAUGE, station_code="tunxi", hours=6
                    ),
                )
            },
            "agreement-obligation-station",
        ),
        (
            {
                "obligations": (
                    Obligation(
                        HANGZHOU, ObligationKind.MAINTAIN_GAUGE, station_code="nowhere", hours=6
                    ),
                )
            },
            "agreement-obligation-station",
        ),
        (
            {"obligations": (Obligation("ema-310000", ObligationKind.REPORT_WITHIN, minutes=30),)},
            "agreement-obligation-party",
        ),
        (
            {"obligations": (Obligation(HANGZHOU, ObligationKind.REPORT_WITHIN, minutes=0),)},
            "agreement-obligation-figure",
        ),
    ],
)
def test_a_bad_draft_is_refused_and_nothing_written(
    stations: UnitOfWork, database_url: str, changes: dict, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        drafted(stations, **changes)

    assert refused.value.key == key
    assert row_counts(database_url, AgreementRow, AgreementSignatureRow) == (0, 0)
    assert journal(stations) == []


def test_a_city_may_not_draft(stations: UnitOfWork, database_url: str) -> None:
    with pytest.raises(NotPermitted) as refused:
        agreements.draft_agreement(stations, actor(stations, HANGZHOU), "yrd", mutual_aid(), now=T0)
    assert refused.value.key == "agreement-draft-not-permitted"
    assert row_counts(database_url, AgreementRow) == (0,)


def test_an_amendment_is_a_new_version_and_supersedes_only_once_in_force(
    stations: UnitOfWork,
) -> None:
    first = drafted(stations)
    signed_by_all(stations, first.id or 0)
    committee = actor(stations, COMMITTEE)

    amendment = agreements.amend_agreement(
        stations,
        committee,
        first.id or 0,
        mutual_aid(title="杭州、黄山、衢州跨域应急互助协议（修订）"),
        now=T0 + timedelta(days=1),
    )

    assert (amendment.number, amendment.version, amendment.state) == (1, 2, AgreementState.SIGNING)
    assert (
        agreements.get_agreement(stations, committee, first.id or 0).state
        is AgreementState.IN_FORCE
    )
    with pytest.raises(Conflict) as pending:
        agreements.amend_agreement(stations, committee, first.id or 0, mutual_aid(), now=T0)
    assert pending.value.key == "agreement-amendment-pending"

    signed_by_all(stations, amendment.id or 0, hours=30)

    old = agreements.get_agreement(stations, committee, first.id or 0)
    assert old.state is AgreementState.SUPERSEDED and old.superseded_at is not None
    versions = agreements.versions_of(stations, committee, first.id or 0)
    assert [(v.version, v.state) for v in versions] == [
        (1, AgreementState.SUPERSEDED),
        (2, AgreementState.IN_FORCE),
    ]
    superseded = [p for a, p in journal(stations) if a == "agreement.superseded"]
    assert superseded == [
        {
            "agreement_id": first.id,
            "number": 1,
            "version": 1,
            "state": "superseded",
            "by_version": 2,
        }
    ]


def test_an_agreement_not_in_force_is_not_amended(stations: UnitOfWork) -> None:
    made = drafted(stations)
    with pytest.raises(Conflict) as refused:
        agreements.amend_agreement(
            stations, actor(stations, COMMITTEE), made.id or 0, mutual_aid(), now=T0
        )
    assert refused.value.key == "agreement-not-in-force"
    assert len(agreements.list_agreements(stations, actor(stations, COMMITTEE))) == 1


def test_another_region_reads_no_agreement(stations: UnitOfWork) -> None:
    made = drafted(stations)
    outsider = actor(stations, "pearl-committee")
    with pytest.raises(NotFound):
        agreements.get_agreement(stations, outsider, made.id or 0)
    assert agreements.list_agreements(stations, outsider) == []


def test_a_draft_keeps_its_parties_once_each(stations: UnitOfWork) -> None:
    made = drafted(stations, parties=(HANGZHOU, HUANGSHAN, QUZHOU, HANGZHOU))
    assert made.text.parties == PARTIES
    assert replace(made.text, parties=PARTIES) == made.text
