from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from crossrisk.domain.errors import InvalidInput
from crossrisk.settings import load_settings, private_value, public_base_url
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


def test_the_stale_reading_window_and_the_signing_key_file_are_settings(tmp_path: Path) -> None:
    from datetime import timedelta

    defaults = load_settings({"CROSSRISK_DATA_DIR": str(tmp_path)})
    assert defaults.stale_reading_window == timedelta(hours=24)
    assert defaults.signing_key_file is None
    chosen = load_settings(
        {
            "CROSSRISK_DATA_DIR": str(tmp_path),
            "CROSSRISK_STALE_READING_HOURS": "1.5",
            "CROSSRISK_SIGNING_KEY_FILE": "keys/platform.pem",
        }
    )
    assert chosen.stale_reading_window == timedelta(minutes=90)
    assert chosen.signing_key_file == Path("keys/platform.pem").resolve()


@pytest.mark.parametrize("hours", ["0", "-3", "nan", "inf", "a day", "9000"])
def test_a_stale_reading_window_out_of_range_is_refused(tmp_path: Path, hours: str) -> None:
    with pytest.raises(InvalidInput, match="CROSSRISK_STALE_READING_HOURS must be"):
        load_settings({"CROSSRISK_DATA_DIR": str(tmp_path), "CROSSRISK_STALE_READING_HOURS": hours})


def test_outbound_and_broker_login_settings_are_read(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CROSSRISK_DATA_DIR": str(tmp_path),
            "CROSSRISK_OUTBOUND_ALLOW": "127.0.0.1/32,10.0.0.0/8",
            "CROSSRISK_MQTT_USERNAME": "crossrisk",
            "CROSSRISK_MQTT_PASSWORD_FILE": str(tmp_path / "mqtt-password"),
            "CROSSRISK_MQTT_CA_FILE": str(tmp_path / "ca.pem"),
        }
    )
    assert [str(n) for n in settings.outbound_allow] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert settings.mqtt_username == "crossrisk"
    assert settings.mqtt_password_file == tmp_path / "mqtt-password"
    # A CA file means the broker is reached over TLS.
    assert settings.mqtt_tls and settings.mqtt_ca_file == tmp_path / "ca.pem"
    assert load_settings({"CROSSRISK_DATA_DIR": str(tmp_path)}).outbound_allow == ()


@pytest.mark.parametrize(
    "environ",
    [
        {"CROSSRISK_OUTBOUND_ALLOW": "localhost"},
        {"CROSSRISK_MQTT_PASSWORD_FILE": "/etc/crossrisk/mqtt-password"},
        {"CROSSRISK_MQTT_KEY_FILE": "/etc/crossrisk/client.key"},
    ],
)
def test_incomplete_outbound_settings_are_refused(tmp_path: Path, environ: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        load_settings({"CROSSRISK_DATA_DIR": str(tmp_path), **environ})


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


def test_public_base_url_follows_the_public_url_else_the_bind_address() -> None:
    assert public_base_url({}) == "http://127.0.0.1:8000/"
    assert public_base_url({"CROSSRISK_BIND": "0.0.0.0:9000"}) == "http://0.0.0.0:9000/"
    given = {"CROSSRISK_PUBLIC_URL": "https://crossrisk.example/", "CROSSRISK_BIND": "x:1"}
    assert public_base_url(given) == "https://crossrisk.example/"
