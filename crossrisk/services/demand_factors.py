"""A region's demand factors: the bundled Sphere set (version 0) and the committee's versions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from crossrisk.data import policy_table
from crossrisk.domain.aid.demand_factors import FactorSet, factor_set_from_table
from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_coordinate, require_read_region
from crossrisk.domain.risk import check_text
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import Transaction, UnitOfWork

NOTE_MAX = 500
VERSION_MAX = 2**31 - 1


@cache
def bundled_factors() -> FactorSet:
    """The Sphere Handbook (2018) factors shipped with the platform: every region's version 0."""
    return factor_set_from_table(
        policy_table("demand_factors.toml"), catalogue=aid_catalogue(), region_code=None, version=0
    )


def factors_in(tx: Transaction, region_code: str, version: int | None = None) -> FactorSet:
    """The region's factors of a version (its newest when None), in an open transaction."""
    if version is None:
        version = tx.demand_factors.latest_version(region_code)
    if version == 0:
        bundled = bundled_factors()
        return FactorSet(
            region_code=region_code,
            version=0,
            source=bundled.source,
            edition=bundled.edition,
            factors=bundled.factors,
            default_displaced_share=bundled.default_displaced_share,
            default_days=bundled.default_days,
        )
    stored = tx.demand_factors.get(region_code, version) if 0 < version <= VERSION_MAX else None
    if stored is None:
        raise NotFound(
            f"region {region_code} has no demand factors of version {version}",
            key="demand-factors-not-found",
            params={"version": version},
        )
    return factor_set_from_table(
        stored.table,
        catalogue=aid_catalogue(),
        region_code=region_code,
        version=version,
        saved_by=stored.saved_by,
        saved_at=stored.saved_at,
        note=stored.note,
    )


def demand_factors(
    uow: UnitOfWork, actor: Actor, region_code: str, *, version: int | None = None
) -> FactorSet:
    """A region's demand factors, its newest version unless another is asked for."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        return factors_in(tx, region_code, version)


def factor_versions(uow: UnitOfWork, actor: Actor, region_code: str) -> list[FactorSet]:
    """Every version of a region's factors, version 0 (the bundled set) first."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        newest = tx.demand_factors.latest_version(region_code)
        return [factors_in(tx, region_code, v) for v in range(newest + 1)]


def save_demand_factors(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    table: Mapping[str, Any],
    *,
    note: str = "",
    now: datetime,
) -> FactorSet:
    """The committee saves a new version of the region's factors; earlier ones are kept."""
    note = check_text("note", note, limit=NOTE_MAX, required=False) if note else ""
    with uow as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        require_coordinate(actor, region_code)
        # Two committee officers saving at once: the unique (region, version) refuses one.
        version = tx.demand_factors.latest_version(region_code) + 1
        checked = factor_set_from_table(
            table,
            catalogue=aid_catalogue(),
            region_code=region_code,
            version=version,
            saved_by=actor.username,
            saved_at=now,
            note=note,
        )
        stored = checked.table()
        tx.demand_factors.add(
            region_code,
            version=version,
            table=stored,
            note=note,
            saved_by=actor.username,
            saved_at=now,
        )
        tx.record(
            actor,
            "demand_factors.changed",
            subject=f"region:{region_code}",
            payload={
                "region": region_code,
                "version": version,
                "note": note,
                "factors": {
                    f.code: {"amount": f.amount, "applies_to": f.applies_to.value}
                    for f in checked.factors
                },
            },
            region_code=region_code,
            now=now,
        )
        tx.commit()
    return checked
