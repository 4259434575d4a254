"""The OpenAPI document tells the truth about refusals, bounds and authentication."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from crossrisk.domain.risk import RiskCategory, RiskStatus
from tests.support import assert_problem

PROBLEM = {"$ref": "#/components/schemas/Problem"}
METHODS = ("get", "post", "put", "patch", "delete")


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_refusal_is_documented_as_one_problem_schema(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail"}
    for method, path, operation in operations(document):
        responses = operation["responses"]
        assert "500" in responses, (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                    method,
                    path,
                    status,
                )
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413"} <= set(responses), (method, path)


def test_operations_that_need_a_login_declare_the_bearer_scheme(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert scheme == {"type": "http", "scheme": "bearer", "description": scheme["description"]}
    secured = {
        (method, path): operation.get("security")
        for method, path, operation in operations(document)
    }
    assert secured[("post", "/api/auth/token")] is None  # the one way in
    for key in [("get", "/api/risks"), ("post", "/api/cap"), ("get", "/api/events")]:
        assert secured[key] == [{"bearer": []}], key
    for (method, path), security in secured.items():
        if security:
            responses = document["paths"][path][method]["responses"]
            assert {"401", "403"} <= set(responses), (method, path)
    # The token route answers a wrong password with 401, and says so.
    assert "401" in document["paths"]["/api/auth/token"]["post"]["responses"]


def test_request_schemas_declare_the_domain_s_enums_and_ranges(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    risk_in = schemas["RiskIn"]["properties"]
    assert risk_in["category"]["enum"] == sorted(c.value for c in RiskCategory)
    for name in ("likelihood", "consequence"):
        assert (risk_in[name]["minimum"], risk_in[name]["maximum"]) == (1, 5)
        assert (schemas["WhatIfIn"]["properties"][name]["minimum"]) == 1
        assert schemas["RiskPatch"]["properties"][name]["maximum"] == 5
    assert "river_spill" in risk_in["hazard_type"]["enum"]
    assert schemas["TransitionIn"]["properties"]["to"]["enum"] == sorted(
        s.value for s in RiskStatus
    )
    assert schemas["ChannelIn"]["properties"]["kind"]["enum"] == ["email", "mqtt", "webhook"]
    level = schemas["WarningIn"]["properties"]["level"]["anyOf"]
    assert {"type": "integer", "minimum": 1, "maximum": 4} in level
    assert {"type": "string", "enum": ["blue", "orange", "red", "yellow"]} in level
    assert schemas["ConfirmationIn"]["properties"]["version"]["maximum"] == 2**31 - 1
    listed = {p["name"]: p["schema"] for p in document["paths"]["/api/risks"]["get"]["parameters"]}
    assert None in listed["status"]["enum"] and "closed" in listed["status"]["enum"]


def test_a_method_a_path_does_not_take_is_a_problem_with_allow(client: TestClient) -> None:
    response = client.put("/api/risks")
    assert_problem(response, 405)
    assert "GET" in response.headers["allow"].replace(" ", "").split(",")
