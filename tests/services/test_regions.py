"""Loading regions and their organisations, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy

import pytest
from shapely.geometry import shape as shape_of

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import OrganisationKind, system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.services import regions
from crossrisk.store.uow import UnitOfWork
from tests.support import OTHER_REGION, T0, actor, point

# Two square counties side by side and one across the water: a county-level region.
COUNTIES = {
    "type": "FeatureCollection",
    "region": {"code": "lake", "name_zh": "湖区", "name_en": "Lake district"},
    "features": [
        {
            "type": "Feature",
            "properties": {"code": code, "name_zh": name, "level": "county", "population": 1000},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for code, name, ring in [
            ("450101", "东县", [[108, 20], [108.5, 20], [108.5, 20.5], [108, 20.5], [108, 20]]),
            ("450102", "西县", [[108.5, 20], [109, 20], [109, 20.5], [108.5, 20.5], [108.5, 20]]),
            ("450103", "岛县", [[110, 20], [110.2, 20], [110.2, 20.2], [110, 20.2], [110, 20]]),
        ]
    ],
}


def test_bundled_region_has_41_members_and_their_organisations(uow: UnitOfWork) -> None:
    with uow.read_only() as tx:
        members = tx.regions.members("yrd")
        organisations = tx.organisations.all()
    assert len(members) == 41
    assert sum(m.population or 0 for m in members) == 235_213_670
    kinds = [
        o.kind
        for o in organisations
        if o.region_code == "yrd" or o.jurisdiction_code in {m.code for m in members}
    ]
    assert kinds.count(OrganisationKind.JURISDICTION) == 41
    assert kinds.count(OrganisationKind.COORDINATION_BODY) == 1
    assert kinds.count(OrganisationKind.DOMAIN_OFFICE) == 4
    assert kinds.count(OrganisationKind.EVALUATOR) == 1
    assert any(o.kind is OrganisationKind.CENTRAL_OFFICE for o in organisations)


def test_hierarchy_puts_cities_under_their_provinces(uow: UnitOfWork) -> None:
    with uow.read_only() as tx:
        hangzhou = tx.regions.jurisdiction("330100")
        shanghai = tx.regions.jurisdiction("310000")
        zhejiang = tx.regions.jurisdiction("330000")
    assert hangzhou.parent_code == "330000"
    assert shanghai.parent_code is None
    assert zhejiang.member is False


@pytest.mark.parametrize(
    "a, b", [("310000", "320500"), ("310000", "330400"), ("330100", "341000"), ("320100", "340500")]
)
def test_neighbours_share_a_border(uow: UnitOfWork, a: str, b: str) -> None:
    _, neighbours = regions.jurisdiction_with_neighbours(uow, actor(uow, "yrd-committee"), a)
    lengths = dict(neighbours)
    assert lengths[b] > 5  # km


def test_cities_that_only_look_close_are_not_neighbours(uow: UnitOfWork) -> None:
    _, neighbours = regions.jurisdiction_with_neighbours(uow, actor(uow, "yrd-committee"), "310000")
    assert "330100" not in dict(neighbours)  # Hangzhou is across the bay from Shanghai


def test_county_level_geojson_loads_with_adjacency(uow: UnitOfWork) -> None:
    loaded = regions.load_region(uow, system_actor(), read_region_spec(COUNTIES), now=T0)
    assert (loaded.members, loaded.adjacent_pairs) == (3, 1)
    with uow.read_only() as tx:
        assert tx.regions.neighbours("450101")[0][0] == "450102"
        assert tx.regions.neighbours("450103") == []
        assert tx.organisations.get("lake-committee").kind is OrganisationKind.COORDINATION_BODY


def test_reloading_keeps_one_copy_and_renews_the_index(uow: UnitOfWork) -> None:
    spec = read_region_spec(OTHER_REGION)
    regions.load_region(uow, system_actor(), spec, now=T0)
    with uow.read_only() as tx:
        first = tx.regions.index("pearl")
    moved = copy.deepcopy(OTHER_REGION)
    moved["features"][0]["geometry"]["coordinates"] = [
        [[114, 22], [115, 22], [115, 23], [114, 23], [114, 22]]
    ]
    regions.load_region(uow, system_actor(), read_region_spec(moved), now=T0)
    with uow.read_only() as tx:
        second = tx.regions.index("pearl")
        assert len(tx.regions.members("pearl")) == 1
    assert second is not first
    assert second.boundaries[0].bounds == (114.0, 22.0, 115.0, 23.0)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda c: c.update(type="Feature"), "FeatureCollection"),
        (lambda c: c["features"][0]["properties"].update(code="44"), "6 to 12 digits"),
        (lambda c: c["features"][0]["properties"].update(level="village"), "level 'village'"),
        (
            lambda c: c["features"][0].update(geometry={"type": "Point", "coordinates": [0, 0]}),
            "Polygon or MultiPolygon",
        ),
        (lambda c: c["features"][0]["properties"].update(parent_code="440000"), "not in file"),
        (lambda c: c["features"][0]["properties"].update(population=-5), "population -5"),
        (lambda c: c["region"].update(code="Bad Code"), "region needs a code"),
    ],
)
def test_bad_region_file_is_refused_by_name(mutate, message: str) -> None:
    collection = copy.deepcopy(OTHER_REGION)
    mutate(collection)
    with pytest.raises(InvalidInput, match=message):
        read_region_spec(collection)


def test_surroundings_are_non_members_that_hold_no_member() -> None:
    collection = copy.deepcopy(COUNTIES)
    square = [[111, 20], [111.5, 20], [111.5, 20.5], [111, 20.5], [111, 20]]
    whole = [[108, 20], [109, 20], [109, 20.5], [108, 20.5], [108, 20]]
    collection["features"] += [
        {
            "type": "Feature",
            "properties": {
                "code": "450100",
                "name_zh": "上级市",
                "level": "prefecture",
                "member": False,
            },
            "geometry": {"type": "Polygon", "coordinates": [whole]},
        },
        {
            "type": "Feature",
            "properties": {
                "code": "460100",
                "name_zh": "邻市",
                "level": "prefecture",
                "member": False,
            },
            "geometry": {"type": "Polygon", "coordinates": [square]},
        },
    ]
    collection["features"][0]["properties"]["parent_code"] = "450100"
    spec = read_region_spec(collection)
    assert [j.code for j in spec.surroundings] == ["460100"]


def test_bundled_region_keeps_the_neighbouring_provinces_as_surroundings(uow: UnitOfWork) -> None:
    with uow.read_only() as tx:
        geo = tx.regions.geo("yrd")
    assert len(geo.surroundings) == 5
    assert not geo.reaches_beyond(shape_of(point((118.32, 29.71))).buffer(0.05))
    # Across Huangshan's border into Jiangxi (Jingdezhen).
    assert geo.reaches_beyond(shape_of(point((117.25, 29.45))).buffer(0.1))


def test_a_load_is_recognised_by_its_boundaries(uow: UnitOfWork, yrd_spec) -> None:
    assert regions.is_loaded_as(uow, yrd_spec)
    changed = copy.deepcopy(OTHER_REGION)
    changed["features"][0]["properties"]["population"] = 1
    assert regions.is_loaded_as(uow, read_region_spec(OTHER_REGION))
    assert not regions.is_loaded_as(uow, read_region_spec(changed))


def test_a_load_is_recognised_by_its_names_too(uow: UnitOfWork) -> None:
    # A region loaded before its same-named cities were told apart is loaded again.
    renamed = copy.deepcopy(OTHER_REGION)
    renamed["features"][0]["properties"]["name_en"] = "Another name"
    assert regions.is_loaded_as(uow, read_region_spec(OTHER_REGION))
    assert not regions.is_loaded_as(uow, read_region_spec(renamed))
