"""`crossrisk cap sender|feed|poll`, and what `cap import` may deliver as the operator."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, select

from crossrisk.store.models import (
    CapSenderRow,
    JournalEntryRow,
    ReceivedAlertRow,
    RiskRow,
)
from tests.alerts.cap_samples import FLOOD_SENDER, MALFORMED, flood_alert
from tests.cap_feed_server import atom_index, feed_server
from tests.cap_signing import signing_key
from tests.delivery.servers import free_port
from tests.support import row_counts, run_cli


def counts(url: str) -> tuple[int, ...]:
    return row_counts(url, RiskRow, JournalEntryRow, ReceivedAlertRow, CapSenderRow)


def one_line_exit_2(result, words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert words in result.stderr


def test_the_operator_imports_only_registered_senders(database_url: str, tmp_path: Path) -> None:
    alert = tmp_path / "flood.xml"
    alert.write_bytes(flood_alert())
    before = counts(database_url)
    refused = run_cli(database_url, tmp_path, "cap", "import", str(alert))
    one_line_exit_2(refused, f"may not deliver CAP alerts from {FLOOD_SENDER}")
    assert "not registered" in refused.stderr
    assert counts(database_url) == before
    key = signing_key()
    pem = tmp_path / "swj.pem"
    pem.write_text(key.certificate_pem)
    added = run_cli(
        database_url,
        tmp_path,
        *("cap", "sender", "add", FLOOD_SENDER, "--name", "黄山市水文局", "--region", "yrd"),
        *("--certificate", str(pem)),
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"sender {FLOOD_SENDER} registered for yrd"
    allowed = run_cli(
        database_url,
        tmp_path,
        "cap",
        "sender",
        "allow",
        FLOOD_SENDER,
        "--organisation",
        "ema-341000",
    )
    assert allowed.returncode == 0, allowed.stderr
    listed = run_cli(database_url, tmp_path, "cap", "sender", "list")
    assert f"{FLOOD_SENDER}  yrd  黄山市水文局  (certificate); delivered by: ema-341000" in (
        listed.stdout
    )
    imported = run_cli(database_url, tmp_path, "cap", "import", str(alert))
    assert imported.returncode == 0, imported.stderr
    assert "opened risk 1" in imported.stdout
    removed = run_cli(database_url, tmp_path, "cap", "sender", "remove", FLOOD_SENDER)
    assert removed.returncode == 0 and "removed" in removed.stdout
    engine = create_engine(database_url)
    with engine.connect() as connection:
        actions = connection.scalars(
            select(JournalEntryRow.action).where(
                JournalEntryRow.subject == f"cap-sender:{FLOOD_SENDER}"
            )
        ).all()
    engine.dispose()
    assert list(actions) == ["cap_sender.added", "cap_sender.allowed", "cap_sender.removed"]


def test_bad_sender_commands_are_one_line_exit_2(database_url: str, tmp_path: Path) -> None:
    pem = str(tmp_path / "bad.pem")
    before = counts(database_url)
    (tmp_path / "bad.pem").write_text("not a certificate")
    cases = [
        (("cap", "sender", "add", "a b", "--name", "x", "--region", "yrd"), "CAP 1.2"),
        (
            ("cap", "sender", "add", "s1", "--name", "x", "--region", "yrd", "--certificate", pem),
            "not a PEM X.509 certificate",
        ),
        (("cap", "sender", "remove", "nobody"), "no CAP sender 'nobody' is registered"),
        (("cap", "feed", "add", "ftp://x/y", "--name", "x", "--region", "yrd"), "http or https"),
    ]
    for args, words in cases:
        one_line_exit_2(run_cli(database_url, tmp_path, *args), words)
    assert counts(database_url) == before


def test_cap_poll_prints_what_each_feed_did(database_url: str, tmp_path: Path) -> None:
    with feed_server() as server:
        server.publish("/cap/flood.xml", flood_alert())
        server.publish("/cap/bad.xml", MALFORMED)
        down = f"http://127.0.0.1:{free_port()}/x"
        index = server.publish(
            "/index.atom",
            atom_index(
                [
                    ("urn:cap:bad", "/cap/bad.xml", "2026-07-01T04:00:00Z"),
                    ("urn:cap:flood", "/cap/flood.xml", "2026-07-01T01:50:00Z"),
                ]
            ),
        )
        for args in (
            ("cap", "sender", "add", FLOOD_SENDER, "--name", "黄山市水文局", "--region", "yrd"),
            ("cap", "feed", "add", index, "--name", "国家预警", "--region", "yrd"),
            ("cap", "feed", "add", down, "--name", "down", "--region", "yrd"),
            ("cap", "sender", "allow", FLOOD_SENDER, "--feed", "1"),
        ):
            done = run_cli(database_url, tmp_path, *args)
            assert done.returncode == 0, done.stderr
        unallowed = run_cli(database_url, tmp_path, "cap", "poll")
        polled = run_cli(
            database_url, tmp_path, "cap", "poll", env={"CROSSRISK_OUTBOUND_ALLOW": "127.0.0.1/32"}
        )
    # Without the operator's allow-list a loopback feed is refused, and nothing fetched.
    assert unallowed.returncode == 0, unallowed.stderr
    assert "refused destination" in unallowed.stdout.splitlines()[0]
    assert polled.returncode == 0, polled.stderr
    lines = polled.stdout.splitlines()
    assert lines[0] == f"feed 1 {index}: 2 listed, 2 new: 1 opened, 1 refused"
    assert lines[1].startswith(f"  refused {server.base}/cap/bad.xml: cap-malformed: ")
    assert lines[2].startswith("feed 2 http://127.0.0.1:") and ": not polled: " in lines[2]
    listed = run_cli(database_url, tmp_path, "cap", "feed", "list")
    assert f"senders: {FLOOD_SENDER}" in listed.stdout.splitlines()[0]
