from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from crossrisk.domain.errors import InvalidInput
from crossrisk.settings import load_settings, private_value
from crossrisk.store.db import make_engine


def test_defaults_are_the_embedded_ones(tmp_path: Path) -> None:
    settings = load_settings({"CROSSRISK_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'crossrisk.db'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    # The generated key is kept, so every worker process signs with the same one.
    assert load_settings({"CROSSRISK_DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_plain_postgresql_url_gets_the_installed_driver(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CROSSRISK_DATA_DIR": str(tmp_path),
            "CROSSRISK_DATABASE_URL": "postgresql://u@db/x",
            "CROSSRISK_SECRET_KEY": "k",
        }
    )
    assert settings.database_url == "postgresql+psycopg://u@db/x"


@pytest.mark.parametrize("bind", ["8000", "host:", "host:99999", "host:http"])
def test_bad_bind_address_is_refused(tmp_path: Path, bind: str) -> None:
    with pytest.raises(InvalidInput, match="CROSSRISK_BIND must be host:port"):
        load_settings({"CROSSRISK_DATA_DIR": str(tmp_path), "CROSSRISK_BIND": bind})


def test_the_database_and_its_journal_files_are_readable_by_their_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "crossrisk.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # a write: SQLite makes its -wal and -shm files
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        made = sorted(p.name for p in path.parent.iterdir())
        modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
    engine.dispose()
    assert "crossrisk.db-wal" in made
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes


def test_a_private_value_is_made_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "demo_password"
    made = private_value(path, lambda: "demo-1234")
    assert private_value(path, lambda: "demo-other") == made == "demo-1234"
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "environ, secure",
    [
        ({}, False),
        ({"CROSSRISK_PUBLIC_URL": "https://crossrisk.example.cn/"}, True),
        ({"CROSSRISK_PUBLIC_URL": "http://10.0.0.5:8000/"}, False),
        (
            {
                "CROSSRISK_PUBLIC_URL": "https://crossrisk.example.cn/",
                "CROSSRISK_SECURE_COOKIES": "false",
            },
            False,
        ),
        ({"CROSSRISK_SECURE_COOKIES": "true"}, True),
    ],
)
def test_cookies_are_secure_when_the_platform_is_served_over_https(
    tmp_path: Path, environ: dict[str, str], secure: bool
) -> None:
    settings = load_settings({"CROSSRISK_DATA_DIR": str(tmp_path), **environ})
    assert settings.secure_cookies is secure


def test_account_settings_are_read_and_checked(tmp_path: Path) -> None:
    base = {"CROSSRISK_DATA_DIR": str(tmp_path)}
    assert load_settings(base).header_timeout == 10.0
    tuned = load_settings(
        {**base, "CROSSRISK_HEADER_TIMEOUT": "2.5", "CROSSRISK_PASSWORD_CHECKS": "3"}
    )
    assert (tuned.header_timeout, tuned.password_checks) == (2.5, 3)
    with pytest.raises(InvalidInput, match="CROSSRISK_HEADER_TIMEOUT must be a number"):
        load_settings({**base, "CROSSRISK_HEADER_TIMEOUT": "0"})
    with pytest.raises(InvalidInput, match="CROSSRISK_PASSWORD_CHECKS must be a whole number"):
        load_settings({**base, "CROSSRISK_PASSWORD_CHECKS": "none"})
