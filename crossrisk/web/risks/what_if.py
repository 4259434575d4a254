"""The what-if page: the reach, situation and responsibility list of a hazard not registered."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.domain.region import Region
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import analysis, regions
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.risks import forms
from crossrisk.web.risks.analysis_view import AnalysisView, analysis_view
from crossrisk.web.risks.detail import map_texts
from crossrisk.web.risks.hazard_form import hazard_form_context
from crossrisk.web.risks.routes import default_region
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import Names, PageLanguage
from crossrisk.web.shared.rendering import error_status, page_error, render

router = APIRouter(include_in_schema=False)


@router.get("/what-if")
def what_if_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The what-if form, filled with the actor's own region."""
    readable = regions.readable_regions(uow, actor)
    form = forms.RiskForm(region=default_region(actor, readable))
    return _page(request, actor, readable, form)


@router.post("/what-if")
def compute(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[forms.RiskForm, Form()],
) -> Response:
    """Analyse the hazard the form describes and show the result; nothing is stored."""
    lang = PageLanguage.of(request)
    readable = regions.readable_regions(uow, actor)
    try:
        # Nothing is written, but the token still keeps other sites from using the session.
        check_csrf(request, form.csrf_token)
        draft = forms.risk_draft(form, lang, what_if=True)
        now = utc_now()
        result = analysis.what_if(uow, actor, draft, region_code=form.region, now=now)
    except CrossriskError as refusal:
        names = read_directory(uow, actor)
        return _page(request, actor, readable, form, refusal=refusal, lang=lang, names=names)
    directory = read_directory(uow, actor, region_codes={form.region})
    view = analysis_view(
        result.analysis,
        directory=directory,
        lang=lang,
        now=now,
        region_code=form.region,
        hazard_geometry=draft.hazard_geometry,
        level=result.level,
    )
    return _page(request, actor, readable, form, lang=lang, result=(result, view))


def _page(
    request: Request,
    actor: Actor,
    readable: list[Region],
    form: forms.RiskForm,
    *,
    refusal: CrossriskError | None = None,
    lang: PageLanguage | None = None,
    names: Names | None = None,
    result: tuple[analysis.WhatIf, AnalysisView] | None = None,
) -> Response:
    lang = lang or PageLanguage.of(request)
    context: dict[str, Any] = hazard_form_context(lang, actor, form, readable, refusal=refusal)
    context["page_data"]["reach"] = result[1].map_data if result else None
    context["page_data"]["reachTexts"] = map_texts(lang)
    context.update(
        {
            "result": result[0] if result else None,
            "view": result[1] if result else None,
            "error": page_error(lang, refusal, names) if refusal else None,
        }
    )
    status_code = error_status(refusal) if refusal else 200
    return render(request, "what_if.html", context, actor=actor, status_code=status_code)
