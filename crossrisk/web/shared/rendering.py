"""Rendering pages: the template environment, the shared context and response headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import csrf_token, get_uow
from crossrisk.http.problems import status_of
from crossrisk.services import region_state
from crossrisk.web.shared.i18n import LOCALES, Names, PageLanguage

WEB_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

# Everything a page loads comes from the platform itself (intranets have no internet),
# so the policy can refuse every other origin outright.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Pages show records the next user of a shared office computer may not read.
    "Cache-Control": "no-store",
}

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=environment)


@dataclass(frozen=True, slots=True)
class PageError:
    """A refusal as a page shows it: a headline and what exactly was wrong."""

    headline: str
    detail: str = ""


def page_error(lang: PageLanguage, error: CrossriskError, names: Names | None = None) -> PageError:
    """The page form of a service's refusal, the codes it names given by `names`."""
    return PageError(lang.error_headline(error), lang.error_detail(error, names))


def error_status(error: CrossriskError) -> int:
    """The HTTP status a page answers a refusal with (the API's, for the same failure)."""
    return status_of(error)


def here(request: Request) -> str:
    """The current path with its query, to come back to after a login or a switch."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    actor: Actor | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page in the visitor's language with the shared header context."""
    lang = PageLanguage.of(request)
    shared: dict[str, Any] = {
        "lang": lang,
        "_": lang.gettext,
        "locales": LOCALES.values(),
        "actor": actor,
        "csrf_token": csrf_token(request),
        # Every page's header says whether each region the visitor reads is in emergency.
        "region_states": [] if actor is None else region_state.states_for(get_uow(request), actor),
        "here": quote(here(request), safe="/"),
        "error": None,
    }
    shared.update(context or {})
    return templates.TemplateResponse(
        request, template, shared, status_code=status_code, headers=PAGE_HEADERS
    )


def error_page(
    request: Request,
    refusal: CrossriskError,
    *,
    actor: Actor | None = None,
    names: Names | None = None,
) -> HTMLResponse:
    """The error page for a refusal, answered with the API's status for it."""
    error = page_error(PageLanguage.of(request), refusal, names)
    return render(
        request, "error.html", {"error": error}, actor=actor, status_code=error_status(refusal)
    )
