"""Loading a region with its organisations, and reading jurisdictions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shapely.geometry import shape

from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.journal import canonical_json
from crossrisk.domain.organisation import (
    Actor,
    Organisation,
    OrganisationKind,
    province_organisation_code,
)
from crossrisk.domain.permissions.regions import (
    can_read_region,
    require_operator,
    require_read_region,
)
from crossrisk.domain.region import (
    Jurisdiction,
    JurisdictionLevel,
    JurisdictionSummary,
    Region,
    RegionSpec,
)
from crossrisk.domain.risk import RiskCategory
from crossrisk.geo.jurisdiction_index import JurisdictionIndex
from crossrisk.store.uow import UnitOfWork

# Called once per step of a load: "index", "adjacency", then each jurisdiction's code.
Progress = Callable[[str], None]

CENTRAL_OFFICE = Organisation(
    code="central-office",
    kind=OrganisationKind.CENTRAL_OFFICE,
    name_zh="中央跨域风险协调办公室",
    name_en="Central Cross-jurisdiction Risk Coordination Office",
)

# The committee's domain offices (专项办公室), one per category of 突发事件.
DOMAIN_OFFICES = {
    RiskCategory.NATURAL_DISASTER: ("自然灾害专项办公室", "Natural Disaster Office"),
    RiskCategory.PUBLIC_HEALTH: ("公共卫生专项办公室", "Public Health Office"),
    RiskCategory.ACCIDENT_DISASTER: ("事故灾难专项办公室", "Accident Disaster Office"),
    RiskCategory.SOCIAL_SECURITY: ("社会安全专项办公室", "Social Security Office"),
}


@dataclass(frozen=True, slots=True)
class LoadedRegion:
    code: str
    jurisdictions: int
    members: int
    adjacent_pairs: int
    organisations: int


def region_organisations(spec: RegionSpec) -> list[Organisation]:
    """The organisations a region brings: a bureau per member, its committee and offices."""
    organisations = [
        Organisation(
            code=f"ema-{member.code}",
            kind=OrganisationKind.JURISDICTION,
            name_zh=f"{member.name_zh}应急管理局",
            name_en=f"{member.name_en} Emergency Management Bureau",
            jurisdiction_code=member.code,
        )
        for member in spec.members
    ]
    organisations.extend(province_organisations(spec))
    organisations.append(
        Organisation(
            code=f"{spec.code}-committee",
            kind=OrganisationKind.COORDINATION_BODY,
            name_zh=f"{spec.name_zh}跨域风险协同治理联席会议办公室",
            name_en=f"{spec.name_en} Joint Committee Office",
            region_code=spec.code,
        )
    )
    organisations.extend(
        Organisation(
            code=f"{spec.code}-office-{category.value.replace('_', '-')}",
            kind=OrganisationKind.DOMAIN_OFFICE,
            name_zh=f"{spec.name_zh}{name_zh}",
            name_en=f"{spec.name_en} {name_en}",
            region_code=spec.code,
            category=category.value,
        )
        for category, (name_zh, name_en) in DOMAIN_OFFICES.items()
    )
    organisations.append(
        Organisation(
            code=f"{spec.code}-evaluator",
            kind=OrganisationKind.EVALUATOR,
            name_zh=f"{spec.name_zh}第三方评估机构",
            name_en=f"{spec.name_en} Third-party Evaluator",
            region_code=spec.code,
        )
    )
    return organisations


def province_organisations(spec: RegionSpec) -> list[Organisation]:
    """An emergency management department for each province that has member cities.

    A province-level municipality (Shanghai) is a member itself and has no province above
    it in the region, so it gets none.
    """
    parents = {m.parent_code for m in spec.members if m.parent_code}
    return [
        Organisation(
            code=province_organisation_code(j.code),
            kind=OrganisationKind.PROVINCE,
            name_zh=f"{j.name_zh}应急管理厅",
            name_en=f"{j.name_en} Provincial Department of Emergency Management",
            jurisdiction_code=j.code,
            region_code=spec.code,
        )
        for j in spec.jurisdictions
        if j.level is JurisdictionLevel.PROVINCE and j.code in parents and not j.member
    ]


def load_region(
    uow: UnitOfWork,
    actor: Actor,
    spec: RegionSpec,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> LoadedRegion:
    """Load (or reload) a region: jurisdictions, membership, adjacency and organisations."""
    report = progress or (lambda _step: None)
    require_operator(actor)
    report("index")
    members = spec.members
    index = JurisdictionIndex([m.code for m in members], [shape(m.boundary) for m in members])
    report("adjacency")
    adjacency = index.adjacency()
    organisations = region_organisations(spec)
    with uow as tx:
        tx.regions.save(spec, adjacency, on_saved=report)
        tx.organisations.upsert(CENTRAL_OFFICE)
        for organisation in organisations:
            tx.organisations.upsert(organisation)
        tx.record(
            actor,
            "region.loaded",
            subject=f"region:{spec.code}",
            payload={
                "region": spec.code,
                "jurisdictions": len(spec.jurisdictions),
                "members": [m.code for m in members],
                "adjacent_pairs": len(adjacency),
                "boundaries_sha256": _digest(spec.jurisdictions),
            },
            region_code=spec.code,
            now=now,
        )
        tx.commit()
    return LoadedRegion(
        code=spec.code,
        jurisdictions=len(spec.jurisdictions),
        members=len(members),
        adjacent_pairs=len(adjacency),
        organisations=len(organisations) + 1,
    )


def region_members(uow: UnitOfWork, actor: Actor, region_code: str) -> list[Jurisdiction]:
    """The member jurisdictions of a region, for anyone who may read it."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        tx.regions.get(region_code)
        return tx.regions.members(region_code)


def region_summaries(uow: UnitOfWork, actor: Actor, region_code: str) -> list[JurisdictionSummary]:
    """The member jurisdictions of a region without boundaries: names, population, label."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        tx.regions.get(region_code)
        return tx.regions.summaries(region_code)


def organisations(uow: UnitOfWork, actor: Actor) -> list[Organisation]:
    """Every organisation, for showing names where records give codes (names are public)."""
    del actor  # any logged-in actor may
    with uow.read_only() as tx:
        return tx.organisations.all()


def readable_regions(uow: UnitOfWork, actor: Actor) -> list[Region]:
    """The regions whose records the actor may read."""
    with uow.read_only() as tx:
        return [r for r in tx.regions.all() if can_read_region(actor, r.code)]


def jurisdiction_with_neighbours(
    uow: UnitOfWork, actor: Actor, code: str
) -> tuple[Jurisdiction, list[tuple[str, float]]]:
    """A jurisdiction and the ones sharing a border with it (km of shared border)."""
    with uow.read_only() as tx:
        jurisdiction = tx.regions.jurisdiction(code)
        regions = tx.regions.regions_of(code)
        if regions and not any(can_read_region(actor, r) for r in regions):
            raise NotPermitted(f"{actor.organisation.code} may not read jurisdiction {code}")
        return jurisdiction, tx.regions.neighbours(code)


def is_loaded_as(uow: UnitOfWork, spec: RegionSpec) -> bool:
    """True when the region's last load was of exactly these jurisdictions and boundaries."""
    with uow.read_only() as tx:
        loads = [e for e in tx.journal.about(f"region:{spec.code}") if e.action == "region.loaded"]
    return bool(loads) and loads[-1].payload.get("boundaries_sha256") == _digest(spec.jurisdictions)


def _digest(jurisdictions: tuple[Jurisdiction, ...]) -> str:
    # The names count too: a region loaded before same-named cities were told apart
    # ("Suzhou (Anhui)") is loaded again, and with it each city's label point.
    body = canonical_json(
        [
            [j.code, j.name_zh, j.name_en, j.population, j.boundary]
            for j in sorted(jurisdictions, key=lambda j: j.code)
        ]
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
