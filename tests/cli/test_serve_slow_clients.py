"""`crossrisk serve` closes connections whose request headers never finish."""

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

HEADER_TIMEOUT = 1.0  # seconds; the default is 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[int]:
    """`crossrisk serve` on a free port with a short header timeout; yields the port."""
    port = free_port()
    env = {
        **os.environ,
        "CROSSRISK_DATABASE_URL": sqlite_url,
        "CROSSRISK_DATA_DIR": str(tmp_path),
        "CROSSRISK_BIND": f"127.0.0.1:{port}",
        "CROSSRISK_WORKER": "false",
        "CROSSRISK_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
    }
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "crossrisk", "serve"], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "crossrisk serve did not listen"
                time.sleep(0.1)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def closed_within(connection: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection, or None if it was still open."""
    start = time.monotonic()
    connection.settimeout(seconds)
    try:
        while connection.recv(4096):
            pass  # an answer (400, 408) would do too; what matters is that it ends
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - start


def normal_request_works(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/login")
        return connection.getresponse().status == 200
    finally:
        connection.close()


def test_a_request_line_that_never_ends_is_cut_off(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as slow:
        slow.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert normal_request_works(server)  # the slow one holds up nobody
        waited = closed_within(slow, HEADER_TIMEOUT + 5)
    assert waited is not None, "the server kept a half-sent request open"


def test_headers_trickled_a_byte_at_a_time_are_cut_off_too(server: int) -> None:
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", server)) as slow:
        slow.settimeout(0.2)
        try:
            for _ in range(int((HEADER_TIMEOUT + 5) / 0.2)):
                slow.sendall(b"X")  # each byte would restart an idle timer; not this one
                try:
                    if slow.recv(4096) == b"":
                        break
                except TimeoutError:
                    continue
        except (BrokenPipeError, ConnectionResetError):
            pass
    assert time.monotonic() - start < HEADER_TIMEOUT + 3


def test_the_next_request_on_a_kept_alive_connection_is_held_to_it(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as kept:
        kept.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        kept.settimeout(5)
        assert kept.recv(4096).startswith(b"HTTP/1.1 200")
        kept.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
        assert closed_within(kept, HEADER_TIMEOUT + 4) is not None
