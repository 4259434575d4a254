"""A cost line's evidence files: attached by whoever records the party's costs, read back
byte for byte by whoever reads the risk, the journal naming each file's SHA-256; every
refusal writes nothing. Both backends."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from crossrisk.domain.compensation import evidence
from crossrisk.domain.errors import (
    CrossriskError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    TooLarge,
)
from crossrisk.services import costs
from crossrisk.store.models import CostEvidenceRow
from crossrisk.store.uow import UnitOfWork
from tests.evidence_support import OFD_BYTES, PDF_BYTES, PNG_BYTES, TEXT_BYTES
from tests.services.test_costs import (
    COMMITTEE,
    HANGZHOU,
    HUANGSHAN,
    NOW,
    containment,
    journal,
    journal_length,
    register_spill,
)
from tests.support import actor


def recorded_line(uow: UnitOfWork, **changes: Any) -> tuple[int, int]:
    risk_id = register_spill(uow)
    line = costs.record_cost(uow, actor(uow, HUANGSHAN), risk_id, **containment(**changes))
    assert line.id is not None
    return risk_id, line.id


def stored_files(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return tx.session.query(CostEvidenceRow).count()


def test_a_file_is_attached_and_read_back_byte_for_byte(uow: UnitOfWork) -> None:
    risk_id, line_id = recorded_line(uow)
    upload = costs.checked_upload("发票 A-12.pdf", PDF_BYTES, declared_type="application/pdf")

    saved = costs.attach_evidence(uow, actor(uow, HUANGSHAN), line_id, upload, now=NOW)

    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert (saved.file_name, saved.media_type, saved.size, saved.sha256) == (
        "发票 A-12.pdf",
        evidence.PDF,
        len(PDF_BYTES),
        digest,
    )
    assert saved.id is not None
    meta, data = costs.evidence_file(uow, actor(uow, HANGZHOU), line_id, saved.id)
    assert data == PDF_BYTES and meta == saved
    assert hashlib.sha256(data).hexdigest() == digest
    (entry,) = journal(uow, "cost.evidence_attached")
    assert entry["sha256"] == digest and entry["line"] == line_id
    assert entry["file_name"] == "发票 A-12.pdf" and entry["media_type"] == evidence.PDF
    assert entry["size"] == len(PDF_BYTES) and entry["file"] == saved.id
    ledger = costs.ledger(uow, actor(uow, COMMITTEE), risk_id)
    assert ledger.files == {line_id: [saved]}


def test_a_cost_is_recorded_with_its_files_in_one_step(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    files = [
        costs.checked_upload("scan.png", PNG_BYTES),
        costs.checked_upload("invoice.ofd", OFD_BYTES),
    ]

    line = costs.record_cost(uow, actor(uow, COMMITTEE), risk_id, **containment(files=files))

    assert line.id is not None
    listed = costs.ledger(uow, actor(uow, HUANGSHAN), risk_id).files[line.id]
    assert [(f.file_name, f.media_type) for f in listed] == [
        ("scan.png", evidence.PNG),
        ("invoice.ofd", evidence.OFD),
    ]
    assert [e["sha256"] for e in journal(uow, "cost.evidence_attached")] == [
        hashlib.sha256(PNG_BYTES).hexdigest(),
        hashlib.sha256(OFD_BYTES).hexdigest(),
    ]


def test_a_cost_with_six_files_is_refused_whole(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    before = journal_length(uow)
    files = [costs.checked_upload(f"{n}.txt", TEXT_BYTES) for n in range(6)]

    with pytest.raises(InvalidInput) as refused:
        costs.record_cost(uow, actor(uow, HUANGSHAN), risk_id, **containment(files=files))

    assert refused.value.key == "cost-evidence-too-many"
    assert journal_length(uow) == before and stored_files(uow) == 0
    assert costs.ledger(uow, actor(uow, COMMITTEE), risk_id).lines == []


def test_a_sixth_file_is_refused_and_writes_nothing(uow: UnitOfWork) -> None:
    _, line_id = recorded_line(uow)
    officer = actor(uow, HUANGSHAN)
    for n in range(evidence.MAX_FILES_PER_LINE):
        upload = costs.checked_upload(f"{n}.txt", TEXT_BYTES)
        costs.attach_evidence(uow, officer, line_id, upload, now=NOW)
    before = (journal_length(uow), stored_files(uow))

    with pytest.raises(InvalidInput) as refused:
        upload = costs.checked_upload("6.txt", TEXT_BYTES)
        costs.attach_evidence(uow, officer, line_id, upload, now=NOW)

    assert refused.value.key == "cost-evidence-too-many"
    assert (journal_length(uow), stored_files(uow)) == before == (before[0], 5)


@pytest.mark.parametrize(
    ("name", "data", "declared", "refusal", "key"),
    [
        ("big.txt", b"x" * (evidence.MAX_FILE_BYTES + 1), "", TooLarge, "cost-evidence-too-large"),
        ("a.exe", b"MZ\x90\x00" + bytes(64), "", InvalidInput, "cost-evidence-type-not-allowed"),
        ("a.pdf", PNG_BYTES, "application/pdf", InvalidInput, "cost-evidence-type-mismatch"),
        ("a\x00.pdf", PDF_BYTES, "", InvalidInput, "cost-evidence-name-invalid"),
        ("../../etc/a.pdf", PDF_BYTES, "", InvalidInput, "cost-evidence-name-invalid"),
        ("C:\\a.pdf", PDF_BYTES, "", InvalidInput, "cost-evidence-name-invalid"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    uow: UnitOfWork,
    name: str,
    data: bytes,
    declared: str,
    refusal: type[CrossriskError],
    key: str,
) -> None:
    risk_id, _ = recorded_line(uow)
    before = journal_length(uow)

    with pytest.raises(refusal) as refused:
        costs.record_cost(
            uow,
            actor(uow, HUANGSHAN),
            risk_id,
            **containment(files=[costs.checked_upload(name, data, declared_type=declared)]),
        )

    assert refused.value.key == key
    assert journal_length(uow) == before and stored_files(uow) == 0
    assert len(costs.ledger(uow, actor(uow, COMMITTEE), risk_id).lines) == 1


@pytest.mark.parametrize(
    ("who", "withdraw", "line", "refusal", "key"),
    [
        (HUANGSHAN, True, None, InvalidTransition, "cost-evidence-line-withdrawn"),
        (HANGZHOU, False, None, NotPermitted, "cost-not-permitted"),
        ("pearl-committee", False, None, NotPermitted, "cost-not-permitted"),
        (HUANGSHAN, False, 987_654, NotFound, "cost-unknown"),
        (HUANGSHAN, False, 2**40, NotFound, None),
    ],
)
def test_attaching_where_not_allowed_is_refused_and_writes_nothing(
    uow: UnitOfWork,
    who: str,
    withdraw: bool,
    line: int | None,
    refusal: type[CrossriskError],
    key: str | None,
) -> None:
    _, line_id = recorded_line(uow)
    if withdraw:
        costs.withdraw_cost(uow, actor(uow, HUANGSHAN), line_id, reason="重复", now=NOW)
    before = journal_length(uow)
    upload = costs.checked_upload("a.pdf", PDF_BYTES)

    with pytest.raises(refusal) as refused:
        costs.attach_evidence(uow, actor(uow, who), line or line_id, upload, now=NOW)

    if key is not None:
        assert refused.value.key == key
    assert journal_length(uow) == before and stored_files(uow) == 0


def test_an_outsider_reads_no_file_and_an_unknown_file_is_not_found(uow: UnitOfWork) -> None:
    risk_id, line_id = recorded_line(uow)
    officer = actor(uow, HUANGSHAN)
    saved = costs.attach_evidence(
        uow, officer, line_id, costs.checked_upload("a.pdf", PDF_BYTES), now=NOW
    )
    assert saved.id is not None

    with pytest.raises(NotPermitted):
        costs.evidence_file(uow, actor(uow, "pearl-committee"), line_id, saved.id)
    with pytest.raises(NotFound) as unknown:
        costs.evidence_file(uow, officer, line_id, saved.id + 1)
    assert unknown.value.key == "cost-evidence-unknown"
    other = costs.record_cost(uow, officer, risk_id, **containment())
    assert other.id is not None
    with pytest.raises(NotFound):
        costs.evidence_file(uow, officer, other.id, saved.id)


def test_a_drills_line_takes_files(uow: UnitOfWork) -> None:
    from tests.services.test_costs import test_a_drills_risk_takes_costs_marked_as_a_drills

    test_a_drills_risk_takes_costs_marked_as_a_drills(uow)
    (entry,) = journal(uow, "cost.recorded")
    saved = costs.attach_evidence(
        uow,
        actor(uow, HUANGSHAN),
        entry["line"],
        costs.checked_upload("drill.txt", TEXT_BYTES),
        now=NOW,
    )
    assert journal(uow, "cost.evidence_attached")[0]["drill"] is True
    assert saved.size == len(TEXT_BYTES)
