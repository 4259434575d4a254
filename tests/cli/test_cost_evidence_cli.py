"""`crossrisk compensation cost add --evidence-file` and `cost attach`: a file kept with a
cost line, its SHA-256 printed and listed; bad files one line, exit 2, nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from crossrisk.store.models import CostEvidenceRow, CostLineRow, JournalEntryRow
from tests.cli.test_ledger_cli import HS, add, spill
from tests.evidence_support import PDF_BYTES, PNG_BYTES, TEXT_BYTES
from tests.support import row_counts, run_cli


def test_a_cost_is_added_with_a_file_and_another_is_attached(
    sqlite_url: str, tmp_path: Path
) -> None:
    risk_id = spill(sqlite_url, closed=False)
    invoice = tmp_path / "发票.pdf"
    invoice.write_bytes(PDF_BYTES)

    out = add(
        sqlite_url,
        tmp_path,
        risk_id,
        "huangshan",
        "--party",
        HS,
        "--amount",
        "300000",
        "--evidence-file",
        str(invoice),
    )

    line = json.loads(out)
    assert [(f["file_name"], f["media_type"], f["sha256"]) for f in line["files"]] == [
        ("发票.pdf", "application/pdf", hashlib.sha256(PDF_BYTES).hexdigest())
    ]
    note = tmp_path / "note.txt"
    note.write_bytes(TEXT_BYTES)
    attached = run_cli(
        sqlite_url,
        tmp_path,
        "compensation",
        "cost",
        "attach",
        str(line["id"]),
        str(note),
        "--as",
        "huangshan",
    )
    assert attached.returncode == 0, attached.stderr
    saved = json.loads(attached.stdout)
    assert saved["sha256"] == hashlib.sha256(TEXT_BYTES).hexdigest()
    assert saved["media_type"] == "text/plain" and saved["size"] == len(TEXT_BYTES)
    listed = run_cli(sqlite_url, tmp_path, "compensation", "cost", "list", str(risk_id))
    assert [f["file_name"] for f in json.loads(listed.stdout)["files"]] == ["发票.pdf", "note.txt"]


def test_bad_files_are_one_line_exit_2_and_write_nothing(sqlite_url: str, tmp_path: Path) -> None:
    risk_id = spill(sqlite_url, closed=False)
    line = json.loads(
        add(sqlite_url, tmp_path, risk_id, "huangshan", "--party", HS, "--amount", "3")
    )
    program = tmp_path / "a.exe"
    program.write_bytes(b"MZ\x90\x00" + bytes(64))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "a.png"
    png.write_bytes(PNG_BYTES)
    tables = (JournalEntryRow, CostLineRow, CostEvidenceRow)
    before = row_counts(sqlite_url, *tables)
    attach = ["compensation", "cost", "attach"]
    for args in (
        [*attach, str(line["id"]), str(program), "--as", "huangshan"],
        [*attach, str(line["id"]), str(empty), "--as", "huangshan"],
        [*attach, str(line["id"]), str(tmp_path / "missing.pdf"), "--as", "huangshan"],
        [*attach, str(line["id"]), str(png), "--as", "hangzhou"],
        [*attach, "999999", str(png), "--as", "huangshan"],
        [
            "compensation",
            "cost",
            "add",
            str(risk_id),
            "--category",
            "travel",
            "--date",
            "2026-03-02",
            "--evidence",
            "票据",
            "--party",
            HS,
            "--amount",
            "3",
            "--evidence-file",
            str(program),
            "--as",
            "huangshan",
        ],
    ):
        done = run_cli(sqlite_url, tmp_path, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert row_counts(sqlite_url, *tables) == before
