"""Submitting the CAP sender registry page's forms in page tests."""

from __future__ import annotations

import httpx2 as httpx
from fastapi.testclient import TestClient


def add_sender(
    client: TestClient,
    csrf: str,
    *,
    certificate: bytes | None = None,
    **change: str,
) -> httpx.Response:
    """Post the "Register a sender" form (multipart, as a browser sends it)."""
    fields = {
        "csrf_token": csrf,
        "sender": "hsqx.huangshan",
        "name": "黄山市气象局",
        "region": "yrd",
    } | change
    upload = ("hsqx.pem", certificate or b"", "application/x-pem-file")
    return client.post("/cap/senders", data=fields, files={"certificate": upload})


def add_feed(
    client: TestClient, csrf: str, *, url: str = "https://hsqx.example.cn/cap/index.atom"
) -> httpx.Response:
    """Post the "Add a feed" form."""
    return client.post(
        "/cap/feeds",
        data={"csrf_token": csrf, "url": url, "name": "黄山气象 CAP", "region": "yrd"},
    )
