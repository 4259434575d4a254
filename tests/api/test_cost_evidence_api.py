"""A cost line's evidence files over HTTP: a multipart upload, listed with the line, read
back as an attachment with its checked type; refusals are problems and write nothing."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from crossrisk.domain.compensation.evidence import MAX_FILE_BYTES
from crossrisk.store.models import CostEvidenceRow, CostLineRow, JournalEntryRow
from tests.api.test_compensation_api import HS, cost, spill
from tests.evidence_support import PDF_BYTES, PNG_BYTES, TEXT_BYTES
from tests.support import assert_problem, auth, row_counts


def line(client: TestClient, tokens: dict[str, str]) -> tuple[int, int]:
    risk_id = spill(client, tokens)
    made = client.post(
        f"/api/risks/{risk_id}/costs", json=cost(HS, "300000"), headers=auth(tokens, "huangshan")
    )
    assert made.status_code == 201, made.text
    assert made.json()["files"] == []
    return risk_id, int(made.json()["id"])


def test_a_file_is_uploaded_listed_and_downloaded_as_sent(
    client: TestClient, tokens: dict[str, str]
) -> None:
    risk_id, line_id = line(client, tokens)

    sent = client.post(
        f"/api/costs/{line_id}/evidence",
        files={"file": ("发票 A-12.pdf", PDF_BYTES, "application/pdf")},
        headers=auth(tokens, "huangshan"),
    )

    assert sent.status_code == 201, sent.text
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    body = sent.json()
    assert (body["file_name"], body["media_type"], body["size"], body["sha256"]) == (
        "发票 A-12.pdf",
        "application/pdf",
        len(PDF_BYTES),
        digest,
    )
    listed = client.get(f"/api/risks/{risk_id}/costs", headers=auth(tokens, "hangzhou")).json()
    assert [f["sha256"] for f in listed[0]["files"]] == [digest]
    assert listed[0]["files"][0]["id"] == body["id"]
    got = client.get(
        f"/api/costs/{line_id}/evidence/{body['id']}", headers=auth(tokens, "hangzhou")
    )
    assert got.status_code == 200 and got.content == PDF_BYTES
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E5%8F%91%E7%A5%A8%20A-12.pdf" in disposition


def test_bad_uploads_are_problems_and_write_nothing(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    risk_id, line_id = line(client, tokens)
    for n in range(4):
        kept = client.post(
            f"/api/costs/{line_id}/evidence",
            files={"file": (f"{n}.txt", TEXT_BYTES, "text/plain")},
            headers=auth(tokens, "huangshan"),
        )
        assert kept.status_code == 201, kept.text
    tables = (JournalEntryRow, CostLineRow, CostEvidenceRow)
    before = row_counts(database_url, *tables)
    url = f"/api/costs/{line_id}/evidence"
    for user, target, files, status, key in (
        (
            "huangshan",
            url,
            {"file": ("a.pdf", PNG_BYTES, "application/pdf")},
            422,
            "cost-evidence-type-mismatch",
        ),
        (
            "huangshan",
            url,
            {"file": ("a.exe", b"MZ" + bytes(90), "application/octet-stream")},
            422,
            "cost-evidence-type-not-allowed",
        ),
        (
            "huangshan",
            url,
            {"file": ("a/b.pdf", PDF_BYTES, "application/pdf")},
            422,
            "cost-evidence-name-invalid",
        ),
        (
            "huangshan",
            url,
            {"file": ("big.txt", b"x" * (MAX_FILE_BYTES + 1), "text/plain")},
            413,
            "cost-evidence-too-large",
        ),
        (
            "huangshan",
            url,
            {"other": ("a.pdf", PDF_BYTES, "application/pdf")},
            422,
            "cost-evidence-no-file",
        ),
        (
            "hangzhou",
            url,
            {"file": ("a.pdf", PDF_BYTES, "application/pdf")},
            403,
            "cost-not-permitted",
        ),
        ("other-committee", url, {"file": ("a.pdf", PDF_BYTES, "application/pdf")}, 403, None),
        (
            "huangshan",
            "/api/costs/999999/evidence",
            {"file": ("a.pdf", PDF_BYTES, "application/pdf")},
            404,
            "cost-unknown",
        ),
    ):
        answer = client.post(target, files=files, headers=auth(tokens, user))
        assert_problem(answer, status, key=key)
    assert row_counts(database_url, *tables) == before
    fifth = client.post(
        url, files={"file": ("4.txt", TEXT_BYTES, "text/plain")}, headers=auth(tokens, "huangshan")
    )
    assert fifth.status_code == 201
    before = row_counts(database_url, *tables)
    sixth = client.post(
        url, files={"file": ("5.txt", TEXT_BYTES, "text/plain")}, headers=auth(tokens, "huangshan")
    )
    assert_problem(sixth, 422, key="cost-evidence-too-many")
    withdrawn = client.post(
        f"/api/costs/{line_id}/withdraw", json={"reason": "重复"}, headers=auth(tokens, "huangshan")
    )
    assert withdrawn.status_code == 200
    before = row_counts(database_url, *tables)
    late = client.post(
        url,
        files={"file": ("a.pdf", PDF_BYTES, "application/pdf")},
        headers=auth(tokens, "huangshan"),
    )
    assert_problem(late, 409, key="cost-evidence-line-withdrawn")
    assert row_counts(database_url, *tables) == before
    unknown = client.get(f"/api/costs/{line_id}/evidence/999999", headers=auth(tokens, "huangshan"))
    assert_problem(unknown, 404, key="cost-evidence-unknown")
    assert risk_id
