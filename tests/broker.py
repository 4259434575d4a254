"""A Mosquitto broker of a test's own, on a free port, with the password and ACL files given.

The shared broker at 127.0.0.1:1883 lets anyone in; the tests of credentials, ACLs and
TLS start the real broker binary with the files `crossrisk mqtt acl` wrote.
"""

from __future__ import annotations

import getpass
import shutil
import subprocess
import time
from pathlib import Path

from tests.certificates import Certificates
from tests.delivery.servers import answers, free_port, unavailable

BINARY_PATHS = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")


def mosquitto_binary() -> str:
    """The broker binary; missing, the test skips locally and fails in CI."""
    found = shutil.which("mosquitto") or next(
        (path for path in BINARY_PATHS if Path(path).exists()), None
    )
    if found is None:
        unavailable("mosquitto is not installed (make test installs it: apt-get install mosquitto)")
    assert found is not None
    return found


class Mosquitto:
    """The broker process; `close` stops it."""

    def __init__(
        self,
        directory: Path,
        *,
        password_file: Path,
        acl_file: Path,
        tls: Certificates | None = None,
    ) -> None:
        binary = mosquitto_binary()
        directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log = directory / "mosquitto.log"
        lines = [
            "per_listener_settings false",
            "allow_anonymous false",
            f"password_file {password_file}",
            f"acl_file {acl_file}",
            "persistence false",
            # Stay the user the test runs as: the 0600 files are that user's.
            f"user {getpass.getuser()}",
            f"log_dest file {self.log}",
            "log_type all",
            f"listener {self.port} 127.0.0.1",
        ]
        if tls is not None:
            lines += [
                f"cafile {tls.ca}",
                f"certfile {tls.server_cert}",
                f"keyfile {tls.server_key}",
                "require_certificate true",
                "tls_version tlsv1.2",
            ]
        config = directory / "mosquitto.conf"
        config.write_text("\n".join(lines) + "\n")
        self.process = subprocess.Popen(
            [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(200):
            if self.process.poll() is not None or answers("127.0.0.1", self.port):
                break
            time.sleep(0.05)
        if self.process.poll() is not None:
            error = self.process.stderr.read().decode() if self.process.stderr else ""
            raise RuntimeError(f"mosquitto did not start: {error} {self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
