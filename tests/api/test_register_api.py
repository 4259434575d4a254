"""The register's search and pages, the journal browser and the exports over HTTP."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.support import HANGZHOU, HUANGSHAN_TUNXI, auth, point


def _register(client: TestClient, tokens: dict[str, str], **changes: Any) -> int:
    body: dict[str, Any] = {
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "hazard_geometry": point(HUANGSHAN_TUNXI),
        "likelihood": 3,
        "consequence": 4,
        "hazard_type": "river_spill",
        "parameters": {"substance": "styrene", "mass_kg": 20000, "release_hours": 6},
    }
    body.update(changes)
    user = "hangzhou" if changes.get("hazard_geometry") else "huangshan"
    created = client.post("/api/risks", json=body, headers=auth(tokens, user))
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


@pytest.fixture
def three(client: TestClient, tokens: dict[str, str]) -> list[int]:
    return [
        _register(client, tokens),
        _register(
            client,
            tokens,
            title="西湖区仓库火灾",
            hazard_geometry=point(HANGZHOU),
            hazard_type=None,
            parameters={},
        ),
        _register(client, tokens, title="新安江二次泄漏", likelihood=5, consequence=5),
    ]


def test_pages_follow_the_cursor_in_the_headers(
    client: TestClient, tokens: dict[str, str], three: list[int]
) -> None:
    first = client.get("/api/risks", params={"limit": 2}, headers=auth(tokens, "committee"))
    assert first.status_code == 200
    assert [r["id"] for r in first.json()] == [three[2], three[1]]
    cursor = first.headers["x-next-cursor"]
    assert f"cursor={cursor}" in first.headers["link"] and 'rel="next"' in first.headers["link"]
    second = client.get(
        "/api/risks", params={"limit": 2, "cursor": cursor}, headers=auth(tokens, "committee")
    )
    assert [r["id"] for r in second.json()] == [three[0]]
    assert "x-next-cursor" not in second.headers


def test_search_and_filters_narrow_the_list(
    client: TestClient, tokens: dict[str, str], three: list[int]
) -> None:
    headers = auth(tokens, "committee")

    def ids(**params: Any) -> list[int]:
        answer = client.get("/api/risks", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [r["id"] for r in answer.json()]

    assert ids(q="仓库") == [three[1]]
    assert ids(q="新安江", sort="created") == [three[2], three[0]]
    assert ids(level="I") == [three[2]]
    assert ids(origin="330100") == [three[1]]
    assert set(ids(affected="330100")) == {three[0], three[2]}
    assert ids(sort="level")[0] == three[2]
    assert ids(**{"from": "2000-01-01", "to": "2000-01-02"}) == []


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor-malformed"),
        ({"level": "V"}, "filter-value-unknown"),
        ({"from": "yesterday"}, "date-invalid"),
        ({"from": "2026-02-02", "to": "2026-02-01"}, "period-reversed"),
    ],
)
def test_malformed_searches_get_a_problem_body_and_change_nothing(
    client: TestClient,
    tokens: dict[str, str],
    three: list[int],
    snapshot: Any,
    params: dict[str, str],
    key: str,
) -> None:
    before = snapshot(client)
    answer = client.get("/api/risks", params=params, headers=auth(tokens))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["key"] == key
    assert snapshot(client) == before


def test_the_limit_is_bounded(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.get("/api/risks", params={"limit": 201}, headers=auth(tokens))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_journal_entries_filter_by_subject_action_and_organisation(
    client: TestClient, tokens: dict[str, str], three: list[int]
) -> None:
    headers = auth(tokens, "committee")
    about = client.get(
        "/api/journal/entries", params={"subject": f"risk:{three[1]}"}, headers=headers
    ).json()
    assert [e["action"] for e in about["entries"]] == ["risk.analysed", "risk.registered"]
    assert about["next_before"] is None
    issued = client.get(
        "/api/journal/entries",
        params={"action": "warning.", "organisation": "ema-341000", "limit": 1},
        headers=headers,
    ).json()
    assert issued["entries"][0]["action"].startswith("warning.")
    assert issued["next_before"] == issued["entries"][0]["seq"]
    older = client.get(
        "/api/journal/entries",
        params={"action": "warning.", "before": issued["next_before"], "limit": 1},
        headers=headers,
    ).json()
    assert older["entries"][0]["seq"] < issued["entries"][0]["seq"]
    refused = client.get("/api/journal/entries", params={"since": "x"}, headers=headers)
    assert refused.status_code == 422 and refused.json()["key"] == "date-invalid"


def test_another_region_reads_none_of_the_journal_about_these_risks(
    client: TestClient, tokens: dict[str, str], three: list[int]
) -> None:
    entries = client.get(
        "/api/journal/entries", params={"subject": "risk:"}, headers=auth(tokens, "other-committee")
    ).json()["entries"]
    assert entries == []


def test_a_risks_history_includes_its_warnings_and_their_acknowledgements(
    client: TestClient, tokens: dict[str, str], three: list[int]
) -> None:
    inbox = client.get("/api/warnings", headers=auth(tokens, "hangzhou")).json()
    warning = next(w for w in inbox if w["risk_id"] == three[0])
    acked = client.post(
        f"/api/warnings/{warning['id']}/acknowledge", headers=auth(tokens, "hangzhou")
    )
    assert acked.status_code == 200, acked.text
    history = client.get(f"/api/risks/{three[0]}/history", headers=auth(tokens)).json()
    actions = [h["action"] for h in history]
    assert actions[:2] == ["risk.registered", "risk.analysed"]
    assert "warning.issued" in actions and "warning.acknowledged" in actions
    assert {h["subject"] for h in history} >= {f"risk:{three[0]}", f"warning:{warning['id']}"}
    # Nothing about the other risks.
    assert all(h["payload"].get("risk_id", three[0]) == three[0] for h in history)


def test_exports_over_the_api_in_the_language_asked(
    client: TestClient, tokens: dict[str, str], three: list[int]
) -> None:
    headers = auth(tokens, "committee")
    answer = client.get("/api/risks.csv", params={"q": "仓库", "lang": "en"}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="risks.csv"'
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["No.", "Title"]
    assert rows[1][:2] == [str(three[1]), "西湖区仓库火灾"]
    journal = client.get(
        "/api/journal.xlsx", params={"subject": f"risk:{three[1]}"}, headers=headers
    )
    sheet = load_workbook(io.BytesIO(journal.content)).active
    assert sheet is not None
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "risk.analysed",
        "risk.registered",
    ]
    warnings = client.get(f"/api/risks/{three[0]}/warnings.csv", headers=headers)
    assert "杭州市" in warnings.content.decode("utf-8-sig")
    report = client.get(f"/api/risks/{three[0]}/report.pdf", headers=headers)
    assert report.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
    assert "情况通报" in text and "新安江苯乙烯泄漏" in text
    assert client.get("/api/risks.pdf", headers=headers).status_code == 404
    assert client.get("/api/risks.csv").status_code == 401
