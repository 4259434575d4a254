"""`crossrisk agreement`: drafted from a file, signed by each party's user, printed as PDF;
bad input is one line, exit 2, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from crossrisk.store.models import AgreementRow, AgreementSignatureRow
from tests.agreements_support import HANGZHOU, HUANGSHAN, api_body
from tests.support import row_counts, run_cli

TWO_PARTIES = {
    "parties": [HANGZHOU, HUANGSHAN],
    "obligations": [
        {"party": HANGZHOU, "kind": "keep_reserve", "item_code": "sandbag", "quantity": 2000}
    ],
}


def write(tmp_path: Path, name: str = "agreement", **changes: object) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(api_body(**{**TWO_PARTIES, **changes}), ensure_ascii=False))
    return str(path)


def test_drafted_signed_and_printed(sqlite_url: str, tmp_path: Path) -> None:
    drafted = run_cli(
        sqlite_url, tmp_path, "agreement", "draft", write(tmp_path), "--as", "committee"
    )
    assert drafted.returncode == 0, drafted.stderr
    agreement_id = drafted.stdout.split("\t")[0]
    assert "signing\t0/3 signed" in drafted.stdout

    for user in ("hangzhou", "huangshan", "committee"):
        signed = run_cli(sqlite_url, tmp_path, "agreement", "sign", agreement_id, "--as", user)
        assert signed.returncode == 0, signed.stderr
    assert "in_force\t3/3 signed" in signed.stdout

    shown = json.loads(run_cli(sqlite_url, tmp_path, "agreement", "show", agreement_id).stdout)
    assert shown["obligation_status"][0]["status"] == "unmet"
    out = tmp_path / "agreement.pdf"
    printed = run_cli(
        sqlite_url,
        tmp_path,
        "agreement",
        "document",
        agreement_id,
        "--out",
        str(out),
        "--lang",
        "en",
    )
    assert printed.returncode == 0, printed.stderr
    assert out.read_bytes().startswith(b"%PDF")
    listed = run_cli(sqlite_url, tmp_path, "agreement", "list", "--region", "yrd")
    assert listed.stdout.startswith(f"{agreement_id}\tyrd\tNo. 1\tv1\tin_force")


def test_bad_input_is_one_line_exit_2_and_nothing_written(sqlite_url: str, tmp_path: Path) -> None:
    cases = [
        ("draft", write(tmp_path, "no-parties", parties=[]), "--as", "committee"),
        ("draft", write(tmp_path), "--as", "hangzhou"),
        ("draft", write(tmp_path)),  # nobody named to act
        ("sign", "99999999999", "--as", "hangzhou"),
        ("sign", "7", "--as", "hangzhou"),
        ("amend", "7", write(tmp_path), "--as", "committee"),
    ]
    for args in cases:
        done = run_cli(sqlite_url, tmp_path, "agreement", *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert row_counts(sqlite_url, AgreementRow, AgreementSignatureRow) == (0, 0)
