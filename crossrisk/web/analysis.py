"""Forms on a risk's analysis: new model parameters, confirming the list, naming a lead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.api.deps import UowDep, check_csrf, utc_now
from crossrisk.domain import permissions
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.services import analysis, risks
from crossrisk.store.uow import UnitOfWork
from crossrisk.web import forms, hazard_fields
from crossrisk.web.i18n import PageLanguage
from crossrisk.web.risk_page import GivenForms, may_coordinate, risk_id_of, show_risk
from crossrisk.web.session import PageActor

router = APIRouter(include_in_schema=False)


@router.post("/risks/{risk_id}/parameters")
def reparametrise(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.ParametersForm, Form()],
) -> Response:
    """Assess the risk with another hazard type or other model parameters; the reach follows."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        number = risk_id_of(risk_id)
        risk = risks.get_risk(uow, actor, number)
        # Who may not change the risk hears that, not what was wrong with the input.
        permissions.require_change_risk(
            actor, region_code=risk.region_code, origin_codes=risk.origin_codes
        )
        chosen = hazard_fields.hazard_type(lang, form.hazard_type, risk.category)
        parameters = hazard_fields.read_parameters(lang, chosen.pathway, form.typed_parameters())
        reason = forms.reason(lang, form.reason)
        if chosen.key == risk.hazard_type and parameters == dict(risk.parameters):
            raise InvalidInput(lang.gettext("The hazard type and parameters are unchanged."))
        risks.change_risk(
            uow,
            actor,
            number,
            risks.RiskChange(hazard_type=chosen.key, parameters=parameters, reason=reason),
            expected_version=forms.version(form.version),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return show_risk(
            request, actor, uow, risk_id, refusal=refusal, given=GivenForms(parameters=form)
        )
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.post("/risks/{risk_id}/confirmation")
def confirm(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.ConfirmationForm, Form()],
) -> Response:
    """The coordination body confirms the newest version of the responsibility list."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        _require_coordinator(lang, actor, uow, risk_id)
        version = forms.version(form.version)
        if version is None:
            raise InvalidInput(lang.gettext("The form names no analysis version; reload the page."))
        analysis.confirm_responsibility_list(
            uow, actor, risk_id_of(risk_id), version=version, now=utc_now()
        )
    except CrossriskError as refusal:
        return show_risk(request, actor, uow, risk_id, refusal=refusal)
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.post("/risks/{risk_id}/lead")
def change_lead(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.LeadForm, Form()],
) -> Response:
    """The coordination body names another origin jurisdiction of a spanning source as lead."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        _require_coordinator(lang, actor, uow, risk_id)
        if not form.lead.strip():
            raise InvalidInput(lang.gettext("Choose the lead jurisdiction."))
        analysis.assign_lead(
            uow,
            actor,
            risk_id_of(risk_id),
            lead_code=form.lead.strip(),
            reason=forms.reason(lang, form.reason),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return show_risk(request, actor, uow, risk_id, refusal=refusal, given=GivenForms(lead=form))
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


def _require_coordinator(lang: PageLanguage, actor: Actor, uow: UnitOfWork, risk_id: str) -> None:
    # The service refuses too; refusing first keeps a city from learning about form details.
    risk = risks.get_risk(uow, actor, risk_id_of(risk_id))
    if not may_coordinate(actor, risk.region_code):
        raise NotPermitted(
            lang.gettext("Only the region's coordination body or the central office may do this.")
        )
