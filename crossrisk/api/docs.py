"""The API's documentation page, /api/docs, served wholly by the platform.

FastAPI's own docs page loads Swagger UI from a CDN and stays blank on an intranet without
internet access; this one loads the copy the npm registry pinned (package-lock.json), which
scripts/install_web_assets.sh puts in the pages' static vendor folder.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

DOCS_PATH = "/api/docs"
VENDOR = "/static/vendor/swagger-ui"


def install(app: FastAPI) -> None:
    """Serve the documentation page (the app is built with docs_url=None)."""
    openapi_url = app.openapi_url or "/api/openapi.json"
    title = f"{app.title} API"

    @app.get(DOCS_PATH, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/favicon-32x32.png",
            # Swagger UI would otherwise ask validator.swagger.io to check the document.
            swagger_ui_parameters={"validatorUrl": None},
        )
