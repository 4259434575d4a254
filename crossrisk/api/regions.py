"""Regions and jurisdictions, served as GeoJSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from crossrisk.domain.region import Jurisdiction
from crossrisk.geo.places import QUERY_MAX
from crossrisk.geo.river import RiverNetwork
from crossrisk.http.deps import ActorDep, UowDep
from crossrisk.services import places, regions

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
    labels = {
        summary.code: [summary.label_lon, summary.label_lat]
        for summary in regions.region_summaries(uow, actor, region_code)
    }
    features = [jurisdiction_feature(member) for member in members]
    for feature in features:
        # Where the map writes the name: inside the city's largest part (geo/labels.py).
        feature["properties"]["label"] = labels.get(feature["id"])
    return {"type": "FeatureCollection", "features": features}


@router.get("/jurisdictions/{code}")
def jurisdiction(code: str, actor: ActorDep, uow: UowDep) -> dict[str, Any]:
    """One jurisdiction as a GeoJSON Feature, with its neighbours."""
    found, neighbours = regions.jurisdiction_with_neighbours(uow, actor, code)
    feature = jurisdiction_feature(found)
    feature["properties"]["neighbours"] = [
        {"code": n_code, "border_km": km} for n_code, km in neighbours
    ]
    return feature


# The bundled rivers change only with a new release: browsers may keep them an hour and
# then ask again with the ETag. Private, because only a reader of the region may have them.
RIVERS_CACHE_CONTROL = "private, max-age=3600"
_river_documents: dict[int, tuple[bytes, str]] = {}


def _rivers_document(network: RiverNetwork) -> tuple[bytes, str]:
    """The network as a GeoJSON FeatureCollection of named lines, and its ETag (cached)."""
    cached = _river_documents.get(id(network))
    if cached is not None:
        return cached
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": edge.id,
                "properties": {
                    "river": edge.river,
                    "name_zh": edge.name_zh,
                    "name_en": edge.name_en,
                },
                "geometry": {"type": "LineString", "coordinates": edge.coords.round(5).tolist()},
            }
            for edge in network.edges
        ],
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    built = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    _river_documents.clear()  # one network per region and release: keep the newest only
    _river_documents[id(network)] = built
    return built


@router.get(
    "/regions/{region_code}/rivers",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def region_rivers(region_code: str, request: Request, actor: ActorDep, uow: UowDep) -> Response:
    """The region's bundled river network as GeoJSON lines with their names (cacheable)."""
    body, etag = _rivers_document(places.river_network(uow, actor, region_code))
    headers = {"ETag": etag, "Cache-Control": RIVERS_CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/geo+json", headers=headers)


@router.get("/regions/{region_code}/rivers/nearest")
def region_nearest_river(
    region_code: str,
    actor: ActorDep,
    uow: UowDep,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> dict[str, Any]:
    """The river nearest a point and its distance in km, as the river model snaps sources."""
    found = places.nearest_river(uow, actor, region_code, lon, lat)
    return {**asdict(found), "distance_km": round(found.distance_km, 3)}


@router.get("/regions/{region_code}/places")
def region_places(
    region_code: str,
    actor: ActorDep,
    uow: UowDep,
    q: Annotated[str, Query(min_length=1, max_length=QUERY_MAX)],
) -> list[dict[str, Any]]:
    """The region's cities, counties, gauges and rivers whose name or code matches."""
    return [
        {
            "kind": place.kind,
            "code": place.code,
            "name_zh": place.name_zh,
            "name_en": place.name_en,
            "lon": place.lon,
            "lat": place.lat,
            "bounds": list(place.bounds),
            # A county's city: "屯溪区（黄山市）" tells it from a namesake in another city.
            "city_code": place.city_code,
            "city_zh": place.city_zh,
            "city_en": place.city_en,
        }
        for place in places.find_places(uow, actor, region_code, q)
    ]
