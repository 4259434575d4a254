"""Page routes (placeholder until the pages land)."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Mount the page routes and static files."""
