"""Demo accounts: one officer per member city, per office, and an evaluator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    organisation: str
    name_zh: str
    name_en: str


def demo_username(organisation_code: str, kind: OrganisationKind) -> str:
    """A username that says who it is: officer-330100, yrd-committee, central …"""
    if kind is OrganisationKind.JURISDICTION:
        return "officer-" + organisation_code.removeprefix("ema-")
    if kind is OrganisationKind.CENTRAL_OFFICE:
        return "central"
    return organisation_code


def seed_demo_accounts(
    uow: UnitOfWork, actor: Actor, *, region_code: str, password: str, now: datetime
) -> list[DemoAccount]:
    """Create an officer for every organisation of the region that has none yet."""
    with uow:
        organisations = [
            o
            for o in uow.organisations.all()
            if o.region_code == region_code
            or o.kind is OrganisationKind.CENTRAL_OFFICE
            or (o.jurisdiction_code and region_code in uow.regions.regions_of(o.jurisdiction_code))
        ]
        existing = {
            o.code
            for o in organisations
            if uow.organisations.user_by_name(demo_username(o.code, o.kind))
        }
    accounts = []
    for organisation in organisations:
        username = demo_username(organisation.code, organisation.kind)
        if organisation.code not in existing:
            users.add_user(
                uow,
                actor,
                username=username,
                password=password,
                organisation_code=organisation.code,
                role=Role.OFFICER,
                display_name=f"{organisation.name_zh} 值班员",
                now=now,
            )
        accounts.append(
            DemoAccount(username, organisation.code, organisation.name_zh, organisation.name_en)
        )
    return accounts
