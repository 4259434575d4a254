"""Demo data: one officer per member city, province and office, an evaluator, stations, stocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crossrisk.data import bundled_demo_path
from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.services import stations, stock_sheets, users
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    organisation: str
    name_zh: str
    name_en: str
    exists: bool


def demo_username(organisation_code: str, kind: OrganisationKind) -> str:
    """A username that says who it is: officer-330100, province-330000, yrd-committee …"""
    if kind is OrganisationKind.JURISDICTION:
        return "officer-" + organisation_code.removeprefix("ema-")
    if kind is OrganisationKind.PROVINCE:
        return "province-" + organisation_code.removeprefix("ema-")
    if kind is OrganisationKind.CENTRAL_OFFICE:
        return "central"
    return organisation_code


def demo_accounts(uow: UnitOfWork, *, region_code: str) -> list[DemoAccount]:
    """One account per organisation of the region and the central office."""
    with uow.read_only() as tx:
        members = {j.code for j in tx.regions.summaries(region_code)}
        accounts = []
        for o in tx.organisations.all():
            if not (
                o.region_code == region_code
                or o.jurisdiction_code in members
                or o.kind is OrganisationKind.CENTRAL_OFFICE
            ):
                continue
            username = demo_username(o.code, o.kind)
            exists = tx.organisations.user_by_name(username) is not None
            accounts.append(DemoAccount(username, o.code, o.name_zh, o.name_en, exists))
    return accounts


def seed_demo_account(
    uow: UnitOfWork, actor: Actor, account: DemoAccount, *, password: str, now: datetime
) -> None:
    """Create the account's officer, its organisation's administrator, unless it exists."""
    if account.exists:
        return
    users.add_user(
        uow,
        actor,
        username=account.username,
        password=password,
        organisation_code=account.organisation,
        role=Role.OFFICER,
        display_name=f"{account.name_zh} 值班员",
        admin=True,
        now=now,
    )


def seed_demo_stations(
    uow: UnitOfWork, actor: Actor, *, region_code: str, now: datetime
) -> stations.LoadedStations | None:
    """Add or update the monitoring stations that ship with the region; None if it has none."""
    text = stations.bundled_station_file(region_code)
    if text is None:
        return None
    return stations.load_stations(uow, actor, stations.read_station_file(text), now=now)


def seed_demo_stocks(
    uow: UnitOfWork, actor: Actor, *, region_code: str, now: datetime
) -> stock_sheets.ImportResult | None:
    """Import the demo stocks (data/demo/stocks.csv) once: None when the region has stocks."""
    with uow.read_only() as tx:
        if tx.stocks.of_region(region_code):
            return None
    data = bundled_demo_path("stocks.csv").read_bytes()
    return stock_sheets.import_stocks(uow, actor, region_code, data, now=now)
