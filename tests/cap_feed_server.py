"""A real HTTP server on 127.0.0.1 publishing an Atom index of CAP files, as a national
warning service does, for the tests of the feed poller."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    """Serves the files it is given by path; anything else is a 404. Counts the requests."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(self.path)
                    found = server.files.get(self.path)
                    moved = server.redirects.get(self.path)
                if moved is not None:
                    self.send_response(302)
                    self.send_header("Location", moved)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if found is None:
                    self.send_error(404)
                    return
                content_type, body = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def publish(self, path: str, body: bytes, content_type: str = "application/xml") -> str:
        self.files[path] = (content_type, body)
        return self.base + path

    def redirect(self, path: str, location: str) -> str:
        """Answer `path` with a 302 to `location` (relative or absolute)."""
        self.redirects[path] = location
        return self.base + path

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def atom_index(entries: list[tuple[str, str, str]], *, title: str = "预警信息") -> bytes:
    """An Atom index; each entry (id, relative or absolute link to the CAP file, updated)."""
    items = "".join(
        f"""
  <entry>
    <id>{entry_id}</id>
    <title>{entry_id}</title>
    <updated>{updated}</updated>
    <link rel="alternate" type="application/cap+xml" href="{link}"/>
  </entry>"""
        for entry_id, link, updated in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:test:cap-feed</id>
  <title>{title}</title>
  <updated>2026-07-01T04:00:00Z</updated>{items}
</feed>
""".encode()
