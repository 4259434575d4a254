"""Real servers the delivery tests send to: HTTP receivers, an SMTP process, the broker."""

from __future__ import annotations

import mailbox
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support import IN_CI

ROOT = Path(__file__).resolve().parents[2]


def unavailable(reason: str) -> None:
    """Skip locally; in CI the e-mail and MQTT tests must run, so fail instead."""
    if IN_CI:
        pytest.fail(f"{reason}; in CI this test must run")
    pytest.skip(f"{reason} (never skipped when CI=true)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """An HTTP server that records every POST and answers with the statuses it is given.

    Given a TLS context it serves HTTPS, recording the server name each client asked for
    (SNI); `host` is the name its URL uses.
    """

    def __init__(self, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> None:
        self.received: list[Received] = []
        self.server_names: list[str | None] = []
        self.host = host
        self.scheme = "https" if tls else "http"
        self.statuses: deque[int] = deque()
        self.default_status = 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = (
                        receiver.statuses.popleft()
                        if receiver.statuses
                        else receiver.default_status
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _context: self.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/hooks/crossrisk"

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, then with the default."""
        with self._lock:
            self.statuses.extend(statuses)

    def warnings(self) -> list[str]:
        with self._lock:
            return [r.headers["x-crossrisk-warning"] for r in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts connections, reads nothing back and never answers: a hanging webhook."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.connections: list[socket.socket] = []
        self.accepted = threading.Event()
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            self.accepted.set()
            self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        """Never answers."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/never-answers"

    def close(self) -> None:
        self._stop = True
        self.listener.close()
        for connection in self.connections:
            connection.close()


class SmtpServer:
    """aiosmtpd in its own process, storing mail in a maildir."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "tests.delivery.smtp_handler.RefusingMailbox",
                str(directory),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(200):
            if self.process.poll() is not None or answers("127.0.0.1", self.port):
                break
            time.sleep(0.05)
        if self.process.poll() is not None:
            error = self.process.stderr.read().decode() if self.process.stderr else ""
            raise RuntimeError(f"aiosmtpd did not start: {error}")

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Mail stored for this recipient."""
        found = []
        for raw in mailbox.Maildir(self.directory, create=False):
            parsed = message_from_bytes(raw.as_bytes(), policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            if parsed["To"] == address:
                found.append(parsed)
        return found

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class TricklingServer(SilentServer):
    """Starts an answer, then sends one header byte at a time, each well within any timeout."""

    def _answer(self, connection: socket.socket) -> None:
        threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection: socket.socket) -> None:
        try:
            connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self._stop:
                connection.sendall(b"z")
                time.sleep(0.2)
        except OSError:
            return
