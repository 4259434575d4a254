"""How the platform's MQTT clients (warnings out, observations in) log in to the broker.

The broker's ACL (`crossrisk mqtt acl`) lets the platform's account alone read every
station's observations and write every warning, so its password is read from a file the
operator keeps (CROSSRISK_MQTT_PASSWORD_FILE), never from the environment or the database.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt

from crossrisk.settings import Settings


@dataclass(frozen=True, slots=True)
class BrokerLogin:
    """The platform's account on the broker and its TLS settings; empty: anonymous, plain."""

    username: str = ""
    password_file: Path | None = None
    tls: bool = False
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BrokerLogin:
        """The login the CROSSRISK_MQTT_* settings describe."""
        return cls(
            username=settings.mqtt_username,
            password_file=settings.mqtt_password_file,
            tls=settings.mqtt_tls,
            ca_file=settings.mqtt_ca_file,
            cert_file=settings.mqtt_cert_file,
            key_file=settings.mqtt_key_file,
        )

    def password(self) -> str | None:
        """The password as the file holds it now (read per client, so rotation needs no restart)."""
        if self.password_file is None:
            return None
        return self.password_file.read_text("utf-8").strip()

    def apply(self, client: mqtt.Client) -> None:
        """Give a client the credentials and, when configured, TLS (server verified)."""
        if self.username:
            client.username_pw_set(self.username, self.password())
        if self.tls:
            client.tls_set(
                ca_certs=str(self.ca_file) if self.ca_file else None,
                certfile=str(self.cert_file) if self.cert_file else None,
                keyfile=str(self.key_file) if self.key_file else None,
                cert_reqs=ssl.CERT_REQUIRED,
                tls_version=ssl.PROTOCOL_TLS_CLIENT,
            )
