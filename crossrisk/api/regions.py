"""Regions and jurisdictions, served as GeoJSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from crossrisk.domain.region import Jurisdiction
from crossrisk.http.deps import ActorDep, UowDep
from crossrisk.services import regions

router = APIRouter(prefix="/api", tags=["regions"])


def jurisdiction_feature(jurisdiction: Jurisdiction) -> dict[str, Any]:
    """A jurisdiction as a GeoJSON Feature."""
    return {
        "type": "Feature",
        "id": jurisdiction.code,
        "properties": {
            "code": jurisdiction.code,
            "name_zh": jurisdiction.name_zh,
            "name_en": jurisdiction.name_en,
            "level": jurisdiction.level.value,
            "parent_code": jurisdiction.parent_code,
            "population": jurisdiction.population,
            "member": jurisdiction.member,
        },
        "geometry": dict(jurisdiction.boundary),
    }


@router.get("/regions")
def list_regions(actor: ActorDep, uow: UowDep) -> list[dict[str, str]]:
    """The regions the caller may read."""
    return [
        {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en}
        for r in regions.readable_regions(uow, actor)
    ]


@router.get("/regions/{region_code}/jurisdictions")
def region_jurisdictions(region_code: str, actor: ActorDep, uow: UowDep) -> dict[str, Any]:
    """The member jurisdictions of a region as a GeoJSON FeatureCollection."""
    members = regions.region_members(uow, actor, region_code)
    return {
        "type": "FeatureCollection",
        "features": [jurisdiction_feature(member) for member in members],
    }


@router.get("/jurisdictions/{code}")
def jurisdiction(code: str, actor: ActorDep, uow: UowDep) -> dict[str, Any]:
    """One jurisdiction as a GeoJSON Feature, with its neighbours."""
    found, neighbours = regions.jurisdiction_with_neighbours(uow, actor, code)
    feature = jurisdiction_feature(found)
    feature["properties"]["neighbours"] = [
        {"code": n_code, "border_km": km} for n_code, km in neighbours
    ]
    return feature
