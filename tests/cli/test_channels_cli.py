"""`crossrisk channels`: the operator adds, lists and removes channels; bad input exits 2."""

from __future__ import annotations

from pathlib import Path

from tests.support import run_cli

SECRET = "whsec_b3BlcmF0b3Itc2V0LXdlYmhvb2sta2V5LTAx"


def test_operator_adds_lists_and_removes_a_channel(sqlite_url: str, tmp_path: Path) -> None:
    added = run_cli(
        sqlite_url,
        tmp_path,
        "channels",
        "add",
        "ema-330100",
        "webhook",
        "https://ema.hangzhou.example/hook",
        "--secret-stdin",
        stdin=SECRET + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("channel 1 added to ema-330100: webhook")
    assert run_cli(sqlite_url, tmp_path, "channels", "add", "ema-330100", "mqtt").returncode == 0

    listed = run_cli(sqlite_url, tmp_path, "channels", "list", "ema-330100")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and "sha256:" in lines[0] and SECRET not in listed.stdout
    assert "default topic" in lines[1]

    removed = run_cli(sqlite_url, tmp_path, "channels", "remove", "1")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == "channel 1 removed from ema-330100"
    assert (
        len(run_cli(sqlite_url, tmp_path, "channels", "list", "ema-330100").stdout.splitlines())
        == 1
    )


def test_bad_channel_input_is_one_line_and_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    for args in (
        ("channels", "add", "ema-330100", "pager", "123"),
        ("channels", "add", "ema-330100", "webhook", "https://h.example/", "--secret", "short"),
        ("channels", "add", "ema-999999", "email", "duty@h.example"),
        ("channels", "remove", "42"),
    ):
        result = run_cli(sqlite_url, tmp_path, *args)
        assert result.returncode == 2, (args, result.stdout)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("error: ")
