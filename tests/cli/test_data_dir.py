"""Commands run outside the project folder: the per-user data directory, or one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.settings import load_settings


def run_elsewhere(
    home: Path, cwd: Path, *args: str, stdin: str = "", extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m crossrisk ARGS` from `cwd`, as a user whose environment names no data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROSSRISK_", "XDG_"))}
    env |= {"HOME": str(home), **(extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "crossrisk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    home, cwd = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    cwd.mkdir()
    return home, cwd


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]


def test_commands_before_init_fail_in_one_line_and_leave_nothing(
    places: tuple[Path, Path],
) -> None:
    home, cwd = places
    for args, stdin in (
        (("journal", "verify"), ""),
        (("user", "add", "ningbo", "--org", "ema-330200", "--password-stdin"), "long secret 1\n"),
        (("warnings", "list"), ""),
    ):
        result = run_elsewhere(home, cwd, *args, stdin=stdin)
        assert_one_line_refusal(result, "run `crossrisk init`")
        assert str(home / ".local/share/crossrisk/crossrisk.db") in result.stderr
    assert list(cwd.iterdir()) == []
    assert not (home / ".local/share/crossrisk/crossrisk.db").exists()


def test_commands_elsewhere_share_the_per_user_data_dir(places: tuple[Path, Path]) -> None:
    home, cwd = places
    loaded = run_elsewhere(home, cwd, "region", "load", "yrd")
    assert loaded.returncode == 0, loaded.stderr
    assert "region yrd: 49 jurisdictions" in loaded.stdout
    # Another folder, same user: the same database.
    other = cwd / "sub"
    other.mkdir()
    added = run_elsewhere(
        home,
        other,
        "user",
        "add",
        "ningbo",
        "--org",
        "ema-330200",
        "--password-stdin",
        stdin="a long enough secret\n",
    )
    assert added.returncode == 0, added.stderr
    verified = run_elsewhere(home, cwd, "journal", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("journal intact: 2 entries")
    assert [p.name for p in cwd.iterdir()] == ["sub"]
    assert list(other.iterdir()) == []
    assert (home / ".local/share/crossrisk/crossrisk.db").is_file()


def test_xdg_data_home_is_honoured(places: tuple[Path, Path], tmp_path: Path) -> None:
    home, cwd = places
    xdg = tmp_path / "xdg"
    loaded = run_elsewhere(home, cwd, "region", "load", "yrd", extra={"XDG_DATA_HOME": str(xdg)})
    assert loaded.returncode == 0, loaded.stderr
    assert (xdg / "crossrisk/crossrisk.db").is_file()
    assert list(cwd.iterdir()) == []


def test_an_unreachable_database_is_one_line(places: tuple[Path, Path]) -> None:
    home, cwd = places
    url = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2"
    for args in (("journal", "verify"), ("region", "load", "yrd")):
        result = run_elsewhere(home, cwd, *args, extra={"CROSSRISK_DATABASE_URL": url})
        assert_one_line_refusal(result, "cannot use the database postgresql+psycopg://nobody:***@")
        assert "s3cret" not in result.stderr
    assert list(cwd.iterdir()) == []


def test_default_data_dir_is_per_user_not_the_current_folder(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "CROSSRISK_SECRET_KEY": "k"}
    assert load_settings(env).data_dir == tmp_path / ".local/share/crossrisk"
    xdg = {**env, "XDG_DATA_HOME": str(tmp_path / "x")}
    assert load_settings(xdg).data_dir == tmp_path / "x/crossrisk"
    # A relative XDG_DATA_HOME is invalid by the specification and ignored.
    relative = {**env, "XDG_DATA_HOME": "x"}
    assert load_settings(relative).data_dir == tmp_path / ".local/share/crossrisk"
    named = {**xdg, "CROSSRISK_DATA_DIR": str(tmp_path / "d")}
    assert load_settings(named).data_dir == tmp_path / "d"


def test_no_home_and_no_data_dir_is_refused() -> None:
    with pytest.raises(InvalidInput, match="set CROSSRISK_DATA_DIR"):
        load_settings({"CROSSRISK_SECRET_KEY": "k"})
