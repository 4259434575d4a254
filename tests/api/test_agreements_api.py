"""Agreements over HTTP: drafted by the committee, signed by each party, amended in force;
refusals with problem bodies that wrote nothing; both backends."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import AgreementRow, AgreementSignatureRow, JournalEntryRow
from tests.agreements_support import COMMITTEE, HANGZHOU, HUANGSHAN, api_body
from tests.support import assert_problem, auth

TWO_PARTIES = {
    "parties": [HANGZHOU, HUANGSHAN],
    "obligations": [
        {"party": HANGZHOU, "kind": "keep_reserve", "item_code": "sandbag", "quantity": 2000},
        {"party": HUANGSHAN, "kind": "contribute_fund", "amount_yuan": 500000},
    ],
}


def counts(client: TestClient) -> tuple[int, ...]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (AgreementRow, AgreementSignatureRow, JournalEntryRow)
        )


def drafted(client: TestClient, tokens: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(
        "/api/agreements",
        json=api_body(**TWO_PARTIES, **changes),
        headers=auth(tokens, "committee"),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def sign(client: TestClient, tokens: dict[str, str], agreement_id: int, user: str) -> Any:
    return client.post(f"/api/agreements/{agreement_id}/sign", headers=auth(tokens, user))


def test_drafted_signed_by_every_party_and_in_force(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = drafted(client, tokens)
    assert made["state"] == "signing" and made["version"] == 1
    assert [s["organisation"] for s in made["signatures"]] == [HANGZHOU, HUANGSHAN, COMMITTEE]

    for user in ("hangzhou", "huangshan", "committee"):
        response = sign(client, tokens, made["id"], user)
        assert response.status_code == 200, response.text

    read = client.get(f"/api/agreements/{made['id']}", headers=auth(tokens, "huangshan")).json()
    assert read["state"] == "in_force"
    assert all(s["signed"] and s["signed_by"] for s in read["signatures"])
    assert [(o["kind"], o["status"]) for o in read["obligation_status"]] == [
        ("keep_reserve", "unmet"),
        ("contribute_fund", "pending"),
    ]
    assert read["obligation_status"][0]["evidence"] == {"held": 0.0, "required": 2000.0}
    listed = client.get(
        "/api/agreements", params={"region": "yrd"}, headers=auth(tokens, "hangzhou")
    )
    assert [a["id"] for a in listed.json()] == [made["id"]]


def test_an_amendment_is_version_two_and_the_first_stays_in_force(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = drafted(client, tokens)
    for user in ("hangzhou", "huangshan", "committee"):
        sign(client, tokens, made["id"], user)
    body = api_body(**TWO_PARTIES, title="杭州、黄山跨域应急互助协议（修订）")
    del body["region"]

    response = client.post(
        f"/api/agreements/{made['id']}/amend", json=body, headers=auth(tokens, "committee")
    )

    assert response.status_code == 201, response.text
    assert (response.json()["number"], response.json()["version"]) == (made["number"], 2)
    first = client.get(f"/api/agreements/{made['id']}", headers=auth(tokens, "committee"))
    assert first.json()["state"] == "in_force"


def test_a_viewer_of_a_party_does_not_sign(client: TestClient, tokens: dict[str, str]) -> None:
    made = drafted(client, tokens)
    before = counts(client)
    assert_problem(
        sign(client, tokens, made["id"], "huangshan-viewer"), 403, key="agreement-sign-viewer"
    )
    assert_problem(sign(client, tokens, made["id"], "evaluator"), 403, key="agreement-not-a-party")
    assert counts(client) == before


def test_a_draft_by_a_city_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/agreements", json=api_body(**TWO_PARTIES), headers=auth(tokens, "hangzhou")
    )
    assert_problem(response, 403, key="agreement-draft-not-permitted")
    assert counts(client)[:2] == (0, 0)


def test_bad_drafts_are_refused_and_nothing_written(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = counts(client)
    cases = [
        ({"parties": []}, 422, "agreement-no-parties"),
        ({"parties": [HANGZHOU, "ema-440100"]}, 422, "agreement-party-not-member"),
        ({"valid_until": "2026-06-01"}, 422, "agreement-validity-reversed"),
        ({"title": "协议\u0000"}, 422, "text-control"),
        ({"compensation": {"name": "shapley", "parameters": {"x": 1}}}, 422, None),
        ({"compensation": {"name": "lottery"}}, 422, "agreement-compensation-unknown"),
        (
            {
                "obligations": [
                    {
                        "party": HANGZHOU,
                        "kind": "keep_reserve",
                        "item_code": "sandbag",
                        "quantity": -1,
                    }
                ]
            },
            422,
            "agreement-obligation-figure",
        ),
        (
            {
                "obligations": [
                    {
                        "party": HANGZHOU,
                        "kind": "maintain_gauge",
                        "station_code": "nowhere",
                        "hours": 6,
                    }
                ]
            },
            422,
            "agreement-obligation-station",
        ),
        ({"obligations": [{"party": HANGZHOU, "kind": "sing"}]}, 422, "agreement-obligation-kind"),
        ({"valid_from": "10000-01-01"}, 422, None),
    ]
    for changes, status, key in cases:
        body = api_body(**{**TWO_PARTIES, **changes})
        response = client.post("/api/agreements", json=body, headers=auth(tokens, "committee"))
        assert_problem(response, status, key=key)
    assert counts(client) == before


def test_an_agreement_not_in_force_is_not_amended(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = drafted(client, tokens)
    body = api_body(**TWO_PARTIES)
    del body["region"]
    before = counts(client)
    response = client.post(
        f"/api/agreements/{made['id']}/amend", json=body, headers=auth(tokens, "committee")
    )
    assert_problem(response, 409, key="agreement-not-in-force")
    assert counts(client) == before


def test_unknown_and_oversized_ids_are_not_found_or_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert_problem(
        client.get("/api/agreements/999", headers=auth(tokens, "committee")),
        404,
        key="agreement-not-found",
    )
    assert_problem(client.get(f"/api/agreements/{2**63}", headers=auth(tokens, "committee")), 422)
    made = drafted(client, tokens)
    assert_problem(
        client.get(f"/api/agreements/{made['id']}", headers=auth(tokens, "other-committee")),
        404,
        key="agreement-not-found",
    )


def test_the_document_is_a_pdf_for_api_clients(client: TestClient, tokens: dict[str, str]) -> None:
    made = drafted(client, tokens)
    answer = client.get(
        f"/api/agreements/{made['id']}/document.pdf", headers=auth(tokens, "hangzhou")
    )
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert_problem(
        client.get(
            f"/api/agreements/{made['id']}/document.pdf", headers=auth(tokens, "other-committee")
        ),
        404,
        key="agreement-not-found",
    )
