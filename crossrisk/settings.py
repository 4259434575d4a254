"""Settings from environment variables with the CROSSRISK_ prefix (DESIGN §4)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.observation import STALE_AFTER
from crossrisk.domain.outbound import AllowList, parse_allow_list


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str
    port: int
    secret_key: str
    demo: bool
    # Where recipients reach this platform: acknowledgement links in e-mails point here.
    public_url: str = ""
    # Outgoing e-mail (warnings) and the MQTT broker (warnings out, observations in).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "crossrisk@localhost"
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    mqtt_topic_prefix: str = "crossrisk"
    # Seconds one delivery attempt may take before it counts as failed.
    delivery_timeout: float = 5.0
    # Run the delivery and deadline worker inside the web process (off: `crossrisk worker`).
    # load_settings turns it on unless CROSSRISK_WORKER says otherwise.
    worker: bool = False
    # The journal's checkpoints and stale readings (issue 9). The platform's Ed25519 signing
    # key: this file if set (CROSSRISK_SIGNING_KEY_FILE), else made once in the data dir.
    signing_key_file: Path | None = None
    # A reading older than this, relative to its arrival, is stored but fires nothing.
    stale_reading_window: timedelta = STALE_AFTER
    # Outbound connections and the broker's credentials (README "MQTT credentials and
    # topics", "Outbound webhooks"); read by load_settings from _outbound_settings.
    outbound_allow: AllowList = ()
    mqtt_username: str = ""
    mqtt_password_file: Path | None = None
    mqtt_tls: bool = False
    mqtt_ca_file: Path | None = None
    mqtt_cert_file: Path | None = None
    mqtt_key_file: Path | None = None
    # Accounts and sessions. The session cookie is sent over HTTPS only (on by default when
    # public_url is https); a client that has not sent a request's headers within
    # header_timeout seconds is disconnected; each server process checks at most
    # password_checks passwords at once (Argon2 is slow and memory-hungry on purpose).
    secure_cookies: bool = False
    header_timeout: float = 10.0
    password_checks: int = 1
    # Mutual aid (issue 11). A base-information record not confirmed for this long is
    # flagged stale; travel hours between cities come from a road graph file where one is
    # given, else from the great-circle distance times the road factor at the road speed.
    base_information_stale_after: timedelta = timedelta(days=30)
    road_graph_file: Path | None = None
    road_factor: float = 1.3
    road_speed_kmh: float = 60.0

    @property
    def address(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def base_url(self) -> str:
        """The address recipients use, with a trailing slash."""
        return (self.public_url or self.address).rstrip("/") + "/"


def public_base_url(environ: dict[str, str] | None = None) -> str:
    """The address recipients use, read alone: CAP messages link to pages under it."""
    # Warnings are rendered inside a use case, which has no Settings; reading these two
    # variables is cheap and, unlike load_settings, never creates the secret-key file.
    env = dict(os.environ if environ is None else environ)
    public_url = env.get("CROSSRISK_PUBLIC_URL", "")
    if public_url:
        return public_url.rstrip("/") + "/"
    host, port = _parse_bind(env.get("CROSSRISK_BIND", "127.0.0.1:8000"), "CROSSRISK_BIND")
    return f"http://{host}:{port}/"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings; every default is the embedded one (SQLite under the data dir)."""
    env = dict(os.environ if environ is None else environ)
    data_dir = default_data_dir(env)
    database_url = _with_driver(
        env.get("CROSSRISK_DATABASE_URL") or f"sqlite:///{data_dir / 'crossrisk.db'}"
    )
    host, port = _parse_bind(env.get("CROSSRISK_BIND", "127.0.0.1:8000"), "CROSSRISK_BIND")
    secret_key = env.get("CROSSRISK_SECRET_KEY") or _file_secret(data_dir)
    smtp_host, smtp_port = _parse_bind(env.get("CROSSRISK_SMTP", "127.0.0.1:25"), "CROSSRISK_SMTP")
    mqtt_host, mqtt_port = _parse_bind(
        env.get("CROSSRISK_MQTT", "127.0.0.1:1883"), "CROSSRISK_MQTT"
    )
    public_url = env.get("CROSSRISK_PUBLIC_URL", "")
    secure_default = "true" if public_url.lower().startswith("https://") else "false"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        host=host,
        port=port,
        secret_key=secret_key,
        demo=_flag(env.get("CROSSRISK_DEMO", "")),
        public_url=public_url,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        smtp_sender=env.get("CROSSRISK_SMTP_SENDER", "crossrisk@localhost"),
        mqtt_host=mqtt_host,
        mqtt_port=mqtt_port,
        mqtt_topic_prefix=env.get("CROSSRISK_MQTT_TOPIC_PREFIX", "crossrisk").strip("/"),
        delivery_timeout=_positive(env, "CROSSRISK_DELIVERY_TIMEOUT", 5.0),
        worker=_flag(env.get("CROSSRISK_WORKER", "true")),
        secure_cookies=_flag(env.get("CROSSRISK_SECURE_COOKIES", secure_default)),
        header_timeout=_positive(env, "CROSSRISK_HEADER_TIMEOUT", 10.0),
        password_checks=_count(env, "CROSSRISK_PASSWORD_CHECKS", default_password_checks()),
        **_record_settings(env),
        **_outbound_settings(env),
        **_aid_settings(env),
    )


def default_data_dir(env: dict[str, str]) -> Path:
    """CROSSRISK_DATA_DIR, else the user's data folder (XDG Base Directory specification).

    Not a folder relative to where a command runs: an operator's command in another folder
    must reach the same database and keys, and leave nothing behind in that folder.
    """
    named = env.get("CROSSRISK_DATA_DIR", "").strip()
    if named:
        return Path(named).expanduser().resolve()
    # The specification says a relative XDG_DATA_HOME is invalid and to be ignored.
    xdg = env.get("XDG_DATA_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "crossrisk"
    home = env.get("HOME", "").strip()
    if not home or not Path(home).is_absolute():
        raise InvalidInput("set CROSSRISK_DATA_DIR: there is no HOME to keep the data under")
    return Path(home) / ".local" / "share" / "crossrisk"


def default_password_checks() -> int:
    """Half the CPU cores, at least one: one Argon2 check keeps up to four cores busy, and
    the rest of the service needs some (see bench/logins.py)."""
    return max(1, (os.cpu_count() or 2) // 2)


def _record_settings(env: dict[str, str]) -> dict[str, Any]:
    """The journal checkpoint and stale-reading settings, read in one place."""
    key_file = env.get("CROSSRISK_SIGNING_KEY_FILE", "").strip()
    name = "CROSSRISK_STALE_READING_HOURS"
    text = env.get(name, f"{STALE_AFTER.total_seconds() / 3600:g}")
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    # NaN and infinity fail the comparison too.
    if not 0 < hours <= 24 * 366:
        raise InvalidInput(f"{name} must be a number of hours above 0, at most 8784, got {text!r}")
    return {
        "signing_key_file": Path(key_file).resolve() if key_file else None,
        "stale_reading_window": timedelta(hours=hours),
    }


def _outbound_settings(env: dict[str, str]) -> dict[str, Any]:
    """The allow-list of outbound networks and how the platform logs in to the broker."""
    password_file = _optional_path(env, "CROSSRISK_MQTT_PASSWORD_FILE")
    username = env.get("CROSSRISK_MQTT_USERNAME", "").strip()
    if password_file is not None and not username:
        raise InvalidInput("CROSSRISK_MQTT_PASSWORD_FILE needs CROSSRISK_MQTT_USERNAME")
    cert_file = _optional_path(env, "CROSSRISK_MQTT_CERT_FILE")
    key_file = _optional_path(env, "CROSSRISK_MQTT_KEY_FILE")
    if key_file is not None and cert_file is None:
        raise InvalidInput("CROSSRISK_MQTT_KEY_FILE needs CROSSRISK_MQTT_CERT_FILE")
    ca_file = _optional_path(env, "CROSSRISK_MQTT_CA_FILE")
    return {
        "outbound_allow": parse_allow_list(env.get("CROSSRISK_OUTBOUND_ALLOW", "")),
        "mqtt_username": username,
        "mqtt_password_file": password_file,
        # A CA file or a client certificate means TLS even without the flag.
        "mqtt_tls": _flag(env.get("CROSSRISK_MQTT_TLS", "")) or bool(ca_file or cert_file),
        "mqtt_ca_file": ca_file,
        "mqtt_cert_file": cert_file,
        "mqtt_key_file": key_file,
    }


def _aid_settings(env: dict[str, str]) -> dict[str, Any]:
    """Mutual aid's settings: when base information goes stale, and how travel is timed."""
    return {
        "base_information_stale_after": timedelta(
            days=_bounded(env, "CROSSRISK_STALE_AFTER_DAYS", 30.0, low=0.0, high=3660.0)
        ),
        "road_graph_file": _optional_path(env, "CROSSRISK_ROAD_GRAPH"),
        # Chinese expressway routes between prefecture seats run about 1.2-1.4 times the
        # straight line; 60 km/h averages trunk roads and lorries' limits.
        "road_factor": _bounded(env, "CROSSRISK_ROAD_FACTOR", 1.3, low=1.0, high=5.0),
        "road_speed_kmh": _bounded(env, "CROSSRISK_ROAD_SPEED_KMH", 60.0, low=1.0, high=200.0),
    }


def _bounded(env: dict[str, str], name: str, default: float, *, low: float, high: float) -> float:
    text = env.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    # NaN fails the comparison too.
    if not low < value <= high:
        raise InvalidInput(f"{name} must be a number above {low:g}, at most {high:g}, got {text!r}")
    return value


def _optional_path(env: dict[str, str], name: str) -> Path | None:
    text = env.get(name, "").strip()
    return Path(text).resolve() if text else None


def _flag(value: str) -> bool:
    return value.lower() in ("1", "true", "yes")


def _positive(env: dict[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 3600:
        raise InvalidInput(f"{name} must be a number of seconds between 0 and 3600, got {text!r}")
    return value


def _count(env: dict[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None:
        return default
    if not text.strip().isdigit() or not 1 <= int(text) <= 64:
        raise InvalidInput(f"{name} must be a whole number from 1 to 64, got {text!r}")
    return int(text)


def _with_driver(url: str) -> str:
    # A plain postgresql:// URL would make SQLAlchemy look for psycopg2; psycopg 3 is the
    # driver this package installs.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _parse_bind(value: str, name: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"{name} must be host:port, got {value!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _file_secret(data_dir: Path) -> str:
    # Every worker process of one installation must sign cookies with the same key, so
    # an unset key is generated once and kept in the data dir, readable by its owner only.
    return private_value(data_dir / "secret_key", lambda: secrets.token_urlsafe(48))


def private_value(path: Path, make: Callable[[], str]) -> str:
    """The text kept in a file readable by its owner only, made and written once if absent.

    Several processes may ask at once; the first to create the file wins, the others read it.
    """
    if path.exists():
        return path.read_text("utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first
        return path.read_text("utf-8").strip()
    try:
        os.write(descriptor, value.encode("utf-8"))
    finally:
        os.close(descriptor)
    return value
