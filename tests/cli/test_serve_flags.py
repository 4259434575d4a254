"""`crossrisk serve --host --port`, and one line when the port is taken."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_serve_slow_clients import free_port


def serve_env(sqlite_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CROSSRISK_DATABASE_URL": sqlite_url,
        "CROSSRISK_DATA_DIR": str(tmp_path),
        "CROSSRISK_WORKER": "false",
        **extra,
    }


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("how", ["flags", "bind"])
def test_a_taken_port_is_one_line_before_anything_else(
    sqlite_url: str, tmp_path: Path, held_port: int, how: str
) -> None:
    args, extra = (
        (["--host", "127.0.0.1", "--port", str(held_port)], {})
        if how == "flags"
        else ([], {"CROSSRISK_BIND": f"127.0.0.1:{held_port}"})
    )
    result = subprocess.run(
        [sys.executable, "-m", "crossrisk", "serve", *args],
        env=serve_env(sqlite_url, tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: port {held_port} at 127.0.0.1 is taken by another program; choose another --port\n"
    )


def test_serve_listens_where_the_flags_say_not_at_crossrisk_bind(
    sqlite_url: str, tmp_path: Path
) -> None:
    port, elsewhere = free_port(), free_port()
    env = serve_env(sqlite_url, tmp_path, CROSSRISK_BIND=f"127.0.0.1:{elsewhere}")
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crossrisk",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/api/openapi.json")
                response = connection.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline, "crossrisk serve did not listen"
                time.sleep(0.2)
        assert response.status == 200
        assert b'"title":"crossrisk"' in response.read().replace(b" ", b"")
        assert f"crossrisk at http://127.0.0.1:{port}/" in log.read_text()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", elsewhere), timeout=1).close()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_port_out_of_range_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crossrisk", "serve", "--port", "70000"],
        env=serve_env(sqlite_url, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "70000 is not in the range 1<=x<=65535" in result.stderr
