from __future__ import annotations

from pathlib import Path

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.settings import load_settings


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
