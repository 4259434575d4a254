"""Jurisdictions as GeoJSON, the OpenAPI document and journal verification over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlalchemy import text

from tests.support import assert_problem, auth


def test_region_members_are_a_feature_collection(
    client: TestClient, tokens: dict[str, str]
) -> None:
    collection = client.get("/api/regions/yrd/jurisdictions", headers=auth(tokens)).json()
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert len(features) == 41
    huangshan = features["341000"]
    assert huangshan["properties"]["name_zh"] == "黄山市"
    assert huangshan["properties"]["population"] == 1_330_565
    assert shape(huangshan["geometry"]).contains(
        shape({"type": "Point", "coordinates": [118.32, 29.71]})
    )


def test_boundaries_are_sent_compressed(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get(
        "/api/regions/yrd/jurisdictions", headers={**auth(tokens), "Accept-Encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < 700_000


def test_other_region_cannot_read_the_members(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/regions/yrd/jurisdictions", headers=auth(tokens, "other-committee"))
    assert_problem(response, 403)


def test_jurisdiction_lists_its_neighbours(client: TestClient, tokens: dict[str, str]) -> None:
    feature = client.get("/api/jurisdictions/341000", headers=auth(tokens)).json()
    neighbours = {n["code"] for n in feature["properties"]["neighbours"]}
    assert {"330100", "330800", "341700", "341800"} <= neighbours


def test_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/risks",
        "/api/risks/{risk_id}/transitions",
        "/api/journal/verify",
        "/api/auth/token",
    ):
        assert path in paths


def test_journal_verify_names_the_altered_entry(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/api/journal/verify", headers=auth(tokens)).json()["ok"] is True
    with client.app.state.engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(text("UPDATE journal_entries SET actor = 'mallory' WHERE seq = 2"))
    result = client.get("/api/journal/verify", headers=auth(tokens, "evaluator")).json()
    assert (result["ok"], result["first_broken_seq"]) == (False, 2)
