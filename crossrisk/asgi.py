"""ASGI entry point for server processes: `uvicorn crossrisk.asgi:app`."""

from crossrisk.app import create_app
from crossrisk.settings import load_settings

app = create_app(load_settings())
