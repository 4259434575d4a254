"""The risk register pages: registering a risk, moving and reassessing it.

The list itself, its search and its exports are in register.py.

Also a risk's warning table alone, which its page swaps in as warning events arrive.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.risks import can_change_risk
from crossrisk.domain.region import Region
from crossrisk.domain.risk import DESCRIPTION_MAX, TITLE_MAX
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import regions, risks
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.risks import forms
from crossrisk.web.risks.detail import GivenForms, show_risk
from crossrisk.web.risks.hazard_form import hazard_form_context
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import Names, PageLanguage
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.warnings.tables import risk_warning_rows

router = APIRouter(include_in_schema=False)


@router.get("/risks/new")
def new_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The registration form, for the actor's own region."""
    readable = regions.readable_regions(uow, actor)
    form = forms.RiskForm(region=default_region(actor, readable))
    return _registration_page(request, actor, readable, form)


@router.post("/risks/new")
def register(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[forms.RiskForm, Form()],
) -> Response:
    """Register the risk described by the form and show it; a refusal shows the form again."""
    lang = PageLanguage.of(request)
    readable = regions.readable_regions(uow, actor)
    try:
        check_csrf(request, form.csrf_token)
        draft = forms.risk_draft(form, lang)
        risk = risks.register_risk(uow, actor, draft, region_code=form.region, now=utc_now())
    except CrossriskError as refusal:
        return _registration_page(
            request,
            actor,
            readable,
            form,
            refusal=refusal,
            lang=lang,
            names=read_directory(uow, actor),
        )
    return RedirectResponse(f"/risks/{risk.id}", status_code=303)


@router.get("/risks/{risk_id}")
def risk_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A risk with its reach, situation, responsibility list, forms and history."""
    return show_risk(request, actor, uow, risk_id)


@router.post("/risks/{risk_id}/transition")
def transition(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.TransitionForm, Form()],
) -> Response:
    """Move the risk to the next stage of its cycle, with the reason given."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        risks.transition_risk(
            uow,
            actor,
            id_in_address(risk_id),
            to=forms.status(lang, form.to),
            reason=forms.reason(lang, form.reason),
            expected_version=forms.version(form.version),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return show_risk(
            request, actor, uow, risk_id, refusal=refusal, given=GivenForms(transition=form)
        )
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.post("/risks/{risk_id}/reassess")
def reassess(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.ReassessmentForm, Form()],
) -> Response:
    """Set a new likelihood and consequence; the event level follows."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        change = risks.RiskChange(
            likelihood=forms.scale(lang, lang.gettext("Likelihood"), form.likelihood),
            consequence=forms.scale(lang, lang.gettext("Consequence"), form.consequence),
            reason=forms.reason(lang, form.reason),
        )
        risks.change_risk(
            uow,
            actor,
            id_in_address(risk_id),
            change,
            expected_version=forms.version(form.version),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return show_risk(
            request, actor, uow, risk_id, refusal=refusal, given=GivenForms(reassessment=form)
        )
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.get("/risks/{risk_id}/warnings")
def risk_warnings_table(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A risk's warning table alone, for its page to swap in when a warning event arrives."""
    lang = PageLanguage.of(request)
    try:
        risk = risks.get_risk(uow, actor, id_in_address(risk_id))
        rows = risk_warning_rows(uow, actor, risk, lang)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return render(request, "warnings/risk_table.html", {"warning_rows": rows}, actor=actor)


def may_register(actor: Actor, readable: Iterable[Region]) -> bool:
    """True when the actor could register a risk somewhere it reads (its own city, for a city)."""
    # The services decide for real; this only spares people a form they cannot submit.
    origins = [actor.jurisdiction_code] if actor.jurisdiction_code else []
    return any(
        can_change_risk(actor, region_code=region.code, origin_codes=origins) for region in readable
    )


def default_region(actor: Actor, readable: list[Region]) -> str:
    """The region a new risk goes to unless the officer picks another: the actor's own."""
    own = [region.code for region in readable if region.code in actor.region_codes]
    return (own or [region.code for region in readable] or [""])[0]


def _registration_page(
    request: Request,
    actor: Actor,
    readable: list[Region],
    form: forms.RiskForm,
    *,
    refusal: CrossriskError | None = None,
    lang: PageLanguage | None = None,
    names: Names | None = None,
) -> Response:
    lang = lang or PageLanguage.of(request)
    context = {
        **hazard_form_context(lang, actor, form, readable, refusal=refusal),
        "may_register": may_register(actor, readable),
        "title_max": TITLE_MAX,
        "description_max": DESCRIPTION_MAX,
        "error": page_error(lang, refusal, names) if refusal else None,
    }
    status_code = error_status(refusal) if refusal else 200
    return render(request, "risks/new.html", context, actor=actor, status_code=status_code)
